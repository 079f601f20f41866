package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lbplanner/terraform-provider-lbplanner/costdiff"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/report"
)

// exitOver is diff's exit code when the increase is over --fail-over.
const exitOver = 3

// errOver reports an increase over --fail-over: exit code 3.
type errOver struct{ msg string }

func (e errOver) Error() string { return e.msg }

func (a *app) diffCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "diff BASE HEAD",
		Short: "What a change does to the plan and the monthly bill",
		Long: `Plans BASE and HEAD (two declaration files, or two manifest sets: a file or a
folder each) with the same settings and prints what changes per service and
load balancer and the monthly delta. With --fail-over AMOUNT or PERCENT% it
exits 3 when the increase is over it, for a CI gate.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			format := a.v.GetString("output")
			if format != "table" && format != "json" && format != "markdown" {
				return fmt.Errorf("--output: want table, json or markdown, got %q", format)
			}
			var limit *costdiff.Threshold
			if s := a.v.GetString("fail-over"); s != "" {
				t, err := costdiff.ParseThreshold(s)
				if err != nil {
					return err
				}
				limit = &t
			}
			plans := make([]*planner.Plan, 2)
			for i, path := range args {
				d, name, err := a.readDeclaration([]string{path})
				if err != nil {
					return err
				}
				cat, err := a.catalog()
				if err != nil {
					return err
				}
				if plans[i], err = planner.Compute(d, cat); err != nil {
					return withFile(err, name)
				}
			}
			d := costdiff.Compare(plans[0], plans[1])
			var err error
			switch format {
			case "markdown":
				err = a.emitAs("table", d, func(w io.Writer) error { return report.DiffMarkdown(w, d) })
			default:
				err = a.emitAs(format, d, func(w io.Writer) error { return report.DiffTable(w, d) })
			}
			if err != nil {
				return err
			}
			if limit != nil {
				if over, why := limit.Exceeds(d); over {
					return errOver{why}
				}
			}
			return nil
		},
	}
	addOverrideFlags(cmd)
	cmd.Flags().StringP("output", "o", "table", "output format: table, json or markdown (a pull-request comment)")
	cmd.Flags().String("out", "", "write the output to this file (atomically) instead of standard output")
	cmd.Flags().String("fail-over", "", "exit 3 when the monthly increase is over this amount (25) or percentage (10%)")
	return cmd
}
