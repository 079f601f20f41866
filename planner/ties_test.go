package planner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// oneHost is n plain-HTTP services at 5,000 requests per second each, every
// one on host api.example.com with a path of its own, on ALBs only.
func oneHost(n int) *Declaration {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}}
	for p := range n {
		d.Services = append(d.Services, Service{Name: fmt.Sprintf("p%02d", p), Namespace: "api", Protocol: ProtoHTTP, Port: 8080,
			Audience: AudienceInternet, Hosts: []string{"api.example.com"}, Paths: []string{fmt.Sprintf("/p%02d", p)},
			Traffic: Traffic{RequestsPerSecond: Q(5000)}})
	}
	return d
}

// lbsOfHosts maps each host to the load balancers serving it.
func lbsOfHosts(d *Declaration, p *Plan) map[string]map[string]bool {
	hostsOf := map[string][]string{}
	for _, s := range d.Services {
		hostsOf[s.Key()] = s.Hosts
	}
	out := map[string]map[string]bool{}
	for _, lb := range p.LoadBalancers {
		for _, key := range lb.Services {
			for _, h := range hostsOf[key] {
				if out[h] == nil {
					out[h] = map[string]bool{}
				}
				out[h][lb.ID] = true
			}
		}
	}
	return out
}

// TestHostStaysOnOneLoadBalancer: a host's DNS name resolves to one load
// balancer, so its paths are never spread over two. Twelve busy paths of one
// host would cost least on two ALBs (2 x ($16.43 hours + $7.30 addresses) =
// $47.46, no rule past the tenth), which leaves the paths on the ALB the
// name does not reach unanswered; on one ALB, by hand: hours 730 x $0.0225 =
// $16.43; rules 11 and 12 take 1 and 2 evaluations for each of their 5,000
// requests a second, 15,000 a second = 15 LCU, x 730 h x $0.008 = $87.60;
// two zones' public IPv4 addresses 1,460 h x $0.005 = $7.30: $111.33.
func TestHostStaysOnOneLoadBalancer(t *testing.T) {
	d := oneHost(12)
	p, err := Compute(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.LoadBalancers) != 1 || len(p.LoadBalancers[0].Services) != 12 {
		t.Fatalf("%d load balancers for one host: %+v", len(p.LoadBalancers), p.LoadBalancers)
	}
	if p.Totals.MonthlyCost != 111_33 {
		t.Errorf("one ALB costs $%v, want $111.33", p.Totals.MonthlyCost)
	}
	if p.Optimality != "exact" {
		t.Errorf("optimality %q", p.Optimality)
	}
}

// TestHostsStayTogetherPastTheExactSearch: 36 busy services on three hosts,
// planned by the heuristic, which once spread each host over two ALBs.
func TestHostsStayTogetherPastTheExactSearch(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}}
	for h := range 3 {
		for p := range 12 {
			rps := Q(int64(100 + (h*12+p)*37%400))
			d.Services = append(d.Services, Service{Name: fmt.Sprintf("s%d-%02d", h, p), Namespace: "shop", Protocol: ProtoHTTPS, Port: 443,
				Certificate: "wild", Audience: AudienceInternet, Hosts: []string{fmt.Sprintf("h%d.example.com", h)}, Paths: []string{fmt.Sprintf("/p%02d", p)},
				Traffic: Traffic{RequestsPerSecond: rps, NewConnectionsPerSecond: rps / 10, ActiveConnections: rps * 5, GBPerMonth: rps / 5}})
		}
	}
	p, err := Compute(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Optimality, "heuristic") {
		t.Fatalf("optimality %q: the case is for the heuristic", p.Optimality)
	}
	for h, lbs := range lbsOfHosts(d, p) {
		if len(lbs) != 1 {
			t.Errorf("host %s is served by %d load balancers: %v", h, len(lbs), lbs)
		}
	}
}

// TestHostSplitTodayStaysPossible: services serving one host from two load
// balancers today (something in front routes the host by path) are not tied
// by it; a service whose exposure today is not declared goes with the first
// (in key order) that is.
func TestHostSplitTodayStaysPossible(t *testing.T) {
	d := oneHost(4)
	for i, name := range []string{"one", "one", "two"} {
		d.Services[i].Current, d.Services[i].CurrentLoadBalancer = Ingress, &CurrentLB{Kind: CurrentALB, Name: name}
	}
	m, err := newModel(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	tie := func(i int) int { return m.svcs[i].tie }
	if !m.svcs[0].tied || tie(0) != tie(1) || tie(0) != tie(3) {
		t.Errorf("api/p00, p01 (on one today) and p03 (undeclared) are not tied: ties %d %d %d", tie(0), tie(1), tie(3))
	}
	if m.svcs[2].tied || tie(2) == tie(0) {
		t.Errorf("api/p02, on another load balancer today, is tied to them")
	}
}

// TestHostTooBigForOneLoadBalancer: 150 paths of one host exceed an ALB's
// 100 rules; with ALBs only, the plan spreads them and says that the host
// then needs a router in front.
func TestHostTooBigForOneLoadBalancer(t *testing.T) {
	d := oneHost(150)
	for i := range d.Services {
		d.Services[i].Name = fmt.Sprintf("p%03d", i)
		d.Services[i].Paths = []string{fmt.Sprintf("/p%03d", i)}
	}
	p, err := Compute(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	want := "api/p000, api/p001, api/p002, api/p003, api/p004, api/p005, api/p006, api/p007, api/p008, api/p009 and 140 more serve host api.example.com but cannot share one load balancer (ALB: 150 rules exceed the 100 rules per ALB): the plan exposes them apart, so the host needs a router in front that sends each path to its load balancer"
	found := false
	for _, w := range p.Warnings {
		found = found || w == want
	}
	if !found {
		t.Errorf("warnings %q, want %q", p.Warnings, want)
	}
	if len(p.LoadBalancers) < 2 {
		t.Errorf("%d load balancers for 150 rules", len(p.LoadBalancers))
	}
}

// TestDealKeepsTiedSetsWhole: the heuristic deals a host's services onto one
// ALB together, whatever the count of ALBs (dealt one by one, round robin,
// five paths of a host went to five ALBs, and the plan kept only what the
// last pass could move back).
func TestDealKeepsTiedSetsWhole(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}}
	for h := range 40 {
		for p := range 5 {
			rps := Q(int64([]int{5, 20, 50, 200, 800, 2000}[(h*5+p)%6]))
			d.Services = append(d.Services, Service{Name: fmt.Sprintf("s%02d-%d", h, p), Namespace: "shop", Protocol: ProtoHTTP, Port: 80,
				Audience: AudienceInternet, Hosts: []string{fmt.Sprintf("h%02d.example.com", h)}, Paths: []string{fmt.Sprintf("/p%d", p)},
				Traffic: Traffic{RequestsPerSecond: rps, GBPerMonth: rps / 5}})
		}
	}
	m, cand := dealingModel(t, d)
	for n := 1; n <= 12; n++ {
		at := map[int]*hgroup{}
		dealt := 0
		for _, g := range m.deal(kALB, schemeInternet, cand, n) {
			for _, i := range g.members {
				dealt++
				if have, ok := at[m.svcs[i].tie]; ok && have != g {
					t.Fatalf("%d ALBs: %s is dealt apart from its host's other services", n, m.svcs[i].key)
				}
				at[m.svcs[i].tie] = g
			}
		}
		if dealt != len(cand) || len(at) != 40 {
			t.Fatalf("%d ALBs: %d services dealt in %d sets, want 200 in 40", n, dealt, len(at))
		}
	}
}

// TestTieUndoneByALatencyBudget: pricing and reports serve one host, so they
// are tied; web's 3.5 ms budget then rules the proxy (the only shared kind)
// out for pricing (TestChainBudgetChangesThePlan), so the pair can no longer
// share a load balancer: the plan exposes them apart and says why, where it
// once found no plan at all (a tied service never stands alone).
func TestTieUndoneByALatencyBudget(t *testing.T) {
	b := Q(3) + QuantityScale/2
	d := chain("", []string{StrategyProxy}, &b)
	d.Services[5].Hosts, d.Services[5].Paths = []string{"pricing.internal"}, []string{"/reports"} // ops/reports
	p, err := Compute(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if pr := svcByName(t, p, "pricing"); pr.Exposure != LoadBalancer {
		t.Errorf("pricing: %s, want a LoadBalancer of its own", pr.Exposure)
	}
	if r := svcByName(t, p, "reports"); r.Exposure != Ingress {
		t.Errorf("reports: %s, want the proxy", r.Exposure)
	}
	want := "ops/reports, shop/pricing must share one load balancer (one rule routes them, or they serve one host) but cannot once exposures are ruled out to meet latency budgets"
	found := false
	for _, w := range p.Warnings {
		found = found || strings.HasPrefix(w, want)
	}
	if !found {
		t.Errorf("warnings %q, want one starting %q", p.Warnings, want)
	}
}

// TestTodayInItsRuleOrder: twelve paths of one ALB Ingress today, pNN at
// 5,000 + 100 x NN requests a second, listed p00 first. Given their
// positions today (CurrentLB.RulePosition, as lbplanner reads them from the
// manifests), today is billed in that order: rules 11 and 12 are p10 and p11,
// 6,000 + 2 x 6,100 = 18,200 evaluations a second = 18.2 LCU x 730 h x
// $0.008 = $106.29, with $16.43 of hours and $7.30 of addresses $130.02.
// Without them today is counted busiest rule first, as a plan orders them:
// 5,100 + 2 x 5,000 = 15,100 a second, $88.18: $111.91.
func TestTodayInItsRuleOrder(t *testing.T) {
	decl := func(positions bool) *Declaration {
		d := oneHost(12)
		for i := range d.Services {
			d.Services[i].Traffic.RequestsPerSecond = Q(int64(5000 + 100*i))
			d.Services[i].Current = Ingress
			d.Services[i].CurrentLoadBalancer = &CurrentLB{Kind: CurrentALB, Name: "api/api"}
			if positions {
				d.Services[i].CurrentLoadBalancer.RulePosition = i + 1
			}
		}
		return d
	}
	for _, c := range []struct {
		positions bool
		today     money.Cents
	}{{true, 130_02}, {false, 111_91}} {
		p, err := Compute(decl(c.positions), defaultCatalog(t))
		if err != nil {
			t.Fatal(err)
		}
		if p.Totals.CurrentMonthlyCost == nil || *p.Totals.CurrentMonthlyCost != c.today || p.Totals.MonthlyCost != 111_91 {
			t.Errorf("positions %v: today %v, plan $%v; want $%v and $111.91", c.positions, p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost, c.today)
		}
	}
	d := decl(true)
	d.Services[3].CurrentLoadBalancer.RulePosition = -1
	d.Services[4].CurrentLoadBalancer.Kind = CurrentNLB
	d.Services[4].Current = LoadBalancer
	err := Validate(d)
	for _, want := range []string{"currentLoadBalancer.rulePosition: want 1 to 1000000 (or none), got -1", "currentLoadBalancer.rulePosition: only an ALB (kind alb) orders rules by position"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("validation: %v, want %q", err, want)
		}
	}
}

// TestKeptALBInItsRuleOrder: the same twelve services reached through an
// internal ALB too (alsoOn), which the plan keeps as it is, its rules listed
// p00 first: today and in the plan it is billed in that order, 18,200
// evaluations a second = $106.29, with $16.43 of hours (no public address):
// $122.72, beside the public ALB ($130.02 today, $111.91 planned).
func TestKeptALBInItsRuleOrder(t *testing.T) {
	d := oneHost(12)
	for i := range d.Services {
		s := &d.Services[i]
		s.Traffic.RequestsPerSecond = Q(int64(5000 + 100*i))
		s.Current = Ingress
		s.CurrentLoadBalancer = &CurrentLB{Kind: CurrentALB, Name: "api/api", RulePosition: i + 1}
		s.AlsoOn = []CurrentLB{{Kind: CurrentALB, Name: "api/internal", Scheme: "internal", RulePosition: i + 1}}
	}
	p, err := Compute(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Totals.CurrentMonthlyCost; c == nil || *c != 130_02+122_72 || p.Totals.MonthlyCost != 111_91+122_72 {
		t.Errorf("today %v, plan $%v; want $%v and $%v", c, p.Totals.MonthlyCost, money.Cents(130_02+122_72), money.Cents(111_91+122_72))
	}
}

// TestALBGatewayInPrecedenceOrder: the same twelve paths on an ALB Gateway,
// whose controller orders rules by Gateway API precedence, which is not the
// busiest first: paths of one length tie, ordered here by name (the oldest
// route, which the manifests do not tell), p00 first. Rules 11 and 12 are
// p10 and p11: 18,200 evaluations a second = $106.29, with $16.43 of hours
// and $7.30 of addresses $130.02 (busiest first, as an Ingress's order can
// be made, $111.91).
func TestALBGatewayInPrecedenceOrder(t *testing.T) {
	d := oneHost(12)
	d.Strategies = []string{StrategyGateway}
	for i := range d.Services {
		d.Services[i].Traffic.RequestsPerSecond = Q(int64(5000 + 100*i))
	}
	p, err := Compute(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.LoadBalancers) != 1 || p.LoadBalancers[0].Kind != "alb" || p.Totals.MonthlyCost != 130_02 {
		t.Fatalf("%d load balancers (%+v), $%v; want one ALB Gateway, $130.02", len(p.LoadBalancers), p.LoadBalancers, p.Totals.MonthlyCost)
	}
}

// TestPlainHTTPTooOnAnALB: an HTTPS service that an in-cluster proxy serves
// over plain HTTP too today (httpFrontend), moved onto an ALB, listens on
// both ports there, so that plain-HTTP clients are still answered, its rule
// on each listener counted toward the ALB's quota.
func TestPlainHTTPTooOnAnALB(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, Services: []Service{
		{Name: "shop", Namespace: "web", Protocol: ProtoHTTPS, Port: 443, Audience: AudienceInternet, Hosts: []string{"shop.example.com"},
			Current: Ingress, CurrentLoadBalancer: &CurrentLB{Kind: CurrentProxy, Name: "nginx", HTTPFrontend: true}},
		{Name: "api", Namespace: "web", Protocol: ProtoHTTPS, Port: 443, Audience: AudienceInternet, Hosts: []string{"api.example.com"}},
	}}
	p, err := Compute(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Services {
		want := `[{"HTTPS":443}]`
		if s.Name == "shop" {
			want = `[{"HTTP":80},{"HTTPS":443}]`
		}
		if got := s.Annotations["alb.ingress.kubernetes.io/listen-ports"]; s.IngressClassName != "alb" || got != want {
			t.Errorf("%s: class %q, listen-ports %s; want alb, %s", s.Name, s.IngressClassName, got, want)
		}
	}
	// its rule on each listener: two of the ALB's rules, and both listeners
	if q := p.LoadBalancers[0].Quotas; len(p.LoadBalancers) != 1 || q == nil || q.Rules != 3 || q.Listeners != 2 {
		t.Errorf("quotas %+v, want 3 rules on 2 listeners", q)
	}
}
