package planner

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The optimiser sums costs in machine integers (RoundProduct, albEvals); the
// plan itemises them with rationals. Both must give the same cents for every
// kind, on every cloud, for groups of every size, with multi-rule services
// past the ALB's ten free rule positions.
func TestSummedCostEqualsItemisedCost(t *testing.T) {
	cat := defaultCatalog(t)
	for _, cloud := range []struct{ name, region string }{{"aws", "us-east-1"}, {"gcp", "us-central1"}, {"azure", "eastus"}} {
		d := SyntheticDeclaration(400)
		d.Cloud, d.Region = cloud.name, cloud.region
		r := rand.New(rand.NewPCG(3, 5))
		for i := range d.Services {
			s := &d.Services[i]
			if isL7(s.Protocol) {
				for p := range r.IntN(4) {
					s.Paths = append(s.Paths, fmt.Sprintf("/p%d", p))
				}
			}
			s.Traffic.RequestsPerSecond = Q(int64(r.IntN(5000))) + Quantity(r.IntN(QuantityScale))
		}
		m, err := newModel(d, cat)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, k := range m.kinds {
			for _, scheme := range []string{schemeInternet, schemeInternal} {
				var cand []int
				for i := range m.svcs {
					if m.svcs[i].scheme == scheme && m.infeasible(&m.svcs[i], k) == "" && (!k.shared() || m.svcs[i].shareable[k]) {
						cand = append(cand, i)
					}
				}
				for _, size := range []int{1, 2, 7, 30, 60} {
					if len(cand) < size || (!k.shared() && size > 1) {
						continue
					}
					members := cand[:size]
					if k.shared() && m.sharedFits(k, members) != "" {
						continue
					}
					g := m.newGroup(k, scheme, members)
					summed, _, _ := m.cost(g, false)
					itemised, lines, _ := m.cost(g, true)
					var sum int64
					for _, l := range lines {
						sum += int64(l.MonthlyCost)
					}
					if summed != itemised || int64(itemised) != sum {
						t.Errorf("%s %v %s, %d members: summed %v, itemised %v (lines %d)", cloud.name, k, scheme, size, summed, itemised, sum)
					}
					checked++
				}
			}
		}
		if checked < 8 {
			t.Fatalf("%s: only %d groups checked", cloud.name, checked)
		}
	}
}

// An ALB's worst-case rule evaluations summed in machine integers equal the
// rational sum, and rates too large for them fall back to rationals.
func TestWorstEvalsMatchRationals(t *testing.T) {
	d := SyntheticDeclaration(300)
	r := rand.New(rand.NewPCG(9, 4))
	for i := range d.Services {
		s := &d.Services[i]
		s.Protocol, s.Audience = ProtoHTTPS, AudienceInternet
		for p := range r.IntN(5) {
			s.Paths = append(s.Paths, fmt.Sprintf("/p%d", p))
		}
		s.Traffic.RequestsPerSecond = Q(int64(r.IntN(5000))) + Quantity(r.IntN(QuantityScale))
	}
	d.Services[7].Traffic.RequestsPerSecond = Quantity(1 << 61) // past machine integers once multiplied
	m, err := newModel(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 5, 20, 60, 300} {
		for _, from := range []int{0, 8} {
			members := make([]int, 0, size)
			for i := from; i < len(m.svcs) && len(members) < size; i++ {
				members = append(members, i)
			}
			var rules [2]int
			for _, i := range members {
				rules[listenerIndex(&m.svcs[i])] += m.svcs[i].rules
			}
			if got, want := m.worstEvals(members), m.worstEvalsRat(members, rules); got.Cmp(want) != 0 {
				t.Errorf("%d members from %d: %s, want %s", size, from, got.RatString(), want.RatString())
			}
		}
	}
}
