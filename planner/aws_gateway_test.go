package planner

import (
	"fmt"
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
