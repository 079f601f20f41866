package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	gcpcompute "cloud.google.com/go/compute/apiv1"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
	"google.golang.org/api/option"

	"github.com/lbplanner/terraform-provider-lbplanner/compare"
	"github.com/lbplanner/terraform-provider-lbplanner/discovery"
	"github.com/lbplanner/terraform-provider-lbplanner/manifests"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing/awsprices"
	"github.com/lbplanner/terraform-provider-lbplanner/report"
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
	root.AddCommand(a.planCmd(), a.validateCmd(), a.importCmd(), a.pricesCmd(), a.discoverCmd(), a.versionCmd())
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
	if cfg != "" {
		v.SetConfigFile(cfg)
		if err := v.ReadInConfig(); err != nil {
			return fmt.Errorf("config %s: %w", cfg, err)
		}
	} else if _, err := os.Stat("lbplanner.yaml"); err == nil {
		v.SetConfigFile("lbplanner.yaml")
		if err := v.ReadInConfig(); err != nil {
			return fmt.Errorf("config lbplanner.yaml: %w", err)
		}
	}
	return nil
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
	name := srcs[0].Name
	var d *planner.Declaration
	var data []byte
	if len(srcs) > 1 || manifests.Looks(srcs[0].Data) {
		res, err := manifests.Read(srcs, manifests.Options{Cloud: a.v.GetString("cloud"), Region: a.v.GetString("region")})
		if err != nil {
			return nil, "", err
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(a.stderr, "lbplanner: warning: %s\n", w)
		}
		d = res.Declaration
		name = strings.Join(paths, ", ")
	} else {
		data = srcs[0].Data
		if d, err = planner.ParseRaw(data, name); err != nil {
			return nil, "", err
		}
	}
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
		d.Strategies = []string{}
		for _, s := range v.GetStringSlice("strategies") {
			for _, part := range strings.Split(s, ",") {
				if part = strings.TrimSpace(part); part != "" {
					d.Strategies = append(d.Strategies, part)
				}
			}
		}
	}
	if data != nil {
		err = planner.ValidateFile(d, data, name)
	} else {
		err = withFile(planner.Validate(d), name)
	}
	if err != nil {
		return nil, "", err
	}
	return d, name, nil
}

// readSources reads the named files, the YAML and JSON files under named
// folders (sorted), or standard input for "-".
func (a *app) readSources(paths []string) ([]manifests.Source, error) {
	var srcs []manifests.Source
	for _, p := range paths {
		if p == "-" {
			data, err := io.ReadAll(a.stdin)
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
			data, err := os.ReadFile(p)
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
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", f, err)
			}
			srcs = append(srcs, manifests.Source{Name: f, Data: data})
		}
	}
	return srcs, nil
}

func addOverrideFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String("cloud", "", "override the declaration's cloud")
	f.String("region", "", "override the declaration's region")
	f.Int("zones", 0, "override the declaration's zones")
	f.StringSlice("strategies", nil, "override the declaration's strategies, e.g. alb,nginx (empty: none)")
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
			if format != "table" && format != "json" {
				return fmt.Errorf("--output: want table or json, got %q", format)
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
				if err := a.discoverInto(cmd.Context(), d, cat); err != nil {
					return err
				}
			}
			if clouds := a.list("compare"); len(clouds) > 0 {
				return a.compare(d, clouds, cat, format, name)
			}
			p, err := planner.Compute(d, cat)
			if err != nil {
				return withFile(err, name)
			}
			var out []byte
			if format == "json" {
				out, err = report.JSON(p)
			} else {
				var sb strings.Builder
				err = report.Table(&sb, p)
				out = []byte(sb.String())
			}
			if err != nil {
				return err
			}
			return a.emit(out)
		},
	}
	addOverrideFlags(cmd)
	cmd.Flags().StringP("output", "o", "table", "output format: table or json")
	cmd.Flags().String("out", "", "write the output to this file (atomically) instead of standard output")
	cmd.Flags().StringSlice("compare", nil, "plan the same services on these clouds side by side, e.g. aws,gcp,azure")
	cmd.Flags().Bool("discover", false, "aws: read the region's load balancers (ELBv2) for today's exposure and orphans; gcp: count the project's forwarding rules")
	cmd.Flags().String("cluster", "", "with --discover on aws: only load balancers tagged for this cluster")
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
	var out []byte
	if format == "json" {
		out, err = report.JSON(c)
	} else {
		var sb strings.Builder
		err = report.CompareTable(&sb, c)
		out = []byte(sb.String())
	}
	if err != nil {
		return err
	}
	return a.emit(out)
}

// emit writes to --out atomically (a temporary file renamed into place) or to standard output.
func (a *app) emit(out []byte) error {
	path := a.v.GetString("out")
	if path == "" {
		_, err := a.stdout.Write(out)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(out)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
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
			if _, err := cat.Region(d.Cloud, d.Region); err != nil {
				return withFile(&planner.FieldError{Index: -1, Field: "region", Msg: err.Error()}, name)
			}
			fmt.Fprintf(a.stdout, "%s: valid (%d services, %s %s)\n", name, len(d.Services), d.Cloud, d.Region)
			return nil
		},
	}
	addOverrideFlags(cmd)
	return cmd
}

func (a *app) importCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import MANIFESTS...",
		Short: "Write the declaration lbplanner reads from Kubernetes manifests",
		Long: `Reads Kubernetes manifests (files and folders; multi-document YAML, JSON, List
objects) and prints the declaration plan would use, to review or edit:

  - one service per Service (ExternalName Services are skipped), its first port;
  - protocol from the Ingresses and Gateway API routes that reach it (HTTPS for TLS
    hosts, GRPC from backend-protocol annotations and GRPCRoutes), else from its
    ports (UDP, or a single port named or appProtocol http, https, grpc);
  - hosts and paths from those routes;
  - audience and current exposure from its type (LoadBalancer, NodePort), the
    internal-scheme annotations of AWS, GKE and AKS, and being routed to;
  - needs: clientIP from externalTrafficPolicy Local, staticIP from reserved
    addresses, tlsPassthrough from TLSRoutes and ssl-passthrough;
  - traffic, latency budget, needs, audience, pin, protocol and certificate from
    the annotations lbplanner.io/requests-per-second, new-connections-per-second,
    active-connections, gb-per-month, latency-budget-ms, needs, audience, pin,
    protocol and certificate.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			srcs, err := a.readSources(args)
			if err != nil {
				return err
			}
			res, err := manifests.Read(srcs, manifests.Options{Cloud: a.v.GetString("cloud"), Region: a.v.GetString("region")})
			if err != nil {
				return err
			}
			for _, w := range res.Warnings {
				fmt.Fprintf(a.stderr, "lbplanner: warning: %s\n", w)
			}
			var out []byte
			switch format := a.v.GetString("output"); format {
			case "json":
				out, err = report.JSON(res.Declaration)
			case "yaml":
				var buf bytes.Buffer
				fmt.Fprintf(&buf, "# lbplanner declaration read from %s\n", strings.Join(args, ", "))
				enc := yaml.NewEncoder(&buf)
				enc.SetIndent(2)
				if err = enc.Encode(res.Declaration); err == nil {
					err = enc.Close()
				}
				out = buf.Bytes()
			default:
				return fmt.Errorf("--output: want yaml or json, got %q", format)
			}
			if err != nil {
				return err
			}
			return a.emit(out)
		},
	}
	cmd.Flags().String("cloud", "", "cloud the manifests run on (default: inferred from provider annotations)")
	cmd.Flags().String("region", "", "region the manifests run in")
	cmd.Flags().StringP("output", "o", "yaml", "output format: yaml or json")
	cmd.Flags().String("out", "", "write the declaration to this file (atomically) instead of standard output")
	return cmd
}

func (a *app) pricesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "prices",
		Short: "List the price catalog, with source and date per price",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := a.catalog()
			if err != nil {
				return err
			}
			list, err := cat.List(a.v.GetString("cloud"), a.v.GetString("region"))
			if err != nil {
				return err
			}
			switch format := a.v.GetString("output"); format {
			case "json":
				out, err := report.JSON(map[string]any{"catalog": cat.Name(), "date": cat.Date, "prices": list})
				if err != nil {
					return err
				}
				_, err = a.stdout.Write(out)
				return err
			case "table":
				fmt.Fprintf(a.stdout, "%s, dated %s\n", cat.Name(), cat.Date)
				return report.Prices(a.stdout, list)
			default:
				return fmt.Errorf("--output: want table or json, got %q", format)
			}
		},
	}
	cmd.Flags().String("cloud", "", "only this cloud")
	cmd.Flags().String("region", "", "only this region")
	cmd.Flags().StringP("output", "o", "table", "output format: table or json")
	cmd.AddCommand(a.refreshCmd())
	return cmd
}

func (a *app) refreshCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "refresh --out FILE",
		Short: "Write a catalog whose AWS prices are read live from the AWS Price List API",
		Long: `Reads the catalog (--catalog, or the embedded one), replaces every AWS price the
Price List API answers for with the live one (source: its SKU; date: today), keeps
the last good price of any it cannot read, and writes the result atomically to
--out. Use it with --catalog or LBPLANNER_CATALOG afterwards. Needs AWS credentials
(the usual AWS_* variables, profiles or roles); AWS_ENDPOINT_URL_PRICING points it
at another endpoint.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := a.v.GetString("out")
			if out == "" {
				return fmt.Errorf("--out: name the catalog file to write")
			}
			cat, err := a.catalog()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			cfg, err := awsConfig(ctx, "us-east-1")
			if err != nil {
				return err
			}
			r := &awsprices.Refresher{Client: awspricing.NewFromConfig(cfg), Now: now}
			res, err := r.Refresh(ctx, cat, a.list("region"))
			if err != nil {
				return err
			}
			for _, f := range res.Failed {
				fmt.Fprintf(a.stderr, "lbplanner: warning: kept the last good price: %v\n", f)
			}
			if len(res.Updated) == 0 {
				return fmt.Errorf("no price could be read from the AWS Price List API; %s not written", out)
			}
			data, err := res.Catalog.JSON()
			if err != nil {
				return err
			}
			if err := a.emit(data); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "lbplanner: %d prices refreshed, %d kept; wrote %s\n", len(res.Updated), len(res.Failed), out)
			return nil
		},
	}
	cmd.Flags().String("out", "", "catalog file to write (atomically)")
	cmd.Flags().StringSlice("region", nil, "AWS regions to refresh (default: every AWS region of the catalog)")
	return cmd
}

// awsConfig loads the AWS SDK configuration (credentials, AWS_ENDPOINT_URL_*) for a region.
func awsConfig(ctx context.Context, region string) (aws.Config, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return aws.Config{}, fmt.Errorf("AWS configuration: %w", err)
	}
	return cfg, nil
}

// inventory discovers the load balancers of a region.
func (a *app) inventory(ctx context.Context, region string, cat *pricing.Catalog) (*discovery.Inventory, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	rp, err := cat.Region("aws", region)
	if err != nil {
		return nil, err
	}
	cfg, err := awsConfig(ctx, region)
	if err != nil {
		return nil, err
	}
	return discovery.AWS(ctx, elbv2.NewFromConfig(cfg), rp, planner.Q(planner.DefaultHoursPerMonth), a.v.GetString("cluster"))
}

// gcpRules counts a GCP project's forwarding rules (global, and in region).
func (a *app) gcpRules(ctx context.Context, region string) (planner.ForwardingRules, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	project := a.v.GetString("project")
	if project == "" {
		return planner.ForwardingRules{}, fmt.Errorf("--project: name the GCP project to read")
	}
	var opts []option.ClientOption
	if ep := a.v.GetString("gcp-endpoint"); ep != "" {
		opts = append(opts, option.WithEndpoint(ep), option.WithoutAuthentication())
	}
	client, err := gcpcompute.NewForwardingRulesRESTClient(ctx, opts...)
	if err != nil {
		return planner.ForwardingRules{}, fmt.Errorf("GCP client: %w", err)
	}
	defer client.Close()
	return discovery.GCPForwardingRules(ctx, client, project, region)
}

// discoverInto fills what the cloud can tell about today: on AWS, the services
// that have a load balancer of their own (and orphans); on GCP, the project's
// forwarding rules, on top of which the plan's rules are priced.
func (a *app) discoverInto(ctx context.Context, d *planner.Declaration, cat *pricing.Catalog) error {
	switch d.Cloud {
	case "gcp":
		counts, err := a.gcpRules(ctx, d.Region)
		if err != nil {
			return err
		}
		d.ExistingForwardingRules = &counts
		fmt.Fprintf(a.stderr, "lbplanner: project %s has %d global and %d %s forwarding rules\n", a.v.GetString("project"), counts.Global, counts.Regional, d.Region)
		return nil
	case "aws":
	default:
		return fmt.Errorf("--discover reads AWS load balancers or GCP forwarding rules; the plan is for %s", d.Cloud)
	}
	inv, err := a.inventory(ctx, d.Region, cat)
	if err != nil {
		return err
	}
	for _, lb := range discovery.Apply(inv, d) {
		fmt.Fprintf(a.stderr, "lbplanner: warning: load balancer %s (%s) serves Service %s, which the plan does not declare: at least %s/month\n",
			lb.Name, lb.Kind, lb.Service, lb.MonthlyFloor.Dollars())
	}
	return nil
}

func (a *app) discoverCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "discover --region R [--cloud gcp --project P]",
		Short: "List a region's AWS load balancers (owners, monthly floor), or count a GCP project's forwarding rules",
		Long: `Reads the region's ALBs and NLBs (Elastic Load Balancing v2) and their tags: the
Service or IngressGroup that owns each (AWS Load Balancer Controller and in-tree
provider tags), the cluster, and the least each costs a month (hours, and a public
IPv4 address per zone when internet-facing). Needs AWS credentials;
AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 points it elsewhere.

With --cloud gcp --project P it counts the project's forwarding rules, global and
in the region, which the tiered forwarding-rule prices start from (Application
Default Credentials; LBPLANNER_GCP_ENDPOINT points it elsewhere).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			region := a.v.GetString("region")
			if region == "" {
				return fmt.Errorf("--region: name the region to read")
			}
			if cloud := a.v.GetString("cloud"); cloud == "gcp" {
				counts, err := a.gcpRules(cmd.Context(), region)
				if err != nil {
					return err
				}
				if a.v.GetString("output") == "json" {
					out, err := report.JSON(map[string]any{"project": a.v.GetString("project"), "region": region, "existingForwardingRules": counts})
					if err != nil {
						return err
					}
					return a.emit(out)
				}
				return a.emit([]byte(fmt.Sprintf("project %s: %d global and %d %s forwarding rules\n(declare them as existingForwardingRules: {global: %d, regional: %d}, or plan with --discover --project %s)\n",
					a.v.GetString("project"), counts.Global, counts.Regional, region, counts.Global, counts.Regional, a.v.GetString("project"))))
			} else if cloud != "" && cloud != "aws" {
				return fmt.Errorf("--cloud: discover reads aws load balancers or gcp forwarding rules, not %s", cloud)
			}
			cat, err := a.catalog()
			if err != nil {
				return err
			}
			inv, err := a.inventory(cmd.Context(), region, cat)
			if err != nil {
				return err
			}
			switch format := a.v.GetString("output"); format {
			case "json":
				out, err := report.JSON(inv)
				if err != nil {
					return err
				}
				return a.emit(out)
			case "table":
				var sb strings.Builder
				tw := tabwriter.NewWriter(&sb, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tKIND\tSCHEME\tZONES\tOWNER\tCLUSTER\tMONTHLY FLOOR")
				for _, lb := range inv.LoadBalancers {
					owner := "-"
					switch {
					case lb.Service != "":
						owner = "Service " + lb.Service
					case lb.IngressGroup != "":
						owner = "IngressGroup " + lb.IngressGroup
					}
					cluster := lb.Cluster
					if cluster == "" {
						cluster = "-"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", lb.Name, lb.Kind, lb.Scheme, lb.Zones, owner, cluster, lb.MonthlyFloor.Dollars())
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(&sb, "\n%d load balancers in %s, at least %s/month before usage\n", len(inv.LoadBalancers), region, inv.MonthlyFloor.Dollars())
				return a.emit([]byte(sb.String()))
			default:
				return fmt.Errorf("--output: want table or json, got %q", format)
			}
		},
	}
	cmd.Flags().String("region", "", "region to read")
	cmd.Flags().String("cloud", "aws", "aws or gcp")
	cmd.Flags().String("project", "", "gcp: the project")
	cmd.Flags().String("cluster", "", "aws: only load balancers tagged for this cluster")
	cmd.Flags().StringP("output", "o", "table", "output format: table or json")
	cmd.Flags().String("out", "", "write the output to this file (atomically) instead of standard output")
	return cmd
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
