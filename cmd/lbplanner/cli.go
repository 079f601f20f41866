package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cast"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/lbplanner/terraform-provider-lbplanner/heapprep"
	"github.com/lbplanner/terraform-provider-lbplanner/input"
	"github.com/lbplanner/terraform-provider-lbplanner/manifests"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// now is the clock used for the catalog staleness warning.
var now = time.Now

// run executes the CLI and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		fmt.Fprintf(stderr, "lbplanner: %v\n", err)
		var over errOver
		if errors.As(err, &over) {
			return exitOver
		}
		return 1
	}
	return 0
}

type app struct {
	v      *viper.Viper
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	a := &app{v: viper.New(), stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "lbplanner",
		Short: "Plan how Kubernetes services are exposed, and what it costs",
		Long: `lbplanner chooses for each declared service between ClusterIP, NodePort, a
LoadBalancer of its own and a shared Ingress, to minimise load-balancer spend
while honouring protocol, audience, latency budget and isolation needs.

Settings come from flags, LBPLANNER_* environment variables (LBPLANNER_REGION,
LBPLANNER_CATALOG, ...) and an optional lbplanner.yaml, in that order.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.loadConfig(cmd)
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().String("config", "", "config file (default: lbplanner.yaml in the working directory, if present)")
	root.PersistentFlags().String("catalog", "", "price catalog file in the embedded catalog's JSON format (default: the embedded catalog)")
	root.AddCommand(a.planCmd(), a.validateCmd(), a.importCmd(), a.renderCmd(), a.pricesCmd(), a.discoverCmd(), a.diffCmd(), a.versionCmd())
	return root
}

// loadConfig wires flags, LBPLANNER_* variables and the config file into viper.
func (a *app) loadConfig(cmd *cobra.Command) error {
	v := a.v
	v.SetEnvPrefix("LBPLANNER")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.AutomaticEnv()
	if err := v.BindPFlags(cmd.Flags()); err != nil {
		return err
	}
	cfg, _ := cmd.Flags().GetString("config")
	if cfg == "" {
		cfg = os.Getenv("LBPLANNER_CONFIG")
	}
	if cfg == "" {
		if _, err := os.Stat("lbplanner.yaml"); err == nil {
			cfg = "lbplanner.yaml"
		}
	}
	if cfg != "" {
		v.SetConfigFile(cfg)
		if err := v.ReadInConfig(); err != nil {
			return fmt.Errorf("config %s: %w", cfg, err)
		}
		if err := checkConfigKeys(cmd, v, cfg); err != nil {
			return err
		}
	}
	return a.checkSettings(cmd)
}

// checkConfigKeys rejects settings in the config file that no command has.
func checkConfigKeys(cmd *cobra.Command, v *viper.Viper, file string) error {
	known := map[string]bool{}
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
		c.PersistentFlags().VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(cmd.Root())
	cfg := viper.New()
	cfg.SetConfigFile(file)
	if err := cfg.ReadInConfig(); err != nil {
		return fmt.Errorf("config %s: %w", file, err)
	}
	var unknown []string
	for _, k := range cfg.AllKeys() {
		if !known[strings.SplitN(k, ".", 2)[0]] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("config %s: unknown setting %s (settings are the commands' flag names, e.g. region, output, zones)", file, strings.Join(unknown, ", "))
	}
	return nil
}

// checkSettings checks the typed settings a command has, wherever they
// come from, and names that place when one is wrong.
func (a *app) checkSettings(cmd *cobra.Command) error {
	for _, key := range []string{"zones", "timeout", "replace-proxies"} {
		f := cmd.Flags().Lookup(key)
		if f == nil || !a.v.IsSet(key) {
			continue
		}
		raw := a.v.Get(key)
		var err error
		switch f.Value.Type() {
		case "int":
			_, err = cast.ToIntE(raw)
			switch x := raw.(type) {
			case string:
				if err == nil {
					_, err = strconv.Atoi(strings.TrimSpace(x))
				}
			case float64:
				if x != float64(int64(x)) {
					err = fmt.Errorf("not whole")
				}
			}
		case "duration":
			_, err = cast.ToDurationE(raw)
		case "bool":
			_, err = cast.ToBoolE(raw)
		}
		if err != nil {
			return fmt.Errorf("%s: %q is not a valid %s", a.source(cmd, key), fmt.Sprint(raw), f.Value.Type())
		}
	}
	return nil
}

// source names where a setting's value comes from: its flag, its LBPLANNER_
// variable or the config file.
func (a *app) source(cmd *cobra.Command, key string) string {
	env := "LBPLANNER_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
	switch {
	case cmd.Flags().Changed(key):
		return "--" + key
	case os.Getenv(env) != "":
		return env
	case a.v.ConfigFileUsed() != "":
		return a.v.ConfigFileUsed() + ": " + key
	}
	return key
}

func (a *app) catalog() (*pricing.Catalog, error) {
	var (
		cat *pricing.Catalog
		err error
	)
	if path := a.v.GetString("catalog"); path != "" {
		cat, err = pricing.Load(path)
	} else {
		cat, err = pricing.Default()
	}
	if err != nil {
		return nil, err
	}
	if cat.Future(now()) {
		fmt.Fprintf(a.stderr, "lbplanner: warning: price catalog %s is dated %s, in the future: check the catalog and the clock\n", cat.Name(), cat.Date)
	}
	if stale, days := cat.Stale(now()); stale {
		fmt.Fprintf(a.stderr, "lbplanner: warning: price catalog %s is %d days old (dated %s); refresh it\n", cat.Name(), days, cat.Date)
	}
	return cat, nil
}

// readDeclaration reads a declaration (FILE, or standard input "-") or
// Kubernetes manifests (files and folders of them), and applies overrides.
func (a *app) readDeclaration(paths []string) (*planner.Declaration, string, error) {
	srcs, err := a.readSources(paths)
	if err != nil {
		return nil, "", err
	}
	d, _, name, err := a.declarationFrom(srcs, paths)
	return d, name, err
}

// declarationFrom is readDeclaration on sources already read; for manifests it
// also returns what reading them found.
func (a *app) declarationFrom(srcs []manifests.Source, paths []string) (*planner.Declaration, *manifests.Result, string, error) {
	var err error
	var res *manifests.Result
	name := srcs[0].Name
	var d *planner.Declaration
	var data []byte
	if len(srcs) > 1 || manifests.Looks(srcs[0].Data) {
		opts, err := a.manifestOptions()
		if err != nil {
			return nil, nil, "", err
		}
		res, err = manifests.Read(srcs, opts)
		if err != nil {
			return nil, nil, "", err
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(a.stderr, "lbplanner: warning: %s\n", w)
		}
		d = res.Declaration
		name = strings.Join(paths, ", ")
	} else {
		data = srcs[0].Data
		if d, err = planner.ParseRaw(data, name); err != nil {
			return nil, nil, "", err
		}
	}
	heapprep.Pace(len(d.Services))
	v := a.v
	if v.IsSet("cloud") {
		d.Cloud = v.GetString("cloud")
	}
	if v.IsSet("region") {
		d.Region = v.GetString("region")
	}
	if v.IsSet("zones") {
		d.Zones = v.GetInt("zones")
	}
	if v.IsSet("strategies") {
		d.Strategies = append([]string{}, a.list("strategies")...) // set but empty: no sharing
	}
	if v.GetBool("replace-proxies") {
		if d.Proxy == nil {
			d.Proxy = &planner.ProxySizing{}
		}
		d.Proxy.ReplaceToday = true
	}
	if data != nil && v.GetString("traffic") != "" {
		if err := a.applyTraffic(d); err != nil {
			return nil, nil, "", err
		}
	}
	if data != nil {
		err = planner.ValidateFile(d, data, name)
	} else {
		err = withFile(planner.Validate(d), name)
	}
	if err != nil {
		return nil, nil, "", err
	}
	return d, res, name, nil
}

// DefaultTimeout bounds every command's calls to a cloud API (--timeout).
const DefaultTimeout = 2 * time.Minute

// netContext is the context of a command's cloud API calls: it ends after
// --timeout (LBPLANNER_TIMEOUT), so that an endpoint that never answers, or
// pages forever, cannot hang the command.
func (a *app) netContext(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	d := a.v.GetDuration("timeout")
	if d <= 0 {
		d = DefaultTimeout
	}
	return context.WithTimeout(ctx, d)
}

// manifestOptions are the settings manifests are read with: --cloud,
// --region, --strict and --traffic FILE.
func (a *app) manifestOptions() (manifests.Options, error) {
	opts := manifests.Options{Cloud: a.v.GetString("cloud"), Region: a.v.GetString("region"), Strict: a.v.GetBool("strict")}
	if path := a.v.GetString("traffic"); path != "" {
		data, err := input.ReadFile(path)
		if err != nil {
			return opts, fmt.Errorf("--traffic: %w", err)
		}
		if opts.Traffic, err = manifests.ParseTraffic(data, path); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

// applyTraffic sets the traffic of declared services from --traffic FILE.
func (a *app) applyTraffic(d *planner.Declaration) error {
	opts, err := a.manifestOptions()
	if err != nil {
		return err
	}
	index := map[string]int{}
	for i := range d.Services {
		index[d.Services[i].Key()] = i
	}
	for key, t := range opts.Traffic {
		i, ok := index[key]
		if !ok {
			return fmt.Errorf("--traffic: %s is not a declared service", key)
		}
		d.Services[i].Traffic = t
	}
	return nil
}

// readSources reads the named files, the YAML and JSON files under named
// folders (sorted), or standard input for "-".
func (a *app) readSources(paths []string) ([]manifests.Source, error) {
	heapprep.Prepare(fileBytes(paths)) // before reading, so that the input too lands on huge pages
	var srcs []manifests.Source
	for _, p := range paths {
		if p == "-" {
			data, err := input.Read(a.stdin, "<stdin>")
			if err != nil {
				return nil, fmt.Errorf("read standard input: %w", err)
			}
			srcs = append(srcs, manifests.Source{Name: "<stdin>", Data: data})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read declaration: %w", err)
		}
		if !info.IsDir() {
			data, err := input.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("read declaration: %w", err)
			}
			srcs = append(srcs, manifests.Source{Name: p, Data: data})
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(path string, e os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
				if !e.IsDir() {
					files = append(files, path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s has no .yaml, .yml or .json files", p)
		}
		sort.Strings(files)
		for _, f := range files {
			data, err := input.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", f, err)
			}
			srcs = append(srcs, manifests.Source{Name: f, Data: data})
		}
	}
	var total int64
	for _, s := range srcs {
		total += int64(len(s.Data))
	}
	heapprep.Prepare(total) // standard input and folders are sized once read
	return srcs, nil
}

// fileBytes is the size of the regular files among paths.
func fileBytes(paths []string) int64 {
	var n int64
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
			n += info.Size()
		}
	}
	return n
}

// emit writes to --out atomically (a temporary file renamed into place) or to standard output.
func (a *app) emit(out []byte) error { return a.emitWith(bytesWriter(out)) }

// bytesWriter writes data, for emitWith and writeAtomic.
func bytesWriter(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}

// emitWith writes what write produces to standard output, or whole or not at
// all to --out.
func (a *app) emitWith(write func(io.Writer) error) error {
	path := a.v.GetString("out")
	if path == "" {
		return write(a.stdout)
	}
	return writeAtomic(path, write)
}

// withFile adds the file name to planner errors that lack one.
func withFile(err error, file string) error {
	if err == nil {
		return nil
	}
	var es planner.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			if e.File == "" {
				e.File = file
			}
		}
		return es
	}
	var fe *planner.FieldError
	if errors.As(err, &fe) && fe.File == "" {
		fe.File = file
		return fe
	}
	return fmt.Errorf("%s: %w", file, err)
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(a.stdout, "lbplanner %s\n", version)
			return nil
		},
	}
}

// warnPlan prints the plan's warnings (a retired proxy, an alias) to standard error.
func (a *app) warnPlan(p *planner.Plan) {
	for _, w := range p.Warnings {
		fmt.Fprintf(a.stderr, "lbplanner: warning: %s\n", w)
	}
}
