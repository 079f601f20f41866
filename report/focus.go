package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// FOCUS (FinOps Open Cost and Usage Specification) rows for a FinOps tool:
// one row per cost line and service it is allocated to, so that a shared
// load balancer's money lands on the teams that use it and the rows add up
// to the plan's total to the cent. Columns lbplanner adds carry the x_
// prefix the specification reserves for them.

// FOCUSColumns are the CSV's columns, in order.
var FOCUSColumns = []string{"BillingCurrency", "BilledCost", "EffectiveCost", "ListCost", "ListUnitPrice", "PricingQuantity",
	"PricingUnit", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ChargeDescription", "ProviderName", "ServiceName",
	"ServiceCategory", "RegionId", "ResourceId", "ResourceName", "ResourceType", "SkuId", "Tags",
	"x_Namespace", "x_Service", "x_AllocationBasis", "x_PriceSource", "x_PriceDate"}

// providers names each cloud as FOCUS's ProviderName does.
var providers = map[string]string{"aws": "Amazon Web Services", "gcp": "Google Cloud", "azure": "Microsoft Azure", planner.CloudBareMetal: "Self-managed"}

// FOCUSRow is one allocated cost line.
type FOCUSRow struct {
	Namespace, Service string
	LoadBalancer       *planner.LoadBalancerPlan
	Line               planner.CostLine
	Cents              money.Cents
}

// Allocated lists every cost line split over the services it serves, in
// the plan's order (load balancers by id, their lines, services by name).
func Allocated(p *planner.Plan) ([]FOCUSRow, error) {
	var rows []FOCUSRow
	for i := range p.LoadBalancers {
		lb := &p.LoadBalancers[i]
		for _, l := range lb.Costs {
			shares := l.Shares()
			if len(shares) == 0 {
				return nil, fmt.Errorf("load balancer %s: line %q has no allocation (a plan read back from JSON cannot be allocated: plan again)", lb.ID, l.Name)
			}
			for _, s := range shares {
				ns, name, _ := strings.Cut(s.Service, "/")
				rows = append(rows, FOCUSRow{Namespace: ns, Service: name, LoadBalancer: lb, Line: l, Cents: s.Cents})
			}
		}
	}
	return rows, nil
}

// FOCUSOptions are the CSV's settings.
type FOCUSOptions struct {
	// Period is the month billed, YYYY-MM (default: the catalog's month).
	Period string
	// Labels are each service's labels (namespace/name -> labels), written as Tags.
	Labels map[string]map[string]string
}

// FOCUS writes the plan's allocated cost lines as FOCUS CSV rows.
func FOCUS(w io.Writer, p *planner.Plan, opts FOCUSOptions) error {
	rows, err := Allocated(p)
	if err != nil {
		return err
	}
	start, end, err := chargePeriod(opts.Period, p.Pricing.CatalogDate)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(FOCUSColumns); err != nil {
		return err
	}
	for _, r := range rows {
		l := r.Line
		tags, err := json.Marshal(opts.Labels[r.Namespace+"/"+r.Service])
		if err != nil {
			return err
		}
		if string(tags) == "null" {
			tags = []byte("{}")
		}
		cost := r.Cents.String()
		rec := []string{p.Pricing.Currency, cost, cost, cost, l.UnitPrice, allocatedQuantity(l, r.Cents, len(l.Shares())), l.Unit,
			start, end, "Usage", l.Name, providers[p.Cloud], serviceName(p.Cloud, r.LoadBalancer.Kind, l.Unit), serviceCategory(l.Unit),
			p.Region, r.LoadBalancer.ID, r.LoadBalancer.ID, r.LoadBalancer.Kind, l.Item(), string(tags),
			r.Namespace, r.Service, l.AllocationBasis(), l.Source, l.Date}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// allocatedQuantity is the part of the line's quantity the share stands for
// (in proportion to its cents; evenly when the line costs nothing).
func allocatedQuantity(l planner.CostLine, share money.Cents, n int) string {
	q, ok := new(big.Rat).SetString(l.Quantity)
	if !ok {
		return l.Quantity
	}
	switch {
	case l.MonthlyCost != 0:
		q.Mul(q, big.NewRat(int64(share), int64(l.MonthlyCost)))
	case n > 0:
		q.Quo(q, big.NewRat(int64(n), 1))
	}
	return money.FormatRat(q, 6)
}

// chargePeriod is the month billed as FOCUS timestamps: period (YYYY-MM),
// else the catalog's month.
func chargePeriod(period, catalogDate string) (string, string, error) {
	if period == "" {
		if len(catalogDate) < 7 {
			return "", "", fmt.Errorf("--period: the plan has no catalog date: give one (YYYY-MM)")
		}
		period = catalogDate[:7]
	}
	t, err := time.Parse("2006-01", period)
	if err != nil {
		return "", "", fmt.Errorf("--period: want YYYY-MM, got %q", period)
	}
	const layout = "2006-01-02T15:04:05Z"
	return t.Format(layout), t.AddDate(0, 1, 0).Format(layout), nil
}

// serviceName is the cloud service a line is billed under.
func serviceName(cloud, kind, unit string) string {
	switch {
	case unit == "vCPU-hour" || unit == "GiB-hour":
		return "Kubernetes nodes (in-cluster proxy pods)"
	case cloud == "aws" && unit == "IP-hour":
		return "Amazon Virtual Private Cloud" // public IPv4 addresses
	case cloud == "aws":
		return "Elastic Load Balancing"
	case cloud == "gcp":
		return "Cloud Load Balancing"
	case cloud == "azure" && (kind == "appgw" || kind == "agc"):
		return "Application Gateway"
	case cloud == "azure":
		return "Load Balancer"
	}
	return "Load-balancer address pool"
}

// serviceCategory is FOCUS's category of a line: proxy pods are compute.
func serviceCategory(unit string) string {
	if unit == "vCPU-hour" || unit == "GiB-hour" {
		return "Compute"
	}
	return "Networking"
}

// Showback rolls the allocated money up by namespace ("namespace") or by
// a label ("label=team"), largest first; services without the label are
// "(none)".
func Showback(w io.Writer, p *planner.Plan, by string, labels map[string]map[string]string) error {
	key, err := showbackKey(by, labels)
	if err != nil {
		return err
	}
	rows, err := Allocated(p)
	if err != nil {
		return err
	}
	sums := map[string]money.Cents{}
	for _, r := range rows {
		sums[key(r.Namespace, r.Service)] += r.Cents
	}
	groups := make([]string, 0, len(sums))
	for g := range sums {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(a, b int) bool {
		if sums[groups[a]] != sums[groups[b]] {
			return sums[groups[a]] > sums[groups[b]]
		}
		return groups[a] < groups[b]
	})
	var total money.Cents
	fmt.Fprintf(w, "%-30s %12s\n", strings.ToUpper(strings.TrimPrefix(by, "label=")), "MONTHLY")
	for _, g := range groups {
		fmt.Fprintf(w, "%-30s %12s\n", g, sums[g].Dollars())
		total += sums[g]
	}
	_, err = fmt.Fprintf(w, "%-30s %12s\n", "TOTAL", total.Dollars())
	return err
}

// showbackKey is the group a service's money rolls up to.
func showbackKey(by string, labels map[string]map[string]string) (func(ns, name string) string, error) {
	if by == "namespace" {
		return func(ns, _ string) string { return ns }, nil
	}
	label, ok := strings.CutPrefix(by, "label=")
	if !ok || label == "" {
		return nil, fmt.Errorf("--showback: want namespace or label=KEY, got %q", by)
	}
	return func(ns, name string) string {
		if v, ok := labels[ns+"/"+name][label]; ok && v != "" {
			return v
		}
		return "(none)"
	}, nil
}
