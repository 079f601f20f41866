package planner

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
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
	// Opportunities are savings that need an input the declaration lacks.
	Opportunities []Opportunity `json:"opportunities"`
	Pricing       PricingInfo   `json:"pricing"`
	// Warnings are what the user must know about the plan's assumptions (a
	// retired proxy implementation, an alias, an unpriced pod sizing).
	Warnings []string `json:"warnings,omitempty"`
}

// Opportunity is a saving the plan could make if a service were given
// something it lacks (a host or path of its own to share a load balancer).
type Opportunity struct {
	Service       string      `json:"service"`
	Action        string      `json:"action"`
	MonthlySaving money.Cents `json:"monthlySaving"`
}

// ServicePlan is the plan for one service.
type ServicePlan struct {
	Name           string   `json:"name"`
	Namespace      string   `json:"namespace"`
	Exposure       Exposure `json:"exposure"`
	LoadBalancer   *string  `json:"loadBalancer"`
	Path           string   `json:"path"`
	AddedLatencyMs Quantity `json:"addedLatencyMs"`
	// ChainLatencyMs is its added latency plus the slowest chain of calls
	// it makes, through the exposure planned for each callee.
	ChainLatencyMs Quantity `json:"chainLatencyMs"`
	// CriticalChain names every hop of that slowest chain, one entry per
	// service on it (empty when it calls nothing).
	CriticalChain []string    `json:"criticalChain,omitempty"`
	MonthlyCost   money.Cents `json:"monthlyCost"`
	Reason        string      `json:"reason"`
	// ServiceType is the Kubernetes Service type to declare.
	ServiceType string `json:"serviceType"`
	// IngressClassName is set for Ingress exposures served through an IngressClass.
	IngressClassName string `json:"ingressClassName,omitempty"`
	// GatewayClassName is set for services routed through a GKE Gateway.
	GatewayClassName string `json:"gatewayClassName,omitempty"`
	// Gateway is the Gateway API Gateway (namespace/name) kept from today that
	// its routes attach to, when the plan keeps one.
	Gateway string `json:"gateway,omitempty"`
	// ExternalTrafficPolicy is Local when its load balancer sends traffic to
	// nodes and it needs the client address (clientIP); else empty (Cluster).
	ExternalTrafficPolicy string `json:"externalTrafficPolicy,omitempty"`
	// Annotations go on the Ingress for Ingress exposures, else on the Service.
	Annotations map[string]string `json:"annotations"`
}

// LoadBalancerPlan is one cloud load balancer (with, for the nginx strategy, its proxy pods).
type LoadBalancerPlan struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	Strategy    string   `json:"strategy"`
	Scheme      string   `json:"scheme"`
	Services    []string `json:"services"`
	RuleOrder   []string `json:"ruleOrder"`
	ruleSvcs    []int    // RuleOrder's services by index
	Quotas      *Quotas  `json:"quotas,omitempty"`
	SplitReason string   `json:"splitReason,omitempty"`
	// RuleEvaluations (a shared ALB past its ten free rules) sets the rule
	// evaluations it is priced on against AWS's worst case.
	RuleEvaluations *RuleEvaluations `json:"ruleEvaluations,omitempty"`
	// RulesBilledIn names the charge entries its tiered rules are billed in (GCP forwarding rules, AKS load balancer rules).
	RulesBilledIn []string    `json:"rulesBilledIn,omitempty"`
	Costs         []CostLine  `json:"costs"`
	MonthlyCost   money.Cents `json:"monthlyCost"`
}

// RuleEvaluations are an ALB's rule evaluations per second two ways: by
// the position of the rule each request matches (Priced: the plan's cost
// uses it, exact if traffic spreads as declared), and AWS's published worst
// case, every request processing every rule of its listener past the ten
// free ones, with what the ALB would cost then.
type RuleEvaluations struct {
	Priced               string      `json:"priced"`
	PerSecond            Quantity    `json:"perSecond"`
	WorstCasePerSecond   Quantity    `json:"worstCasePerSecond"`
	WorstCaseMonthlyCost money.Cents `json:"worstCaseMonthlyCost"`
}

// Quotas is how much of each per-load-balancer quota a shared load balancer
// uses, with the limits (0: no limit) that force a group to split.
type Quotas struct {
	Rules        int         `json:"rules"`
	Certificates int         `json:"certificates"`
	TargetGroups int         `json:"targetGroups"`
	Listeners    int         `json:"listeners"`
	Limits       QuotaLimits `json:"limits"`
}

// QuotaLimits are one kind of load balancer's quotas; 0 means none.
type QuotaLimits struct {
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
	// IncreaseForcedBy says which requirement makes the plan cost more than today.
	IncreaseForcedBy string `json:"increaseForcedBy,omitempty"`
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
	// keepsObjects: a service on an in-cluster proxy or a Gateway today needs
	// its routing object kept (todaysKindNeeds): objectConflict
	keepsObjects bool
	// anyBeside: a service answers plain HTTP beside HTTPS today (plainBeside):
	// the heuristic checks proxies for it (proxyRedirectConflict)
	anyBeside bool
	// anySNI: a TLS service's routes name its hosts (svcInfo.sni): load
	// balancers that do not route by them check ports (sniPortConflict)
	anySNI bool
	// onRetired: a service is on a retired implementation's proxy today
	// (prepareRetired): such proxies take no newcomer (retiredConflict)
	onRetired    bool
	retiredNames map[string][]string // those proxies by scheme (prepareRetired)
	// gatewayRedirect: a service's plain HTTP is redirected by today's
	// Gateway (catchAllRedirectConflict)
	gatewayRedirect bool
	// todayNames are the names of today's load balancers (todayName), made on first use
	todayNames      map[string]bool
	d               *Declaration
	r               rates
	rp              *pricing.RegionPrices
	hours           *big.Rat
	hoursQ          Quantity // the same hours, for integer comparisons
	itemise         bool     // cost lines are being itemised (not only summed)
	lined           *model   // from render on: this model's itemising twin (itemising), made once
	overflow        *overflowNote
	controller      bool
	containerNative bool
	kinds           []kind // the kinds a reachable service may take on this cloud
	svcs            []svcInfo
	fixed           [numFixed]CostLine
	todayPods       map[string][2]CostLine // the pods of today's proxies sized apart (proxy.today), by name: vCPU, memory
	standKind       []kind
	standVal        []val
	standOpts       [][]option
	standLocal      []option      // the standalone kind's own value (localVal, no moves) and rules
	hpos            []int32       // the heuristic's index of each service in its group's members
	parsedRules     [][]rule      // each service's rules parsed (ruleList), made with hpos
	rowCost         []money.Cents // each service's share of the plan, by index (render)
	keyRank         []int32       // each service's place in key order (rankKeys)
	weightRank      []int32       // each service's place busiest rule first (requests per second a rule, then key), for rule order
	// tiered clouds price rules per scope: the first five flat, then per rule
	tiered   bool
	tiers    [2]tier
	marginal [2]money.Cents // the price of one more rule past the fifth, for approximations
	// shareableIn counts, per scheme, the services that may share a load balancer.
	shareableIn map[string]int
	// forced says which need rules out today's exposure, when one does.
	forced string
	// tieWarnings say which tied sets are planned apart, and why
	tieWarnings []string
	tieSize     map[int]int        // the members of each tied set, by tie
	hostUsers   map[schemeHost]int // how many services serve each host (prepareOverlaps, for prepareTies)
	// routeOwners lists, per scheme and route, the shareable services routing it.
	routeOwners *routeOwnerIndex
	// kept are today's load balancers the plan keeps as they are (alsoOn)
	kept []*group
	// current is today's exposure as groups (currentGroups), once built
	current *currentGroupsOf
	// usageEvals are the rule evaluations per second of one load balancer
	// priced from declared usage (LoadBalancerMonthlyCost), not from routes
	usageEvals *big.Rat
	// chainsTightened: exposures were ruled out to meet chain latency budgets
	chainsTightened bool
	// whys interns the reasons services cannot take kinds (svcInfo.whyAt)
	whys *whyTable
	// certsInterned: every service's certIDs are its certs numbered (internSets)
	certsInterned bool
	// controllersTightened: groups were ruled off a proxy controller render
	// could not write beside another (optimiseOneController)
	controllersTightened bool
}

// tier is one scope of tiered rule pricing.
type tier struct {
	id, label     string
	existing      int
	first5, extra pricing.Price
}

func newModel(d *Declaration, cat *pricing.Catalog) (*model, error) {
	if err := Validate(d); err != nil {
		return nil, err
	}
	var rp *pricing.RegionPrices
	var err error
	if f := clouds[d.Cloud].declaredPrices; f != nil {
		if rp, err = f(d, cat.Date); err != nil {
			return nil, err
		}
	} else if rp, err = cat.Region(d.Cloud, d.Region); err != nil {
		return nil, &FieldError{Index: -1, Field: "region", Msg: err.Error()}
	}
	r, err := loadRates(rp)
	if err != nil {
		return nil, fmt.Errorf("price catalog: %w", err)
	}
	m := &model{d: d, r: r, rp: rp, overflow: &overflowNote{}, whys: &whyTable{}, routeOwners: &routeOwnerIndex{}, hours: d.HoursPerMonth.Rat(), hoursQ: *d.HoursPerMonth, controller: *d.AWSLoadBalancerController,
		containerNative: *d.ContainerNative, kinds: enabled(d, offered(d.Cloud, r))}
	if f := clouds[d.Cloud].tiers; f != nil {
		m.tiered, m.tiers = true, f(m)
	}
	if m.tiered {
		for s := range m.tiers {
			m.marginal[s] = money.Round(new(big.Rat).Mul(m.hours, m.tiers[s].extra.Value()))
		}
	}
	if err := m.unpriced(); err != nil {
		return nil, err
	}
	m.prepareFixed()
	m.svcs = make([]svcInfo, len(d.Services))
	parallel(len(d.Services), func(lo, hi int) { // each service's own; reasons interned under a lock
		for i := lo; i < hi; i++ {
			m.prepare(i)
		}
	})
	m.rankKeys()
	m.rankWeights()
	m.prepareOverlaps()
	m.prepareTies() // after the overlaps: whether a tied set has a rule order
	m.prepareKept()
	m.prepareRetired()
	for i := range m.svcs {
		if c := d.Services[i].CurrentLoadBalancer; c != nil && (c.Kind == CurrentProxy || strings.HasPrefix(c.Name, GatewayPrefix)) &&
			(todaysKindNeed(&d.Services[i]) != "" || (c.Kind == CurrentProxy && !isL7(d.Services[i].Protocol))) {
			m.keepsObjects = true
		}
		if addressOfIngress(&d.Services[i]) {
			m.keepsObjects = true // its Ingress's reserved address stays with today's load balancer (addressConflict)
		}
		if s := &d.Services[i]; len(s.RoutedWith) > 0 && s.CurrentLoadBalancer != nil {
			m.keepsObjects = true // a route's split stays off a proxy routed by Ingress, an Ingress's off a Gateway (splitConflict)
		}
		m.anyBeside = m.anyBeside || m.plainBeside(i)
		m.anySNI = m.anySNI || m.svcs[i].sni
		m.gatewayRedirect = m.gatewayRedirect || m.redirectedOnGateway(i)
	}
	return m, nil
}

// enabled leaves out the kinds of opt-in strategies the declaration does not
// list: they are not alternatives a reason should mention.
func enabled(d *Declaration, kinds []kind) []kind {
	return slices.DeleteFunc(kinds, func(k kind) bool {
		s := k.spec().strategy
		return slices.Contains(OptInStrategies[d.Cloud], s) && !slices.Contains(d.Strategies, s)
	})
}

// unpriced reports a declared strategy, or a load balancer of today, whose
// kind the region's catalog cannot price (a kind priced in some regions only).
func (m *model) unpriced() error {
	var es Errors
	missing := func(k kind) string {
		for _, item := range k.spec().items {
			if _, ok := m.r[item]; !ok {
				return fmt.Sprintf("the catalog has no %s price for %s %s (give a catalog that has, with --catalog, or plan in a region it prices)", item, m.d.Cloud, m.d.Region)
			}
		}
		return ""
	}
	for _, k := range clouds[m.d.Cloud].kinds {
		why := missing(k)
		if why == "" {
			continue
		}
		defaulted := m.d.strategiesDefaulted && slices.Equal(m.d.Strategies, DefaultStrategies(m.d.Cloud))
		if i := slices.Index(m.d.Strategies, k.spec().strategy); i >= 0 && !defaulted {
			es = append(es, &FieldError{Index: -1, Field: fmt.Sprintf("strategies[%d]", i), Msg: "strategy " + k.spec().strategy + ": " + why})
		}
		for i := range m.d.Services {
			if c := m.d.Services[i].CurrentLoadBalancer; c != nil && c.Kind == k.spec().current {
				es = append(es, &FieldError{Index: i, Service: m.d.Services[i].Key(), Field: "currentLoadBalancer.kind",
					Msg: "today's " + k.label() + " cannot be priced: " + why})
			}
		}
	}
	if len(es) > 0 {
		return es
	}
	return nil
}

// Check reports everything Compute would reject before optimising: the
// declaration's fields, the region's prices, and each service that no
// exposure satisfies on its own (an infeasible pin, a latency budget no
// exposure meets, a need no kind offers). What only a plan shows (a chain of
// calls over its budget once its callees are placed, a bare-metal pool too
// small for the plan's addresses) is left to Compute. The declaration is
// defaulted, as by Validate.
func Check(d *Declaration, cat *pricing.Catalog) error {
	m, err := newModel(d, cat)
	if err != nil {
		return err
	}
	m.allocStandalones()
	if errs := m.standalones(); len(errs) > 0 {
		return errs
	}
	return nil
}

// Compute plans a declaration with prices from the catalog. The declaration
// is validated (and defaulted) first. The result is deterministic: the same
// declaration and catalog give the same plan, byte for byte once rendered.
func Compute(d *Declaration, cat *pricing.Catalog) (*Plan, error) {
	p, m, err := compute(d, cat)
	if err != nil {
		return nil, err
	}
	p.Opportunities = m.opportunities(p, cat)
	return p, nil
}

func compute(d *Declaration, cat *pricing.Catalog) (*Plan, *model, error) {
	p, m, err := computeOnce(d, cat)
	if err != nil {
		return nil, nil, err
	}
	if p2, m2 := m.newProxiesMaintained(p, cat); p2 != nil {
		return p2, m2, nil
	}
	return p, m, nil
}

// computeOnce plans a declaration with its proxy implementation.
func computeOnce(d *Declaration, cat *pricing.Catalog) (*Plan, *model, error) {
	m, err := newModel(d, cat)
	if err != nil {
		return nil, nil, err
	}
	groups, exact, err := m.optimiseChains()
	if err != nil {
		return nil, nil, err
	}
	p := &Plan{Cloud: d.Cloud, Region: d.Region, Zones: d.Zones, HoursPerMonth: *d.HoursPerMonth}
	switch {
	case exact:
		p.Optimality = "exact"
	case m.chainsTightened:
		p.Optimality = "heuristic: exposures on chains of calls ruled out one at a time to meet their latency budgets"
	case m.controllersTightened:
		p.Optimality = "heuristic: " + m.impl().name + " ruled out, one group at a time, for services a second controller would have served"
	default:
		p.Optimality = fmt.Sprintf("heuristic: a scheme has more than %d shareable services; exact below that", ExactLimit)
	}
	twin := *m // every field final: the itemising twin the rest prices with
	twin.itemise = true
	m.lined = &twin
	defer func() { m.lined = nil }()
	m.render(p, groups)
	m.fillChains(p, groups)
	if err := m.poolShort(p); err != nil {
		return nil, nil, err
	}
	if err := overBound(p); err != nil {
		return nil, nil, err
	}
	m.overflow.clear()
	m.totals(p)
	if msg := m.overflow.first(); msg != "" { // in the baseline or today's exposure
		return nil, nil, fmt.Errorf("pricing the baseline and today's exposure: %s", msg)
	}
	p.Pricing = m.pricingInfo(cat)
	p.Warnings = slices.Concat(d.warnings, m.tieWarnings, m.proxyWarnings(p), m.crossZoneWarnings(p))
	return p, m, nil
}

// overBound reports a cost line beyond money.MaxCents: a price or a traffic
// figure far out of any real range.
func overBound(p *Plan) error {
	for _, lb := range p.LoadBalancers {
		for _, l := range lb.Costs {
			if l.MonthlyCost.Over() {
				return fmt.Errorf("load balancer %s: %s (%s %s x $%s) is over %s a month: check the price's source (%s) and the traffic",
					lb.ID, l.Name, l.Quantity, l.Unit, l.UnitPrice, money.MaxCents.Dollars(), l.Source)
			}
		}
	}
	return nil
}

// Opportunity search replans once per candidate, so it is bounded.
const (
	maxOpportunityServices   = 2000
	maxOpportunityCandidates = 20
	maxNeedCandidates        = 10
)

// opportunities finds the services kept off a shared load balancer only
// because they route the same host and path as another, and what giving each
// a host (or a path) of its own would save.
func (m *model) opportunities(p *Plan, cat *pricing.Catalog) []Opportunity {
	out := []Opportunity{}
	if len(m.svcs) > maxOpportunityServices {
		return out
	}
	tried := 0
	for i := range m.svcs {
		si := &m.svcs[i]
		if tried == maxOpportunityCandidates || !isL7(si.s.Protocol) || m.sameRoute(i) == "" {
			continue
		}
		tried++
		d := *m.d
		d.Services = append([]Service(nil), m.d.Services...)
		s := &d.Services[i]
		action := "give " + si.key + " a host of its own"
		if len(s.Hosts) == 0 {
			s.Hosts = []string{s.Name + "." + s.Namespace + ".example.com"}
		} else {
			s.Paths = append(append([]string(nil), s.Paths...), "/"+s.Name)
			action = "give " + si.key + " a path of its own"
		}
		alt, _, err := compute(&d, cat)
		if err != nil {
			continue
		}
		if save := p.Totals.MonthlyCost - alt.Totals.MonthlyCost; save > 0 {
			out = append(out, Opportunity{Service: si.key, Action: action, MonthlySaving: save})
		}
	}
	out = append(out, m.needOpportunities(p, cat)...)
	return append(out, m.plainHTTPOpportunities(p, cat)...)
}

// needOpportunities are the services kept on today's kind by a need
// (todaysKindNeeds: a rewrite, a session affinity, TLS to the pods, an
// authentication) whose plan would cost less without it: what giving it that
// elsewhere, and dropping the need, would save, for each.
func (m *model) needOpportunities(p *Plan, cat *pricing.Catalog) []Opportunity {
	var out []Opportunity
	tried := 0
	for i := range m.svcs {
		si := &m.svcs[i]
		need := todaysKindNeed(si.s)
		if need == "" || si.s.CurrentLoadBalancer == nil || tried == maxNeedCandidates {
			continue
		}
		tried++
		d := *m.d
		d.Services = append([]Service(nil), m.d.Services...)
		s := &d.Services[i]
		s.Needs = slices.DeleteFunc(slices.Clone(s.Needs), func(n string) bool { return n == need })
		alt, _, err := compute(&d, cat)
		if err != nil {
			continue
		}
		if save := p.Totals.MonthlyCost - alt.Totals.MonthlyCost; save > 0 {
			out = append(out, Opportunity{Service: si.key, MonthlySaving: save, Action: fmt.Sprintf(
				"give %s what today's %s controller does for it (its %s need: a rewrite, session affinity, TLS to its pods or an authentication) where the plan would move it, and drop the need",
				si.key, si.s.CurrentLoadBalancer.Kind, need)})
		}
	}
	return out
}

// plainHTTPOpportunities are today's GKE Ingresses that serve plain HTTP
// beside HTTPS (their services' plainToo), which a plan keeps, for a client
// may use it: what turning it off would save, for each.
func (m *model) plainHTTPOpportunities(p *Plan, cat *pricing.Catalog) []Opportunity {
	var names []string
	byName := map[string][]int{}
	for i := range m.svcs {
		if si := &m.svcs[i]; si.plainToo && si.s.CurrentLoadBalancer != nil {
			name := si.s.CurrentLoadBalancer.Name
			if byName[name] == nil {
				names = append(names, name)
			}
			byName[name] = append(byName[name], i)
		}
	}
	sort.Strings(names)
	var out []Opportunity
	for _, name := range names[:min(len(names), maxOpportunityCandidates)] {
		d := *m.d
		d.Services = append([]Service(nil), m.d.Services...)
		for _, i := range byName[name] {
			c := *d.Services[i].CurrentLoadBalancer
			c.HTTPFrontend, c.HTTPRedirect = false, false
			d.Services[i].CurrentLoadBalancer = &c
		}
		alt, _, err := compute(&d, cat)
		if err != nil {
			continue
		}
		if save := p.Totals.MonthlyCost - alt.Totals.MonthlyCost; save > 0 {
			action := fmt.Sprintf(`set kubernetes.io/ingress.allow-http: "false" on %s (its plain-HTTP frontend), if no client uses plain HTTP`, name)
			switch c := m.svcs[byName[name][0]].s.CurrentLoadBalancer; {
			case c.Kind == CurrentALB && !strings.HasPrefix(name, GatewayPrefix):
				also := ""
				if c.HTTPRedirect {
					also = " (and its ssl-redirect)"
				}
				action = fmt.Sprintf("remove HTTP from the listen-ports of the Ingresses of ALB %s%s, if no client still comes over plain HTTP", name, also)
			case c.Kind != CurrentGCE && c.HTTPRedirect:
				action = fmt.Sprintf("drop the plain-HTTP listener of %s and its redirect to HTTPS, if no client still comes over plain HTTP", name)
			case c.Kind != CurrentGCE:
				action = fmt.Sprintf("attach the routes on %s to its HTTPS listener only (its plain-HTTP listener then goes), if no client uses plain HTTP", name)
			}
			out = append(out, Opportunity{Service: m.svcs[byName[name][0]].key, Action: action, MonthlySaving: save})
		}
	}
	return out
}

func schemeWord(scheme string) string {
	if scheme == schemeInternet {
		return "internet"
	}
	return "internal"
}

// dedicatedKind is a LoadBalancer Service of its own on this cloud.
func (m *model) dedicatedKind() kind { return clouds[m.d.Cloud].dedicated(m) }

// ingressKind is how today's Ingresses are assumed to be served on this cloud.
func (m *model) ingressKind() kind { return clouds[m.d.Cloud].ingress(m) }

// priceGroups is the cost of a set of groups with their tiered rule charges.
func (m *model) priceGroups(groups []*group) money.Cents {
	costs, rules := make([]money.Cents, len(groups)), make([]rv, len(groups))
	parallel(len(groups), func(lo, hi int) { // a baseline of 100,000 load balancers
		for j := lo; j < hi; j++ {
			costs[j], _, _ = m.cost(groups[j], false)
			rules[j] = m.groupRules(groups[j])
		}
	})
	var c money.Cents
	var r rv
	for j := range groups {
		c += costs[j]
		r = r.plus(rules[j])
	}
	return c + m.tierCents(0, int(r[0])) + m.tierCents(1, int(r[1]))
}

// groupRules counts the rules a group adds to the tiered scopes.
func (m *model) groupRules(g *group) rv { return m.rulesOf(g.kind, g.scheme, g.members) }

// totals fills the plan's totals, the baseline (every service reachable
// from outside the cluster behind a LoadBalancer Service of its own) and the
// current exposure when declared.
func (m *model) totals(p *Plan) {
	var t Totals
	for _, lb := range p.LoadBalancers {
		t.MonthlyCost += lb.MonthlyCost
	}
	var baseline []*group
	for i := range m.svcs {
		if si := &m.svcs[i]; si.s.Audience != AudienceCluster {
			baseline = append(baseline, m.newGroup(m.dedicatedKind(), si.scheme, []int{i}))
		}
	}
	t.BaselineMonthlyCost = m.priceGroups(baseline)
	t.SavingsVsBaseline = t.BaselineMonthlyCost - t.MonthlyCost
	if c, any := m.currentCost(); any {
		t.CurrentMonthlyCost = &c
		s := c - t.MonthlyCost
		t.SavingsVsCurrent = &s
		if s < 0 {
			t.IncreaseForcedBy = m.forced
			if t.IncreaseForcedBy == "" {
				t.IncreaseForcedBy = "not every service declares its exposure today, so today's load balancers could not be kept as they are"
			}
		}
	}
	p.Totals = t
}

func (m *model) pricingInfo(cat *pricing.Catalog) PricingInfo {
	info := PricingInfo{Catalog: cat.Name(), CatalogDate: cat.Date, Currency: "USD"}
	if clouds[m.d.Cloud].declaredPrices != nil {
		info.Catalog = "the declaration's own prices (addressPool, nodeCost)"
	}
	items := slices.Clone(pricing.RequiredItems[m.d.Cloud])
	for _, k := range m.kinds {
		items = append(items, k.spec().items...)
	}
	for _, item := range items {
		pr := m.r[item]
		info.Sources = append(info.Sources, PriceSource{Item: pr.Item, Price: pr.Price, Unit: pr.Unit, Source: pr.Source, Date: pr.Date})
	}
	return info
}
