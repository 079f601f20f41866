package report

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/lbplanner/terraform-provider-lbplanner/whatif"
)

// WhatIfTable writes a plan at scaled traffic: cost and load balancers per
// factor, each service's choice per factor, and the break-evens.
func WhatIfTable(w io.Writer, r *whatif.Result) error {
	var b bytes.Buffer
	b.WriteString("lbplanner what-if: every service's traffic multiplied by each factor\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TRAFFIC x\tMONTHLY\tLOAD BALANCERS\tOPTIMALITY")
	for _, s := range r.Scenarios {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", s.Factor, s.MonthlyCost.Dollars(), s.LoadBalancers, s.Optimality)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var keys []string
	for k := range r.Scenarios[0].Services {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b.WriteString("\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "SERVICE")
	for _, s := range r.Scenarios {
		fmt.Fprintf(tw, "\tx %s", s.Factor)
	}
	fmt.Fprintln(tw)
	for _, k := range keys {
		fmt.Fprint(tw, k)
		for _, s := range r.Scenarios {
			c := s.Services[k]
			fmt.Fprintf(tw, "\t%s %s %s", c.Exposure, lbName(c.LoadBalancer), c.MonthlyCost.Dollars())
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.BreakEven) > 0 {
		b.WriteString("\nbreak-even: the traffic (a multiple of its own) at which a shared service is cheaper on a load balancer of its own\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SERVICE\tSHARES\tTRAFFIC x\tOWN")
		for _, be := range r.BreakEven {
			f, own := be.Factor, be.OwnKind
			if f == "" {
				f, own = "never", "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", be.Service, be.LoadBalancer, f, own)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}
