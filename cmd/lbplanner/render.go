package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lbplanner/terraform-provider-lbplanner/manifests"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

func (a *app) renderCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "render MANIFESTS... [--out DIR] [--diff]",
		Short: "Write the manifests that carry a plan out",
		Long: `Plans Kubernetes manifests as lbplanner plan does, then writes every input
object the plan changes, whole: a Service's type and load-balancer annotations,
an Ingress's class, IngressGroup and group.order (paths to services that move
elsewhere removed), and new Ingresses, Gateways and routes where the plan
creates them. Every other field, annotation and document is kept.

Without --out the changed files and new objects are printed; --out DIR writes
them under DIR (each file atomically, new objects in lbplanner-new.yaml); --diff
prints a unified diff against the input instead. Ingresses the plan empties are
left out and listed on standard error: delete them from the cluster.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			srcs, err := a.readSources(args)
			if err != nil {
				return err
			}
			d, res, name, err := a.declarationFrom(srcs, args)
			if err != nil {
				return err
			}
			cat, err := a.catalog()
			if err != nil {
				return err
			}
			p, err := planner.Compute(d, cat)
			if err != nil {
				return withFile(err, name)
			}
			a.warnPlan(p)
			if res == nil {
				return fmt.Errorf("render takes Kubernetes manifests, not a declaration file")
			}
			r, err := manifests.Render(srcs, res, p, manifests.Options{})
			if err != nil {
				return err
			}
			for _, c := range r.Changes {
				fmt.Fprintf(a.stderr, "lbplanner render: %s\n", c)
			}
			for _, x := range r.Deleted {
				fmt.Fprintf(a.stderr, "lbplanner render: delete %s from the cluster\n", x)
			}
			for _, w := range r.Warnings {
				fmt.Fprintf(a.stderr, "lbplanner render: warning: %s\n", w)
			}
			switch dir := a.v.GetString("out"); {
			case a.v.GetBool("diff"):
				_, err = fmt.Fprint(a.stdout, r.Diff())
				return err
			case dir != "":
				return writeRendering(dir, r)
			default:
				_, err = a.stdout.Write(renderedStream(r))
				return err
			}
		},
	}
	addOverrideFlags(cmd)
	cmd.Flags().String("out", "", "write the changed files and lbplanner-new.yaml under this folder")
	cmd.Flags().Bool("diff", false, "print a unified diff against the input")
	return cmd
}

// renderedStream is every changed file and the new objects, each under a comment naming it.
func renderedStream(r *manifests.Rendering) []byte {
	var b bytes.Buffer
	for _, f := range r.Files {
		fmt.Fprintf(&b, "# %s\n", f.Name)
		b.Write(f.Data)
		if !bytes.HasSuffix(f.Data, []byte("\n")) {
			b.WriteByte('\n')
		}
	}
	if r.New != nil {
		fmt.Fprintf(&b, "# %s\n", manifests.NewFile)
		b.Write(r.New)
	}
	return b.Bytes()
}

// writeRendering writes each changed file under dir at its input path
// (relative paths kept, absolute ones by base name), and the new objects.
func writeRendering(dir string, r *manifests.Rendering) error {
	write := func(name string, data []byte) error {
		rel := name
		if filepath.IsAbs(rel) || strings.HasPrefix(filepath.Clean(rel), "..") {
			rel = filepath.Base(rel)
		}
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("render: %w", err)
		}
		return writeAtomic(path, bytesWriter(data))
	}
	for _, f := range r.Files {
		if err := write(f.Name, f.Data); err != nil {
			return err
		}
	}
	if r.New != nil {
		return write(manifests.NewFile, r.New)
	}
	return nil
}
