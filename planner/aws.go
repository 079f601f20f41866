package planner

import (
	"fmt"
	"math/big"
	"strings"

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
	units, dim := m.units(d, caps[0], caps[1], nil)
	return m.unitHoursLine("NLB NLCU-hours ("+proto+", billed on "+dim+")", units, m.r[pricing.NLBNLCUHour], dimDriver[dim])
}

// awsCost adds the lines of an AWS load balancer and returns a shared ALB's rule order.
func (m *model) awsCost(g *group, add func(CostLine)) []ruleSlot {
	var slots []ruleSlot
	internet := g.scheme == schemeInternet
	switch g.kind {
	case kALB:
		add(m.fixed[fixALBHour])
		var evals *big.Rat
		slots, evals = m.albRuleOrder(g.members)
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
