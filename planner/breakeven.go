package planner

import (
	"math/big"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// BreakEven is, for a service that shares a load balancer, the traffic at
// which a load balancer of its own becomes the cheaper choice: its traffic
// (every figure) multiplied by Factor, the other services' unchanged, makes
// it alone plus the others without it cost less than the shared one.
type BreakEven struct {
	Service      string `json:"service"`
	LoadBalancer string `json:"loadBalancer"`
	// Factor multiplies the service's declared traffic; "" when no traffic
	// up to MaxBreakEvenFactor times today's makes its own cheaper.
	Factor string `json:"factor"`
	// OwnKind is the load balancer of its own it would then take.
	OwnKind string `json:"ownKind,omitempty"`
	// Traffic is its traffic at the break-even.
	Traffic *Traffic `json:"traffic,omitempty"`
}

// Break-even search bounds: services searched, the largest factor, and the
// factor's precision (1/1000).
const (
	MaxBreakEvenServices = 2000
	MaxBreakEvenFactor   = 1 << 20
	breakEvenSteps       = 40
)

// BreakEvens finds, for each service on a shared load balancer of the plan
// of d, the traffic factor at which its own load balancer costs less than
// its share (load balancers' own lines; GCP's and Azure's tiered rule
// charges, which depend on the whole plan, left out).
func BreakEvens(d *Declaration, cat *pricing.Catalog) ([]BreakEven, error) {
	p, m, err := compute(d, cat)
	if err != nil {
		return nil, err
	}
	out := []BreakEven{}
	if len(m.svcs) > MaxBreakEvenServices {
		return out, nil
	}
	groups, _, err := m.optimiseChains()
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	for _, s := range p.Services {
		if s.LoadBalancer != nil {
			ids[s.Namespace+"/"+s.Name] = *s.LoadBalancer
		}
	}
	for _, g := range groups {
		if !g.kind.shared() || len(g.members) < 2 {
			continue
		}
		for _, i := range g.members {
			be := BreakEven{Service: m.svcs[i].key, LoadBalancer: ids[m.svcs[i].key]}
			if f, k, ok := m.breakEven(g, i); ok {
				be.Factor, be.OwnKind = money.FormatRat(f, 3), k.spec().id(m)
				t := scaledTraffic(m.svcs[i].s.Traffic, f)
				be.Traffic = &t
			}
			out = append(out, be)
		}
	}
	return out, nil
}

// breakEven searches the least factor (to 1/1000) at which service i on its
// own, plus group g without it, cost less than g.
func (m *model) breakEven(g *group, i int) (*big.Rat, kind, bool) {
	rest := removeInt(append([]int(nil), g.members...), i)
	cheaper := func(f *big.Rat) (kind, bool) {
		c := m.scaledCopy(i, f)
		shared, _, _ := c.cost(c.newGroup(g.kind, g.scheme, g.members), false)
		restCost, _, _ := c.cost(c.newGroup(g.kind, g.scheme, rest), false)
		if len(rest) == 1 {
			if _, alone, ok := c.bestAlone(rest[0]); ok {
				restCost = min(restCost, alone)
			}
		}
		k, alone, ok := c.bestAlone(i)
		return k, ok && alone+restCost < shared
	}
	lo, hi := big.NewRat(1, 1), big.NewRat(1, 1)
	if _, ok := cheaper(lo); ok {
		return nil, 0, false // already cheaper alone: the plan shares it for another reason
	}
	for {
		hi.Mul(hi, big.NewRat(2, 1))
		if hi.Cmp(big.NewRat(MaxBreakEvenFactor, 1)) > 0 {
			return nil, 0, false
		}
		if _, ok := cheaper(hi); ok {
			break
		}
		lo.Set(hi)
	}
	for range breakEvenSteps { // lo shares cheaper, hi is cheaper alone
		mid := new(big.Rat).Add(lo, hi)
		mid.Quo(mid, big.NewRat(2, 1))
		if _, ok := cheaper(mid); ok {
			hi = mid
		} else {
			lo = mid
		}
		if d := new(big.Rat).Sub(hi, lo); d.Cmp(big.NewRat(1, 1000)) < 0 {
			break
		}
	}
	k, _ := cheaper(hi)
	return hi, k, true
}

// scaledCopy is the model with service i's usage multiplied by f.
func (m *model) scaledCopy(i int, f *big.Rat) *model {
	c := *m
	c.svcs = make([]svcInfo, len(m.svcs))
	copy(c.svcs, m.svcs)
	si := &c.svcs[i]
	scale := func(q Quantity) Quantity { return scaleQ(q, f) }
	si.nc, si.ac, si.gb, si.rps = scale(si.nc), scale(si.ac), scale(si.gb), scale(si.rps)
	return &c
}

// bestAlone is service i's cheapest exposure of its own, if it has one.
func (m *model) bestAlone(i int) (kind, money.Cents, bool) {
	best, bestCost := kind(0), money.Cents(-1)
	for _, k := range m.kinds {
		if k.shared() || !m.svcs[i].feasible[k] {
			continue
		}
		cost, _, _ := m.cost(m.newGroup(k, m.svcs[i].scheme, []int{i}), false)
		if bestCost < 0 || cost < bestCost {
			best, bestCost = k, cost
		}
	}
	return best, bestCost, bestCost >= 0
}

// scaleQ multiplies a quantity by f, rounded to the quantity's precision.
func scaleQ(q Quantity, f *big.Rat) Quantity {
	r := new(big.Rat).Mul(q.Rat(), f)
	r.Mul(r, big.NewRat(QuantityScale, 1))
	n := new(big.Int).Quo(r.Num(), r.Denom())
	if !n.IsInt64() {
		return Quantity(1<<62 - 1)
	}
	return Quantity(n.Int64())
}

// scaledTraffic is t with every figure multiplied by f.
func scaledTraffic(t Traffic, f *big.Rat) Traffic {
	return Traffic{RequestsPerSecond: scaleQ(t.RequestsPerSecond, f), NewConnectionsPerSecond: scaleQ(t.NewConnectionsPerSecond, f),
		ActiveConnections: scaleQ(t.ActiveConnections, f), GBPerMonth: scaleQ(t.GBPerMonth, f)}
}

// ScaleTraffic returns a copy of d with every service's traffic multiplied by f.
func ScaleTraffic(d *Declaration, f *big.Rat) *Declaration {
	c := *d
	c.Services = make([]Service, len(d.Services))
	copy(c.Services, d.Services)
	for i := range c.Services {
		c.Services[i].Traffic = scaledTraffic(d.Services[i].Traffic, f)
	}
	return &c
}
