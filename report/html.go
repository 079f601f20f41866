package report

import (
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// HTML writes a plan as one self-contained page for an architecture review:
// the topology as inline SVG (clients, load balancers, services), bar
// charts of the cost per load balancer and per namespace, the tables, and
// the plan's assumptions and price sources. Nothing is fetched: no script,
// no font, no image from elsewhere; it prints as it shows.
func HTML(w io.Writer, p *planner.Plan, labels map[string]map[string]string) error {
	rows, err := Allocated(p)
	if err != nil {
		return err
	}
	byNS := map[string]money.Cents{}
	for _, r := range rows {
		byNS[r.Namespace] += r.Cents
	}
	var lbBars, nsBars []bar
	for _, lb := range p.LoadBalancers {
		lbBars = append(lbBars, bar{Label: lb.ID, Cents: lb.MonthlyCost})
	}
	for ns, c := range byNS {
		nsBars = append(nsBars, bar{Label: ns, Cents: c})
	}
	sort.Slice(nsBars, func(a, b int) bool {
		if nsBars[a].Cents != nsBars[b].Cents {
			return nsBars[a].Cents > nsBars[b].Cents
		}
		return nsBars[a].Label < nsBars[b].Label
	})
	data := struct {
		Plan               *planner.Plan
		Topology           template.HTML
		LBChart, NSChart   template.HTML
		Baseline, Today    string
		HasToday, HasChain bool
	}{Plan: p, Topology: topologySVG(p), LBChart: barSVG("Monthly cost per load balancer", lbBars), NSChart: barSVG("Monthly cost per namespace", nsBars)}
	for _, s := range p.Services {
		data.HasChain = data.HasChain || len(s.CriticalChain) > 0
	}
	return pageTemplate.Execute(w, data)
}

type bar struct {
	Label string
	Cents money.Cents
}

// barSVG draws horizontal bars, the longest the largest amount.
func barSVG(title string, bars []bar) template.HTML {
	const width, rowH, labelW = 640, 22, 200
	var most money.Cents = 1
	for _, b := range bars {
		most = max(most, b.Cents)
	}
	var s strings.Builder
	h := rowH*len(bars) + 30
	fmt.Fprintf(&s, `<svg class="chart" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`,
		template.HTMLEscapeString(title), width, h, width, h)
	fmt.Fprintf(&s, `<text x="0" y="16" class="title">%s</text>`, template.HTMLEscapeString(title))
	for i, b := range bars {
		y := 26 + i*rowH
		l := int(int64(width-labelW-90) * int64(b.Cents) / int64(most))
		fmt.Fprintf(&s, `<text x="0" y="%d">%s</text><rect class="bar" x="%d" y="%d" width="%d" height="%d"/><text x="%d" y="%d">%s</text>`,
			y+14, template.HTMLEscapeString(b.Label), labelW, y+2, max(l, 1), rowH-6, labelW+max(l, 1)+6, y+14, b.Cents.Dollars())
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// topologySVG draws clients on the left, load balancers in the middle and
// their services on the right, one row per service.
func topologySVG(p *planner.Plan) template.HTML {
	const rowH, width = 26, 960
	n := 0
	for _, lb := range p.LoadBalancers {
		n += max(len(lb.Services), 1)
	}
	h := max(n*rowH+20, 80)
	var s strings.Builder
	fmt.Fprintf(&s, `<svg id="topology" role="img" aria-label="topology" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`, width, h, width, h)
	clientY := map[string]int{"internet-facing": h / 3, "internal": 2 * h / 3}
	for scheme, y := range clientY {
		name := "internet"
		if scheme == "internal" {
			name = "VPC"
		}
		fmt.Fprintf(&s, `<g class="client"><circle cx="60" cy="%d" r="34"/><text x="60" y="%d" text-anchor="middle">%s clients</text></g>`, y, y+4, name)
	}
	row := 0
	for _, lb := range p.LoadBalancers {
		k := max(len(lb.Services), 1)
		top := 10 + row*rowH
		mid := top + k*rowH/2
		cy := clientY[lb.Scheme]
		if cy == 0 {
			cy = clientY["internet-facing"]
		}
		fmt.Fprintf(&s, `<path class="edge" d="M94 %d L300 %d"/>`, cy, mid)
		fmt.Fprintf(&s, `<g class="lb"><rect x="300" y="%d" width="260" height="%d" rx="6"/><text x="310" y="%d">%s (%s) %s</text></g>`,
			top+2, k*rowH-4, mid+4, template.HTMLEscapeString(lb.ID), template.HTMLEscapeString(lb.Kind), lb.MonthlyCost.Dollars())
		for i, svc := range lb.Services {
			y := top + i*rowH + rowH/2
			fmt.Fprintf(&s, `<path class="edge" d="M560 %d L640 %d"/><g class="svc"><rect x="640" y="%d" width="300" height="%d" rx="4"/><text x="650" y="%d">%s</text></g>`,
				mid, y, y-rowH/2+3, rowH-6, y+4, template.HTMLEscapeString(svc))
		}
		row += k
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

var pageTemplate = template.Must(template.New("plan").Funcs(template.FuncMap{
	"dollars": func(c money.Cents) string { return c.Dollars() },
	"lb":      lbName,
	"join":    strings.Join,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lbplanner plan: {{.Plan.Cloud}} {{.Plan.Region}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1b1f24; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1f24; }
svg .title { font-weight: bold; }
.bar { fill: #2f81f7; }
.client circle { fill: #eaeef2; stroke: #57606a; }
.lb rect { fill: #ddf4ff; stroke: #0969da; }
.svc rect { fill: #f6f8fa; stroke: #8c959f; }
.edge { stroke: #57606a; fill: none; }
@media print { body { margin: 0; } section { break-inside: avoid; } }
</style>
</head>
<body>
<h1>lbplanner plan: {{.Plan.Cloud}} {{.Plan.Region}}</h1>
<section id="summary">
<table>
<tr><th>Plan</th><td class="num"><strong>{{dollars .Plan.Totals.MonthlyCost}}</strong>/month</td></tr>
<tr><th>Baseline (a load balancer per reachable service)</th><td class="num">{{dollars .Plan.Totals.BaselineMonthlyCost}} (saves {{dollars .Plan.Totals.SavingsVsBaseline}})</td></tr>
{{with .Plan.Totals.CurrentMonthlyCost}}<tr><th>Today</th><td class="num">{{dollars .}}</td></tr>{{end}}
</table>
{{with .Plan.Totals.IncreaseForcedBy}}<p>It costs more than today: {{.}}</p>{{end}}
</section>
<section id="topology-section"><h2>Topology</h2>{{.Topology}}</section>
<section id="charts"><h2>Where the money goes</h2>{{.LBChart}}{{.NSChart}}</section>
<section id="services"><h2>Services</h2>
<table>
<tr><th>Service</th><th>Exposure</th><th>Load balancer</th><th>Path</th><th class="num">Added ms</th>{{if .HasChain}}<th class="num">Chain ms</th>{{end}}<th class="num">Monthly</th><th>Reason</th></tr>
{{range .Plan.Services}}<tr><td>{{.Namespace}}/{{.Name}}</td><td>{{.Exposure}}</td><td>{{lb .LoadBalancer}}</td><td>{{.Path}}</td><td class="num">{{.AddedLatencyMs}}</td>{{if $.HasChain}}<td class="num">{{.ChainLatencyMs}}</td>{{end}}<td class="num">{{dollars .MonthlyCost}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>
{{if .HasChain}}<h3>Critical chains</h3><ul>{{range .Plan.Services}}{{if .CriticalChain}}<li><strong>{{.Namespace}}/{{.Name}}</strong>, {{.ChainLatencyMs}} ms: {{join .CriticalChain " ⇒ "}}</li>{{end}}{{end}}</ul>{{end}}
</section>
<section id="load-balancers"><h2>Load balancers</h2>
{{range .Plan.LoadBalancers}}<h3>{{.ID}} ({{.Kind}}, {{.Strategy}}, {{.Scheme}}): {{dollars .MonthlyCost}}/month</h3>
<p>Services: {{join .Services ", "}}</p>
<table><tr><th>Line</th><th class="num">Quantity</th><th class="num">Unit price</th><th class="num">Monthly</th><th>Source</th></tr>
{{range .Costs}}<tr><td>{{.Name}}</td><td class="num">{{.Quantity}} {{.Unit}}</td><td class="num">${{.UnitPrice}}</td><td class="num">{{dollars .MonthlyCost}}</td><td>{{.Source}} ({{.Date}})</td></tr>
{{end}}</table>
{{end}}</section>
<section id="assumptions"><h2>Assumptions and sources</h2>
<p>{{.Plan.Zones}} zones, {{.Plan.HoursPerMonth}} hours a month; {{.Plan.Optimality}}. Prices: {{.Plan.Pricing.Catalog}} dated {{.Plan.Pricing.CatalogDate}}, {{.Plan.Pricing.Currency}} list prices.</p>
{{with .Plan.Warnings}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
<table><tr><th>Item</th><th class="num">Price</th><th>Unit</th><th>Source</th><th>Date</th></tr>
{{range .Plan.Pricing.Sources}}<tr><td>{{.Item}}</td><td class="num">{{.Price}}</td><td>{{.Unit}}</td><td>{{.Source}}</td><td>{{.Date}}</td></tr>
{{end}}</table>
</section>
</body>
</html>
`))
