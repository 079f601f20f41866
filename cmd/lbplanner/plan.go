package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lbplanner/terraform-provider-lbplanner/compare"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
	"github.com/lbplanner/terraform-provider-lbplanner/report"
	"github.com/lbplanner/terraform-provider-lbplanner/whatif"
)

func addOverrideFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String("cloud", "", "override the declaration's cloud")
	f.String("region", "", "override the declaration's region")
	f.Int("zones", 0, "override the declaration's zones")
	f.StringSlice("strategies", nil, "override the declaration's strategies, e.g. alb,nginx (empty: none)")
	f.Bool("strict", false, "manifests: a route to a Service that is not in them is an error, not a warning")
	f.String("traffic", "", "manifests: a YAML file of traffic by namespace/name, e.g. shop/web: {requestsPerSecond: 200, gbPerMonth: 50}")
	f.Bool("replace-proxies", false, "plan the services of today's in-cluster proxies anew, as if they were gone, new proxies envoy-gateway (proxy.replaceToday): the move off them")
}

func (a *app) planCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plan FILE|-|MANIFESTS...",
		Short: "Plan the cheapest exposure of every declared service",
		Long: `Plans a declaration file (or standard input), or Kubernetes manifests: files and
folders of Services, Ingresses and Gateway API routes, read as lbplanner import
reads them (--cloud and --region say where they run).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format := a.v.GetString("output")
			if !slices.Contains(planFormats, format) {
				return fmt.Errorf("--output: want one of %s, got %q", strings.Join(planFormats, ", "), format)
			}
			d, name, err := a.readDeclaration(args)
			if err != nil {
				return err
			}
			cat, err := a.catalog()
			if err != nil {
				return err
			}
			if a.v.GetBool("discover") {
				ctx, cancel := a.netContext(cmd)
				defer cancel()
				if err := a.discoverInto(ctx, d, cat); err != nil {
					return err
				}
			}
			if factors := a.list("scale-traffic"); len(factors) > 0 {
				return a.whatIf(d, cat, factors, format, name)
			}
			if clouds := a.list("compare"); len(clouds) > 0 {
				return a.compare(d, clouds, cat, format, name)
			}
			p, err := planner.Compute(d, cat)
			if err != nil {
				return withFile(err, name)
			}
			a.warnPlan(p)
			if by := a.v.GetString("showback"); by != "" {
				return a.emitAs("table", p, func(w io.Writer) error { return report.Showback(w, p, by, labelsOf(d)) })
			}
			return a.emitPlan(format, p, d)
		},
	}
	addOverrideFlags(cmd)
	cmd.Flags().StringP("output", "o", "table", "output format: "+strings.Join(planFormats, ", ")+" (csv: FOCUS rows, one per cost line and service)")
	cmd.Flags().String("out", "", "write the output to this file (atomically) instead of standard output")
	cmd.Flags().StringSlice("scale-traffic", nil, "re-plan with every service's traffic multiplied by each factor, e.g. 0.5,2,10, with each shared service's break-even")
	cmd.Flags().String("showback", "", "roll the plan's money up by namespace, or by a label (label=team)")
	cmd.Flags().String("period", "", "-o csv: the month billed, YYYY-MM (default: the price catalog's month)")
	cmd.Flags().StringSlice("compare", nil, "plan the same services on these clouds side by side, e.g. aws,gcp,azure,baremetal")
	cmd.Flags().Bool("discover", false, "aws: read the region's load balancers (ELBv2) for today's exposure and orphans; gcp: count the project's forwarding rules")
	cmd.Flags().String("cluster", "", "with --discover on aws: only load balancers tagged for this cluster")
	cmd.Flags().Duration("timeout", DefaultTimeout, "how long the cloud API calls may take in all (LBPLANNER_TIMEOUT)")
	cmd.Flags().String("project", "", "with --discover on gcp: the GCP project")
	cmd.Flags().StringSlice("compare-regions", nil, "regions for --compare instead of the default mapping, e.g. gcp=europe-west1,azure=westeurope")
	return cmd
}

// list reads a comma-separated list setting (flag, LBPLANNER_* variable or config file).
func (a *app) list(key string) []string {
	var out []string
	for _, s := range a.v.GetStringSlice(key) {
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// compare plans the declaration on several clouds and writes them side by side.
func (a *app) compare(d *planner.Declaration, clouds []string, cat *pricing.Catalog, format, file string) error {
	regions, err := compare.ParseRegions(a.list("compare-regions"))
	if err != nil {
		return err
	}
	c, err := compare.Compare(d, clouds, regions, cat)
	if err != nil {
		return withFile(err, file)
	}
	switch format {
	case "markdown":
		return a.emitAs("table", c, func(w io.Writer) error { return report.CompareMarkdown(w, c) })
	case "csv", "html":
		return fmt.Errorf("--output %s is for one plan, not --compare (use table, json or markdown)", format)
	}
	return a.emitAs(format, c, func(w io.Writer) error { return report.CompareTable(w, c) })
}

// whatIf plans d at scaled traffic.
func (a *app) whatIf(d *planner.Declaration, cat *pricing.Catalog, specs []string, format, file string) error {
	factors, names, err := whatif.ParseFactors(specs)
	if err != nil {
		return err
	}
	r, err := whatif.Run(d, cat, factors, names)
	if err != nil {
		return withFile(err, file)
	}
	if format != "table" && format != "json" {
		return fmt.Errorf("--output %s is not for --scale-traffic (use table or json)", format)
	}
	return a.emitAs(format, r, func(w io.Writer) error { return report.WhatIfTable(w, r) })
}

// planFormats are the formats plan writes.
var planFormats = []string{"table", "json", "markdown", "csv", "html"}

// emitPlan writes a plan in one of planFormats.
func (a *app) emitPlan(format string, p *planner.Plan, d *planner.Declaration) error {
	write := map[string]func(io.Writer) error{
		"table":    func(w io.Writer) error { return report.Table(w, p) },
		"markdown": func(w io.Writer) error { return report.Markdown(w, p) },
		"csv": func(w io.Writer) error {
			return report.FOCUS(w, p, report.FOCUSOptions{Period: a.v.GetString("period"), Labels: labelsOf(d)})
		},
		"html": func(w io.Writer) error { return report.HTML(w, p, labelsOf(d)) },
	}
	if format == "json" {
		return a.emitAs(format, p, nil)
	}
	return a.emitAs("table", p, write[format])
}

// labelsOf are the declared services' labels by namespace/name.
func labelsOf(d *planner.Declaration) map[string]map[string]string {
	out := make(map[string]map[string]string, len(d.Services))
	for _, s := range d.Services {
		if len(s.Labels) > 0 {
			out[s.Key()] = s.Labels
		}
	}
	return out
}

// emitAs writes v as JSON, or as the table that table writes.
func (a *app) emitAs(format string, v any, table func(io.Writer) error) error {
	if format == "json" {
		return a.emitWith(func(w io.Writer) error { return report.WriteJSON(w, v) })
	}
	var buf bytes.Buffer
	if err := table(&buf); err != nil {
		return err
	}
	return a.emit(buf.Bytes())
}

func (a *app) validateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate FILE|-|MANIFESTS...",
		Short: "Parse and check a declaration (or manifests) without planning it",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, name, err := a.readDeclaration(args)
			if err != nil {
				return err
			}
			cat, err := a.catalog()
			if err != nil {
				return err
			}
			// everything plan would reject before optimising (the region's prices and infeasible pins included)
			if err := planner.Check(d, cat); err != nil {
				return withFile(err, name)
			}
			fmt.Fprintf(a.stdout, "%s: valid (%d services, %s %s)\n", name, len(d.Services), d.Cloud, d.Region)
			return nil
		},
	}
	addOverrideFlags(cmd)
	return cmd
}
