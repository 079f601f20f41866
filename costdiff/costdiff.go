// Package costdiff compares two plans of the same cluster (before and after
// a change): what moves per service and per load balancer, and what the
// change does to the monthly bill, for a pull request or a CI gate.
package costdiff

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// Change kinds of a service or a load balancer.
const (
	Added     = "added"
	Removed   = "removed"
	Changed   = "changed"
	Unchanged = "unchanged"
)

// Diff is what a change does.
type Diff struct {
	Base  money.Cents `json:"baseMonthlyCost"`
	Head  money.Cents `json:"headMonthlyCost"`
	Delta money.Cents `json:"monthlyDelta"`
	// Percent is the delta against the base, to two decimals ("" when the base costs nothing).
	Percent       string               `json:"percent"`
	Services      []ServiceChange      `json:"services"`
	LoadBalancers []LoadBalancerChange `json:"loadBalancers"`
}

// Side is a service's plan on one side.
type Side struct {
	Exposure     planner.Exposure `json:"exposure"`
	LoadBalancer *string          `json:"loadBalancer"`
	MonthlyCost  money.Cents      `json:"monthlyCost"`
}

// ServiceChange is one service before and after.
type ServiceChange struct {
	Service string      `json:"service"`
	Change  string      `json:"change"`
	Base    *Side       `json:"base"`
	Head    *Side       `json:"head"`
	Delta   money.Cents `json:"monthlyDelta"`
}

// LoadBalancerChange is one load balancer before and after.
type LoadBalancerChange struct {
	ID     string      `json:"id"`
	Kind   string      `json:"kind"`
	Change string      `json:"change"`
	Base   money.Cents `json:"baseMonthlyCost"`
	Head   money.Cents `json:"headMonthlyCost"`
	Delta  money.Cents `json:"monthlyDelta"`
	// Services lists who joins (+) and leaves (-) it.
	Services []string `json:"services,omitempty"`
}

// Compare diffs base and head.
func Compare(base, head *planner.Plan) *Diff {
	d := &Diff{Base: base.Totals.MonthlyCost, Head: head.Totals.MonthlyCost, Services: []ServiceChange{}, LoadBalancers: []LoadBalancerChange{}}
	d.Delta = d.Head - d.Base
	if d.Base != 0 {
		pct := new(big.Rat).SetFrac64(int64(d.Delta)*100, int64(d.Base))
		d.Percent = pct.FloatString(2)
	}
	sides := func(p *planner.Plan) map[string]*Side {
		out := map[string]*Side{}
		for _, s := range p.Services {
			out[s.Namespace+"/"+s.Name] = &Side{Exposure: s.Exposure, LoadBalancer: s.LoadBalancer, MonthlyCost: s.MonthlyCost}
		}
		return out
	}
	bs, hs := sides(base), sides(head)
	for _, key := range keys(bs, hs) {
		b, h := bs[key], hs[key]
		c := ServiceChange{Service: key, Base: b, Head: h}
		switch {
		case b == nil:
			c.Change, c.Delta = Added, h.MonthlyCost
		case h == nil:
			c.Change, c.Delta = Removed, -b.MonthlyCost
		default:
			c.Delta = h.MonthlyCost - b.MonthlyCost
			c.Change = Unchanged
			if b.Exposure != h.Exposure || lb(b.LoadBalancer) != lb(h.LoadBalancer) || c.Delta != 0 {
				c.Change = Changed
			}
		}
		d.Services = append(d.Services, c)
	}
	lbs := func(p *planner.Plan) map[string]*planner.LoadBalancerPlan {
		out := map[string]*planner.LoadBalancerPlan{}
		for i := range p.LoadBalancers {
			out[p.LoadBalancers[i].ID] = &p.LoadBalancers[i]
		}
		return out
	}
	bl, hl := lbs(base), lbs(head)
	for _, id := range keys(bl, hl) {
		b, h := bl[id], hl[id]
		c := LoadBalancerChange{ID: id}
		switch {
		case b == nil:
			c.Change, c.Kind, c.Head = Added, h.Kind, h.MonthlyCost
			c.Services = prefixed("+", h.Services)
		case h == nil:
			c.Change, c.Kind, c.Base = Removed, b.Kind, b.MonthlyCost
			c.Services = prefixed("-", b.Services)
		default:
			c.Kind, c.Base, c.Head = h.Kind, b.MonthlyCost, h.MonthlyCost
			c.Services = append(prefixed("+", minus(h.Services, b.Services)), prefixed("-", minus(b.Services, h.Services))...)
			c.Change = Unchanged
			if c.Base != c.Head || len(c.Services) > 0 || b.Kind != h.Kind {
				c.Change = Changed
			}
		}
		c.Delta = c.Head - c.Base
		d.LoadBalancers = append(d.LoadBalancers, c)
	}
	return d
}

// Threshold is a --fail-over limit: an amount a month, or a percentage of the base.
type Threshold struct {
	Cents   money.Cents
	Percent *big.Rat
}

// ParseThreshold reads "25" or "25.50" (dollars a month) or "10%".
func ParseThreshold(s string) (Threshold, error) {
	if p, ok := strings.CutSuffix(strings.TrimSpace(s), "%"); ok {
		r, ok := new(big.Rat).SetString(p)
		if !ok || r.Sign() < 0 {
			return Threshold{}, fmt.Errorf("--fail-over: want AMOUNT or PERCENT%%, got %q", s)
		}
		return Threshold{Percent: r}, nil
	}
	r, err := money.ParsePrice(s)
	if err != nil {
		return Threshold{}, fmt.Errorf("--fail-over: want AMOUNT (dollars a month) or PERCENT%%, got %q: %v", s, err)
	}
	return Threshold{Cents: money.Round(r)}, nil
}

// Exceeds reports whether the diff's increase is over the threshold, and says by how much.
func (t Threshold) Exceeds(d *Diff) (bool, string) {
	if d.Delta <= 0 {
		return false, ""
	}
	if t.Percent == nil {
		if d.Delta > t.Cents {
			return true, fmt.Sprintf("the change adds %s a month, over the %s allowed", d.Delta.Dollars(), t.Cents.Dollars())
		}
		return false, ""
	}
	if d.Base == 0 {
		return true, fmt.Sprintf("the change adds %s a month to a plan that cost nothing", d.Delta.Dollars())
	}
	pct := new(big.Rat).SetFrac64(int64(d.Delta)*100, int64(d.Base))
	if pct.Cmp(t.Percent) > 0 {
		return true, fmt.Sprintf("the change adds %s a month (%s%%), over the %s%% allowed", d.Delta.Dollars(), pct.FloatString(2), t.Percent.FloatString(2))
	}
	return false, ""
}

func lb(id *string) string {
	if id == nil {
		return ""
	}
	return *id
}

func keys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func prefixed(p string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = p + x
	}
	return out
}

// minus is a without b (both sorted or not).
func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}
