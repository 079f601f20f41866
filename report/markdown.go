package report

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/compare"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// Markdown writes a plan for a pull request or a review page: a summary, a
// Mermaid flowchart of the topology (clients, load balancers with their
// cost, the services on each), the services and each load balancer's
// itemised lines. GitHub renders it as is.
func Markdown(w io.Writer, p *planner.Plan) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# lbplanner plan: %s %s\n\n", p.Cloud, p.Region)
	summary(&b, p)
	b.WriteString("\n## Topology\n\n```mermaid\n")
	b.WriteString(Mermaid(p))
	b.WriteString("```\n\n## Services\n\n")
	chains := false
	for _, s := range p.Services {
		chains = chains || len(s.CriticalChain) > 0
	}
	head, rule := "| Service | Exposure | Load balancer | Path | Added ms |", "|---|---|---|---|---:|"
	if chains {
		head, rule = head+" Chain ms |", rule+"---:|"
	}
	fmt.Fprintf(&b, "%s Monthly | Reason |\n%s---:|---|\n", head, rule)
	for _, s := range p.Services {
		chain := ""
		if chains {
			chain = " " + s.ChainLatencyMs.String() + " |"
		}
		fmt.Fprintf(&b, "| %s/%s | %s | %s | %s | %s |%s %s | %s |\n", s.Namespace, s.Name, s.Exposure, cell(lbName(s.LoadBalancer)),
			cell(s.Path), s.AddedLatencyMs, chain, s.MonthlyCost.Dollars(), cell(s.Reason))
	}
	if chains {
		b.WriteString("\n### Critical chains\n\n")
		for _, s := range p.Services {
			if len(s.CriticalChain) > 0 {
				fmt.Fprintf(&b, "- **%s/%s**, %s ms: %s\n", s.Namespace, s.Name, s.ChainLatencyMs, cell(strings.Join(s.CriticalChain, " ⇒ ")))
			}
		}
	}
	b.WriteString("\n## Load balancers\n")
	for _, lb := range p.LoadBalancers {
		fmt.Fprintf(&b, "\n### %s (%s, %s, %s): %s/month\n\n", lb.ID, lb.Kind, lb.Strategy, lb.Scheme, lb.MonthlyCost.Dollars())
		if r := lb.RuleEvaluations; r != nil {
			fmt.Fprintf(&b, "Rule evaluations: %s/s by position (priced); %s/s if every request processed every rule (AWS's worst case): %s/month.\n\n",
				r.PerSecond, r.WorstCasePerSecond, r.WorstCaseMonthlyCost.Dollars())
		}
		fmt.Fprintf(&b, "Services: %s\n\n| Line | Quantity | Unit price | Monthly |\n|---|---:|---:|---:|\n", strings.Join(lb.Services, ", "))
		for _, c := range lb.Costs {
			fmt.Fprintf(&b, "| %s | %s %s | $%s | %s |\n", cell(c.Name), c.Quantity, c.Unit, c.UnitPrice, c.MonthlyCost.Dollars())
		}
	}
	if len(p.Warnings) > 0 {
		b.WriteString("\n## Warnings\n\n")
		for _, w := range p.Warnings {
			fmt.Fprintf(&b, "- %s\n", cell(w))
		}
	}
	fmt.Fprintf(&b, "\nPrices: %s dated %s, %s list prices (%s).\n", p.Pricing.Catalog, p.Pricing.CatalogDate, p.Pricing.Currency, p.Optimality)
	_, err := w.Write(b.Bytes())
	return err
}

// summary is the plan's money in a table.
func summary(b *bytes.Buffer, p *planner.Plan) {
	t := p.Totals
	b.WriteString("| | Monthly |\n|---|---:|\n")
	fmt.Fprintf(b, "| **Plan** | **%s** |\n", t.MonthlyCost.Dollars())
	fmt.Fprintf(b, "| Baseline (a load balancer per reachable service) | %s (saves %s) |\n", t.BaselineMonthlyCost.Dollars(), t.SavingsVsBaseline.Dollars())
	if t.CurrentMonthlyCost != nil {
		fmt.Fprintf(b, "| Today | %s (saves %s) |\n", t.CurrentMonthlyCost.Dollars(), t.SavingsVsCurrent.Dollars())
	}
	if t.IncreaseForcedBy != "" {
		fmt.Fprintf(b, "\nIt costs more than today: %s\n", cell(t.IncreaseForcedBy))
	}
}

var mermaidID = regexp.MustCompile(`[^A-Za-z0-9_]`)

// Mermaid is the plan's topology as a Mermaid flowchart: a client node per
// scheme, a subgraph per load balancer (its cost in the title) holding its
// services (their shares), and the services inside the cluster apart.
func Mermaid(p *planner.Plan) string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	id := func(prefix, s string) string { return prefix + mermaidID.ReplaceAllString(s, "_") }
	clients := map[string]bool{}
	rows := map[string]planner.ServicePlan{}
	for _, s := range p.Services {
		rows[s.Namespace+"/"+s.Name] = s
	}
	for _, lb := range p.LoadBalancers {
		fmt.Fprintf(&b, "  subgraph %s[\"%s · %s · %s/month\"]\n", id("lb_", lb.ID), label(lb.ID), label(lb.Kind), lb.MonthlyCost.Dollars())
		for _, key := range lb.Services {
			fmt.Fprintf(&b, "    %s[\"%s %s\"]\n", id("s_"+id("", lb.ID)+"_", key), label(key), rows[key].MonthlyCost.Dollars())
		}
		b.WriteString("  end\n")
		client := "internet"
		if lb.Scheme == "internal" {
			client = "vpc"
		}
		if !clients[client] {
			clients[client] = true
			fmt.Fprintf(&b, "  %s((%s clients))\n", client, client)
		}
		fmt.Fprintf(&b, "  %s --> %s\n", client, id("lb_", lb.ID))
	}
	var inside []string
	for _, s := range p.Services {
		if s.LoadBalancer == nil {
			inside = append(inside, s.Namespace+"/"+s.Name)
		}
	}
	if len(inside) > 0 {
		b.WriteString("  subgraph cluster[\"inside the cluster\"]\n")
		for _, key := range inside {
			fmt.Fprintf(&b, "    %s[\"%s\"]\n", id("c_", key), label(key))
		}
		b.WriteString("  end\n")
	}
	return b.String()
}

// label escapes text for a quoted Mermaid label.
func label(s string) string { return strings.ReplaceAll(s, `"`, "#quot;") }

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func lbName(id *string) string {
	if id == nil {
		return "-"
	}
	return *id
}

// CompareMarkdown writes a comparison across clouds for a review page.
func CompareMarkdown(w io.Writer, c *compare.Comparison) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# lbplanner compare: %s\n\n| Cloud | Region | Monthly | Baseline | Savings | Load balancers | Optimality |\n|---|---|---:|---:|---:|---:|---|\n",
		strings.Join(c.Clouds, ", "))
	for _, s := range c.Summary {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %d | %s |\n", s.Cloud, s.Region, s.MonthlyCost.Dollars(), s.BaselineMonthlyCost.Dollars(),
			s.SavingsVsBaseline.Dollars(), s.LoadBalancers, cell(s.Optimality))
	}
	b.WriteString("\n| Service |")
	for _, cl := range c.Clouds {
		fmt.Fprintf(&b, " %s |", cl)
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(c.Clouds)) + "\n")
	for _, s := range c.Services {
		fmt.Fprintf(&b, "| %s/%s |", s.Namespace, s.Name)
		for _, cl := range c.Clouds {
			sc := s.Clouds[cl]
			fmt.Fprintf(&b, " %s %s %s |", sc.Exposure, cell(lbName(sc.LoadBalancer)), sc.MonthlyCost.Dollars())
		}
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}
