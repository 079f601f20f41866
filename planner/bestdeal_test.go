package planner

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// busyHTTPS is n internet-facing HTTPS services on one certificate, each on
// a host of its own, at 100-500 requests per second.
func busyHTTPS(n int) *Declaration {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Zones: 3}
	for i := range n {
		rps := Q(int64(100 + r.IntN(400)))
		d.Services = append(d.Services, Service{Name: fmt.Sprintf("web-%03d", i), Namespace: "shop", Port: 8443,
			Protocol: ProtoHTTPS, Certificate: "wildcard", Audience: AudienceInternet, Hosts: []string{fmt.Sprintf("web-%03d.example.com", i)},
			Traffic: Traffic{RequestsPerSecond: rps, NewConnectionsPerSecond: rps / 10, ActiveConnections: rps * 5, GBPerMonth: rps * 2}})
	}
	return d
}

// TestBestDealFindsTheCheapestCount: 600 busy HTTPS services fit on 6 ALBs
// (100 rules each), but each ALB's first ten rules are free, so the cheapest
// dealing has many more ALBs, far past the first few counts from the quota
// bound that the search once stopped at (it then kept 13 ALBs at about twice
// the cheapest dealing's cost, and the plan put every service behind the
// in-cluster proxy for $6,956.35 a month). The count bestDeal settles on must
// cost no more than 1% over the cheapest of every count, dealt one by one,
// and the plan no more than that cheapest dealing.
func TestBestDealFindsTheCheapestCount(t *testing.T) {
	m, cand := dealingModel(t, busyHTTPS(600))
	cost := func(groups []*hgroup) val {
		var v val
		for _, g := range groups {
			v = v.plus(g.v)
		}
		return v
	}
	kmin := m.lowerBound(kALB, cand)
	if kmin != 6 {
		t.Fatalf("quota bound %d ALBs, want 6 (600 rules, 100 an ALB)", kmin)
	}
	cheapest, at := cost(m.deal(kALB, schemeInternet, cand, kmin)), kmin
	for n := kmin + 1; n <= 200; n++ {
		if v := cost(m.deal(kALB, schemeInternet, cand, n)); v.less(cheapest) {
			cheapest, at = v, n
		}
	}
	if at < kmin+8 {
		t.Fatalf("the cheapest dealing has %d ALBs: within the first counts, the case tests nothing", at)
	}
	best := m.bestDeal(kALB, schemeInternet, cand)
	if got := cost(best); got.cents()*100 > cheapest.cents()*101 {
		t.Errorf("bestDeal: %d ALBs for %v cents; %d ALBs cost %v", len(best), got.cents(), at, cheapest.cents())
	}
	p, err := Compute(busyHTTPS(600), defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if planVal(p).cents() > cheapest.cents() {
		t.Errorf("the plan costs %v cents a month on %d load balancers, over the cheapest dealing's %v on %d ALBs", planVal(p).cents(), len(p.LoadBalancers), cheapest.cents(), at)
	}
	t.Logf("bestDeal %d ALBs, %v cents; cheapest %d ALBs, %v", len(best), cost(best).cents(), at, cheapest.cents())
}

// dealingModel is a declaration's model readied as the heuristic readies it,
// with every service a candidate, busiest rule first.
func dealingModel(t *testing.T, d *Declaration) (*model, []int) {
	t.Helper()
	m := standaloneModel(t, d)
	m.hpos = make([]int32, len(m.svcs))
	m.parsedRules = make([][]rule, len(m.svcs))
	cand := make([]int, len(m.svcs))
	for i := range cand {
		cand[i] = i
	}
	slices.SortFunc(cand, m.byWeight)
	return m, cand
}

// standaloneModel is a declaration's model with each service's exposures on
// its own worked out (standalones).
func standaloneModel(t *testing.T, d *Declaration) *model {
	t.Helper()
	m, err := newModel(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	m.allocStandalones()
	if errs := m.standalones(); len(errs) > 0 {
		t.Fatal(errs)
	}
	return m
}

// Two in-cluster proxies, each holding one host's services (a tied set that
// single moves leave where dealing put it), cost more than one: mergeGroups
// puts them on one. Two that route the same host and path cannot share:
// the merge is undone and both stay as they were.
func TestMergeGroupsJoinsLoadBalancers(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyProxy}}
	for h := range 2 {
		for p := range 2 {
			d.Services = append(d.Services, Service{Name: fmt.Sprintf("s%d-%d", h, p), Namespace: "shop", Protocol: ProtoHTTP, Port: 80,
				Audience: AudienceInternet, Hosts: []string{fmt.Sprintf("h%d.example.com", h)}, Paths: []string{fmt.Sprintf("/p%d", p)},
				Traffic: Traffic{RequestsPerSecond: Q(10), GBPerMonth: Q(10)}})
		}
	}
	split := func(d *Declaration) (*model, *state, val) {
		m, cand := dealingModel(t, d)
		m.prepareOverlaps() // the routes two services route (as planning does)
		m.prepareTies()
		st := &state{loc: make([]*hgroup, len(m.svcs))}
		a, b := m.newHGroup(kProxy, schemeInternet), m.newHGroup(kProxy, schemeInternet)
		for _, i := range cand {
			g := a
			if strings.HasPrefix(m.svcs[i].s.Name, "s1-") {
				g = b
			}
			m.join(st, g, i)
		}
		m.refresh(a)
		m.refresh(b)
		st.groups = []*hgroup{a, b}
		return m, st, m.groupVal(a).plus(m.groupVal(b))
	}
	outcome := func(m *model, st *state) (n int, v val) {
		for _, g := range st.groups {
			if len(g.members) > 0 {
				n++
				v = v.plus(m.groupVal(g))
			}
		}
		return n, v
	}
	m, st, before := split(d)
	m.mergeGroups(st)
	if n, after := outcome(m, st); n != 1 || !after.less(before) {
		t.Fatalf("%d proxies after merging, value %v (was %v): want one, cheaper", n, after, before)
	}
	d.Services[2].Hosts, d.Services[2].Paths = d.Services[0].Hosts, d.Services[0].Paths // s1-0 routes what s0-0 does
	m, st, before = split(d)
	m.mergeGroups(st)
	if n, after := outcome(m, st); n != 2 || after != before || len(st.groups[0].members) != 2 || len(st.groups[1].members) != 2 {
		t.Fatalf("a route both route: %d proxies, value %v (was %v); want the two as they were", n, after, before)
	}
}
