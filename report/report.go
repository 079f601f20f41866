// Package report renders plans and price lists for people (tables) and
// programs (JSON). Rendering is deterministic: the same plan gives the same bytes.
package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/lbplanner/terraform-provider-lbplanner/compare"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Table writes a plan for people: a line per service, a block per load
// balancer with its itemised costs, then the totals.
func Table(w io.Writer, p *planner.Plan) error {
	var buf bytes.Buffer
	where := fmt.Sprintf("%s %s, %d zones", p.Cloud, p.Region, p.Zones)
	if !planner.HasZones(p.Cloud) {
		where = p.Cloud + " " + p.Region
	}
	fmt.Fprintf(&buf, "lbplanner plan: %s, %s hours/month (%s)\n\n", where, p.HoursPerMonth, p.Optimality)
	chains := false // a chain column only where services call others
	for _, s := range p.Services {
		chains = chains || len(s.CriticalChain) > 0
	}
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	chainHead := ""
	if chains {
		chainHead = "CHAIN MS\t"
	}
	fmt.Fprintf(tw, "SERVICE\tEXPOSURE\tLOAD BALANCER\tPATH\tADDED MS\t%sMONTHLY\tREASON\n", chainHead)
	for _, s := range p.Services {
		lb := "-"
		if s.LoadBalancer != nil {
			lb = *s.LoadBalancer
		}
		chain := ""
		if chains {
			chain = s.ChainLatencyMs.String() + "\t"
		}
		fmt.Fprintf(tw, "%s/%s\t%s\t%s\t%s\t%s\t%s%s\t%s\n", s.Namespace, s.Name, s.Exposure, lb, s.Path, s.AddedLatencyMs, chain, s.MonthlyCost.Dollars(), s.Reason)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if chains {
		buf.WriteString("\ncritical chains (the slowest chain of calls, every hop named):\n")
		for _, s := range p.Services {
			if len(s.CriticalChain) > 0 {
				fmt.Fprintf(&buf, "  %s/%s  %s ms: %s\n", s.Namespace, s.Name, s.ChainLatencyMs, strings.Join(s.CriticalChain, " => "))
			}
		}
	}
	for _, lb := range p.LoadBalancers {
		fmt.Fprintf(&buf, "\n%s  (%s, %s, %s)  %s/month\n", lb.ID, lb.Kind, lb.Strategy, lb.Scheme, lb.MonthlyCost.Dollars())
		fmt.Fprintf(&buf, "  services: %s\n", strings.Join(lb.Services, ", "))
		if len(lb.RuleOrder) > 0 {
			fmt.Fprintf(&buf, "  rule order (first match): %s\n", strings.Join(lb.RuleOrder, ", "))
		}
		if q := lb.Quotas; q != nil {
			used := func(n, limit int) string {
				if limit > 0 {
					return fmt.Sprintf("%d/%d", n, limit)
				}
				return strconv.Itoa(n)
			}
			fmt.Fprintf(&buf, "  quotas used: rules %s, certificates %s, backends %s, listeners %s\n",
				used(q.Rules, q.Limits.Rules), used(q.Certificates, q.Limits.Certificates), used(q.TargetGroups, q.Limits.TargetGroups), used(q.Listeners, q.Limits.Listeners))
		}
		if r := lb.RuleEvaluations; r != nil {
			fmt.Fprintf(&buf, "  rule evaluations: %s/s by position (priced); %s/s if every request processed every rule (AWS's worst case): %s/month\n",
				r.PerSecond, r.WorstCasePerSecond, r.WorstCaseMonthlyCost.Dollars())
		}
		if lb.SplitReason != "" {
			fmt.Fprintf(&buf, "  %s\n", lb.SplitReason)
		}
		if len(lb.RulesBilledIn) > 0 {
			fmt.Fprintf(&buf, "  its rules are billed in %s\n", strings.Join(lb.RulesBilledIn, ", "))
		}
		tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
		for _, c := range lb.Costs {
			fmt.Fprintf(tw, "  %s\t%s %s\tx $%s\t= %s\t\n", c.Name, c.Quantity, c.Unit, c.UnitPrice, c.MonthlyCost.Dollars())
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	t := p.Totals
	fmt.Fprintf(&buf, "\nTOTAL          %s/month\n", t.MonthlyCost.Dollars())
	fmt.Fprintf(&buf, "baseline       %s/month (a LoadBalancer Service per externally reachable service); savings %s\n", t.BaselineMonthlyCost.Dollars(), t.SavingsVsBaseline.Dollars())
	if t.CurrentMonthlyCost != nil {
		fmt.Fprintf(&buf, "current        %s/month; savings %s\n", t.CurrentMonthlyCost.Dollars(), t.SavingsVsCurrent.Dollars())
	}
	if t.IncreaseForcedBy != "" {
		fmt.Fprintf(&buf, "costs more than today: %s\n", t.IncreaseForcedBy)
	}
	for _, o := range p.Opportunities {
		fmt.Fprintf(&buf, "opportunity    %s: saves %s/month\n", o.Action, o.MonthlySaving.Dollars())
	}
	fmt.Fprintf(&buf, "prices: %s dated %s, USD list prices; sources per line in -o json\n", p.Pricing.Catalog, p.Pricing.CatalogDate)
	_, err := w.Write(buf.Bytes())
	return err
}

// Prices writes catalog entries as a table.
func Prices(w io.Writer, prices []pricing.Price) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLOUD\tREGION\tITEM\tPRICE (USD)\tUNIT\tDATE\tSOURCE")
	for _, p := range prices {
		src := p.Source
		if p.Note != "" {
			src += " [" + p.Note + "]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Cloud, p.Region, p.Item, p.Price, p.Unit, p.Date, src)
	}
	return tw.Flush()
}

// CompareTable writes a comparison for people: a line per cloud with its
// totals, then a line per service with its exposure and share on each cloud.
func CompareTable(w io.Writer, c *compare.Comparison) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "lbplanner compare: %s\n\n", strings.Join(c.Clouds, ", "))
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLOUD\tREGION\tMONTHLY\tBASELINE\tSAVINGS\tLOAD BALANCERS\tOPTIMALITY")
	for _, s := range c.Summary {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", s.Cloud, s.Region, s.MonthlyCost.Dollars(), s.BaselineMonthlyCost.Dollars(), s.SavingsVsBaseline.Dollars(), s.LoadBalancers, s.Optimality)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	buf.WriteString("\n")
	tw = tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	header := "SERVICE"
	for _, cloud := range c.Clouds {
		header += "\t" + strings.ToUpper(cloud)
	}
	fmt.Fprintln(tw, header)
	for _, s := range c.Services {
		line := s.Namespace + "/" + s.Name
		for _, cloud := range c.Clouds {
			sc := s.Clouds[cloud]
			lb := "-"
			if sc.LoadBalancer != nil {
				lb = *sc.LoadBalancer
			}
			line += fmt.Sprintf("\t%s %s %s", sc.Exposure, lb, sc.MonthlyCost.Dollars())
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	buf.WriteString("\nregions: ")
	var parts []string
	for _, cloud := range c.Clouds {
		parts = append(parts, cloud+"="+c.Regions[cloud])
	}
	buf.WriteString(strings.Join(parts, ", ") + " (override with --compare-regions CLOUD=REGION); full plans in -o json\n")
	_, err := w.Write(buf.Bytes())
	return err
}
