package planner

import (
	"fmt"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// kind is one way of exposing a service on one cloud.
type kind uint8

const (
	kClusterIP kind = iota
	kNodePort
	kNLB           // AWS: a LoadBalancer Service of its own, NLB through the AWS Load Balancer Controller
	kCLB           // AWS: a LoadBalancer Service of its own, Classic LB from the in-tree provider
	kALB           // AWS: an Ingress on a shared ALB (IngressGroup)
	kProxy         // any cloud: an Ingress on an in-cluster proxy behind one L4 load balancer
	kGCPLB         // GCP: a LoadBalancer Service, a passthrough load balancer with its own forwarding rule
	kGCE           // GCP: GKE Ingress; each Ingress object is a load balancer
	kGateway       // GCP: a shared GKE Gateway
	kAzureLB       // Azure: a LoadBalancer Service, a rule and frontend on the cluster's one Standard LB
	kAppGW         // Azure: an Ingress on a shared Application Gateway v2 (AGIC)
	kAGC           // Azure: routes on a shared Application Gateway for Containers (Gateway API)
	kNLBGW         // AWS: TCP, UDP and TLS routes on an NLB shared through a Gateway (AWS Load Balancer Controller v3)
	kALBGW         // AWS: HTTP, HTTPS and gRPC routes on an ALB shared through a Gateway (AWS Load Balancer Controller v3)
	kAddress       // bare metal: a LoadBalancer Service with a pool address of its own
	kSharedAddress // bare metal: LoadBalancer Services sharing a pool address, their ports apart
	numKinds
)

// kindLimits are the per-load-balancer quotas of shared kinds that force a group to split.
type kindLimits struct {
	rules, targets, certs, listeners int // 0: no limit
}

// schemes
const (
	schemeInternet = "internet-facing"
	schemeInternal = "internal"
)

// svcInfo is a service prepared for pricing.
type svcInfo struct {
	s        *Service
	key      string
	scheme   string // "" for cluster audience
	nc, ac   Quantity
	gb, rps  Quantity
	rules    int      // HTTP routing rules: one per host x path
	routes   []string // listener|host|path keys that must not collide on one router
	clashes  []string // its routes that another service also routes: the only ones that can collide
	listener string   // HTTP:80 or HTTPS:443
	tls      bool     // TLS ends at the load balancer (an HTTPS or gRPC listener): each new connection a handshake there
	httpLis  bool     // listener is HTTP:80 (listenerIndex 0)
	// plainToo: served over plain HTTP beside HTTPS today (a GKE Ingress with
	// TLS that allows HTTP: CurrentLB.HTTPFrontend), which a plan keeps, for
	// its clients may use either
	plainToo bool
	// plain is what plain HTTP gets of it: served (plainServed: a plain-HTTP
	// service, or plainToo), redirected to HTTPS (plainRedirected: plainToo
	// by a redirect today, CurrentLB.HTTPRedirect), or neither
	plain     plainHTTP
	certs     []string // certificates it brings to an HTTPS listener
	clashIDs  []int32  // clashes and certs as small integers (prepareOverlaps), for the heuristic's sets
	sni       bool     // TLS with hosts: its routes name them (sniRoute), for a load balancer that routes by them (routesSNI)
	certIDs   []int32
	l4        string          // layer-4 listener protocol: TCP, UDP or TLS
	lbRules   [numKinds]int32 // rules a load balancer of its own needs (GCP: one per protocol; Azure: one per port)
	nlbPorts  int             // NLB listeners: one per port (TCP and UDP on one port are one TCP_UDP listener)
	notL7Port string          // a port a shared HTTP load balancer cannot take, "" if none
	feasible  [numKinds]bool
	whyAt     [numKinds]uint32 // why a kind is not feasible (an index into the model's whys; 0: it is)
	latency   [numKinds]Quantity
	shareable [numKinds]bool // may share a load balancer of this kind with others
	// today's exposure: its kind (noKind when not declared), scheme and load balancer
	cur                kind
	curScheme, curName string
	// services that must share one load balancer share a tie (the lowest
	// index of the set): those routed by one rule, and those serving one
	// host (prepareTies)
	tie  int
	tied bool
	// services routed by one rule (routedWith) share a route tie too: their
	// shared routes are that rule, not a conflict
	rtie  int
	rtied bool
	// overlaps: its rules may overlap another service's (any host, a wildcard, a shared host)
	overlaps bool
	// policy is accessPolicy(s) and ns its namespace, held here for the
	// heuristic's fits, which reads them for every trial
	policy, ns string
}

// rates are the catalog prices of one cloud region, by item.
type rates map[string]pricing.Price

func loadRates(rp *pricing.RegionPrices) (rates, error) {
	r := rates{}
	for _, item := range pricing.RequiredItems[rp.Cloud] {
		p, err := rp.Price(item)
		if err != nil {
			return nil, err
		}
		r[item] = p
	}
	for _, item := range pricing.OptionalItems[rp.Cloud] {
		if p, err := rp.Price(item); err == nil {
			r[item] = p
		}
	}
	return r, nil
}

// offered lists a cloud's kinds that the region's rates can price.
func offered(cloud string, r rates) []kind {
	var out []kind
	for _, k := range clouds[cloud].kinds {
		priced := true
		for _, item := range k.spec().items {
			_, ok := r[item]
			priced = priced && ok
		}
		if priced {
			out = append(out, k)
		}
	}
	return out
}

// CostLine is one itemised cost of a load balancer.
type CostLine struct {
	Name        string      `json:"name"`
	Quantity    string      `json:"quantity"`
	Unit        string      `json:"unit"`
	UnitPrice   string      `json:"unitPrice"`
	MonthlyCost money.Cents `json:"monthlyCost"`
	Source      string      `json:"source"`
	Date        string      `json:"date"`

	driver  dimension // the usage the line's cost is allocated by among a load balancer's services
	exact   *big.Rat  // the amount before rounding, when itemised (pricing one load balancer's usage)
	milli   int64     // the amount in thousandths of a cent: the optimiser sums these and rounds the sum once
	shares  []Share   // the line split over the services it serves (Shares), when several
	sole    string    // the one service it serves, when it serves one
	item    string    // the catalog item it is priced at
	byRules bool      // a tiered rule charge, split by the rules each service accounts for
}

// Item is the catalog item (SKU) the line is priced at; "" on plans read back from JSON.
func (l CostLine) Item() string { return l.item }

// AllocationBasis says how the line is split over its services: "evenly",
// or by "new connections", "active connections", "processed bytes", "rule
// evaluations", or "rules" (a scope's tiered rule charges).
func (l CostLine) AllocationBasis() string {
	if l.byRules {
		return "rules"
	}
	if l.driver == byNothing {
		return "evenly"
	}
	return l.driver.String()
}

// Share is one service's part of a cost line, in cents.
type Share struct {
	Service string // namespace/name
	Cents   money.Cents
}

// Shares splits the line over the services of its load balancer, by the
// usage that drives it (the same split as the services' monthly costs):
// the parts add up to the line to the cent. Plans read back from JSON have none.
func (l CostLine) Shares() []Share {
	if l.sole != "" {
		return []Share{{Service: l.sole, Cents: l.MonthlyCost}}
	}
	return l.shares
}

// line is a cost line of a group being priced: itemised when m.itemise is
// set (rendering), else just its amount (the optimiser's many evaluations).
func (m *model) line(name string, qty *big.Rat, p pricing.Price, driver dimension) CostLine {
	var l CostLine
	if !m.itemise {
		cost := new(big.Rat).Mul(qty, p.Value())
		l = CostLine{MonthlyCost: money.Round(cost), milli: money.RoundMilli(cost), driver: driver}
	} else {
		l = line(name, qty, p, driver)
	}
	return m.checked(l, name, p)
}

// checked notes a line over the money bound.
func (m *model) checked(l CostLine, name string, p pricing.Price) CostLine {
	if l.MonthlyCost.Over() {
		m.overflow.note(fmt.Sprintf("%s (%s) is over %s a month: check the price's source (%s) and the traffic", name, p.Item, money.MaxCents.Dollars(), p.Source))
	}
	return l
}

// overflowNote keeps a cost line over money.MaxCents (the least message) since it was
// last cleared; safe for the goroutines that price groups at once.
type overflowNote struct {
	mu  sync.Mutex
	msg string
}

func (o *overflowNote) note(msg string) {
	if o == nil {
		return // a model that does not keep it (usage pricing)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.msg == "" || msg < o.msg { // the least, not the first: the same whatever order parallel pricing notes them in
		o.msg = msg
	}
}

func (o *overflowNote) first() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.msg
}

func (o *overflowNote) clear() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msg = ""
}

func line(name string, qty *big.Rat, p pricing.Price, driver dimension) CostLine {
	cost := new(big.Rat).Mul(qty, p.Value())
	return CostLine{
		Name: name, Quantity: money.FormatRat(qty, 6), Unit: p.Unit, UnitPrice: p.Price,
		MonthlyCost: money.Round(cost), Source: p.Source, Date: p.Date, driver: driver, exact: cost, item: p.Item, milli: money.RoundMilli(cost),
	}
}

// dims are the summed usage of a load balancer's members; tls is the new
// connections that open TLS at the load balancer.
type dims struct{ nc, ac, gb, tls Quantity }

func (d *dims) add(s *svcInfo) {
	d.nc += s.nc
	d.ac += s.ac
	d.gb += s.gb
	if s.tls {
		d.tls += s.nc
	}
}

func (d *dims) sub(s *svcInfo) {
	d.nc -= s.nc
	d.ac -= s.ac
	d.gb -= s.gb
	if s.tls {
		d.tls -= s.nc
	}
}

// capacity is a count of capacity units: num/den, or rat when the
// rule-evaluation dimension (a rational) is the highest.
type capacity struct {
	num, den Quantity
	rat      *big.Rat
}

// Rat is the count as a new rational.
func (c capacity) Rat() *big.Rat {
	if c.rat != nil {
		return new(big.Rat).Set(c.rat)
	}
	return big.NewRat(int64(c.num), int64(c.den))
}

// units is capacityUnits without building a rational unless it must; evals
// (rule evaluations per second) may be a fraction or a rational, or zero.
func (m *model) units(d dims, ncCap, acCap Quantity, evals capacity) (capacity, dimension) {
	// the highest dimension, compared exactly in integers (num/den pairs)
	num, den, name := d.nc, ncCap, byNewConnections
	if ratioGreater(d.ac, acCap, num, den) {
		num, den, name = d.ac, acCap, byActiveConnections
	}
	if ratioGreater(d.gb, m.hoursQ, num, den) {
		num, den, name = d.gb, m.hoursQ, byBytes
	}
	c := capacity{num: num, den: den}
	switch {
	case evals.rat != nil && evals.rat.Sign() > 0:
		if v := new(big.Rat).Quo(evals.rat, big.NewRat(albRuleEvalsPerLCU, 1)); v.Cmp(c.Rat()) > 0 {
			c, name = capacity{rat: v}, byRuleEvaluations
		}
	case evals.rat == nil && evals.num > 0:
		if d, ok := mulInt64(int64(evals.den), albRuleEvalsPerLCU); !ok {
			if v := new(big.Rat).Quo(evals.Rat(), big.NewRat(albRuleEvalsPerLCU, 1)); v.Cmp(c.Rat()) > 0 {
				c, name = capacity{rat: v}, byRuleEvaluations
			}
		} else if ratioGreater(evals.num, Quantity(d), num, den) {
			c, name = capacity{num: evals.num, den: Quantity(d)}, byRuleEvaluations
		}
	}
	return c, name
}

// unitHoursLine prices capacity units for every hour of the month; when the
// line is only summed, in machine integers (money.RoundProduct).
func (m *model) unitHoursLine(name string, c capacity, p pricing.Price, driver dimension) CostLine {
	if m.itemise || c.rat != nil {
		q := c.Rat()
		return m.line(name, q.Mul(q, m.hours), p, driver)
	}
	return m.checked(CostLine{MonthlyCost: money.RoundProduct(int64(c.num), int64(c.den), m.hours, p.Value()),
		milli: money.RoundProductMilli(int64(c.num), int64(c.den), m.hours, p.Value()), driver: driver}, name, p)
}

// quantityLine prices a usage quantity (GB a month) at p.
func (m *model) quantityLine(name string, q Quantity, p pricing.Price, driver dimension, fs ...*big.Rat) CostLine {
	if m.itemise {
		r := q.Rat()
		for _, f := range fs {
			r.Mul(r, f)
		}
		return m.line(name, r, p, driver)
	}
	fs = append(fs, p.Value())
	return m.checked(CostLine{MonthlyCost: money.RoundProduct(int64(q), QuantityScale, fs...),
		milli: money.RoundProductMilli(int64(q), QuantityScale, fs...), driver: driver}, name, p)
}

// ratioGreater reports whether a/b > c/d for non-negative a, c and positive b, d, exactly.
func ratioGreater(a, b, c, d Quantity) bool {
	hi1, lo1 := bits.Mul64(uint64(a), uint64(d))
	hi2, lo2 := bits.Mul64(uint64(c), uint64(b))
	return hi1 > hi2 || (hi1 == hi2 && lo1 > lo2)
}

// dimension is what a cost line is billed on, and so how a shared load
// balancer's line is allocated to its services: evenly (a fixed hourly
// price), or by each one's new connections, active connections, bytes or
// rule evaluations.
type dimension uint8

const (
	byNothing dimension = iota // evenly
	byNewConnections
	byActiveConnections
	byBytes
	byRuleEvaluations
	byTLSConnections // new connections that open TLS at the load balancer
)

// String names the dimension as a cost line does ("billed on ...").
func (d dimension) String() string {
	return [...]string{"nothing", "new connections", "active connections", "processed bytes", "rule evaluations", "TLS new connections"}[d]
}

// use is a service's use of a dimension, for allocating by it (1 for evenly;
// rule evaluations depend on the rule order and are weighed apart).
func (d dimension) use(s *svcInfo) Quantity {
	switch d {
	case byNewConnections:
		return s.nc
	case byActiveConnections:
		return s.ac
	case byBytes:
		return s.gb
	case byTLSConnections:
		if s.tls {
			return s.nc
		}
		return 0
	}
	return 1
}

// group is a set of services on one load balancer (or one standalone exposure).
type group struct {
	kind    kind
	scheme  string
	members []int // indexes into model.svcs
	sums    dims
	// frontends today (Application Gateway for Containers); a planned
	// gateway has one, which all its routes share
	frontends int
	// keeps caches whether the group keeps a load balancer of today (and its
	// name), for rendering each member without recounting the group
	keeps *kept
	// evals, when set, are its ALB rule evaluations, worked out from another
	// group's (the heuristic's trial of one more member); nil: from members
	evals *capacity
	// todayPos, for an ALB of today whose services all give their rule's
	// position on it, is each one's (CurrentLB.RulePosition): its rules are
	// counted in that order (groupRuleOrder); nil for any other group
	todayPos map[int]int
}

// kept is today's load balancer a group keeps, if any.
type kept struct {
	name string
	ok   bool
}

// keptToday is today's load balancer (named) the group keeps, counted once per group.
func (m *model) keptToday(g *group) (string, bool) {
	if g.keeps == nil {
		name, ok := m.identity(g.kind, g.scheme, g.members)
		g.keeps = &kept{name, ok && name != "" && name != "(ingress)"}
	}
	return g.keeps.name, g.keeps.ok
}

// rv counts the rules a group adds to each tiered scope (GCP forwarding
// rules per scope, Azure load-balancer rules per cluster load balancer).
type rv [2]int32

func (a rv) plus(b rv) rv { return rv{a[0] + b[0], a[1] + b[1]} }

// cost prices a group's own lines (not the tiered rule charges, which depend
// on the whole plan). withLines asks for the itemised lines; every line is
// rounded to cents and the total is their sum.
func (m *model) cost(g *group, withLines bool) (money.Cents, []CostLine, []ruleSlot) {
	c, _, lines, slots := m.costMilli(g, withLines)
	return c, lines, slots
}

// costMilli is cost with the lines' amounts in thousandths of a cent, summed
// before rounding: what the optimiser compares, so that a split of a load
// balancer's usage lines never gains by rounding alone.
func (m *model) costMilli(g *group, withLines bool) (money.Cents, int64, []CostLine, []ruleSlot) {
	b := bills.Get().(*bill) // the optimiser prices millions: reused, not allocated
	*b = bill{keep: withLines}
	var slots []ruleSlot
	if withLines { // a model that itemises: the model itself is shared by goroutines
		m = m.itemising()
	}
	if f := g.kind.spec().cost; f != nil {
		slots = f(m, g, b)
	}
	if f := g.kind.spec().crossZoneHops; f != nil {
		if n := f(m); n > 0 {
			m.crossZoneLine(g, n, b)
		}
	}
	total, milli, lines := b.total, b.milli, b.lines
	*b = bill{}
	bills.Put(b)
	return total, milli, lines, slots
}

// bills are the cost functions' bills, reused.
var bills = sync.Pool{New: func() any { return new(bill) }}

// itemising is the model's twin that itemises cost lines: the one render
// made (lined), else a copy.
func (m *model) itemising() *model {
	if m.lined != nil {
		return m.lined
	}
	c := *m
	c.itemise = true
	return &c
}

// crossZoneWarnings says when the plan has hops to other zones that the
// catalog cannot price (a catalog without the cloud's inter-zone rate).
func (m *model) crossZoneWarnings(p *Plan) []string {
	item := clouds[m.d.Cloud].crossZone.item
	if _, ok := m.r[item]; ok || item == "" || m.d.Zones < 2 {
		return nil
	}
	for _, lb := range p.LoadBalancers {
		for k := range numKinds {
			if f := k.spec().crossZoneHops; f != nil && f(m) > 0 && k.spec().id != nil && lb.Kind == k.spec().id(m) {
				return []string{fmt.Sprintf("cross-zone data transfer is not priced: the catalog has no %s price for %s %s", item, m.d.Cloud, m.d.Region)}
			}
		}
	}
	return nil
}

// crossZoneLine prices a group's hops to other zones: each sends (zones-1)/zones
// of its bytes across, billed out of one zone and into the other. Nothing
// where the catalog has no price for it (the plan warns), on one zone, or
// without bytes.
func (m *model) crossZoneLine(g *group, hops int, b *bill) {
	cz := clouds[m.d.Cloud].crossZone
	p, ok := m.r[cz.item]
	z := m.d.Zones
	if cz.item == "" || !ok || z < 2 || g.sums.gb == 0 {
		return
	}
	share := big.NewRat(cz.times*int64(hops*(z-1)), int64(z))
	name := fmt.Sprintf("cross-zone data transfer (%d/%d of the bytes, %s)", z-1, z, cz.billed)
	if hops > 1 {
		name = fmt.Sprintf("cross-zone data transfer (%d hops, %d/%d of the bytes each, %s)", hops, z-1, z, cz.billed)
	}
	if cz.toUnit != nil {
		b.add(m.quantityLine(name, g.sums.gb, p, byBytes, share, cz.toUnit))
		return
	}
	b.add(m.quantityLine(name, g.sums.gb, p, byBytes, share))
}

// bill sums a load balancer's cost lines, keeping them when itemised.
type bill struct {
	total money.Cents
	milli int64 // the lines' amounts in thousandths of a cent, summed unrounded
	lines []CostLine
	keep  bool
}

func (b *bill) add(l CostLine) {
	b.total += l.MonthlyCost
	b.milli += l.milli
	if b.keep {
		b.lines = append(b.lines, l)
	}
}

// proxyLines adds the in-cluster proxy's pods: those of today's proxy the
// group keeps where proxy.today sizes it apart, else proxy's.
func (m *model) proxyLines(g *group, b *bill) {
	if m.todayPods != nil {
		name, ok := "", false
		if g.keeps != nil { // named by render (adoptGateways)
			name, ok = g.keeps.name, g.keeps.ok
		} else { // not cached: a group of the optimiser changes its members
			name, ok = m.identity(g.kind, g.scheme, g.members)
		}
		if l, sized := m.todayPods[name]; ok && sized {
			b.add(l[0])
			b.add(l[1])
			return
		}
	}
	b.add(m.fixed[fixProxyCPU])
	b.add(m.fixed[fixProxyMem])
}

// listenersOf reports which HTTP listeners (HTTP:80, HTTPS:443) members use.
func (m *model) listenersOf(members []int) (http, https bool) {
	for _, i := range members {
		h, s := m.svcs[i].listens()
		http, https = http || h, https || s
	}
	return http, https
}

// quotaRules is the rules the service takes of a load balancer of kind k's
// quota: an ALB's rules are per listener, so a service served over plain
// HTTP beside HTTPS (plainToo) takes its rules twice there (once when plain
// HTTP is redirected: the HTTP listener's default action); elsewhere (a GKE
// URL map both frontends share) once.
func (si *svcInfo) quotaRules(k kind) int {
	if si.plain == plainServed && si.plainToo && (k.spec().firstMatch || k.spec().precedence) {
		return 2 * si.rules
	}
	return si.rules
}

// listenerCounts is listens as counts (0 or 1 each), for running sums.
func (si *svcInfo) listenerCounts() (http, https int) {
	h, s := si.listens()
	return b2i(h), b2i(s)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// listens says which listeners of a shared HTTP load balancer the service
// needs: plain HTTP, HTTPS, or both (plainToo).
func (si *svcInfo) listens() (http, https bool) {
	return si.httpLis || si.plainToo, !si.httpLis
}

// rulesOf counts the rules a group adds to the tiered scopes.
func (m *model) rulesOf(k kind, scheme string, members []int) rv {
	if k == kProxy {
		return m.proxyRules(scheme, members)
	}
	http, https := m.listenersOf(members)
	r := m.rulesFor(k, scheme, http, https)
	if len(members) == 1 {
		if n := m.svcs[members[0]].lbRules[k]; n > 1 {
			r = rv{r[0] * n, r[1] * n}
		}
	}
	return r
}

// proxyRules counts the rules an in-cluster proxy's front adds: its HTTP
// and HTTPS listeners for the services it routes by HTTP, and the ports of
// the layer-4 routes it keeps (proxyFront.l4Rules: a rule per port on
// Azure, a forwarding rule for UDP on GCP).
func (m *model) proxyRules(scheme string, members []int) rv {
	var http, https bool
	var ports map[ServicePort]bool
	for _, i := range members {
		si := &m.svcs[i]
		if isL7(si.s.Protocol) {
			h, t := si.listens()
			http, https = http || h, https || t
			continue
		}
		if ports == nil {
			ports = map[ServicePort]bool{}
		}
		for _, p := range l4Ports(si.s) {
			ports[p] = true
		}
	}
	if m.groupImpl(scheme, members).bothPorts { // its Service listens on both, whatever it routes
		http, https = true, true
	}
	r := m.rulesFor(kProxy, scheme, http, https)
	if f := clouds[m.d.Cloud].proxy.l4Rules; f != nil && len(ports) > 0 {
		r = r.plus(f(schemeScope(scheme), ports))
	}
	return r
}

// groupImpl is the implementation of an in-cluster proxy group of scheme
// with members: that of today's proxy it keeps where proxy.today sizes it
// apart, else the plan's.
func (m *model) groupImpl(scheme string, members []int) *proxyImpl {
	if len(m.d.Proxy.Today) > 0 {
		if name, ok := m.identity(kProxy, scheme, members); ok {
			if t := m.d.todaysProxyEntry(name); t != nil {
				return proxyImplNamed(t.Implementation)
			}
		}
	}
	return m.impl()
}

// schemeScope is the tiered rule scope of a scheme: 0 public, 1 internal.
func schemeScope(scheme string) int {
	if scheme == schemeInternal {
		return 1
	}
	return 0
}

// preparePorts derives what a multi-port Service needs of a load balancer.
func (m *model) preparePorts(si *svcInfo) {
	ports := si.s.Ports
	if len(ports) == 0 {
		ports = []ServicePort{{Port: si.s.Port, Protocol: si.s.Protocol}}
	}
	var tcp, udp int32 // the layer-4 protocols used (a GCP forwarding rule each)
	for n, p := range ports {
		if p.Protocol == ProtoUDP {
			udp = 1
		} else {
			tcp = 1
		}
		if !slices.ContainsFunc(ports[:n], func(q ServicePort) bool { return q.Port == p.Port }) {
			si.nlbPorts++ // a listener per distinct port
		}
		if !isL7(p.Protocol) && si.notL7Port == "" && len(si.s.Ports) > 0 {
			si.notL7Port = fmt.Sprintf("port %d (%s)", p.Port, p.Protocol)
		}
	}
	si.lbRules[kGCPLB] = tcp + udp
	si.lbRules[kAzureLB] = int32(len(ports))
}

// rulesFor counts the rules a group of kind k adds, given the listeners its members use.
func (m *model) rulesFor(k kind, scheme string, http, https bool) rv {
	scope := schemeScope(scheme)
	listeners := int32(0)
	if http {
		listeners++
	}
	if https {
		listeners++
	}
	if f := k.spec().tierRules; f != nil {
		return f(m, scope, listeners)
	}
	return rv{}
}

// fixed cost lines, the same for every load balancer of a kind
const (
	fixALBHour = iota
	fixNLBHour
	fixCLBHour
	fixIPv4
	fixProxyCPU
	fixProxyMem
	fixAppGWHour
	fixAddress
	numFixed
)

func (m *model) prepareFixed() {
	d := m.d
	if f := clouds[d.Cloud].fixed; f != nil {
		f(m)
	}
	pods := m.podLines(*d.Proxy.Replicas, *d.Proxy.CPU, *d.Proxy.MemoryGiB)
	m.fixed[fixProxyCPU], m.fixed[fixProxyMem] = pods[0], pods[1]
	for _, t := range d.Proxy.Today {
		if m.todayPods == nil {
			m.todayPods = map[string][2]CostLine{}
		}
		m.todayPods[t.Name] = m.podLines(*t.Replicas, *t.CPU, *t.MemoryGiB)
	}
}

// podLines are the cost lines of an in-cluster proxy's pods: vCPU and memory.
func (m *model) podLines(replicas int, cpu, memGiB Quantity) [2]CostLine {
	n := big.NewRat(int64(replicas), 1)
	c := new(big.Rat).Mul(n, cpu.Rat())
	c.Mul(c, m.hours)
	g := new(big.Rat).Mul(n, memGiB.Rat())
	g.Mul(g, m.hours)
	return [2]CostLine{
		line(fmt.Sprintf("proxy vCPU (%d x %s vCPU)", replicas, cpu), c, m.r[pricing.ProxyVCPUHour], byNothing),
		line(fmt.Sprintf("proxy memory (%d x %s GiB)", replicas, memGiB), g, m.r[pricing.ProxyGiBHour], byNothing),
	}
}

// prepare derives each service's usage, routing and feasible exposures.
func (m *model) prepare(i int) {
	s := &m.d.Services[i]
	si := &m.svcs[i]
	*si = svcInfo{s: s, key: s.Key(), nc: s.Traffic.NewConnectionsPerSecond, ac: s.Traffic.ActiveConnections,
		gb: s.Traffic.GBPerMonth, rps: s.Traffic.RequestsPerSecond, policy: accessPolicy(s), ns: s.NamespaceOrDefault()}
	switch s.Audience {
	case AudienceInternet:
		si.scheme = schemeInternet
	case AudienceVPC:
		si.scheme = schemeInternal
	}
	hosts, paths := s.Hosts, s.Paths
	if len(hosts) == 0 {
		hosts = []string{"*"}
	}
	if len(paths) == 0 {
		paths = []string{"/*"}
	}
	si.rules = len(hosts) * len(paths)
	si.listener = "HTTPS:443"
	if s.Protocol == ProtoHTTP {
		si.listener, si.httpLis = "HTTP:80", true
	}
	si.tls = isL7(s.Protocol) && !si.httpLis
	plain, redirect := s.frontend()
	si.plainToo = plain
	switch {
	case redirect:
		si.plain = plainRedirected
	case si.plainToo || si.httpLis:
		si.plain = plainServed
	}
	for _, h := range hosts {
		for _, p := range paths {
			si.routes = append(si.routes, si.listener+"|"+h+"|"+p)
		}
	}
	if !isL7(s.Protocol) { // a layer-4 service's "routes" are its ports: one listener each on a shared NLB
		si.routes, si.rules = si.routes[:0], 0
		si.sni = s.Protocol == ProtoTLS && len(s.Hosts) > 0 // and its hosts, where TLS is routed by server name (routesSNI)
		for _, p := range l4Ports(s) {
			r := l4Route + strconv.Itoa(p.Port)
			if clouds[m.d.Cloud].portsByProtocol { // TCP 53 and UDP 53 of two Services may share an address
				r += "/" + p.Protocol
			}
			if slices.Contains(si.routes, r) || (si.sni && slices.Contains(si.routes, r+sniRoute+s.Hosts[0])) {
				continue
			}
			si.rules++
			if !si.sni {
				si.routes = append(si.routes, r)
				continue
			}
			for _, h := range uniqueHosts(s.Hosts) {
				si.routes = append(si.routes, r+sniRoute+h)
			}
		}
	}
	if si.listener == "HTTPS:443" {
		switch {
		case s.Certificate != "":
			si.certs = []string{s.Certificate}
		case len(s.Hosts) > 0:
			si.certs = slices.Clone(s.Hosts)
		default:
			si.certs = []string{"(default certificate)"}
		}
	}
	si.l4 = ProtoTCP
	switch {
	case s.Protocol == ProtoUDP:
		si.l4 = ProtoUDP
	case s.Protocol == ProtoTLS && !s.Has(NeedTLSPassthrough):
		si.l4 = ProtoTLS
	}
	m.preparePorts(si)
	lat := m.d.Latency
	lb, proxy, node := *lat.LoadBalancerMs, *lat.ProxyMs, *lat.NodeHopMs
	for _, k := range clouds[m.d.Cloud].kinds {
		si.latency[k] = k.spec().latency(m, lb, proxy, node) + m.sidecars(k)
		if k.spec().etpNodeHop && s.Has(NeedClientIP) {
			si.latency[k] -= node // externalTrafficPolicy: Local: no second node
		}
	}
	si.latency[kClusterIP] = m.sidecars(kClusterIP)
	for _, k := range m.kinds {
		why := m.infeasible(si, k)
		m.setWhy(si, k, why)
		si.feasible[k] = why == ""
		si.shareable[k] = si.feasible[k] && k.shared() && !s.Has(NeedDedicated)
	}
	if s.Audience == AudienceCluster {
		si.feasible[kClusterIP] = true
	}
	m.prepareCurrent(i)
}

// todaysKind says why a service with a need of todaysKindNeeds cannot take
// kind k (not its currentLoadBalancer's), "" if it can.
func todaysKind(s *Service, k kind) string {
	cur := s.CurrentLoadBalancer
	if cur == nil || k.spec().current == cur.Kind {
		return ""
	}
	if serviceLevelPolicy(cur.AccessPolicy) {
		if k.exposure() == LoadBalancer && !k.shared() {
			return ""
		}
		return "accessPolicy: the Service's loadBalancerSourceRanges (" + strings.TrimPrefix(cur.AccessPolicy, SourceRangesPolicy) + ") restrict only a load balancer of its own"
	}
	if cur.AccessPolicy != "" {
		return "accessPolicy: today's " + cur.Kind + " holds access controls for its whole load balancer (" + cur.AccessPolicy + "), which only a load balancer of that kind keeps"
	}
	for _, n := range todaysKindNeeds {
		if s.Has(n.need) {
			return n.need + ": " + fmt.Sprintf(n.why, cur.Kind) + ", which only a load balancer of that kind keeps"
		}
	}
	return ""
}

// tlsEndsToday says why an HTTPS or gRPC service whose TLS a shared HTTP load
// balancer or in-cluster proxy ends today (its pods speak plain HTTP or h2c)
// cannot take kind k, which does not end TLS (a load balancer of its own, a
// node port, a layer-4 shared one): it would pass TLS through to pods that
// do not speak it; "" when it can.
func tlsEndsToday(s *Service, k kind) string {
	if (s.Protocol != ProtoHTTPS && s.Protocol != ProtoGRPC) || s.Current != Ingress || s.Has(NeedTLSPassthrough) ||
		k == kClusterIP || k.spec().family == familyL7 || k.spec().family == familyProxy {
		return ""
	}
	if c := s.CurrentLoadBalancer; c != nil && !endsTLS[c.Kind] {
		return ""
	}
	return "TLS ends at today's shared load balancer and its pods speak plain HTTP: a " + k.label() + " would pass TLS through to them"
}

// endsTLS lists the kinds of today's load balancers that end an HTTPS or gRPC
// service's TLS (an NLB, a passthrough rule or a pool address pass it on).
var endsTLS = map[string]bool{CurrentALB: true, CurrentGCE: true, CurrentGateway: true, CurrentAppGW: true, CurrentAGC: true, CurrentProxy: true}

// serviceLevelPolicy reports whether access controls are the Service's own
// (loadBalancerSourceRanges, "source-ranges=..."): every load balancer a
// LoadBalancer Service gets keeps them (a Classic LB's or an NLB's security
// group, a firewall or network security group rule), so any of its own does.
func serviceLevelPolicy(policy string) bool { return strings.HasPrefix(policy, SourceRangesPolicy) }

// SourceRangesPolicy starts the access policy of a Service's own
// loadBalancerSourceRanges: "source-ranges=" and the ranges, sorted, comma-separated.
const SourceRangesPolicy = "source-ranges="

// accessPolicy is the access controls a service's load balancer holds for
// all its services today (CurrentLB.AccessPolicy), "" for none.
func accessPolicy(s *Service) string {
	if s.CurrentLoadBalancer == nil {
		return ""
	}
	return s.CurrentLoadBalancer.AccessPolicy
}

// policyConflict says why members cannot share a load balancer: their load
// balancers today hold different access controls for every service on them
// (an ALB's inbound-cidrs), which one load balancer cannot; "" when they can.
func (m *model) policyConflict(members []int) string {
	for _, i := range members[min(1, len(members)):] {
		if a, b := m.svcs[members[0]].policy, m.svcs[i].policy; a != b {
			return fmt.Sprintf("%s and %s are on load balancers with different access controls today (%q, %q), which one load balancer holds for all its services",
				m.svcs[members[0]].key, m.svcs[i].key, a, b)
		}
	}
	return ""
}

// keepConflict says why members cannot share a load balancer of kind k and
// scheme for what today's load balancers do for some of them (a redirect, a
// routing object: proxyRedirectConflict, objectConflict); "" when they can.
func (m *model) keepConflict(k kind, scheme string, members []int) string {
	if k != kProxy && !m.keepsObjects && !m.gatewayRedirect {
		return ""
	}
	name, _ := m.identity(k, scheme, members) // "" when none is kept
	if why := m.catchAllRedirectConflict(k, scheme, name, members); why != "" {
		return why
	}
	if k != kProxy && !m.keepsObjects {
		return ""
	}
	if why := m.proxyRedirectConflict(k, scheme, name, members); why != "" {
		return why
	}
	if why := m.retiredConflict(k, scheme, name, members); why != "" {
		return why
	}
	if why := m.splitConflict(k, name, members); why != "" {
		return why
	}
	if why := m.addressConflict(k, scheme, name, members); why != "" {
		return why
	}
	return m.objectConflict(k, scheme, name, members)
}

// addressOfIngress reports whether a service's reserved address is the one
// its Ingress names on today's shared load balancer (a GKE Ingress's
// global-static-ip-name): the address stays with that load balancer.
func addressOfIngress(s *Service) bool {
	return s.Has(NeedStaticIP) && s.Current == Ingress && s.CurrentLoadBalancer != nil
}

// addressConflict says why members cannot share a load balancer of kind k
// and scheme kept as today's name: one's reserved address is that of
// another load balancer of today, whose Ingress names it (addressOfIngress).
// (A GKE Ingress kept takes newcomers' rules, keeping its address.) "" when
// they can.
func (m *model) addressConflict(k kind, scheme, name string, members []int) string {
	if !m.keepsObjects {
		return ""
	}
	for _, i := range members {
		if s := m.svcs[i].s; addressOfIngress(s) && !m.onCurrent(i, k, scheme, name) {
			return fmt.Sprintf("staticIP: %s's reserved address is today's %s's, which its Ingress names", m.svcs[i].key, s.CurrentLoadBalancer.Name)
		}
	}
	return ""
}

// objectConflict says why members cannot share a load balancer: one whose
// routing object today must stay as it is (a need of todaysKindNeeds) would
// lose it there. A Gateway's route stays only on a Gateway (moved there by
// its parent); an in-cluster proxy's Ingress only on that very proxy (a
// new one's routes render writes anew); another load balancer keeps its
// Ingress object, moved as it is. "" when they can.
func (m *model) objectConflict(k kind, scheme, name string, members []int) string {
	if !m.keepsObjects {
		return ""
	}
	for _, i := range members {
		s := m.svcs[i].s
		need := todaysKindNeed(s)
		if k == kProxy && !isL7(s.Protocol) && !m.onCurrent(i, k, scheme, name) {
			return fmt.Sprintf("%s: %s stays on today's %s, whose layer-4 route lbplanner does not write", s.Protocol, m.svcs[i].key, s.CurrentLoadBalancer.Name)
		}
		if need == "" || s.CurrentLoadBalancer == nil {
			continue
		}
		cur := s.CurrentLoadBalancer.Name
		switch {
		case strings.HasPrefix(cur, GatewayPrefix) && !strings.HasPrefix(name, GatewayPrefix):
			return fmt.Sprintf("%s: %s keeps its route, which only a Gateway takes", need, m.svcs[i].key)
		case !strings.HasPrefix(cur, GatewayPrefix) && k == kProxy && !m.onCurrent(i, k, scheme, name):
			return fmt.Sprintf("%s: %s stays on today's %s, whose routing object it keeps", need, m.svcs[i].key, cur)
		}
	}
	return ""
}

// splitStays says why a service whose requests are split with others by
// its Ingresses' own annotations today (an ingress-nginx canary Ingress, an
// ALB rule's actions or conditions) cannot move to kind k: only its
// controller reads them, so the split moves only with the Ingress, onto a
// load balancer of today's kind. A split written in a Gateway API route
// moves with the route, but not onto an in-cluster proxy routed through
// Ingress (ingress-nginx), which splits a path only by a canary Ingress: a
// split lbplanner does not write. "" if it can.
func (m *model) splitStays(s *Service, k kind) string {
	cur := s.CurrentLoadBalancer
	stays := cur != nil && k.spec().current == cur.Kind
	today := cur
	if today == nil { // today's proxy, which a re-plan does not keep (newProxiesMaintained): its split as it is
		today = s.frontendGone
	}
	byIngress := today != nil && !splitInRoute(s)
	canary := today != nil && today.Kind == CurrentProxy && m.d.todaysImpl() != nil && m.d.todaysImpl().canary &&
		k.spec().writesCanary != nil && k.spec().writesCanary(m) // an ingress-nginx canary Ingress, which render translates
	switch {
	case byIngress && !stays && !canary:
		return "routedWith: its requests are split by its Ingresses' own annotations (a canary Ingress, ALB actions or conditions), which only today's " + today.Kind + " controller reads"
	case k == kProxy && m.impl().gatewayClass == "" && !stays:
		return "routedWith: " + m.impl().name + " splits a path's requests only by a canary Ingress, which lbplanner does not write"
	}
	return ""
}

// splitInRoute reports whether a service is on a Gateway today (or also on
// one): a split of its requests with its routedWith services is then a
// route's, which a Gateway takes as it is.
func splitInRoute(s *Service) bool {
	in := s.CurrentLoadBalancer != nil && strings.HasPrefix(s.CurrentLoadBalancer.Name, GatewayPrefix)
	for _, a := range s.AlsoOn {
		in = in || strings.HasPrefix(a.Name, GatewayPrefix)
	}
	return in
}

// splitConflict says why members cannot share today's load balancer name:
// one's requests are split by a route (a Gateway's, with its routedWith
// services), which an in-cluster proxy routed by Ingress today (no Gateway
// of it: render would write Ingresses) cannot take; or by its Ingress's
// own annotations (splitByIngress), which today's Gateway (render writes
// routes to it) cannot take. "" when they can.
func (m *model) splitConflict(k kind, name string, members []int) string {
	gateway := strings.HasPrefix(name, GatewayPrefix)
	if name == "" || (k != kProxy && !gateway) {
		return ""
	}
	for _, i := range members {
		s := m.svcs[i].s
		if len(s.RoutedWith) == 0 || m.onCurrent(i, k, m.svcs[i].scheme, name) {
			continue
		}
		if !gateway && splitInRoute(s) {
			return fmt.Sprintf("routedWith: %s's requests are split by its route, which today's %s (routed by Ingress, not a Gateway) cannot take", m.svcs[i].key, name)
		}
		if gateway && splitByIngress(s) {
			return fmt.Sprintf("routedWith: %s's requests are split by its Ingress's own annotations (a canary Ingress, ALB actions or conditions), which the routes of today's %s cannot take", m.svcs[i].key, name)
		}
		if p := m.todaysProxyImpl(name); !gateway && k == kProxy && splitByIngress(s) && p != nil && !p.canary {
			return fmt.Sprintf("routedWith: %s's requests are split by its Ingress's own annotations (a canary Ingress), which today's %s (%s) does not read", m.svcs[i].key, name, p.name)
		}
	}
	return ""
}

// todaysProxyImpl is the implementation of today's in-cluster proxy name:
// its proxy.today entry's, else today's implementation.
func (m *model) todaysProxyImpl(name string) *proxyImpl {
	if t := m.d.todaysProxyEntry(name); t != nil {
		return proxyImplNamed(t.Implementation)
	}
	return m.d.todaysImpl()
}

// splitByIngress reports whether a split of a service's requests with its
// routedWith services is its Ingress's own annotations' today (it is on a
// load balancer other than a Gateway): the split moves only with the
// Ingress object.
func splitByIngress(s *Service) bool {
	return s.CurrentLoadBalancer != nil && !splitInRoute(s)
}

// infeasible says why service si cannot use kind k, or "" if it can.
func (m *model) infeasible(si *svcInfo, k kind) string {
	s := si.s
	if s.Audience == AudienceCluster {
		return "audience cluster needs no exposure outside the cluster"
	}
	if k.shared() && !slices.Contains(m.d.Strategies, k.spec().strategy) {
		return "strategy " + k.spec().strategy + " is not enabled"
	}
	if why := todaysKind(s, k); why != "" {
		return why
	}
	if s.Has(NeedExactMatch) && k.spec().foldsCase {
		return "exactMatch: a rule splits its requests by a header or query value compared exactly, which an " + k.label() + " compares ignoring case (and with * and ? as wildcards)"
	}
	if len(s.RoutedWith) > 0 && k.shared() {
		if w := k.spec().weighted; w == nil || !w(m) {
			return "routedWith: its host and path's requests are split between services (by weight, header or canary), which a " + k.label() + " cannot"
		}
		if why := m.splitStays(s, k); why != "" {
			return why
		}
	}
	if why := m.kindInfeasible(si, k); why != "" {
		return why
	}
	if s.Headless && k.exposure() == LoadBalancer {
		return "a headless Service cannot be of type LoadBalancer"
	}
	if why := tlsEndsToday(s, k); why != "" {
		return why
	}
	if s.Has(NeedStaticIP) && s.Current == LoadBalancer && k.shared() && m.d.Cloud != CloudBareMetal {
		return "staticIP: its address is its own load balancer's today; a shared " + k.label() + " has others"
	}
	if cur := s.CurrentLoadBalancer; addressOfIngress(s) && k.spec().current != cur.Kind {
		return "staticIP: its address is today's " + cur.Kind + "'s, reserved and named by its Ingress, which only that load balancer keeps"
	}
	if len(s.ClusterPorts) > 0 && k.exposure() == LoadBalancer {
		return clusterPortsReason(s, "LoadBalancer")
	}
	if s.Pin != "" && s.Pin != k.exposure() {
		return "pinned to " + string(s.Pin)
	}
	if b := s.LatencyBudgetMs; b != nil && si.latency[k] > *b {
		return fmt.Sprintf("adds %s ms, over the %s ms latency budget", si.latency[k], *b)
	}
	return ""
}

// clusterPortsReason says why a Service with ports only the cluster reaches
// today is not made of type typ (LoadBalancer or NodePort).
func clusterPortsReason(s *Service, typ string) string {
	ports := make([]string, len(s.ClusterPorts))
	for j, p := range s.ClusterPorts {
		ports[j] = strconv.Itoa(p)
	}
	return fmt.Sprintf("a %s Service would expose port(s) %s too, which only the cluster reaches today (clusterPorts): a Service of its own for port %d would not", typ, strings.Join(ports, ", "), s.Port)
}

// kindInfeasible holds the protocol and needs rules of each kind.
func (m *model) kindInfeasible(si *svcInfo, k kind) string {
	if k.shared() && si.notL7Port != "" && k != kSharedAddress { // (a shared address takes every port; an NLB Gateway's routes read back as one protocol)
		return si.notL7Port + " cannot go through a shared HTTP load balancer"
	}
	if f := k.spec().infeasible; f != nil {
		return f(m, si)
	}
	return ""
}

// quotaUse counts what a shared load balancer's members use of its quotas:
// rules, distinct certificates, backends (one per member) and listeners.
// Checking a group (sharedFits) and reporting it (the plan's Quotas) both
// count here; the heuristic keeps the same counts as it adds and removes.
func (m *model) quotaUse(k kind, members []int) Quotas {
	q := Quotas{TargetGroups: len(members)}
	var http, https bool
	var certs map[string]bool
	var certIDs map[int32]bool // the same, numbered: hashed faster
	if m.certsInterned {
		certIDs = map[int32]bool{}
	} else {
		certs = map[string]bool{}
	}
	for _, i := range members {
		s := &m.svcs[i]
		q.Rules += s.quotaRules(k)
		h, t := s.listens() // h: plain HTTP, its own or beside HTTPS (plainToo)
		http, https = http || h, https || t
		if certIDs != nil {
			for _, c := range s.certIDs {
				certIDs[c] = true
			}
			continue
		}
		for _, c := range s.certs {
			certs[c] = true
		}
	}
	q.Certificates, q.Listeners = len(certs)+len(certIDs), b2i(http)+b2i(https)
	return q
}

// groupFits returns "" when members can share one load balancer of kind k, else why not.
func (m *model) sharedFits(k kind, members []int) string {
	if why := m.quotaFits(k, members); why != "" {
		return why
	}
	name := k.label()
	if why := m.routeConflict(members); why != "" {
		return why
	}
	if why := m.sniPortConflict(k, members); why != "" {
		return why
	}
	if len(members) > 0 {
		if why := m.keepConflict(k, m.svcs[members[0]].scheme, members); why != "" {
			return why
		}
	}
	if why := m.policyConflict(members); why != "" {
		return why
	}
	if k.spec().wholeRedirect && len(members) > 1 {
		if why := m.redirectConflict(name, members); why != "" && !m.keepsGateway(k, m.svcs[members[0]].scheme, members) {
			return why
		}
	}
	if k.spec().oneNamespace {
		if why := m.namespaceConflict(name, members); why != "" {
			return why
		}
	}
	if k.spec().firstMatch {
		return m.orderConflict(members)
	}
	return ""
}

// quotaFits returns "" when members are within the quotas of one load
// balancer of kind k, else which they exceed.
func (m *model) quotaFits(k kind, members []int) string {
	lim, use := k.spec().limits, m.quotaUse(k, members)
	name := k.label()
	switch {
	case lim.rules > 0 && use.Rules > lim.rules:
		word := k.spec().ruleWord
		if word == "" {
			word = "rules"
		}
		return fmt.Sprintf("%d %s exceed the %d %s per %s", use.Rules, word, lim.rules, word, name)
	case lim.certs > 0 && use.Certificates > lim.certs:
		return fmt.Sprintf("%d certificates exceed the %d per %s", use.Certificates, lim.certs, name)
	case lim.targets > 0 && use.TargetGroups > lim.targets:
		return fmt.Sprintf("%d backends exceed the %d per %s", use.TargetGroups, lim.targets, name)
	case lim.listeners > 0 && use.Listeners > lim.listeners:
		return fmt.Sprintf("%d listeners exceed the %d per %s", use.Listeners, lim.listeners, name)
	}
	return ""
}

// namespaceConflict says why members of several namespaces cannot share a
// load balancer that is one namespaced object, or "" when they are of one.
func (m *model) namespaceConflict(name string, members []int) string {
	for _, i := range members[1:] {
		if a, b := m.svcs[members[0]].s.NamespaceOrDefault(), m.svcs[i].s.NamespaceOrDefault(); a != b {
			return fmt.Sprintf("a %s is one Ingress object, which routes only to Services of its own namespace (%s, %s)", name, a, b)
		}
	}
	return ""
}

// whyTable interns the reasons services cannot take kinds: many services
// share a few reasons, and an index is smaller than a string.
type whyTable struct {
	mu    sync.Mutex
	index map[string]uint32
	text  []string
}

// why says why service si cannot take kind k, "" if it can.
func (m *model) why(si *svcInfo, k kind) string {
	i := si.whyAt[k]
	if i == 0 {
		return ""
	}
	m.whys.mu.Lock()
	defer m.whys.mu.Unlock()
	return m.whys.text[i-1]
}

// setWhy records why service si cannot take kind k ("" if it can).
func (m *model) setWhy(si *svcInfo, k kind, why string) {
	if why == "" {
		si.whyAt[k] = 0
		return
	}
	t := m.whys
	t.mu.Lock()
	defer t.mu.Unlock()
	i, ok := t.index[why]
	if !ok {
		if t.index == nil {
			t.index = map[string]uint32{}
		}
		t.text = append(t.text, why)
		i = uint32(len(t.text))
		t.index[why] = i
	}
	si.whyAt[k] = i
}

// plainHTTP is what a service's plain-HTTP requests get: nothing (HTTPS
// alone), the service, or a redirect to HTTPS.
type plainHTTP int8

const (
	plainNone plainHTTP = iota
	plainServed
	plainRedirected
)

// keepsGateway reports whether a group keeps today's Gateway (a shared ALB
// of the AWS Load Balancer Controller's Gateway API, modelled as an ALB when
// the gateway strategy is off): its routes redirect host by host, so the
// whole-load-balancer redirect rule does not hold.
func (m *model) keepsGateway(k kind, scheme string, members []int) bool {
	name, ok := m.identity(k, scheme, members)
	return ok && strings.HasPrefix(name, GatewayPrefix)
}

// redirectConflict says why members cannot share a load balancer whose
// redirect to HTTPS is all or nothing (wholeRedirect): one is served over
// plain HTTP, another redirected from it; "" when they can.
func (m *model) redirectConflict(name string, members []int) string {
	served, redirected := -1, -1
	for _, i := range members {
		switch m.svcs[i].plain {
		case plainServed:
			served = i
		case plainRedirected:
			redirected = i
		}
		if served >= 0 && redirected >= 0 {
			return fmt.Sprintf("%s is redirected from plain HTTP to HTTPS and %s served over plain HTTP, which one %s cannot do at once", m.svcs[redirected].key, m.svcs[served].key, name)
		}
	}
	return ""
}
