package main

import (
	"fmt"

	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/spf13/cobra"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing/awsprices"
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
			ctx, cancel := a.netContext(cmd)
			defer cancel()
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
	cmd.Flags().Duration("timeout", DefaultTimeout, "how long the cloud API calls may take in all (LBPLANNER_TIMEOUT)")
	cmd.Flags().StringSlice("region", nil, "AWS regions to refresh (default: every AWS region of the catalog)")
	return cmd
}
