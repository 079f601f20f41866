package planner

import (
	"errors"
	"strings"
	"testing"
)

// chain is five services calling one another: web (internet) -> cart
// (cluster) -> pricing (vpc HTTP) -> ledger (vpc TCP) -> db (cluster),
// plus two internal HTTP services that call nothing.
func chain(mesh string, strategies []string, budget *Quantity) *Declaration {
	return &Declaration{Cloud: "aws", Region: "us-east-1", Mesh: mesh, Strategies: strategies, Services: []Service{
		{Name: "web", Namespace: "shop", Protocol: ProtoHTTPS, Port: 443, Audience: AudienceInternet, Hosts: []string{"shop.example.com"},
			Calls: []string{"shop/cart"}, LatencyBudgetMs: budget},
		{Name: "cart", Namespace: "shop", Protocol: ProtoHTTP, Port: 80, Audience: AudienceCluster, Calls: []string{"shop/pricing"}},
		{Name: "pricing", Namespace: "shop", Protocol: ProtoHTTP, Port: 80, Audience: AudienceVPC, Hosts: []string{"pricing.internal"}, Calls: []string{"shop/ledger"}},
		{Name: "ledger", Namespace: "shop", Protocol: ProtoTCP, Port: 5000, Audience: AudienceVPC, Calls: []string{"shop/db"}},
		{Name: "db", Namespace: "shop", Protocol: ProtoTCP, Port: 5432, Audience: AudienceCluster},
		{Name: "reports", Namespace: "ops", Protocol: ProtoHTTP, Port: 80, Audience: AudienceVPC, Hosts: []string{"reports.internal"}},
		{Name: "admin", Namespace: "ops", Protocol: ProtoHTTP, Port: 80, Audience: AudienceVPC, Hosts: []string{"admin.internal"}},
	}}
}

// By hand (1 ms per load balancer, 1 ms per proxy, Istio's sidecar 0.85 ms):
// without a mesh, web's load balancer 1 + cart's pods 0 + pricing's internal load
// balancer 1 + ledger's NLB 1 + db's pods 0 = 3 ms. Under Istio the entry
// adds web's sidecar (1.85) and each of the four calls both sidecars (1.7):
// 1.85 + 1.7 + 2.7 + 2.7 + 1.7 = 10.65 ms.
func TestChainLatencyWithAndWithoutAMesh(t *testing.T) {
	p := mustPlan(t, chain("", nil, nil))
	web := svcByName(t, p, "web")
	if web.ChainLatencyMs != Q(3) || web.AddedLatencyMs != Q(1) || len(web.CriticalChain) != 5 {
		t.Fatalf("web: chain %s, added %s, %v", web.ChainLatencyMs, web.AddedLatencyMs, web.CriticalChain)
	}
	if db := svcByName(t, p, "db"); db.ChainLatencyMs != 0 || db.CriticalChain != nil {
		t.Fatalf("db calls nothing: %+v", db)
	}
	p = mustPlan(t, chain(MeshIstio, nil, nil))
	web = svcByName(t, p, "web")
	if web.ChainLatencyMs != Quantity(10_650_000) || web.AddedLatencyMs != Quantity(1_850_000) || web.Path != "client -> NLB -> sidecar -> pod" {
		t.Fatalf("web under istio: chain %s, added %s, path %s", web.ChainLatencyMs, web.AddedLatencyMs, web.Path)
	}
	want := []string{
		"client -> NLB -> sidecar -> pod (shop/web, 1.85 ms)",
		"pod -> sidecar -> sidecar -> pod (shop/cart, 1.7 ms)",
		"pod -> sidecar -> ALB -> sidecar -> pod (shop/pricing, 2.7 ms)", // on the internal ALB it shares with reports and admin
		"pod -> sidecar -> NLB -> sidecar -> pod (shop/ledger, 2.7 ms)",
		"pod -> sidecar -> sidecar -> pod (shop/db, 1.7 ms)",
	}
	if strings.Join(web.CriticalChain, "\n") != strings.Join(want, "\n") {
		t.Fatalf("critical chain:\n%s\nwant\n%s", strings.Join(web.CriticalChain, "\n"), strings.Join(want, "\n"))
	}
	if cart := svcByName(t, p, "cart"); cart.Path != "client pod -> sidecar -> sidecar -> pod" || cart.AddedLatencyMs != Quantity(1_700_000) {
		t.Fatalf("cart: %+v", cart)
	}
}

// With the proxy as the only strategy the three internal HTTP services share
// an internal proxy (an NLB and its pods, cheaper than three NLBs) and web's
// chain is 1 + 0 + 2 (NLB and proxy) + 1 + 0 = 4 ms. A 3.5 ms budget on web
// moves pricing to an NLB of its own (1 ms): 3 ms, at a higher cost.
func TestChainBudgetChangesThePlan(t *testing.T) {
	free := mustPlan(t, chain("", []string{StrategyProxy}, nil))
	if w := svcByName(t, free, "web"); w.ChainLatencyMs != Q(4) {
		t.Fatalf("web's chain %s, want 4", w.ChainLatencyMs)
	}
	if pr := svcByName(t, free, "pricing"); pr.Exposure != Ingress {
		t.Fatalf("pricing without a budget: %+v", pr)
	}
	b := Q(3) + QuantityScale/2
	p := mustPlan(t, chain("", []string{StrategyProxy}, &b))
	pr := svcByName(t, p, "pricing")
	if pr.Exposure != LoadBalancer || !strings.HasPrefix(*pr.LoadBalancer, "nlb-") || !strings.Contains(pr.Reason, "") {
		t.Fatalf("pricing with web's budget: %+v", pr)
	}
	if w := svcByName(t, p, "web"); w.ChainLatencyMs != Q(3) {
		t.Fatalf("web's chain %s, want 3", w.ChainLatencyMs)
	}
	if r := svcByName(t, p, "reports"); r.Exposure != Ingress {
		t.Fatalf("reports stays on the proxy: %+v", r)
	}
	if p.Totals.MonthlyCost <= free.Totals.MonthlyCost || !strings.Contains(p.Optimality, "chains of calls") {
		t.Fatalf("budget plan %s (%s), free %s", p.Totals.MonthlyCost, p.Optimality, free.Totals.MonthlyCost)
	}
	// a budget no exposure can meet names the chain
	tight := Q(2)
	_, err := Compute(chain(MeshIstio, nil, &tight), defaultCatalog(t))
	var es Errors
	if !errors.As(err, &es) || !strings.Contains(err.Error(), "latencyBudgetMs: its chain of calls takes") || !strings.Contains(err.Error(), "(shop/ledger, 2.7 ms)") {
		t.Fatalf("impossible budget: %v", err)
	}
}

func TestCallsAreChecked(t *testing.T) {
	d := chain("", nil, nil)
	d.Services[4].Calls = []string{"shop/web"} // db -> web: a cycle through all five
	d.Services[5].Calls = []string{"ops/nowhere", "ops/reports"}
	d.Mesh = "consul"
	err := Validate(d)
	for _, want := range []string{
		"the calls form a cycle: shop/web -> shop/cart -> shop/pricing -> shop/ledger -> shop/db -> shop/web",
		`calls[0]: service ops/nowhere is not declared`, "calls[1]: a service does not call itself",
		`mesh: unknown mesh "consul"`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
}

// externalTrafficPolicy: Local (the clientIP need) saves an instance-target
// load balancer's second node hop: 1 ms instead of 1.2.
func TestLocalTrafficPolicySavesTheNodeHop(t *testing.T) {
	off := false
	d := &Declaration{Cloud: "aws", Region: "us-east-1", AWSLoadBalancerController: &off, Strategies: []string{}, Services: []Service{
		{Name: "a", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, Needs: []string{NeedClientIP}},
		{Name: "b", Protocol: ProtoTCP, Port: 2, Audience: AudienceInternet},
	}}
	p := mustPlan(t, d)
	a, b := svcByName(t, p, "a"), svcByName(t, p, "b")
	if a.Path != "client -> CLB -> pod" || a.AddedLatencyMs != Q(1) || b.Path != "client -> CLB -> node -> pod" || b.AddedLatencyMs != Q(1)+DefaultNodeHopMs {
		t.Fatalf("a %s %s, b %s %s", a.Path, a.AddedLatencyMs, b.Path, b.AddedLatencyMs)
	}
}
