package planner

import (
	"math/rand/v2"
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
