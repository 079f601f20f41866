package planner

import (
	"strings"
	"testing"
)

// Microsoft's own worked examples ("Understanding pricing for Application
// Gateway for Containers", East US 2 rates), by hand:
// example 3, 3,000 persistent connections: 3,000 / 2,500 = 1.2 -> 2 CUs:
// 730 x $0.017 = 12.41; 1 frontend 730 x $0.01 = 7.30; association 730 x $0.12 = 87.60;
// 2 x 730 x $0.008 = 11.68; total $118.99.
// Example 4, 100 Mbps sustained: 100 / 2.22 = 45.05 -> 46 CUs: 46 x 730 x $0.008 = 268.64; total $375.95.
func TestAGCMicrosoftExamples(t *testing.T) {
	d := &Declaration{Cloud: "azure", Region: agcRegion, Strategies: []string{StrategyAGC}, Services: []Service{
		web("contoso", 10, 1, 1500, 1, "contoso.com"), web("fabrikam", 10, 1, 1500, 1, "fabrikam.com"),
	}}
	for i := range d.Services {
		d.Services[i].Pin = Ingress
	}
	p := mustPlan(t, d)
	lb := lbByID(t, p, "agc-internet-1")
	want := "Application Gateway for Containers hours=12.41; frontend hours (1 frontend)=7.30; association hours=87.60; capacity units (2, billed on active connections)=11.68"
	if got := costsOf(lb); got != want || lb.MonthlyCost.String() != "118.99" || lb.Kind != "agc" || lb.Strategy != StrategyAGC {
		t.Fatalf("\n got %s (%s, %s %s)\nwant %s (118.99)", got, lb.MonthlyCost, lb.Kind, lb.Strategy, want)
	}
	s := svcByName(t, p, "contoso")
	if s.GatewayClassName != "azure-alb-external" || s.Path != "client -> AGC -> pod" || s.ServiceType != "ClusterIP" {
		t.Fatalf("row %+v", s)
	}

	// 100 Mbps for 730 hours is 100 x 730 x 3,600 / 8,000 = 32,850 GB a month
	d = &Declaration{Cloud: "azure", Region: agcRegion, Strategies: []string{StrategyAGC}, Services: []Service{
		web("a", 10, 1, 2500, 16425, "a.example.com"), web("b", 10, 1, 2500, 16425, "b.example.com"),
	}}
	for i := range d.Services {
		d.Services[i].Pin = Ingress
	}
	p = mustPlan(t, d)
	lb = lbByID(t, p, "agc-internet-1")
	want = "Application Gateway for Containers hours=12.41; frontend hours (1 frontend)=7.30; association hours=87.60; capacity units (46, billed on processed bytes)=268.64"
	if got := costsOf(lb); got != want || lb.MonthlyCost.String() != "375.95" {
		t.Fatalf("\n got %s (%s)\nwant %s (375.95)", got, lb.MonthlyCost, want)
	}
}

// Today's gateway with three frontends (three Gateways on one resource) is
// billed three frontend hours: 12.41 + 3 x 7.30 + 87.60 + 1 CU 5.84 = $127.75.
// A plan limited to AGC puts the three on one Gateway: one frontend, $113.15.
// Azure LB rules, 3 x (3.65 + 0.01) = $10.98, would pass the TLS the gateway
// ends today to pods that speak plain HTTP: not planned.
func TestAGCToday(t *testing.T) {
	var svcs []Service
	for i, fe := range []string{"gateway:shop/web", "gateway:shop/api", "gateway:shop/admin"} {
		s := web(string(rune('a'+i))+"-svc", 10, 1, 100, 1, string(rune('a'+i))+".example.com")
		s.Current = Ingress
		s.CurrentLoadBalancer = &CurrentLB{Kind: CurrentAGC, Name: "shop/alb", Frontend: fe}
		svcs = append(svcs, s)
	}
	d := &Declaration{Cloud: "azure", Region: agcRegion, Strategies: []string{StrategyAGC}, Services: svcs}
	p := mustPlan(t, d)
	if p.Totals.CurrentMonthlyCost == nil || p.Totals.CurrentMonthlyCost.String() != "127.75" {
		t.Fatalf("today: %v, want 127.75", p.Totals.CurrentMonthlyCost)
	}
	if p.Totals.MonthlyCost.String() != "113.15" {
		t.Fatalf("plan %s, want 113.15 on one gateway (not $10.98 on Azure LB rules, which end no TLS)", p.Totals.MonthlyCost)
	}
	for i := range svcs {
		svcs[i].Pin = Ingress
	}
	p = mustPlan(t, &Declaration{Cloud: "azure", Region: agcRegion, Strategies: []string{StrategyAGC}, Services: svcs})
	if p.Totals.MonthlyCost.String() != "113.15" || len(p.LoadBalancers) != 1 || !strings.Contains(costsOf(p.LoadBalancers[0]), "frontend hours (1 frontend)=7.30") {
		t.Fatalf("plan %s on %+v: want one gateway with one frontend at 113.15", p.Totals.MonthlyCost, p.LoadBalancers)
	}

	// a region without the prices: a clear error, for the strategy and for today's gateway
	d = &Declaration{Cloud: "azure", Region: "eastus", Strategies: []string{StrategyAGC, StrategyProxy}, Services: svcs}
	_, err := Compute(d, defaultCatalog(t))
	for _, want := range []string{"strategies[0]: strategy agc: the catalog has no agc-hour price for azure eastus",
		"currentLoadBalancer.kind: today's Application Gateway for Containers cannot be priced"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("got %v, want %q", err, want)
		}
	}
	// by default the strategy is simply not offered where it is not priced
	d = &Declaration{Cloud: "azure", Region: "eastus", Services: []Service{web("x", 1, 1, 1, 1, "x.example.com")}}
	if _, err := Compute(d, defaultCatalog(t)); err != nil {
		t.Fatal(err)
	}
	// an internal service cannot use it; a TCP one neither
	in := web("inner", 1, 1, 1, 1, "inner.example.com")
	in.Audience, in.Pin = AudienceVPC, Ingress
	_, err = Compute(&Declaration{Cloud: "azure", Region: agcRegion, Strategies: []string{StrategyAGC}, Services: []Service{in}}, defaultCatalog(t))
	if err == nil || !strings.Contains(err.Error(), "Application Gateway for Containers frontends are public") {
		t.Fatalf("internal on AGC: %v", err)
	}
	// a frontend belongs to an Application Gateway for Containers only
	bad := web("y", 1, 1, 1, 1, "y.example.com")
	bad.CurrentLoadBalancer = &CurrentLB{Kind: CurrentAppGW, Frontend: "x"}
	if err := Validate(&Declaration{Cloud: "azure", Region: agcRegion, Services: []Service{bad}}); err == nil || !strings.Contains(err.Error(), "currentLoadBalancer.frontend") {
		t.Fatalf("frontend on appgw: %v", err)
	}
}
