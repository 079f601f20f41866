package main

import (
	"fmt"
	"os"

	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/spf13/cobra"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing/awsprices"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing/azureprices"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing/gcpprices"
	"github.com/lbplanner/terraform-provider-lbplanner/report"
)

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
			if a.v.GetBool("unverified") {
				list, err = cat.Unverified(a.v.GetString("cloud"), a.v.GetString("region"))
			}
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
	cmd.Flags().Bool("unverified", false, "only the prices not read from their source for their region (basis: copy, recollection or unverified)")
	cmd.Flags().StringP("output", "o", "table", "output format: table or json")
	cmd.AddCommand(a.refreshCmd())
	return cmd
}

func (a *app) refreshCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "refresh --out FILE",
		Short: "Write a catalog whose AWS (Price List API) or Azure (Retail Prices API) prices are read live",
		Long: `Reads the catalog (--catalog, or the embedded one), replaces every price of the
cloud that its API answers for with the live one (source: its SKU or meter id;
date: today), keeps the last good price of any it cannot read, and writes the
result atomically to --out. Use it with --catalog or LBPLANNER_CATALOG afterwards.
--cloud aws (default) reads the Price List API and needs AWS credentials (the usual
AWS_* variables, profiles or roles; AWS_ENDPOINT_URL_PRICING points it elsewhere).
--cloud gcp reads the Cloud Billing Catalog API (services.skus.list) with an API key
(LBPLANNER_GCP_API_KEY) or Application Default Credentials
(LBPLANNER_GCP_BILLING_ENDPOINT points it elsewhere), selecting each SKU by its
description, single service region, on-demand usage type and usage unit.
--cloud azure reads the public Azure Retail Prices API, no credentials
(LBPLANNER_AZURE_PRICES_ENDPOINT points it elsewhere), selecting each meter by its
exact service, product, SKU, meter name and region (Global for the Standard Load
Balancer's), consumption prices only.`,
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
			ctx, cancel := a.netContext(cmd)
			defer cancel()
			var res *refreshed
			switch cloud := a.v.GetString("cloud"); cloud {
			case "", "aws":
				cfg, err := awsConfig(ctx, "us-east-1")
				if err != nil {
					return err
				}
				r := &awsprices.Refresher{Client: awspricing.NewFromConfig(cfg), Now: now}
				got, err := r.Refresh(ctx, cat, a.list("region"))
				if err != nil {
					return err
				}
				res = &refreshed{got.Catalog, got.Updated, got.Failed, "the AWS Price List API"}
			case "azure":
				endpoint := os.Getenv(azureprices.EndpointEnv)
				r := &azureprices.Refresher{Endpoint: endpoint, Now: now}
				got, err := r.Refresh(ctx, cat, a.list("region"))
				if err != nil {
					return err
				}
				res = &refreshed{got.Catalog, got.Updated, got.Failed, "the Azure Retail Prices API"}
			case "gcp":
				c, err := gcpprices.NewClient(ctx, os.Getenv(gcpprices.EndpointEnv), os.Getenv(gcpprices.KeyEnv))
				if err != nil {
					return err
				}
				got, err := (&gcpprices.Refresher{Client: c, Now: now}).Refresh(ctx, cat, a.list("region"))
				if err != nil {
					return err
				}
				res = &refreshed{got.Catalog, got.Updated, got.Failed, "the Cloud Billing Catalog API"}
			default:
				return fmt.Errorf("--cloud: want aws, gcp or azure, got %q", cloud)
			}
			for _, f := range res.failed {
				fmt.Fprintf(a.stderr, "lbplanner: warning: kept the last good price: %v\n", f)
			}
			if len(res.updated) == 0 {
				return fmt.Errorf("no price could be read from %s; %s not written", res.from, out)
			}
			data, err := res.catalog.JSON()
			if err != nil {
				return err
			}
			if err := a.emit(data); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "lbplanner: %d prices refreshed, %d kept; wrote %s\n", len(res.updated), len(res.failed), out)
			return nil
		},
	}
	cmd.Flags().String("out", "", "catalog file to write (atomically)")
	cmd.Flags().Duration("timeout", DefaultTimeout, "how long the cloud API calls may take in all (LBPLANNER_TIMEOUT)")
	cmd.Flags().StringSlice("region", nil, "regions to refresh (default: every region of the cloud in the catalog)")
	cmd.Flags().String("cloud", "aws", "aws (the Price List API, with AWS credentials), gcp (the Cloud Billing Catalog API: "+gcpprices.KeyEnv+
		" or Application Default Credentials; "+gcpprices.EndpointEnv+" points it elsewhere) or azure (the public Retail Prices API; "+azureprices.EndpointEnv+" points it elsewhere)")
	return cmd
}

// refreshed is a refresh's outcome, whichever cloud it read.
type refreshed struct {
	catalog *pricing.Catalog
	updated []string
	failed  []error
	from    string
}
