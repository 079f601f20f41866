package planner

import (
	"cmp"
	"slices"
	"testing"
)

// The shards keep together a set routed by one rule and the services that
// share a load balancer today; the rest are dealt in key order.
func TestShardsKeepSetsTogether(t *testing.T) {
	d := SyntheticDeclaration(3 * ShardSize)
	for i := range d.Services {
		d.Services[i].Audience, d.Services[i].Protocol = AudienceInternet, ProtoHTTPS
	}
	a, b, c := &d.Services[1], &d.Services[2], &d.Services[4]
	a.RoutedWith = []string{b.Key()} // a canary split
	for _, s := range []*Service{c, &d.Services[5]} {
		s.Current, s.CurrentLoadBalancer = Ingress, &CurrentLB{Kind: CurrentALB, Name: "shop"}
	}
	m, err := newModel(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	idx, at := make([]int, len(m.svcs)), map[string]int{}
	for i := range idx {
		idx[i] = i
		at[m.svcs[i].key] = i
	}
	slices.SortFunc(idx, func(x, y int) int { return cmp.Compare(m.svcs[x].key, m.svcs[y].key) })
	svc := func(n int) int { return at[d.Services[n].Key()] }
	shards := m.shards(idx)
	if len(shards) != 3 {
		t.Fatalf("%d services in %d shards, want 3", len(idx), len(shards))
	}
	shardOf := map[int]int{}
	total := 0
	for j, sh := range shards {
		total += len(sh)
		for _, i := range sh {
			shardOf[i] = j
		}
	}
	in := func(n int) int { return shardOf[svc(n)] }
	if total != len(idx) || len(shardOf) != len(idx) {
		t.Fatalf("the shards hold %d services (%d distinct), want %d each once", total, len(shardOf), len(idx))
	}
	if in(1) != in(2) {
		t.Errorf("a set routed by one rule split over shards %d and %d", in(1), in(2))
	}
	if in(4) != in(5) {
		t.Errorf("the services on today's ALB group split over shards %d and %d", in(4), in(5))
	}
	if in(0) != 0 || in(3) != 0 || in(6) != 0 || in(7) != 1 {
		t.Errorf("dealing in key order: services 0, 3, 6, 7 in shards %d, %d, %d, %d, want 0, 0, 0, 1", in(0), in(3), in(6), in(7))
	}
}

// An in-cluster proxy has no quota: the shards' proxies are merged into
// one, as the unsharded heuristic would have planned.
func TestShardsShareOneProxy(t *testing.T) {
	d := SyntheticDeclaration(25_000)
	d.Strategies = []string{StrategyProxy}
	for i := range d.Services {
		d.Services[i].Audience = AudienceVPC
	}
	p, err := Compute(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	proxies, members := 0, 0
	for _, lb := range p.LoadBalancers {
		if lb.Strategy == "proxy" {
			proxies++
			members += len(lb.Services)
		}
	}
	if proxies != 1 || members <= ShardSize {
		t.Fatalf("%d proxies serving %d services, want one serving the class's HTTP services (more than a shard's %d)", proxies, members, ShardSize)
	}
}
