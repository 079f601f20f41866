package planner

import (
	"math/big"
	"strings"
	"testing"
)

// Two services on one ALB, traffic in bytes only. By hand (us-east-1, two
// zones): together they cost the ALB's hours and addresses ($16.43 + $7.30)
// and $0.008 per GB of both; apart, each an NLB ($16.43 + $7.30) and $0.006
// per GB: a's g GB and b's 100 GB. Apart is cheaper once 0.002 g > 23.73 -
// 0.20, past about 11,765 GB: 117.65 times a's declared 100 GB.
func TestBreakEvenByHand(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, Services: []Service{
		{Name: "a", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, Hosts: []string{"a.example.com"}, Traffic: Traffic{GBPerMonth: Q(100)}},
		{Name: "b", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, Hosts: []string{"b.example.com"}, Traffic: Traffic{GBPerMonth: Q(100)}},
	}}
	be, err := BreakEvens(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(be) != 2 || be[0].Service != "default/a" || be[0].OwnKind != "nlb" || be[0].LoadBalancer != "alb-internet-1" {
		t.Fatalf("%+v", be)
	}
	f, ok := new(big.Rat).SetString(be[0].Factor)
	if !ok || f.Cmp(big.NewRat(1175, 10)) < 0 || f.Cmp(big.NewRat(1178, 10)) > 0 {
		t.Fatalf("break-even x %s, want about 117.65", be[0].Factor)
	}
	if be[0].Traffic == nil || be[0].Traffic.GBPerMonth < Q(11750) || be[0].Traffic.GBPerMonth > Q(11780) {
		t.Fatalf("traffic at break-even %+v", be[0].Traffic)
	}
	// and the planner agrees: a at that traffic (b unchanged) gets an NLB of its own, just below it shares
	for _, c := range []struct {
		gb    Quantity
		alone bool
	}{{Q(11800), true}, {Q(11700), false}} {
		d2 := *d
		d2.Services = append([]Service(nil), d.Services...)
		d2.Services[0].Traffic.GBPerMonth = c.gb
		p := mustPlan(t, &d2)
		if a := svcByName(t, p, "a"); (a.Exposure == LoadBalancer) != c.alone {
			t.Errorf("a at %s GB: %s %v", c.gb, a.Exposure, *a.LoadBalancer)
		}
	}
}

func TestScaleTraffic(t *testing.T) {
	d := &Declaration{Services: []Service{{Name: "a", Traffic: Traffic{RequestsPerSecond: Q(3), GBPerMonth: QuantityScale / 3}}}}
	s := ScaleTraffic(d, big.NewRat(5, 2))
	if s.Services[0].Traffic.RequestsPerSecond != Q(7)+QuantityScale/2 || s.Services[0].Traffic.GBPerMonth != 833_332 || d.Services[0].Traffic.RequestsPerSecond != Q(3) {
		t.Fatalf("%+v (declared %+v)", s.Services[0].Traffic, d.Services[0].Traffic)
	}
	if !strings.Contains(scaleQ(Q(1), big.NewRat(1<<62, 1)).String(), "") {
		t.Fatal("unreachable")
	}
}
