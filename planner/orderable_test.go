package planner

import (
	"maps"
	"math/big"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// orderable agrees with routingOrder's ok on random groups of overlapping rules.
func TestOrderableIsRoutingOrdersOK(t *testing.T) {
	cat := defaultCatalog(t)
	r := rand.New(rand.NewPCG(41, 3))
	hosts := []string{"*.example.com", "a.example.com", "b.example.com", "x.a.example.com"}
	paths := []string{"/", "/*", "/api", "/api/v1", "=/api/login", "/static*"}
	cycles := 0
	for n := 0; n < 500; n++ {
		d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}}
		for i := range 2 + r.IntN(8) {
			d.Services = append(d.Services, routedService(r, string(rune('a'+i))+"svc", ProtoHTTPS, hosts, paths))
		}
		if Validate(d) != nil {
			continue
		}
		m, err := newModel(d, cat)
		if err != nil {
			t.Fatal(err)
		}
		members := make([]int, len(m.svcs))
		for i := range members {
			members[i] = i
		}
		_, ok := m.routingOrder(members)
		if got := m.orderable(members); got != ok {
			t.Fatalf("instance %d: orderable %v, routingOrder %v", n, got, ok)
		}
		if !ok {
			cycles++
		}
	}
	if cycles < 50 {
		t.Fatalf("only %d groups without an order: the instances prove little", cycles)
	}
}

// referenceRoutingOrder is routingOrder as first written (a rank fixpoint
// and a quadratic placement), kept to hold firstMatchOrder to it.
func (m *model) referenceRoutingOrder(members []int) ([]int, bool) {
	order := append([]int(nil), members...)
	slices.SortFunc(order, m.byWeight)
	before := map[int]map[int]bool{}
	for _, e := range m.mustPrecede(members) {
		if before[e.after] == nil {
			before[e.after] = map[int]bool{}
		}
		before[e.after][e.before] = true
	}
	rank := map[int]int{}
	for pos, i := range order {
		rank[i] = pos
	}
	for changed, rounds := true, 0; changed && rounds <= len(order); rounds++ {
		changed = false
		for x, need := range before {
			for i := range need {
				if rank[x] < rank[i] {
					rank[i], changed = rank[x], true
				}
			}
		}
	}
	byRank := append([]int(nil), order...)
	sort.SliceStable(byRank, func(a, b int) bool { return rank[byRank[a]] < rank[byRank[b]] })
	placed := map[int]bool{}
	var out []int
	for len(out) < len(order) {
		progress := false
		for _, i := range byRank {
			if placed[i] || !allPlaced(before[i], placed) {
				continue
			}
			placed[i], progress = true, true
			out = append(out, i)
			break
		}
		if !progress {
			return order, false
		}
	}
	return out, true
}

// randomRoutedModel is a model of ALB services with overlapping hosts and
// paths, random traffic and some canaries routed with their service.
func randomRoutedModel(t *testing.T, r *rand.Rand, count int) *model {
	t.Helper()
	hosts := []string{"*.example.com", "a.example.com", "b.example.com", "x.a.example.com"}
	paths := []string{"/", "/*", "/api", "/api/v1", "=/api/login", "/static*", "/api/v1/orders"}
	for {
		d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, Services: routedServices(r, count, hosts, paths)}
		if Validate(d) != nil {
			continue
		}
		m, err := newModel(d, defaultCatalog(t))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}

// routingOrder (a heap over ranks from one topological pass) orders every
// random group exactly as the first, quadratic, version did, and fails on
// the same ones.
func TestRoutingOrderIsReference(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 7))
	cycles, reordered := 0, 0
	for n := 0; n < 600; n++ {
		m := randomRoutedModel(t, r, 2+r.IntN(25))
		members := r.Perm(len(m.svcs))[:1+r.IntN(len(m.svcs))]
		got, ok := m.routingOrder(members)
		want, wantOK := m.referenceRoutingOrder(members)
		if ok != wantOK || !slices.Equal(got, want) {
			t.Fatalf("instance %d: %v %v, want %v %v", n, got, ok, want, wantOK)
		}
		busiest := slices.SortedFunc(slices.Values(members), m.byWeight)
		switch {
		case !ok:
			cycles++
		case !slices.Equal(got, busiest):
			reordered++
		}
	}
	if cycles < 30 || reordered < 100 {
		t.Fatalf("%d cycles and %d reorderings: the instances prove little", cycles, reordered)
	}
}

// A heuristic ALB group keeps its members' must-precede pairs through joins
// and leaves as mustPrecede finds them afresh; its join check agrees with
// orderable; and a trial's rule evaluations (a service joining or leaving,
// ordered from the kept pairs) equal the full count.
func TestHeuristicGroupKeepsPrecedence(t *testing.T) {
	r := rand.New(rand.NewPCG(47, 11))
	pairs := func(edges []edge) map[edge]bool {
		out := map[edge]bool{}
		for _, e := range edges {
			out[e] = true
		}
		return out
	}
	full := func(m *model, members []int) *big.Rat {
		num, den, ok := m.albEvals(members)
		if !ok {
			t.Fatal("overflow")
		}
		return big.NewRat(num, den)
	}
	refused, tried := 0, 0
	for n := 0; n < 150; n++ {
		m := randomRoutedModel(t, r, 10+r.IntN(20))
		m.allocStandalones()
		if errs := m.standalones(); len(errs) > 0 {
			t.Fatal(errs)
		}
		m.hpos = make([]int32, len(m.svcs))
		m.parsedRules = make([][]rule, len(m.svcs))
		g := m.newHGroup(kALB, schemeInternet)
		for step := 0; step < 40; step++ {
			i := r.IntN(len(m.svcs))
			if slices.Contains(g.members, i) {
				m.valWith(g, i, -1)
				rest := slices.DeleteFunc(slices.Clone(g.members), func(x int) bool { return x == i })
				if len(rest) > 1 && g.trialGroup.evals != nil && g.trialEvals.Rat().Cmp(full(m, rest)) != 0 {
					t.Fatalf("instance %d: %d leaving: %v, want %v", n, i, g.trialEvals.Rat(), full(m, rest))
				}
				m.leave(nil, g, i)
			} else {
				joined := append(slices.Clone(g.members), i)
				fits := m.fits(g, i)
				if len(g.over) > 0 && m.svcs[i].overlaps && routeFree(m, joined) {
					tried++
					if fits != m.orderable(joined) {
						t.Fatalf("instance %d: joining %d: fits %v, orderable %v", n, i, fits, m.orderable(joined))
					}
				}
				if !fits {
					refused++
					continue
				}
				if len(g.members) > 0 {
					m.valWith(g, i, +1)
					if g.trialGroup.evals == nil {
						t.Fatalf("instance %d: %d joining: no trial evaluations", n, i)
					}
					if got, want := g.trialEvals.Rat(), full(m, joined); got.Cmp(want) != 0 {
						t.Fatalf("instance %d: %d joining: %v, want %v", n, i, got, want)
					}
				}
				m.join(nil, g, i)
			}
			m.refresh(g)
			if got, want := pairs(g.edges), pairs(m.mustPrecede(g.members)); !maps.Equal(got, want) {
				t.Fatalf("instance %d step %d: kept pairs %v, want %v", n, step, got, want)
			}
		}
	}
	if refused < 100 || tried < 300 {
		t.Fatalf("%d refused of %d checked joins: the instances prove little", refused, tried)
	}
}

// routeFree reports whether no two of members route one route (fits refuses
// those before the order is looked at).
func routeFree(m *model, members []int) bool {
	return m.routeConflict(members) == ""
}

func allPlaced(need map[int]bool, placed map[int]bool) bool {
	for j := range need {
		if !placed[j] {
			return false
		}
	}
	return true
}
