package report

import (
	"bytes"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/lbplanner/terraform-provider-lbplanner/costdiff"
	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// DiffTable writes what a change does, for people: the monthly delta, then
// the services and load balancers that change.
func DiffTable(w io.Writer, d *costdiff.Diff) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "lbplanner diff: %s/month -> %s/month: %s%s\n\n", d.Base.Dollars(), d.Head.Dollars(), signed(d.Delta), percent(d))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tCHANGE\tBASE\tHEAD\tDELTA")
	for _, s := range d.Services {
		if s.Change != costdiff.Unchanged {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Service, s.Change, side(s.Base), side(s.Head), signed(s.Delta))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LOAD BALANCER\tKIND\tCHANGE\tBASE\tHEAD\tDELTA\tSERVICES")
	for _, l := range d.LoadBalancers {
		if l.Change != costdiff.Unchanged {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.ID, l.Kind, l.Change, l.Base.Dollars(), l.Head.Dollars(), signed(l.Delta), joined(l.Services))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// DiffMarkdown writes what a change does as a pull-request comment.
func DiffMarkdown(w io.Writer, d *costdiff.Diff) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "### lbplanner: %s a month%s\n\n| | Monthly |\n|---|---:|\n| Base | %s |\n| Head | %s |\n| **Delta** | **%s** |\n",
		signed(d.Delta), percent(d), d.Base.Dollars(), d.Head.Dollars(), signed(d.Delta))
	b.WriteString("\n| Service | Change | Base | Head | Delta |\n|---|---|---|---|---:|\n")
	n := 0
	for _, s := range d.Services {
		if s.Change != costdiff.Unchanged {
			n++
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", s.Service, s.Change, cell(side(s.Base)), cell(side(s.Head)), signed(s.Delta))
		}
	}
	if n == 0 {
		b.WriteString("| (no service changes) | | | | |\n")
	}
	b.WriteString("\n| Load balancer | Kind | Change | Base | Head | Delta | Services |\n|---|---|---|---:|---:|---:|---|\n")
	for _, l := range d.LoadBalancers {
		if l.Change != costdiff.Unchanged {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", l.ID, l.Kind, l.Change, l.Base.Dollars(), l.Head.Dollars(), signed(l.Delta), cell(joined(l.Services)))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func side(s *costdiff.Side) string {
	if s == nil {
		return "-"
	}
	return fmt.Sprintf("%s %s %s", s.Exposure, lbName(s.LoadBalancer), s.MonthlyCost.Dollars())
}

// signed is an amount with its sign: +$1.00, -$2.50, $0.00.
func signed(c money.Cents) string {
	if c > 0 {
		return "+" + c.Dollars()
	}
	return c.Dollars()
}

func percent(d *costdiff.Diff) string {
	if d.Percent == "" {
		return ""
	}
	if d.Delta > 0 {
		return " (+" + d.Percent + "%)"
	}
	return " (" + d.Percent + "%)"
}

func joined(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return fmt.Sprint(xs)
}
