package planner

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Application Gateway for Containers, Azure's managed layer-7 load balancer
// for AKS driven by the ALB Controller through Gateway API (or Ingress), as
// Microsoft bills it ("Understanding pricing for Application Gateway for
// Containers"): one resource hour, one hour per frontend (a Gateway, or an
// Ingress that does not share one), one association hour (its subnet link),
// and capacity units, each 2,500 persistent connections or 2.22 Mbps,
// counted in whole units on the higher of the two.
const (
	agcActivePerCU = 2500
	// CU throughput, 2.22 Mbps, as a fraction
	agcMbpsPerCUNum, agcMbpsPerCUDen = 222, 100
)

func init() {
	registerKind(kAGC, kindSpec{
		label: "Application Gateway for Containers", strategy: StrategyAGC, family: familyL7, exposure: Ingress, lbs: 1, current: CurrentAGC, weighted: yes, writesCanary: yes,
		items:   []string{pricing.AzureAGCHour, pricing.AzureAGCFrontendHour, pricing.AzureAGCAssociationHour, pricing.AzureAGCCUHour},
		id:      fixedID("agc"),
		path:    fixedPath("client -> AGC -> pod"),
		latency: lbOnly, // it reaches pods directly
		infeasible: func(_ *model, si *svcInfo) string {
			s := si.s
			switch {
			case !isL7(s.Protocol):
				return s.Protocol + " cannot go through Application Gateway for Containers (HTTP, HTTPS and gRPC only)"
			case s.Has(NeedTLSPassthrough):
				return "tlsPassthrough needs a layer-4 load balancer; Application Gateway for Containers terminates TLS"
			case s.Has(NeedStaticIP):
				return "staticIP: an Application Gateway for Containers frontend has a DNS name, not a static address"
			case si.scheme == schemeInternal:
				return "Application Gateway for Containers frontends are public"
			}
			return ""
		},
		cost: func(m *model, g *group, b *bill) []ruleSlot {
			m.agcCost(g, b)
			return nil
		},
		render: func(_ *model, _ *group, _ *svcInfo, _ string, row *ServicePlan) {
			row.GatewayClassName = "azure-alb-external" // routes on a Gateway of the ALB Controller's class
		},
	})
}

// agcCost adds the lines of one Application Gateway for Containers.
func (m *model) agcCost(g *group, b *bill) {
	b.add(m.line("Application Gateway for Containers hours", m.hours, m.r[pricing.AzureAGCHour], byNothing))
	frontends := m.agcFrontends(g)
	b.add(m.line(fmt.Sprintf("frontend hours (%d frontend%s)", frontends, plural(frontends)),
		new(big.Rat).Mul(m.hours, big.NewRat(int64(frontends), 1)), m.r[pricing.AzureAGCFrontendHour], byNothing))
	b.add(m.line("association hours", m.hours, m.r[pricing.AzureAGCAssociationHour], byNothing))
	units, dim := m.agcCapacityUnits(g.sums)
	b.add(m.line(fmt.Sprintf("capacity units (%d, billed on %s)", units, dim),
		new(big.Rat).Mul(m.hours, big.NewRat(units, 1)), m.r[pricing.AzureAGCCUHour], dim))
}

// agcCapacityUnits is the whole capacity units steady traffic needs: the
// higher of persistent connections / 2,500 and throughput / 2.22 Mbps,
// rounded up (as Microsoft's examples count them).
func (m *model) agcCapacityUnits(d dims) (int64, dimension) {
	byConns := ceilQuantity(d.ac, Quantity(agcActivePerCU*QuantityScale))
	// GB a month -> Mbps: GB x 8,000 / (hours x 3,600); units = Mbps / 2.22
	mbps := new(big.Rat).Mul(d.gb.Rat(), big.NewRat(8000, 3600))
	mbps.Quo(mbps, m.hours)
	perCU := new(big.Rat).Quo(mbps, big.NewRat(agcMbpsPerCUNum, agcMbpsPerCUDen))
	byThroughput := new(big.Int).Quo(new(big.Int).Add(perCU.Num(), new(big.Int).Sub(perCU.Denom(), big.NewInt(1))), perCU.Denom()).Int64()
	if byThroughput > byConns {
		return byThroughput, byBytes
	}
	return byConns, byActiveConnections
}

// ceilQuantity is ceil(a / b) for non-negative a and positive b.
func ceilQuantity(a, b Quantity) int64 { return (int64(a) + int64(b) - 1) / int64(b) }

// agcFrontends counts a gateway's frontends: today's as they are; for a
// planned one, the Ingresses that stay as they are (each its own frontend)
// plus one Gateway for the routes of the rest.
func (m *model) agcFrontends(g *group) int {
	if g.frontends > 0 {
		return g.frontends
	}
	ingresses, gateway := map[string]bool{}, false
	for _, i := range g.members {
		si := &m.svcs[i]
		if c := si.s.CurrentLoadBalancer; si.cur == kAGC && c != nil && c.Frontend != "" && !strings.HasPrefix(c.Frontend, GatewayPrefix) {
			ingresses[c.Frontend] = true
		} else {
			gateway = true
		}
	}
	if gateway || len(ingresses) == 0 {
		return len(ingresses) + 1
	}
	return len(ingresses)
}

// frontendsToday counts the distinct frontends today's gateway serves its
// members through (0 for another kind).
func (m *model) frontendsToday(g *group) int {
	if g.kind != kAGC {
		return 0
	}
	seen := map[string]bool{}
	for _, i := range g.members {
		if c := m.svcs[i].s.CurrentLoadBalancer; c != nil && c.Frontend != "" {
			seen[c.Frontend] = true
		}
	}
	return len(seen)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
