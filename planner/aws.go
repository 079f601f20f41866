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

// AWS quotas that force a shared ALB to split (design.md §2).
const (
	ALBMaxRules        = 100
	ALBMaxCertificates = 26 // 25 plus the default certificate
	ALBMaxTargetGroups = 100
	ALBMaxListeners    = 50
	NLBMaxListeners    = 50
	// ALBFreeRules is how many rules a request may be evaluated against for free.
	ALBFreeRules = 10
)

// LCU and NLCU capacities per hour of one unit, per dimension (design.md §2).
var (
	albNewConnPerLCU   = Q(25)
	albActivePerLCU    = Q(3000)
	albRuleEvalsPerLCU = int64(1000)
	nlcuCaps           = map[string][2]Quantity{ // new connections/s, active connections
		ProtoTCP: {Q(800), Q(100000)},
		ProtoUDP: {Q(400), Q(50000)},
		ProtoTLS: {Q(50), Q(3000)},
	}
)

// kind is one way of exposing a service.
type kind uint8

const (
	kClusterIP kind = iota
	kNodePort
	kNLB   // a LoadBalancer Service of its own, NLB through the AWS Load Balancer Controller
	kCLB   // a LoadBalancer Service of its own, Classic LB from the in-tree provider
	kALB   // an Ingress on a shared ALB (IngressGroup)
	kNginx // an Ingress on an in-cluster proxy behind one L4 load balancer
	numKinds
)

func (k kind) exposure() Exposure {
	switch k {
	case kClusterIP:
		return ClusterIP
	case kNodePort:
		return NodePort
	case kNLB, kCLB:
		return LoadBalancer
	default:
		return Ingress
	}
}

func (k kind) shared() bool { return k == kALB || k == kNginx }

// schemes
const (
	schemeInternet = "internet-facing"
	schemeInternal = "internal"
)

// svcInfo is a service prepared for pricing.
type svcInfo struct {
	s         *Service
	key       string
	scheme    string // "" for cluster audience
	nc, ac    Quantity
	gb, rps   Quantity
	rules     int      // ALB listener rules: one per host x path
	routes    []string // listener|host|path keys that must not collide on one listener
	listener  string   // ALB listener, HTTP:80 or HTTPS:443
	certs     []string // certificates it brings to an ALB listener
	l4        string   // NLB listener protocol: TCP, UDP or TLS
	feasible  [numKinds]bool
	why       [numKinds]string // why a kind is not feasible
	latency   [numKinds]Quantity
	shareable [numKinds]bool // may share a load balancer of this kind with others
}

// rates are the prices the AWS model uses, with their sources.
type rates struct {
	albHour, lcu, nlbHour, nlcu, clbHour, clbGB, ipv4, vcpu, gib pricing.Price
}

func loadRates(rp *pricing.RegionPrices) (*rates, error) {
	var r rates
	for _, x := range []struct {
		p    *pricing.Price
		item string
	}{
		{&r.albHour, pricing.ALBHour}, {&r.lcu, pricing.ALBLCUHour}, {&r.nlbHour, pricing.NLBHour},
		{&r.nlcu, pricing.NLBNLCUHour}, {&r.clbHour, pricing.CLBHour}, {&r.clbGB, pricing.CLBGB},
		{&r.ipv4, pricing.PublicIPv4Hour}, {&r.vcpu, pricing.ProxyVCPUHour}, {&r.gib, pricing.ProxyGiBHour},
	} {
		p, err := rp.Price(x.item)
		if err != nil {
			return nil, err
		}
		*x.p = p
	}
	return &r, nil
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

	driver string // which usage the line's cost is allocated by: "" (evenly), "nc", "ac", "gb", "evals"
}

func line(name string, qty *big.Rat, p pricing.Price, driver string) CostLine {
	cost := new(big.Rat).Mul(qty, p.Value())
	return CostLine{
		Name: name, Quantity: money.FormatRat(qty, 6), Unit: p.Unit, UnitPrice: p.Price,
		MonthlyCost: money.Round(cost), Source: p.Source, Date: p.Date, driver: driver,
	}
}

// dims are the summed usage of a load balancer's members.
type dims struct{ nc, ac, gb Quantity }

func (d *dims) add(s *svcInfo) { d.nc += s.nc; d.ac += s.ac; d.gb += s.gb }
func (d *dims) sub(s *svcInfo) { d.nc -= s.nc; d.ac -= s.ac; d.gb -= s.gb }

// capacityUnits returns the units billed per hour on the highest dimension, and its name:
// max(nc/ncCap, ac/acCap, gb per hour / 1 GB, evals/evalCap).
func (m *model) capacityUnits(d dims, ncCap, acCap Quantity, evals *big.Rat) (*big.Rat, string) {
	best, name := big.NewRat(int64(d.nc), int64(ncCap)), "new connections"
	if v := big.NewRat(int64(d.ac), int64(acCap)); v.Cmp(best) > 0 {
		best, name = v, "active connections"
	}
	if v := new(big.Rat).Quo(d.gb.Rat(), m.hours); v.Cmp(best) > 0 {
		best, name = v, "processed bytes"
	}
	if evals != nil {
		if v := new(big.Rat).Quo(evals, big.NewRat(albRuleEvalsPerLCU, 1)); v.Cmp(best) > 0 {
			best, name = v, "rule evaluations"
		}
	}
	return best, name
}

var dimDriver = map[string]string{"new connections": "nc", "active connections": "ac", "processed bytes": "gb", "rule evaluations": "evals"}

// group is a set of services on one load balancer (or one standalone exposure).
type group struct {
	kind    kind
	scheme  string
	members []int // indexes into model.svcs
	sums    dims
}

// ruleSlot is one service's block of rules on a shared ALB listener.
type ruleSlot struct {
	svc      int
	listener string
	first    int      // 1-based position of its first rule on the listener
	evals    *big.Rat // rule evaluations per second it causes
	weightRp Quantity // requests per second
}

// albRuleOrder orders a shared ALB's rules, per listener, busiest rule first
// (requests per second per rule; ties by service key), which minimises the
// evaluations billed: a request matching the rule at position p costs
// max(0, p-10) evaluations (design.md §2).
func (m *model) albRuleOrder(members []int) ([]ruleSlot, *big.Rat) {
	order := slices.Clone(members)
	sort.Slice(order, func(i, j int) bool { return m.ruleWeightLess(order[i], order[j]) })
	next := map[string]int{}
	slots := make([]ruleSlot, 0, len(order))
	total := new(big.Rat)
	for _, i := range order {
		s := &m.svcs[i]
		first := next[s.listener] + 1
		next[s.listener] += s.rules
		slot := ruleSlot{svc: i, listener: s.listener, first: first, weightRp: s.rps}
		last := first + s.rules - 1
		if last > ALBFreeRules && s.rps > 0 {
			// sum over positions p in [first,last] of max(0, p-10)
			lo := max(first, ALBFreeRules+1)
			n := int64(last - lo + 1)
			sumExcess := n * int64(lo-ALBFreeRules+last-ALBFreeRules) / 2
			num := new(big.Int).Mul(big.NewInt(int64(s.rps)), big.NewInt(sumExcess))
			ev := new(big.Rat).SetFrac(num, big.NewInt(QuantityScale*int64(s.rules)))
			slot.evals = ev
			total.Add(total, ev)
		} else {
			slot.evals = new(big.Rat)
		}
		slots = append(slots, slot)
	}
	return slots, total
}

// routeConflict returns "" when no two members route the same host and path
// on the same listener, else the first collision. Any shared HTTP router
// (an ALB or the in-cluster proxy) needs distinct routes.
func (m *model) routeConflict(members []int) string {
	routes := map[string]string{}
	for _, i := range members {
		s := &m.svcs[i]
		for _, r := range s.routes {
			if other, dup := routes[r]; dup {
				parts := strings.SplitN(r, "|", 3)
				return fmt.Sprintf("%s and %s both route host %s path %s on listener %s", other, s.key, parts[1], parts[2], parts[0])
			}
			routes[r] = s.key
		}
	}
	return ""
}

// albQuota checks a shared ALB's quotas and routing; it returns "" when the
// members fit on one ALB, else why they do not.
func (m *model) albQuota(members []int) string {
	rules, tgs := 0, len(members)
	certs := map[string]bool{}
	listeners := map[string]bool{}
	for _, i := range members {
		s := &m.svcs[i]
		rules += s.rules
		listeners[s.listener] = true
		for _, c := range s.certs {
			certs[c] = true
		}
	}
	switch {
	case rules > ALBMaxRules:
		return fmt.Sprintf("%d rules exceed the %d rules per ALB", rules, ALBMaxRules)
	case len(certs) > ALBMaxCertificates:
		return fmt.Sprintf("%d certificates exceed the %d per ALB (25 + default)", len(certs), ALBMaxCertificates)
	case tgs > ALBMaxTargetGroups:
		return fmt.Sprintf("%d target groups exceed the %d per ALB", tgs, ALBMaxTargetGroups)
	case len(listeners) > ALBMaxListeners:
		return fmt.Sprintf("%d listeners exceed the %d per ALB", len(listeners), ALBMaxListeners)
	}
	return m.routeConflict(members)
}

// sharedFits returns "" when members can share one load balancer of kind k, else why not.
func (m *model) sharedFits(k kind, members []int) string {
	if k == kALB {
		return m.albQuota(members)
	}
	return m.routeConflict(members)
}

// cost prices a group. withLines asks for the itemised lines (the optimiser
// needs only the total). Every line is rounded to cents and the total is
// their sum, so itemised costs always add up.
func (m *model) cost(g *group, withLines bool) (money.Cents, []CostLine, []ruleSlot) {
	var lines []CostLine
	var total money.Cents
	var slots []ruleSlot
	add := func(l CostLine) {
		total += l.MonthlyCost
		if withLines {
			lines = append(lines, l)
		}
	}
	internet := g.scheme == schemeInternet
	switch g.kind {
	case kClusterIP, kNodePort:
		return 0, nil, nil
	case kALB:
		add(m.fixed[fixALBHour])
		var evals *big.Rat
		slots, evals = m.albRuleOrder(g.members)
		units, dim := m.capacityUnits(g.sums, albNewConnPerLCU, albActivePerLCU, evals)
		add(line("ALB LCU-hours (billed on "+dim+")", units.Mul(units, m.hours), m.r.lcu, dimDriver[dim]))
		if internet {
			add(m.fixed[fixIPv4])
		}
	case kNLB:
		add(m.fixed[fixNLBHour])
		add(m.nlcuLine(g.sums, m.svcs[g.members[0]].l4))
		if internet {
			add(m.fixed[fixIPv4])
		}
	case kCLB:
		add(m.fixed[fixCLBHour])
		add(line("Classic LB data processed", g.sums.gb.Rat(), m.r.clbGB, "gb"))
		if internet {
			add(m.fixed[fixIPv4])
		}
	case kNginx:
		if m.controller {
			add(m.fixed[fixNLBHour])
			add(m.nlcuLine(g.sums, ProtoTCP))
		} else {
			add(m.fixed[fixCLBHour])
			add(line("Classic LB data processed", g.sums.gb.Rat(), m.r.clbGB, "gb"))
		}
		if internet {
			add(m.fixed[fixIPv4])
		}
		add(m.fixed[fixProxyCPU])
		add(m.fixed[fixProxyMem])
	}
	return total, lines, slots
}

func (m *model) nlcuLine(d dims, proto string) CostLine {
	caps := nlcuCaps[proto]
	units, dim := m.capacityUnits(d, caps[0], caps[1], nil)
	return line("NLB NLCU-hours ("+proto+", billed on "+dim+")", units.Mul(units, m.hours), m.r.nlcu, dimDriver[dim])
}

// fixed cost lines, the same for every load balancer of a kind
const (
	fixALBHour = iota
	fixNLBHour
	fixCLBHour
	fixIPv4
	fixProxyCPU
	fixProxyMem
	numFixed
)

func (m *model) prepareFixed() {
	d := m.d
	m.fixed[fixALBHour] = line("ALB hours", m.hours, m.r.albHour, "")
	m.fixed[fixNLBHour] = line("NLB hours", m.hours, m.r.nlbHour, "")
	m.fixed[fixCLBHour] = line("Classic LB hours", m.hours, m.r.clbHour, "")
	ipHours := new(big.Rat).Mul(m.hours, big.NewRat(int64(d.Zones), 1))
	m.fixed[fixIPv4] = line(fmt.Sprintf("public IPv4 addresses (%d zones)", d.Zones), ipHours, m.r.ipv4, "")
	replicas := big.NewRat(int64(*d.Proxy.Replicas), 1)
	cpu := new(big.Rat).Mul(replicas, d.Proxy.CPU.Rat())
	cpu.Mul(cpu, m.hours)
	m.fixed[fixProxyCPU] = line(fmt.Sprintf("proxy vCPU (%d x %s vCPU)", *d.Proxy.Replicas, d.Proxy.CPU), cpu, m.r.vcpu, "")
	mem := new(big.Rat).Mul(replicas, d.Proxy.MemoryGiB.Rat())
	mem.Mul(mem, m.hours)
	m.fixed[fixProxyMem] = line(fmt.Sprintf("proxy memory (%d x %s GiB)", *d.Proxy.Replicas, d.Proxy.MemoryGiB), mem, m.r.gib, "")
}

// prepare derives each service's usage, routing and feasible exposures.
func (m *model) prepare(i int) {
	s := &m.d.Services[i]
	si := &m.svcs[i]
	*si = svcInfo{s: s, key: s.Key(), nc: s.Traffic.NewConnectionsPerSecond, ac: s.Traffic.ActiveConnections,
		gb: s.Traffic.GBPerMonth, rps: s.Traffic.RequestsPerSecond}
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
		si.listener = "HTTP:80"
	}
	for _, h := range hosts {
		for _, p := range paths {
			si.routes = append(si.routes, si.listener+"|"+h+"|"+p)
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
	lat := m.d.Latency
	si.latency[kNodePort] = *lat.NodeHopMs
	si.latency[kNLB] = *lat.LoadBalancerMs
	si.latency[kCLB] = *lat.LoadBalancerMs + *lat.NodeHopMs
	si.latency[kALB] = *lat.LoadBalancerMs
	si.latency[kNginx] = *lat.LoadBalancerMs + *lat.ProxyMs
	if !m.controller {
		si.latency[kNginx] += *lat.NodeHopMs
	}
	for k := kind(0); k < numKinds; k++ {
		si.why[k] = m.infeasible(si, k)
		si.feasible[k] = si.why[k] == ""
		si.shareable[k] = si.feasible[k] && k.shared() && !s.Has(NeedDedicated)
	}
}

// infeasible says why service si cannot use kind k, or "" if it can.
func (m *model) infeasible(si *svcInfo, k kind) string {
	s := si.s
	l7 := isL7(s.Protocol)
	if s.Audience == AudienceCluster {
		if k != kClusterIP {
			return "audience cluster needs no exposure outside the cluster"
		}
		return ""
	}
	switch k {
	case kClusterIP:
		return "ClusterIP is not reachable from audience " + s.Audience
	case kNodePort:
		switch {
		case !m.d.AllowNodePort:
			return "NodePort is not allowed (allowNodePort: false)"
		case s.Has(NeedStaticIP):
			return "staticIP: node addresses are not stable"
		case s.Has(NeedDedicated):
			return "dedicated: NodePort has no load balancer of its own"
		}
	case kNLB:
		if !m.controller {
			return "an NLB needs the AWS Load Balancer Controller"
		}
	case kCLB:
		switch {
		case m.controller:
			return "with the AWS Load Balancer Controller a LoadBalancer Service is an NLB"
		case s.Protocol == ProtoUDP:
			return "a Classic LB has no UDP listeners (enable awsLoadBalancerController for an NLB)"
		case s.Has(NeedStaticIP):
			return "staticIP: a Classic LB has no static addresses"
		case s.Has(NeedClientIP) && s.Protocol != ProtoHTTP && s.Protocol != ProtoHTTPS:
			return "clientIP: a Classic LB's TCP listeners hide the client address"
		}
	case kALB:
		switch {
		case !slices.Contains(m.d.Strategies, StrategyALB):
			return "strategy alb is not enabled"
		case !m.controller:
			return "an ALB Ingress needs the AWS Load Balancer Controller"
		case !l7:
			return s.Protocol + " cannot go through an ALB (HTTP, HTTPS and gRPC only)"
		case s.Has(NeedTLSPassthrough):
			return "tlsPassthrough needs a layer-4 load balancer; an ALB terminates TLS"
		case s.Has(NeedStaticIP):
			return "staticIP: an ALB has no static addresses"
		}
	case kNginx:
		switch {
		case !slices.Contains(m.d.Strategies, StrategyNginx):
			return "strategy nginx is not enabled"
		case !l7:
			return s.Protocol + " is not routed by the in-cluster HTTP proxy"
		case s.Has(NeedTLSPassthrough):
			return "tlsPassthrough: the in-cluster proxy terminates TLS"
		case s.Has(NeedStaticIP) && !m.controller:
			return "staticIP: the proxy's Classic LB has no static addresses"
		}
	}
	if s.Pin != "" && s.Pin != k.exposure() {
		return "pinned to " + string(s.Pin)
	}
	if b := s.LatencyBudgetMs; b != nil && si.latency[k] > *b {
		return fmt.Sprintf("adds %s ms, over the %s ms latency budget", si.latency[k], *b)
	}
	return ""
}
