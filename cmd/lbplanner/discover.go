package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	gcpcompute "cloud.google.com/go/compute/apiv1"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/spf13/cobra"
	"google.golang.org/api/option"

	"github.com/lbplanner/terraform-provider-lbplanner/discovery"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
	"github.com/lbplanner/terraform-provider-lbplanner/report"
)

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
				ctx, cancel := a.netContext(cmd)
				defer cancel()
				counts, err := a.gcpRules(ctx, region)
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
			ctx, cancel := a.netContext(cmd)
			defer cancel()
			inv, err := a.inventory(ctx, region, cat)
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
	cmd.Flags().Duration("timeout", DefaultTimeout, "how long the cloud API calls may take in all (LBPLANNER_TIMEOUT)")
	cmd.Flags().StringP("output", "o", "table", "output format: table or json")
	cmd.Flags().String("out", "", "write the output to this file (atomically) instead of standard output")
	return cmd
}
