// Package whatif re-plans a declaration at scaled traffic: what the plan
// would cost and choose if every service's traffic were half, double or ten
// times what is declared, and, per shared service, the traffic at which a
// load balancer of its own becomes the cheaper choice.
package whatif

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// MaxFactor bounds a traffic factor.
const MaxFactor = 1_000_000

// Result is a declaration planned at each factor.
type Result struct {
	Factors   []string   `json:"factors"`
	Scenarios []Scenario `json:"scenarios"`
	// BreakEven lists, per service on a shared load balancer at the declared
	// traffic, the factor at which its own load balancer becomes cheaper.
	BreakEven []planner.BreakEven `json:"breakEven"`
}

// Scenario is the plan at one factor.
type Scenario struct {
	Factor        string            `json:"factor"`
	MonthlyCost   money.Cents       `json:"monthlyCost"`
	LoadBalancers int               `json:"loadBalancers"`
	Optimality    string            `json:"optimality"`
	Services      map[string]Choice `json:"services"`
}

// Choice is a service's exposure at one factor.
type Choice struct {
	Exposure     planner.Exposure `json:"exposure"`
	LoadBalancer *string          `json:"loadBalancer"`
	MonthlyCost  money.Cents      `json:"monthlyCost"`
}

// ParseFactors reads "0.5,2,10": positive decimals up to MaxFactor, each once.
func ParseFactors(specs []string) ([]*big.Rat, []string, error) {
	var rats []*big.Rat
	var names []string
	for _, spec := range specs {
		for _, s := range strings.Split(spec, ",") {
			s = strings.TrimSpace(s)
			f, err := money.ParsePrice(s)
			if err != nil || f.Sign() <= 0 || f.Cmp(big.NewRat(MaxFactor, 1)) > 0 {
				return nil, nil, fmt.Errorf("--scale-traffic: want factors above 0 and at most %d, e.g. 0.5,2,10; got %q", MaxFactor, s)
			}
			name := money.FormatRat(f, 6)
			for _, n := range names {
				if n == name {
					return nil, nil, fmt.Errorf("--scale-traffic: factor %s listed twice", name)
				}
			}
			rats, names = append(rats, f), append(names, name)
		}
	}
	if len(rats) == 0 {
		return nil, nil, fmt.Errorf("--scale-traffic: name at least one factor")
	}
	return rats, names, nil
}

// Run plans d at each factor, and finds the break-evens at the declared traffic.
func Run(d *planner.Declaration, cat *pricing.Catalog, factors []*big.Rat, names []string) (*Result, error) {
	r := &Result{Factors: names}
	for i, f := range factors {
		p, err := planner.Compute(planner.ScaleTraffic(d, f), cat)
		if err != nil {
			return nil, fmt.Errorf("traffic x %s: %w", names[i], err)
		}
		sc := Scenario{Factor: names[i], MonthlyCost: p.Totals.MonthlyCost, Optimality: p.Optimality, Services: map[string]Choice{}}
		for _, lb := range p.LoadBalancers {
			if lb.Strategy != "shared-charge" {
				sc.LoadBalancers++
			}
		}
		for _, s := range p.Services {
			sc.Services[s.Namespace+"/"+s.Name] = Choice{Exposure: s.Exposure, LoadBalancer: s.LoadBalancer, MonthlyCost: s.MonthlyCost}
		}
		r.Scenarios = append(r.Scenarios, sc)
	}
	be, err := planner.BreakEvens(d, cat)
	if err != nil {
		return nil, err
	}
	r.BreakEven = be
	return r, nil
}
