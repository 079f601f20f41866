package planner

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

func init() {
	registerKind(kNLB, kindSpec{label: "NLB", exposure: LoadBalancer, lbs: 1, current: CurrentNLB})
	registerKind(kCLB, kindSpec{label: "Classic LB", exposure: LoadBalancer, lbs: 1, current: CurrentCLB})
	registerKind(kALB, kindSpec{label: "ALB", strategy: StrategyALB, exposure: Ingress, lbs: 1, current: CurrentALB,
		limits: kindLimits{rules: ALBMaxRules, targets: ALBMaxTargetGroups, certs: ALBMaxCertificates, listeners: ALBMaxListeners}})
	registerCloud("aws", cloudSpec{kinds: []kind{kNodePort, kNLB, kCLB, kALB, kNginx}, cost: (*model).awsCost})
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
	var next [2]int
	num, den = 0, 1
	for _, i := range order {
		s := &m.svcs[i]
		l := 0
		if s.listener != "HTTP:80" {
			l = 1
		}
		first := next[l] + 1
		next[l] += s.rules
		last := first + s.rules - 1
		if last <= ALBFreeRules || s.rps <= 0 {
			continue
		}
		lo := max(first, ALBFreeRules+1)
		n := int64(last - lo + 1)
		sumExcess := n * int64(lo-ALBFreeRules+last-ALBFreeRules) / 2
		// num/den + rps*sumExcess/rules, the fraction's scale (QuantityScale) applied at the end
		r := int64(s.rules)
		if den%r != 0 {
			g := gcd(den, r)
			var ok1, ok2 bool
			num, ok1 = mulInt64(num, r/g)
			den, ok2 = mulInt64(den, r/g)
			if !ok1 || !ok2 {
				return 0, 0, false
			}
		}
		term, ok1 := mulInt64(int64(s.rps), sumExcess)
		term, ok2 := mulInt64(term, den/r)
		if !ok1 || !ok2 || num > math.MaxInt64-term {
			return 0, 0, false
		}
		num += term
	}
	den, ok = mulInt64(den, QuantityScale)
	return num, den, ok
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
			if o, dup := routes[r]; dup && !(s.tied && m.svcs[o].tie == s.tie) {
				other := m.svcs[o].key
				parts := strings.SplitN(r, "|", 3)
				return fmt.Sprintf("%s and %s both route host %s path %s on listener %s", other, s.key, parts[1], parts[2], parts[0])
			}
			routes[r] = i
		}
	}
	return ""
}

func (m *model) nlcuLine(d dims, proto string) CostLine {
	caps := nlcuCaps[proto]
	units, dim := m.units(d, caps[0], caps[1], capacity{})
	return m.unitHoursLine("NLB NLCU-hours ("+proto+", billed on "+dim+")", units, m.r[pricing.NLBNLCUHour], dimDriver[dim])
}

// awsCost adds the lines of an AWS load balancer and returns a shared ALB's rule order.
func (m *model) awsCost(g *group, add func(CostLine)) []ruleSlot {
	var slots []ruleSlot
	internet := g.scheme == schemeInternet
	switch g.kind {
	case kALB:
		add(m.fixed[fixALBHour])
		var evals capacity
		ok := false
		if !m.itemise { // summed only: the total in machine integers will do
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
		add(m.unitHoursLine("ALB LCU-hours (billed on "+dim+")", units, m.r[pricing.ALBLCUHour], dimDriver[dim]))
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
		add(m.quantityLine("Classic LB data processed", g.sums.gb, m.r[pricing.CLBGB], "gb"))
		if internet {
			add(m.fixed[fixIPv4])
		}
	case kNginx:
		if m.controller {
			add(m.fixed[fixNLBHour])
			add(m.nlcuLine(g.sums, ProtoTCP))
		} else {
			add(m.fixed[fixCLBHour])
			add(m.quantityLine("Classic LB data processed", g.sums.gb, m.r[pricing.CLBGB], "gb"))
		}
		if internet {
			add(m.fixed[fixIPv4])
		}
		m.proxyLines(add)
	}
	return slots
}

// albQuota checks a shared ALB's quotas and routing; "" when the members fit on one ALB.
func (m *model) albQuota(members []int) string { return m.sharedFits(kALB, members) }
