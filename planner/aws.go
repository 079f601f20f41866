package planner

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// AWS's kinds: an NLB (AWS Load Balancer Controller) or a Classic LB (the
// in-tree provider) per LoadBalancer Service, an ALB per IngressGroup, and
// the in-cluster proxy behind an NLB (or a Classic LB).
func init() {
	registerKind(kNLB, kindSpec{label: "NLB", exposure: LoadBalancer, lbs: 1, current: CurrentNLB,
		staticAddress: "service.beta.kubernetes.io/aws-load-balancer-eip-allocations",
		alternative:   func(m *model) bool { return !m.controller },
		id:            fixedID("nlb"), path: fixedPath("client -> NLB -> pod"), latency: lbOnly,
		name: func(m *model, g *group, counter map[string]int) string {
			if len(g.members) > 1 { // today's NLB of a layer-4 Gateway, kept
				if id := m.keptName(g, counter); id != "" {
					return id
				}
			}
			return ownName("nlb")(m, g, counter)
		},
		infeasible: func(m *model, si *svcInfo) string {
			switch {
			case !m.controller:
				return "an NLB needs the AWS Load Balancer Controller"
			case si.nlbPorts > NLBMaxListeners:
				return fmt.Sprintf("%d ports exceed the %d listeners per NLB", si.nlbPorts, NLBMaxListeners)
			}
			return ""
		},
		cost: func(m *model, g *group, b *bill) []ruleSlot {
			if len(g.members) > 1 { // today's NLB of a layer-4 Gateway, kept: NLCUs per protocol
				return kindSpecs[kNLBGW].cost(m, g, b)
			}
			b.add(m.fixed[fixNLBHour])
			b.add(m.nlcuLine(g.sums, m.svcs[g.members[0]].l4))
			m.awsIPv4(g, b)
			return nil
		},
		crossZoneHops: nlbCrossZone,
		render: func(m *model, g *group, si *svcInfo, _ string, row *ServicePlan) {
			row.ServiceType = "LoadBalancer"
			a := row.Annotations
			a["service.beta.kubernetes.io/aws-load-balancer-type"] = "external"
			a["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] = "ip"
			a["service.beta.kubernetes.io/aws-load-balancer-scheme"] = g.scheme
			if si.s.Has(NeedClientIP) { // IP targets: the NLB keeps the client address when told to
				a["service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"] = "preserve_client_ip.enabled=true"
			}
			if nlbCrossZone(m) > 0 {
				a[nlbAttributes] = nlbCrossZoneOn
			}
		},
	})
	registerKind(kCLB, kindSpec{label: "Classic LB", exposure: LoadBalancer, lbs: 1, current: CurrentCLB, nodeTargets: true, name: ownName("clb"),
		alternative: func(m *model) bool { return m.controller },
		id:          fixedID("clb"), path: fixedPath("client -> CLB -> node -> pod"), latency: lbAndNode, etpNodeHop: true,
		infeasible: func(m *model, si *svcInfo) string {
			s := si.s
			switch {
			case m.controller:
				return "with the AWS Load Balancer Controller a LoadBalancer Service is an NLB"
			case s.Protocol == ProtoUDP || si.lbRules[kGCPLB] > 1:
				return "a Classic LB has no UDP listeners (enable awsLoadBalancerController for an NLB)"
			case s.Has(NeedStaticIP):
				return "staticIP: a Classic LB has no static addresses"
			case s.Has(NeedClientIP) && s.Protocol != ProtoHTTP && s.Protocol != ProtoHTTPS:
				return "clientIP: a Classic LB's TCP listeners hide the client address"
			}
			return ""
		},
		cost: func(m *model, g *group, b *bill) []ruleSlot {
			m.clbLines(g, b)
			return nil
		},
		render: func(_ *model, g *group, si *svcInfo, _ string, row *ServicePlan) {
			row.ServiceType = "LoadBalancer"
			if g.scheme == schemeInternal {
				row.Annotations["service.beta.kubernetes.io/aws-load-balancer-internal"] = "true"
			}
			if si.s.Protocol == ProtoHTTP || si.s.Protocol == ProtoHTTPS {
				row.Annotations["service.beta.kubernetes.io/aws-load-balancer-backend-protocol"] = "http"
			}
		},
	})
	registerKind(kALB, kindSpec{label: "ALB", strategy: StrategyALB, family: familyL7, exposure: Ingress, lbs: 1, current: CurrentALB, firstMatch: true, weighted: yes, wholeRedirect: true, writesCanary: yes, foldsCase: true,
		limits: kindLimits{rules: ALBMaxRules, targets: ALBMaxTargetGroups, certs: ALBMaxCertificates, listeners: ALBMaxListeners},
		id:     fixedID("alb"), path: fixedPath("client -> ALB -> pod"), latency: lbOnly,
		infeasible: albInfeasible,
		cost:       (*model).albCost,
		render:     renderALB,
		finish: func(m *model, g *group, lb *LoadBalancerPlan, slots []ruleSlot) {
			for _, s := range slots {
				lb.RuleOrder = append(lb.RuleOrder, m.svcs[s.svc].key)
				lb.ruleSvcs = append(lb.ruleSvcs, s.svc)
			}
			lb.RuleEvaluations = m.ruleEvaluations(g, slots)
		},
	})
	registerCloud("aws", cloudSpec{kinds: []kind{kNodePort, kNLB, kCLB, kALB, kALBGW, kNLBGW, kProxy},
		crossZone: crossZoneBilling{item: pricing.InterAZGB, times: 2, billed: "billed each way"},
		dedicated: func(m *model) kind {
			if m.controller {
				return kNLB
			}
			return kCLB
		},
		ingress: func(m *model) kind {
			if m.controller {
				return kALB
			}
			return kProxy
		},
		fixed: func(m *model) {
			m.fixed[fixALBHour] = line("ALB hours", m.hours, m.r[pricing.ALBHour], byNothing)
			m.fixed[fixNLBHour] = line("NLB hours", m.hours, m.r[pricing.NLBHour], byNothing)
			m.fixed[fixCLBHour] = line("Classic LB hours", m.hours, m.r[pricing.CLBHour], byNothing)
			ipHours := new(big.Rat).Mul(m.hours, big.NewRat(int64(m.d.Zones), 1))
			m.fixed[fixIPv4] = line(fmt.Sprintf("public IPv4 addresses (%d zones)", m.d.Zones), ipHours, m.r[pricing.PublicIPv4Hour], byNothing)
		},
		proxy: proxyFront{
			id: func(m *model) string {
				if m.controller {
					return "nlb"
				}
				return "clb"
			},
			path: func(m *model) string {
				if m.controller {
					return "client -> NLB"
				}
				return "client -> CLB -> node"
			},
			nodeHop:       func(m *model) bool { return !m.controller },
			crossZoneHops: nlbCrossZone, // its NLB to proxy pods in other zones
			staticIP: func(m *model) string {
				if !m.controller {
					return "staticIP: the proxy's Classic LB has no static addresses"
				}
				return ""
			},
			cost: func(m *model, g *group, b *bill) {
				if m.controller {
					b.add(m.fixed[fixNLBHour])
					b.add(m.nlcuLine(g.sums, ProtoTCP))
					m.awsIPv4(g, b)
					return
				}
				m.clbLines(g, b)
			},
		}})
}

// awsIPv4 adds the public addresses of an internet-facing load balancer.
func (m *model) awsIPv4(g *group, b *bill) {
	if g.scheme == schemeInternet {
		b.add(m.fixed[fixIPv4])
	}
}

// clbLines are a Classic LB's: its hours, the data it processes and its addresses.
func (m *model) clbLines(g *group, b *bill) {
	b.add(m.fixed[fixCLBHour])
	b.add(m.quantityLine("Classic LB data processed", g.sums.gb, m.r[pricing.CLBGB], byBytes))
	m.awsIPv4(g, b)
}

// renderALB writes an Ingress on a shared ALB (an IngressGroup unless the
// ALB is an Ingress's own).
func renderALB(_ *model, g *group, si *svcInfo, id string, row *ServicePlan) {
	a := row.Annotations
	row.IngressClassName = "alb"
	if !strings.Contains(id, "/") { // an Ingress's own ALB needs no group
		a["alb.ingress.kubernetes.io/group.name"] = id
	}
	a["alb.ingress.kubernetes.io/scheme"] = g.scheme
	a["alb.ingress.kubernetes.io/target-type"] = "ip"
	switch http, https := si.listens(); {
	case si.plain == plainRedirected: // plain HTTP redirected to HTTPS today: every HTTP listener of the ALB redirects
		a["alb.ingress.kubernetes.io/listen-ports"] = `[{"HTTP":80},{"HTTPS":443}]`
		a["alb.ingress.kubernetes.io/ssl-redirect"] = "443"
	case http && https: // served over plain HTTP too today (plainToo): its rules on both listeners
		a["alb.ingress.kubernetes.io/listen-ports"] = `[{"HTTP":80},{"HTTPS":443}]`
	case http:
		a["alb.ingress.kubernetes.io/listen-ports"] = `[{"HTTP":80}]`
	default:
		a["alb.ingress.kubernetes.io/listen-ports"] = `[{"HTTPS":443}]`
	}
	if si.s.Protocol == ProtoGRPC {
		a["alb.ingress.kubernetes.io/backend-protocol-version"] = "GRPC"
	}
}

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
// max(0, p-10) evaluations (design.md §2). Only orders that keep every
// request's routing are allowed: a more specific path on a host goes before
// the path that contains it (routingOrder).
func (m *model) albRuleOrder(members []int) ([]ruleSlot, *big.Rat) {
	order, _ := m.routingOrder(members)
	return m.albSlots(order)
}

// groupRuleOrder is albRuleOrder for a group: today's ALB whose services
// all give their rule's position today (CurrentLB.RulePosition) is counted
// in that order, as it is billed; any other busiest rule first.
func (m *model) groupRuleOrder(g *group) ([]ruleSlot, *big.Rat) {
	switch {
	case g.todayPos != nil:
		order := slices.Clone(g.members)
		slices.SortFunc(order, func(a, b int) int { return cmp.Or(cmp.Compare(g.todayPos[a], g.todayPos[b]), m.byKey(a, b)) })
		return m.albSlots(order)
	case g.kind.spec().precedence:
		return m.albSlots(m.precedenceOrder(g.members))
	}
	return m.albRuleOrder(g.members)
}

// precedenceOrder orders services as Gateway API precedence orders their
// rules, each by its most specific path: exact paths first, then the
// longest prefix (no path: /, the least specific), then by name (for the
// oldest route, which the manifests do not tell).
func (m *model) precedenceOrder(members []int) []int {
	rank := make(map[int]int, len(members)) // exact paths below 0, prefixes by length: the lower the first
	for _, i := range members {
		r := -1 // no path: /
		for _, p := range m.svcs[i].s.Paths {
			if q, ok := strings.CutPrefix(p, ExactPrefix); ok {
				r = min(r, -1_000_000-len(q))
			} else {
				r = min(r, -len(strings.TrimSuffix(p, "*")))
			}
		}
		rank[i] = r
	}
	order := slices.Clone(members)
	slices.SortFunc(order, func(a, b int) int { return cmp.Or(cmp.Compare(rank[a], rank[b]), m.byKey(a, b)) })
	return order
}

// albSlots prices rules in the order given.
func (m *model) albSlots(order []int) ([]ruleSlot, *big.Rat) {
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

// albEvals is the total of albRuleOrder's evaluations per second as an
// exact fraction of machine integers (rules per service are few, so the
// common denominator stays small); ok is false when it would overflow, and
// albRuleOrder's rationals must be used instead.
func (m *model) albEvals(members []int) (num, den int64, ok bool) {
	order, _ := m.routingOrder(members)
	if num, den, ok = m.albEvalSum(order); !ok {
		return 0, 0, false
	}
	den, ok = mulInt64(den, QuantityScale)
	return num, den, ok
}

// albEvalSum is albEvals for rules in a given order, before the Quantity
// scale: the sum over rules of rps x max(0, position-10), each service's
// rps spread evenly over its rules.
func (m *model) albEvalSum(order []int) (num, den int64, ok bool) {
	var next [2]int
	num, den, ok = 0, 1, true
	for _, i := range order {
		s := &m.svcs[i]
		l := listenerIndex(s)
		first := next[l] + 1
		next[l] += s.rules
		if num, den, ok = addEvalTerm(num, den, int64(s.rps), excessSum(first, first+s.rules-1), int64(s.rules)); !ok {
			return 0, 0, false
		}
	}
	return num, den, true
}

// excessSum is the sum over positions first..last of max(0, p-10): the
// evaluations past the free rules one request per second to each costs.
func excessSum(first, last int) int64 {
	if last <= ALBFreeRules {
		return 0
	}
	lo := max(first, ALBFreeRules+1)
	n := int64(last - lo + 1)
	return n * int64(lo-ALBFreeRules+last-ALBFreeRules) / 2
}

// addEvalTerm adds rps x sumExcess / rules to num/den, exactly in machine
// integers (ok false on overflow).
func addEvalTerm(num, den, rps, sumExcess, rules int64) (int64, int64, bool) {
	if rps <= 0 || sumExcess == 0 {
		return num, den, true
	}
	if den%rules != 0 {
		g := gcd(den, rules)
		var ok1, ok2 bool
		num, ok1 = mulInt64(num, rules/g)
		den, ok2 = mulInt64(den, rules/g)
		if !ok1 || !ok2 {
			return 0, 0, false
		}
	}
	term, ok1 := mulInt64(rps, sumExcess)
	term, ok2 := mulInt64(term, den/rules)
	if !ok1 || !ok2 || num > math.MaxInt64-term {
		return 0, 0, false
	}
	return num + term, den, true
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// mulInt64 multiplies non-negative a and b, reporting overflow.
func mulInt64(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	return int64(lo), hi == 0 && lo <= math.MaxInt64
}

// routeConflict returns "" when no two members route the same host and path
// on the same listener, else the first collision. Any shared HTTP router
// (an ALB or the in-cluster proxy) needs distinct routes.
func (m *model) routeConflict(members []int) string {
	routes := map[string]int{}
	for _, i := range members {
		s := &m.svcs[i]
		for _, r := range s.routes {
			if o, dup := routes[routeKey(r)]; dup && !(s.rtied && m.svcs[o].rtie == s.rtie) {
				other := m.svcs[o].key
				if port, ok := strings.CutPrefix(r, l4Route); ok {
					if port, host, sni := strings.Cut(port, sniRoute); sni {
						return fmt.Sprintf("%s and %s both take TLS for host %s on port %s", other, s.key, host, port)
					}
					return fmt.Sprintf("%s and %s both listen on port %s", other, s.key, port)
				}
				parts := strings.SplitN(r, "|", 3)
				return fmt.Sprintf("%s and %s both route host %s path %s on listener %s", other, s.key, parts[1], parts[2], parts[0])
			}
			routes[routeKey(r)] = i
		}
	}
	return ""
}

// sniPortConflict returns "" when members can share a load balancer of
// kind k port by port, else the first collision: where k does not route TLS
// by server name (routesSNI), a port is one service's whatever the hosts of
// TLS services on it (their routes name them: sniRoute).
func (m *model) sniPortConflict(k kind, members []int) string {
	if !m.anySNI || k.spec().routesSNI {
		return ""
	}
	ports := map[string]int{}
	for _, i := range members {
		s := &m.svcs[i]
		for _, r := range s.routes {
			if !isL4Route(r) {
				continue
			}
			port, _, _ := strings.Cut(r, sniRoute)
			if o, dup := ports[port]; dup && o != i && !(s.rtied && m.svcs[o].rtie == s.rtie) {
				return fmt.Sprintf("%s and %s both listen on port %s (a %s does not route TLS by host)", m.svcs[o].key, s.key, strings.TrimPrefix(port, l4Route), k.label())
			}
			ports[port] = i
		}
	}
	return ""
}

func (m *model) nlcuLine(d dims, proto string) CostLine {
	caps := nlcuCaps[proto]
	units, dim := m.units(d, caps[0], caps[1], capacity{})
	return m.unitHoursLine("NLB NLCU-hours ("+proto+", billed on "+dim.String()+")", units, m.r[pricing.NLBNLCUHour], dim)
}

// albCost adds a shared ALB's lines and returns its rule order.
func (m *model) albCost(g *group, b *bill) []ruleSlot {
	var slots []ruleSlot
	b.add(m.fixed[fixALBHour])
	var evals capacity
	ok := false
	if m.usageEvals != nil { // one load balancer's declared usage: its rule evaluations are given
		evals, ok = capacity{rat: m.usageEvals}, true
	} else if g.todayPos != nil || g.kind.spec().precedence && m.itemise { // in today's order, or the controller's
		var total *big.Rat
		slots, total = m.groupRuleOrder(g)
		evals, ok = capacity{rat: total}, true
	} else if g.kind.spec().precedence { // summed only
		var num, den int64
		if num, den, ok = m.albEvalSum(m.precedenceOrder(g.members)); ok {
			den, ok = mulInt64(den, QuantityScale)
		}
		evals = capacity{num: Quantity(num), den: Quantity(den)}
	} else if g.evals != nil && !m.itemise { // the heuristic's trial: worked out already
		evals, ok = *g.evals, true
	} else if !m.itemise { // summed only: the total in machine integers will do
		var num, den int64
		num, den, ok = m.albEvals(g.members)
		evals = capacity{num: Quantity(num), den: Quantity(den)}
	}
	if !ok {
		var total *big.Rat
		slots, total = m.albRuleOrder(g.members)
		evals = capacity{rat: total}
	}
	units, dim := m.units(g.sums, albNewConnPerLCU, albActivePerLCU, evals)
	name := "ALB LCU-hours"
	if m.itemise { // named in full when shown (the optimiser prices many)
		name += " (billed on " + dim.String() + ")"
	}
	b.add(m.unitHoursLine(name, units, m.r[pricing.ALBLCUHour], dim))
	m.awsIPv4(g, b)
	return slots
}

// ruleEvaluations sets an ALB's rule evaluations by position (priced)
// against the worst case, every request processing all its listener's rules
// past the free ones; nil when no request passes the free ones either way.
// slots are the group's rules in order (albRuleOrder), when its pricing
// worked them out already.
func (m *model) ruleEvaluations(g *group, slots []ruleSlot) *RuleEvaluations {
	worst := m.worstEvals(g.members)
	if worst.Sign() == 0 {
		return nil
	}
	if slots == nil {
		slots, _ = m.groupRuleOrder(g)
	}
	byPosition := new(big.Rat)
	for _, sl := range slots {
		byPosition.Add(byPosition, sl.evals)
	}
	c := *m
	c.usageEvals = worst
	cost, _, _ := c.cost(g, false)
	return &RuleEvaluations{Priced: "position: the rule each request matches, busiest first", PerSecond: ratQuantity(byPosition),
		WorstCasePerSecond: ratQuantity(worst), WorstCaseMonthlyCost: cost}
}

// worstEvals is an ALB's rule evaluations per second when every request
// processes all its listener's rules past the free ones: the sum of each
// member's rate times its listener's excess rules (in machine integers unless
// that would overflow).
func (m *model) worstEvals(members []int) *big.Rat {
	var rules [2]int
	for _, i := range members {
		rules[listenerIndex(&m.svcs[i])] += m.svcs[i].rules
	}
	var sum int64
	for _, i := range members {
		s := &m.svcs[i]
		excess := rules[listenerIndex(s)] - ALBFreeRules
		if excess <= 0 {
			continue
		}
		term, ok := mulInt64(int64(s.rps), int64(excess))
		if !ok || sum > math.MaxInt64-term {
			return m.worstEvalsRat(members, rules)
		}
		sum += term
	}
	return big.NewRat(sum, QuantityScale)
}

// worstEvalsRat is worstEvals in rationals, for sums past machine integers.
func (m *model) worstEvalsRat(members []int, rules [2]int) *big.Rat {
	worst := new(big.Rat)
	for _, i := range members {
		s := &m.svcs[i]
		if excess := rules[listenerIndex(s)] - ALBFreeRules; excess > 0 {
			worst.Add(worst, new(big.Rat).Mul(s.rps.Rat(), big.NewRat(int64(excess), 1)))
		}
	}
	return worst
}

// listenerIndex is 0 for a service on the HTTP listener, 1 on HTTPS.
func listenerIndex(s *svcInfo) int {
	if s.httpLis {
		return 0
	}
	return 1
}

// ratQuantity is r as a Quantity, rounded down to its precision.
func ratQuantity(r *big.Rat) Quantity {
	if r == nil {
		return 0
	}
	return scaleQ(Q(1), r)
}

// The NLB attribute cross-zone load balancing is turned on with.
const (
	nlbAttributes  = "service.beta.kubernetes.io/aws-load-balancer-attributes"
	nlbCrossZoneOn = "load_balancing.cross_zone.enabled=true"
)

// nlbCrossZone is 1 when the declaration turns cross-zone load balancing on
// for NLBs (and there is a controller to make NLBs), else 0.
func nlbCrossZone(m *model) int {
	if *m.d.CrossZone.NLB && m.controller {
		return 1
	}
	return 0
}

// albInfeasible says why a service cannot go through an ALB (an Ingress's,
// as the text says, or a Gateway's), "" if it can.
func albInfeasible(m *model, si *svcInfo) string {
	s := si.s
	switch {
	case !m.controller:
		return "an ALB Ingress needs the AWS Load Balancer Controller"
	case !isL7(s.Protocol):
		return s.Protocol + " cannot go through an ALB (HTTP, HTTPS and gRPC only)"
	case s.Has(NeedTLSPassthrough):
		return "tlsPassthrough needs a layer-4 load balancer; an ALB terminates TLS"
	case s.Has(NeedStaticIP):
		return "staticIP: an ALB has no static addresses"
	}
	return ""
}

// albGatewayConflict says why a service that a need (todaysKindNeeds) or
// an access policy keeps on today's ALB Ingresses cannot move onto an ALB
// Gateway: what keeps it there, its Ingress's annotations (an ALB group's
// inbound CIDRs, security groups or WAF, an authentication, a rewrite), a
// Gateway's routes cannot carry; "" when it can.
func albGatewayConflict(si *svcInfo) string {
	cur := si.s.CurrentLoadBalancer
	if cur == nil || cur.Kind != CurrentALB || strings.HasPrefix(cur.Name, GatewayPrefix) {
		return ""
	}
	what := todaysKindNeed(si.s)
	if what == "" {
		if cur.AccessPolicy == "" {
			return ""
		}
		what = "accessPolicy"
	}
	return what + ": its Ingress's annotations keep it on today's ALB, which an ALB Gateway's routes cannot carry"
}
