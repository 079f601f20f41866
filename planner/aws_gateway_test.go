package planner

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func l4(name, proto string, port int, gb int64) Service {
	return Service{Name: name, Protocol: proto, Port: port, Audience: AudienceInternet, Traffic: Traffic{GBPerMonth: Q(gb)}}
}

// Layer-4 consolidation, by hand (us-east-1, 2 zones, 730 h). Five TCP
// services of 730 GB a month and three UDP ones of 73 GB, each on a port
// of its own, on one NLB through a Gateway:
//
//	NLB 730 x $0.0225                                                  16.43
//	TCP NLCUs on bytes: 3,650 GB / 730 h = 5 x 730 x $0.006            21.90
//	UDP NLCUs on bytes:   219 GB / 730 h = 0.3 x 730 x $0.006           1.31
//	2 public IPv4 x 730 x $0.005                                        7.30
//	                                                                   46.94
//
// Each on its own NLB: TCP 16.43 + 4.38 + 7.30 = 28.11 (x5 = 140.55), UDP
// 16.43 + 0.44 + 7.30 = 24.17 (x3 = 72.51): 213.06.
func TestNLBGatewayConsolidation(t *testing.T) {
	var svcs []Service
	for i := range 5 {
		svcs = append(svcs, l4(fmt.Sprintf("tcp%d", i), ProtoTCP, 5000+i, 730))
	}
	for i := range 3 {
		svcs = append(svcs, l4(fmt.Sprintf("udp%d", i), ProtoUDP, 6000+i, 73))
	}
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyGateway}, Services: svcs}
	p := mustPlan(t, d)
	if len(p.LoadBalancers) != 1 || p.Totals.MonthlyCost.String() != "46.94" || p.Totals.BaselineMonthlyCost.String() != "213.06" {
		t.Fatalf("plan %s (baseline %s) on %d load balancers, want 46.94 (213.06) on one", p.Totals.MonthlyCost, p.Totals.BaselineMonthlyCost, len(p.LoadBalancers))
	}
	lb := p.LoadBalancers[0]
	want := "NLB hours=16.43; NLB NLCU-hours (TCP, billed on processed bytes)=21.90; NLB NLCU-hours (UDP, billed on processed bytes)=1.31; public IPv4 addresses (2 zones)=7.30"
	if got := costsOf(lb); got != want || lb.Kind != "nlb" || lb.Strategy != StrategyGateway {
		t.Fatalf("\n got %s (%s %s)\nwant %s", got, lb.Kind, lb.Strategy, want)
	}
	if row := svcByName(t, p, "udp1"); row.GatewayClassName != NLBGatewayClass || row.ServiceType != "ClusterIP" || row.Exposure != Ingress {
		t.Fatalf("row %+v", row)
	}

	// by default the strategy is off (it needs the controller's Gateway API): one NLB each
	d = &Declaration{Cloud: "aws", Region: "us-east-1", Services: svcs}
	if p := mustPlan(t, d); p.Totals.MonthlyCost.String() != "213.06" || strings.Contains(svcByName(t, p, "tcp0").Reason, "Gateway") {
		t.Fatalf("default plan %s, reason %q", p.Totals.MonthlyCost, svcByName(t, p, "tcp0").Reason)
	}

	// two services on one port cannot share an NLB: the second gets one of its own
	clash := append(append([]Service(nil), svcs...), l4("dup", ProtoTCP, 5000, 730))
	d = &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyGateway}, Services: clash}
	p = mustPlan(t, d)
	if len(p.LoadBalancers) != 2 {
		t.Fatalf("a port clash on one NLB: %d load balancers, want 2", len(p.LoadBalancers))
	}
	if err := (&model{svcs: nil}).routeConflictOf(t, clash); !strings.Contains(err, "both listen on port 5000") {
		t.Fatalf("port clash reason %q", err)
	}
}

// An NLB has at most 50 listeners: 60 single-port services need two.
func TestNLBGatewayListenerLimit(t *testing.T) {
	var svcs []Service
	for i := range 60 {
		svcs = append(svcs, l4(fmt.Sprintf("s%02d", i), ProtoTCP, 7000+i, 1))
	}
	p := mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyGateway}, Services: svcs})
	if len(p.LoadBalancers) != 2 {
		t.Fatalf("%d load balancers, want 2", len(p.LoadBalancers))
	}
	for _, lb := range p.LoadBalancers {
		if len(lb.Services) > NLBMaxListeners {
			t.Fatalf("%s has %d listeners", lb.ID, len(lb.Services))
		}
	}
}

// routeConflictOf builds a model for svcs and says why they cannot share.
func (*model) routeConflictOf(t *testing.T, svcs []Service) string {
	m, err := newModel(&Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyGateway}, Services: svcs}, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	all := make([]int, len(svcs))
	for i := range all {
		all[i] = i
	}
	return m.sharedFits(kNLBGW, all)
}

// TestNLBListenerLimitAgainstBruteForce: with the NLB's listener quota
// lowered to 3 (so that small instances reach it), layer-4 services with a
// port or two each, some clashing, planned with the gateway strategy agree
// with brute-force enumeration, and no NLB Gateway has more than 3 listeners.
func TestNLBListenerLimitAgainstBruteForce(t *testing.T) {
	saved := kindSpecs[kNLBGW].limits
	kindSpecs[kNLBGW].limits.rules = 3
	defer func() { kindSpecs[kNLBGW].limits = saved }()
	cat := defaultCatalog(t)
	r := rand.New(rand.NewPCG(5, 8))
	split := 0
	for n := 0; n < 200; n++ {
		d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyGateway}}
		for i := range 2 + r.IntN(6) {
			s := Service{Name: fmt.Sprintf("s%d", i), Protocol: pick(r, []string{ProtoTCP, ProtoUDP, ProtoTLS}), Port: pick(r, []int{53, 443, 7777, 8000, 9000, 9100}),
				Audience: pick(r, []string{AudienceInternet, AudienceInternet, AudienceVPC}), Traffic: Traffic{GBPerMonth: randQ(r, 3000), NewConnectionsPerSecond: randQ(r, 200)}}
			if r.IntN(4) == 0 && s.Protocol != ProtoTLS {
				s.Ports = []ServicePort{{Port: s.Port, Protocol: s.Protocol}, {Port: s.Port + 1, Protocol: s.Protocol}}
			}
			d.Services = append(d.Services, s)
		}
		m, err := newModel(d, cat)
		if err != nil {
			t.Fatalf("instance %d: %v", n, err)
		}
		want, ok := bruteForce(m)
		p, err := Compute(d, cat)
		if !ok || err != nil {
			t.Fatalf("instance %d: brute force %v, optimiser %v", n, ok, err)
		}
		if got := planVal(p); !sameVal(got, want) {
			t.Fatalf("instance %d: optimiser %+v, brute force %+v", n, got, want)
		}
		gateways := 0
		for _, lb := range p.LoadBalancers {
			if lb.Strategy == StrategyGateway {
				gateways++
				if lb.Quotas == nil || lb.Quotas.Rules > 3 {
					t.Fatalf("instance %d: %s has %+v listeners, over 3", n, lb.ID, lb.Quotas)
				}
			}
		}
		if gateways > 1 {
			split++
		}
	}
	if split < 20 {
		t.Fatalf("weak instance mix: the limit split a Gateway in %d instances", split)
	}
}
