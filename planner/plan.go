package planner

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Plan is the planner's answer: per service its exposure, load balancer, hop
// path, added latency, share of cost and reason; per load balancer its
// members and itemised costs; totals against the baseline and the current
// exposure. Its JSON form is a public contract.
type Plan struct {
	Cloud         string             `json:"cloud"`
	Region        string             `json:"region"`
	Zones         int                `json:"zones"`
	HoursPerMonth Quantity           `json:"hoursPerMonth"`
	Optimality    string             `json:"optimality"`
	Services      []ServicePlan      `json:"services"`
	LoadBalancers []LoadBalancerPlan `json:"loadBalancers"`
	Totals        Totals             `json:"totals"`
	Pricing       PricingInfo        `json:"pricing"`
}

// ServicePlan is the plan for one service.
type ServicePlan struct {
	Name           string      `json:"name"`
	Namespace      string      `json:"namespace"`
	Exposure       Exposure    `json:"exposure"`
	LoadBalancer   *string     `json:"loadBalancer"`
	Path           string      `json:"path"`
	AddedLatencyMs Quantity    `json:"addedLatencyMs"`
	MonthlyCost    money.Cents `json:"monthlyCost"`
	Reason         string      `json:"reason"`
	// ServiceType is the Kubernetes Service type to declare.
	ServiceType string `json:"serviceType"`
	// IngressClassName is set for Ingress exposures.
	IngressClassName string `json:"ingressClassName,omitempty"`
	// Annotations go on the Ingress for Ingress exposures, else on the Service.
	Annotations map[string]string `json:"annotations"`
}

// LoadBalancerPlan is one cloud load balancer (with, for the nginx strategy, its proxy pods).
type LoadBalancerPlan struct {
	ID          string      `json:"id"`
	Kind        string      `json:"kind"`
	Strategy    string      `json:"strategy"`
	Scheme      string      `json:"scheme"`
	Services    []string    `json:"services"`
	RuleOrder   []string    `json:"ruleOrder"`
	Quotas      *ALBQuotas  `json:"quotas,omitempty"`
	SplitReason string      `json:"splitReason,omitempty"`
	Costs       []CostLine  `json:"costs"`
	MonthlyCost money.Cents `json:"monthlyCost"`
}

// ALBQuotas is how much of each per-ALB quota a shared ALB uses.
type ALBQuotas struct {
	Rules        int `json:"rules"`
	Certificates int `json:"certificates"`
	TargetGroups int `json:"targetGroups"`
	Listeners    int `json:"listeners"`
}

// Totals sums the plan and what it is compared with.
type Totals struct {
	MonthlyCost         money.Cents  `json:"monthlyCost"`
	BaselineMonthlyCost money.Cents  `json:"baselineMonthlyCost"`
	CurrentMonthlyCost  *money.Cents `json:"currentMonthlyCost"`
	SavingsVsBaseline   money.Cents  `json:"savingsVsBaseline"`
	SavingsVsCurrent    *money.Cents `json:"savingsVsCurrent"`
}

// PricingInfo says where the prices came from.
type PricingInfo struct {
	Catalog     string        `json:"catalog"`
	CatalogDate string        `json:"catalogDate"`
	Currency    string        `json:"currency"`
	Sources     []PriceSource `json:"sources"`
}

// PriceSource is one catalog price the plan used.
type PriceSource struct {
	Item   string `json:"item"`
	Price  string `json:"price"`
	Unit   string `json:"unit"`
	Source string `json:"source"`
	Date   string `json:"date"`
}

// model holds one declaration prepared for pricing and optimisation.
type model struct {
	d          *Declaration
	r          *rates
	rp         *pricing.RegionPrices
	hours      *big.Rat
	controller bool
	svcs       []svcInfo
	fixed      [numFixed]CostLine
	standKind  []kind
	standVal   []val
	// shareableIn counts, per scheme, the services that may share a load balancer.
	shareableIn map[string]int
}

func newModel(d *Declaration, cat *pricing.Catalog) (*model, error) {
	if err := Validate(d); err != nil {
		return nil, err
	}
	rp, err := cat.Region(d.Cloud, d.Region)
	if err != nil {
		return nil, &FieldError{Index: -1, Field: "region", Msg: err.Error()}
	}
	r, err := loadRates(rp)
	if err != nil {
		return nil, fmt.Errorf("price catalog: %w", err)
	}
	m := &model{d: d, r: r, rp: rp, hours: d.HoursPerMonth.Rat(), controller: *d.AWSLoadBalancerController}
	m.prepareFixed()
	m.svcs = make([]svcInfo, len(d.Services))
	for i := range d.Services {
		m.prepare(i)
	}
	return m, nil
}

// Compute plans a declaration with prices from the catalog. The declaration
// is validated (and defaulted) first. The result is deterministic: the same
// declaration and catalog give the same plan, byte for byte once rendered.
func Compute(d *Declaration, cat *pricing.Catalog) (*Plan, error) {
	m, err := newModel(d, cat)
	if err != nil {
		return nil, err
	}
	groups, exact, err := m.optimise()
	if err != nil {
		return nil, err
	}
	p := &Plan{Cloud: d.Cloud, Region: d.Region, Zones: d.Zones, HoursPerMonth: *d.HoursPerMonth}
	if exact {
		p.Optimality = "exact"
	} else {
		p.Optimality = fmt.Sprintf("heuristic: a scheme has more than %d shareable services; exact below that", ExactLimit)
	}
	m.render(p, groups)
	m.totals(p)
	p.Pricing = m.pricingInfo(cat)
	return p, nil
}

func schemeWord(scheme string) string {
	if scheme == schemeInternet {
		return "internet"
	}
	return "internal"
}

// render turns groups into the plan's rows, naming load balancers stably.
func (m *model) render(p *Plan, groups []*group) {
	for _, g := range groups {
		sort.Slice(g.members, func(a, b int) bool { return m.svcs[g.members[a]].key < m.svcs[g.members[b]].key })
	}
	sort.Slice(groups, func(a, b int) bool {
		ga, gb := groups[a], groups[b]
		if ga.kind != gb.kind {
			return ga.kind < gb.kind
		}
		if ga.scheme != gb.scheme {
			return ga.scheme < gb.scheme
		}
		return m.svcs[ga.members[0]].key < m.svcs[gb.members[0]].key
	})
	counter := map[string]int{}
	rows := make([]ServicePlan, len(m.svcs))
	owner := make([]*group, len(m.svcs))
	for _, g := range groups {
		for _, i := range g.members {
			owner[i] = g
		}
	}
	splitWhy := m.splitReasons(groups)
	for _, g := range groups {
		var id string
		switch g.kind {
		case kALB, kNginx:
			prefix := "alb-"
			if g.kind == kNginx {
				prefix = "nginx-"
			}
			prefix += schemeWord(g.scheme)
			counter[prefix]++
			id = prefix + "-" + strconv.Itoa(counter[prefix])
		case kNLB, kCLB:
			s := m.svcs[g.members[0]].s
			id = "nlb-" + s.Namespace + "-" + s.Name
			if g.kind == kCLB {
				id = "clb-" + s.Namespace + "-" + s.Name
			}
		}
		var shares []money.Cents
		if id != "" {
			lb := m.loadBalancer(g, id)
			lb.SplitReason = splitWhy[g]
			shares = m.allocate(g, lb)
			p.LoadBalancers = append(p.LoadBalancers, *lb)
		}
		for j, i := range g.members {
			row := m.serviceRow(g, i, id)
			if shares != nil {
				row.MonthlyCost = shares[j]
			}
			rows[i] = row
		}
	}
	byKey := make(map[string]int, len(m.svcs))
	for i := range m.svcs {
		byKey[m.svcs[i].key] = i
	}
	for _, lb := range p.LoadBalancers {
		for n, key := range lb.RuleOrder {
			rows[byKey[key]].Annotations["alb.ingress.kubernetes.io/group.order"] = strconv.Itoa(n + 1)
		}
	}
	for i := range rows {
		rows[i].Reason = m.reason(owner[i], &rows[i], i)
	}
	sort.SliceStable(rows, func(a, b int) bool { return svcLess(rows[a], rows[b]) })
	p.Services = rows
	sort.SliceStable(p.LoadBalancers, func(a, b int) bool { return p.LoadBalancers[a].ID < p.LoadBalancers[b].ID })
}

func svcLess(a, b ServicePlan) bool {
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	return a.Name < b.Name
}

// splitReasons explains, for each scheme with more than one shared ALB, why they are not one.
func (m *model) splitReasons(groups []*group) map[*group]string {
	byScheme := map[string][]*group{}
	for _, g := range groups {
		if g.kind == kALB {
			byScheme[g.scheme] = append(byScheme[g.scheme], g)
		}
	}
	out := map[*group]string{}
	for _, gs := range byScheme {
		if len(gs) < 2 {
			continue
		}
		var all []int
		for _, g := range gs {
			all = append(all, g.members...)
		}
		why := m.albQuota(all)
		if why == "" {
			why = "splitting costs less than one ALB: fewer rules evaluated past the 10 free ones"
		} else if lb := m.albLowerBound(all); len(gs) > lb {
			why += fmt.Sprintf(" (%d would do); each further ALB costs less than the rule evaluations it saves", lb)
		}
		for _, g := range gs {
			out[g] = fmt.Sprintf("split into %d ALBs: %s", len(gs), why)
		}
	}
	return out
}

// loadBalancer prices a group with itemised lines.
func (m *model) loadBalancer(g *group, id string) *LoadBalancerPlan {
	total, lines, slots := m.cost(g, true)
	lb := &LoadBalancerPlan{ID: id, Scheme: g.scheme, Costs: lines, MonthlyCost: total, RuleOrder: []string{}}
	switch g.kind {
	case kALB:
		lb.Kind, lb.Strategy = "alb", StrategyALB
		sort.SliceStable(slots, func(a, b int) bool { return m.ruleWeightLess(slots[a].svc, slots[b].svc) })
		for _, s := range slots {
			lb.RuleOrder = append(lb.RuleOrder, m.svcs[s.svc].key)
		}
		q := &ALBQuotas{TargetGroups: len(g.members)}
		certs, listeners := map[string]bool{}, map[string]bool{}
		for _, i := range g.members {
			q.Rules += m.svcs[i].rules
			listeners[m.svcs[i].listener] = true
			for _, c := range m.svcs[i].certs {
				certs[c] = true
			}
		}
		q.Certificates, q.Listeners = len(certs), len(listeners)
		lb.Quotas = q
	case kNLB:
		lb.Kind, lb.Strategy = "nlb", "dedicated"
	case kCLB:
		lb.Kind, lb.Strategy = "clb", "dedicated"
	case kNginx:
		lb.Kind, lb.Strategy = "nlb", StrategyNginx
		if !m.controller {
			lb.Kind = "clb"
		}
	}
	for _, i := range g.members {
		lb.Services = append(lb.Services, m.svcs[i].key)
	}
	return lb
}

// allocate splits each cost line over the group's members by their share of
// the usage that drives it: capacity-unit lines by the billed dimension,
// data lines by bytes, fixed lines evenly. Shares add up to the line exactly.
func (m *model) allocate(g *group, lb *LoadBalancerPlan) []money.Cents {
	shares := make([]money.Cents, len(g.members))
	var evals map[int]*big.Rat
	for _, l := range lb.Costs {
		weights := make([]*big.Rat, len(g.members))
		for j, i := range g.members {
			s := &m.svcs[i]
			switch l.driver {
			case "nc":
				weights[j] = s.nc.Rat()
			case "ac":
				weights[j] = s.ac.Rat()
			case "gb":
				weights[j] = s.gb.Rat()
			case "evals":
				if evals == nil {
					evals = map[int]*big.Rat{}
					slots, _ := m.albRuleOrder(g.members)
					for _, sl := range slots {
						evals[sl.svc] = sl.evals
					}
				}
				weights[j] = evals[i]
			default:
				weights[j] = big.NewRat(1, 1)
			}
		}
		for j, c := range money.Split(l.MonthlyCost, weights) {
			shares[j] += c
		}
	}
	return shares
}

func (m *model) hopPath(k kind) string {
	switch k {
	case kClusterIP:
		return "client pod -> pod"
	case kNodePort:
		return "client -> node -> pod"
	case kNLB:
		return "client -> NLB -> pod"
	case kCLB:
		return "client -> CLB -> node -> pod"
	case kALB:
		return "client -> ALB -> pod"
	case kNginx:
		if m.controller {
			return "client -> NLB -> ingress pod -> pod"
		}
		return "client -> CLB -> node -> ingress pod -> pod"
	}
	return ""
}

func (m *model) serviceRow(g *group, i int, id string) ServicePlan {
	si := &m.svcs[i]
	s := si.s
	row := ServicePlan{Name: s.Name, Namespace: s.Namespace, Exposure: g.kind.exposure(), Path: m.hopPath(g.kind),
		AddedLatencyMs: si.latency[g.kind], Annotations: map[string]string{}}
	if id != "" {
		lbID := id
		row.LoadBalancer = &lbID
	}
	scheme := g.scheme
	switch g.kind {
	case kClusterIP:
		row.ServiceType = "ClusterIP"
	case kNodePort:
		row.ServiceType = "NodePort"
	case kNLB:
		row.ServiceType = "LoadBalancer"
		row.Annotations["service.beta.kubernetes.io/aws-load-balancer-type"] = "external"
		row.Annotations["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] = "ip"
		row.Annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] = scheme
	case kCLB:
		row.ServiceType = "LoadBalancer"
		if scheme == schemeInternal {
			row.Annotations["service.beta.kubernetes.io/aws-load-balancer-internal"] = "true"
		}
		if s.Protocol == ProtoHTTP || s.Protocol == ProtoHTTPS {
			row.Annotations["service.beta.kubernetes.io/aws-load-balancer-backend-protocol"] = "http"
		}
	case kALB:
		row.ServiceType = "ClusterIP"
		row.IngressClassName = "alb"
		row.Annotations["alb.ingress.kubernetes.io/group.name"] = id
		row.Annotations["alb.ingress.kubernetes.io/scheme"] = scheme
		row.Annotations["alb.ingress.kubernetes.io/target-type"] = "ip"
		if si.listener == "HTTP:80" {
			row.Annotations["alb.ingress.kubernetes.io/listen-ports"] = `[{"HTTP":80}]`
		} else {
			row.Annotations["alb.ingress.kubernetes.io/listen-ports"] = `[{"HTTPS":443}]`
		}
		if s.Protocol == ProtoGRPC {
			row.Annotations["alb.ingress.kubernetes.io/backend-protocol-version"] = "GRPC"
		}
	case kNginx:
		row.ServiceType = "ClusterIP"
		row.IngressClassName = "nginx"
		if s.Protocol == ProtoGRPC {
			row.Annotations["nginx.ingress.kubernetes.io/backend-protocol"] = "GRPC"
		}
	}
	if s.Has(NeedClientIP) && (g.kind == kNodePort || g.kind == kCLB) {
		row.Reason = "set externalTrafficPolicy: Local to keep the client address"
	}
	return row
}

// reason explains a service's exposure in one sentence, with the alternatives' costs.
func (m *model) reason(g *group, row *ServicePlan, i int) string {
	si := &m.svcs[i]
	k := g.kind
	var b strings.Builder
	if si.s.Pin != "" && k != kClusterIP {
		fmt.Fprintf(&b, "pinned to %s; ", si.s.Pin)
	}
	switch {
	case k == kClusterIP:
		b.WriteString("audience cluster: reachable inside the cluster, no load balancer")
	case k.shared() && len(g.members) == 1:
		fmt.Fprintf(&b, "own %s: an Ingress of its own is its cheapest exposure", kindLabel[k])
	case k.shared():
		alone := m.standVal[i]
		fmt.Fprintf(&b, "shares %s with %d other service(s): %s/month share vs %s on its own (%s)",
			*row.LoadBalancer, len(g.members)-1, row.MonthlyCost.Dollars(), alone.cents.Dollars(), kindLabel[m.standKind[i]])
	case k == kNodePort:
		b.WriteString("NodePort is allowed and needs no load balancer")
	default:
		if si.s.Has(NeedDedicated) {
			b.WriteString("dedicated: a load balancer of its own")
		} else {
			var whys []string
			for _, sk := range []kind{kALB, kNginx} {
				if si.why[sk] != "" {
					whys = append(whys, kindLabel[sk]+": "+si.why[sk])
				}
			}
			if len(whys) == 0 {
				if m.shareableIn[si.scheme] < 2 {
					whys = append(whys, "no other service of scheme "+si.scheme+" to share with")
				} else {
					whys = append(whys, fmt.Sprintf("sharing would cost more than %s on its own", row.MonthlyCost.Dollars()))
				}
			}
			fmt.Fprintf(&b, "own %s; not shared (%s)", kindLabel[k], strings.Join(whys, "; "))
		}
	}
	if row.Reason != "" {
		b.WriteString("; " + row.Reason)
	}
	return b.String()
}

// totals fills the plan's totals, the baseline (every service reachable
// from outside the cluster behind a LoadBalancer Service of its own) and the
// current exposure when declared.
func (m *model) totals(p *Plan) {
	var t Totals
	for _, lb := range p.LoadBalancers {
		t.MonthlyCost += lb.MonthlyCost
	}
	lbKind := kNLB
	if !m.controller {
		lbKind = kCLB
	}
	share := map[string]money.Cents{}
	for _, r := range p.Services {
		share[r.Namespace+"/"+r.Name] = r.MonthlyCost
	}
	anyCurrent := false
	var current money.Cents
	ingress := map[string][]int{}
	for i := range m.svcs {
		si := &m.svcs[i]
		if si.s.Audience != AudienceCluster {
			c, _, _ := m.cost(m.newGroup(lbKind, si.scheme, []int{i}), false)
			t.BaselineMonthlyCost += c
		}
		switch si.s.Current {
		case "":
			current += share[si.key]
		case LoadBalancer:
			anyCurrent = true
			if si.scheme != "" {
				c, _, _ := m.cost(m.newGroup(lbKind, si.scheme, []int{i}), false)
				current += c
			}
		case Ingress:
			anyCurrent = true
			if si.scheme != "" {
				ingress[si.scheme] = append(ingress[si.scheme], i)
			}
		default:
			anyCurrent = true
		}
	}
	for _, scheme := range []string{schemeInternet, schemeInternal} {
		if ms := ingress[scheme]; len(ms) > 0 {
			k := kALB
			if !m.controller {
				k = kNginx
			}
			c, _, _ := m.cost(m.newGroup(k, scheme, ms), false)
			current += c
		}
	}
	t.SavingsVsBaseline = t.BaselineMonthlyCost - t.MonthlyCost
	if anyCurrent {
		t.CurrentMonthlyCost = &current
		s := current - t.MonthlyCost
		t.SavingsVsCurrent = &s
	}
	p.Totals = t
}

func (m *model) pricingInfo(cat *pricing.Catalog) PricingInfo {
	info := PricingInfo{Catalog: cat.Name(), CatalogDate: cat.Date, Currency: "USD"}
	for _, pr := range []pricing.Price{m.r.albHour, m.r.lcu, m.r.nlbHour, m.r.nlcu, m.r.clbHour, m.r.clbGB, m.r.ipv4, m.r.vcpu, m.r.gib} {
		info.Sources = append(info.Sources, PriceSource{Item: pr.Item, Price: pr.Price, Unit: pr.Unit, Source: pr.Source, Date: pr.Date})
	}
	return info
}
