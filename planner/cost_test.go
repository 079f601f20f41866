package planner

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

func mustPlan(t *testing.T, d *Declaration) *Plan {
	t.Helper()
	p, err := Compute(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func lbByID(t *testing.T, p *Plan, id string) LoadBalancerPlan {
	t.Helper()
	for _, lb := range p.LoadBalancers {
		if lb.ID == id {
			return lb
		}
	}
	t.Fatalf("no load balancer %s in %+v", id, p.LoadBalancers)
	return LoadBalancerPlan{}
}

func svcByName(t *testing.T, p *Plan, name string) ServicePlan {
	t.Helper()
	for _, s := range p.Services {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no service %s", name)
	return ServicePlan{}
}

func costsOf(lb LoadBalancerPlan) string {
	var parts []string
	for _, c := range lb.Costs {
		parts = append(parts, fmt.Sprintf("%s=%s", c.Name, c.MonthlyCost))
	}
	return strings.Join(parts, "; ")
}

func web(name string, rps, nc, ac, gb int64, hosts ...string) Service {
	return Service{Name: name, Protocol: ProtoHTTPS, Port: 443, Audience: AudienceInternet, Hosts: hosts,
		Traffic: Traffic{RequestsPerSecond: Q(rps), NewConnectionsPerSecond: Q(nc), ActiveConnections: Q(ac), GBPerMonth: Q(gb)}}
}

// The README's worked example, by hand from catalog prices (us-east-1):
// ALB 730 h x $0.0225 = $16.425 -> $16.43; LCU on the highest dimension:
// 35/25 = 1.4 new-connection LCU, 4,400/3,000 = 1.47 active, 1,350 GB / 730 h = 1.849 GB/h -> 1,350 LCU-hours x $0.008 = $10.80;
// 2 public IPv4 x 730 h x $0.005 = $7.30. Total $34.53.
func TestSharedALBHandCalculation(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, Services: []Service{
		web("storefront", 300, 20, 2500, 900, "shop.example.com"),
		web("checkout", 120, 10, 1500, 300, "pay.example.com"),
		web("catalog", 200, 5, 400, 150, "api.example.com"),
	}}
	p := mustPlan(t, d)
	lb := lbByID(t, p, "alb-internet-1")
	want := "ALB hours=16.43; ALB LCU-hours (billed on processed bytes)=10.80; public IPv4 addresses (2 zones)=7.30"
	if got := costsOf(lb); got != want {
		t.Fatalf("costs\n got %s\nwant %s", got, want)
	}
	if lb.MonthlyCost != 3453 || p.Totals.MonthlyCost != 3453 {
		t.Fatalf("monthly %s, total %s, want 34.53", lb.MonthlyCost, p.Totals.MonthlyCost)
	}
	if lb.Costs[1].Quantity != "1350" || lb.Costs[1].UnitPrice != "0.008" || lb.Costs[1].Source == "" {
		t.Fatalf("LCU line %+v", lb.Costs[1])
	}
	// shares add up to the load balancer exactly and follow usage
	var sum money.Cents
	for _, s := range p.Services {
		sum += s.MonthlyCost
	}
	if sum != lb.MonthlyCost {
		t.Fatalf("service shares add to %s, load balancer costs %s", sum, lb.MonthlyCost)
	}
	if sf, ca := svcByName(t, p, "storefront"), svcByName(t, p, "catalog"); sf.MonthlyCost <= ca.MonthlyCost {
		t.Fatalf("storefront moves 6x catalog's bytes but pays %s vs %s", sf.MonthlyCost, ca.MonthlyCost)
	}
	// baseline: three NLBs of their own
	if p.Totals.BaselineMonthlyCost <= p.Totals.MonthlyCost || p.Totals.SavingsVsBaseline != p.Totals.BaselineMonthlyCost-p.Totals.MonthlyCost {
		t.Fatalf("totals %+v", p.Totals)
	}
	if p.Totals.CurrentMonthlyCost != nil || p.Totals.SavingsVsCurrent != nil {
		t.Fatalf("no service declares current, yet current is %v", p.Totals.CurrentMonthlyCost)
	}
}

// Rule evaluations: a request matching the rule at position p costs max(0, p-10).
// Twelve rules of 1,000 requests/s each: 1,000 x 1 + 1,000 x 2 = 3,000 evaluations/s = 3 LCU,
// 3 x 730 x $0.008 = $17.52.
func TestRuleEvaluationsByPosition(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}}
	for i := 0; i < 12; i++ {
		d.Services = append(d.Services, web(fmt.Sprintf("s%02d", i), 1000, 0, 0, 0, fmt.Sprintf("h%d.example.com", i)))
	}
	d.Services[11].Traffic.RequestsPerSecond = Q(5000) // busiest: must be ordered first
	d.Services[11].Pin = Ingress
	p := mustPlan(t, d)
	var alb LoadBalancerPlan
	for _, lb := range p.LoadBalancers {
		if lb.Kind == "alb" {
			alb = lb
		}
	}
	if len(alb.Services) != 12 {
		t.Fatalf("want one ALB with 12 services, got %+v", p.LoadBalancers)
	}
	if alb.RuleOrder[0] != "default/s11" {
		t.Fatalf("busiest rule not first: %v", alb.RuleOrder)
	}
	if got := alb.Costs[1]; got.MonthlyCost != 1752 || got.Quantity != "2190" || !strings.Contains(got.Name, "rule evaluations") {
		t.Fatalf("LCU line %+v, want 2190 LCU-hours on rule evaluations = 17.52", got)
	}
	if svcByName(t, p, "s11").Annotations["alb.ingress.kubernetes.io/group.order"] != "1" {
		t.Fatalf("group.order annotation missing: %+v", svcByName(t, p, "s11").Annotations)
	}
	// only the two services past the ten free rules pay for evaluations
	var lcuPayers int
	for _, s := range p.Services {
		if s.MonthlyCost > svcByName(t, p, "s11").MonthlyCost+100 {
			lcuPayers++
		}
	}
	if lcuPayers != 2 {
		t.Fatalf("want 2 services paying for rule evaluations, got %d", lcuPayers)
	}
}

func TestNLBProtocolsAndClassic(t *testing.T) {
	tcp := Service{Name: "db", Protocol: ProtoTCP, Port: 5432, Audience: AudienceVPC, Traffic: Traffic{NewConnectionsPerSecond: Q(1600)}}
	udp := Service{Name: "dns", Protocol: ProtoUDP, Port: 53, Audience: AudienceInternet, Traffic: Traffic{NewConnectionsPerSecond: Q(1600)}}
	tls := Service{Name: "mq", Protocol: ProtoTLS, Port: 5671, Audience: AudienceVPC, Traffic: Traffic{NewConnectionsPerSecond: Q(100)}}
	p := mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{tcp, udp, tls}})
	// TCP: 1600/800 = 2 NLCU; UDP: 1600/400 = 4 NLCU; TLS: 100/50 = 2 NLCU; x 730 h x $0.006
	for id, want := range map[string]string{
		"nlb-default-db":  "NLB hours=16.43; NLB NLCU-hours (TCP, billed on new connections)=8.76",
		"nlb-default-dns": "NLB hours=16.43; NLB NLCU-hours (UDP, billed on new connections)=17.52; public IPv4 addresses (2 zones)=7.30",
		"nlb-default-mq":  "NLB hours=16.43; NLB NLCU-hours (TLS, billed on new connections)=8.76",
	} {
		if got := costsOf(lbByID(t, p, id)); got != want {
			t.Errorf("%s\n got %s\nwant %s", id, got, want)
		}
	}
	// without the controller: Classic LBs, and UDP is impossible
	off := false
	_, err := Compute(&Declaration{Cloud: "aws", Region: "us-east-1", AWSLoadBalancerController: &off, Services: []Service{udp}}, defaultCatalog(t))
	if err == nil || !strings.Contains(err.Error(), `service "default/dns"`) || !strings.Contains(err.Error(), "UDP") {
		t.Fatalf("UDP on a Classic LB: got %v", err)
	}
	web := Service{Name: "site", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, Traffic: Traffic{GBPerMonth: Q(100)}}
	p = mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", AWSLoadBalancerController: &off, Services: []Service{web}})
	if got := costsOf(lbByID(t, p, "clb-default-site")); got != "Classic LB hours=18.25; Classic LB data processed=0.80; public IPv4 addresses (2 zones)=7.30" {
		t.Fatalf("classic: %s", got)
	}
	if s := svcByName(t, p, "site"); s.Path != "client -> CLB -> node -> pod" || s.ServiceType != "LoadBalancer" {
		t.Fatalf("classic row %+v", s)
	}
}

// The proxy strategy prices each implementation's own pod requests: 2
// replicas x 730 h at Fargate's $0.04048 per vCPU-hour and $0.004445 per
// GiB-hour, behind an NLB ($16.43 + $0.01 + $7.30 for two zones' addresses).
func TestProxyStrategyCostsEachImplementationsPods(t *testing.T) {
	const nlb = "NLB hours=16.43; NLB NLCU-hours (TCP, billed on processed bytes)=0.01; public IPv4 addresses (2 zones)=7.30; "
	cases := []struct {
		strategy, impl, id, class, gatewayClass, costs, warning string
	}{
		// Envoy Gateway (the default): 100m and 512Mi: 146 vCPU-h = $5.91, 730 GiB-h = $3.24
		{StrategyProxy, "", "envoy", "", "eg", "proxy vCPU (2 x 0.1 vCPU)=5.91; proxy memory (2 x 0.5 GiB)=3.24", ""},
		// the old name picks ingress-nginx: 100m and 90Mi (0.09 GiB): 131.4 GiB-h = $0.58
		{StrategyNginxAlias, "", "nginx", "nginx", "", "proxy vCPU (2 x 0.1 vCPU)=5.91; proxy memory (2 x 0.09 GiB)=0.58", "ingress-nginx is retired"},
		// HAProxy: 250m and 400Mi: 365 vCPU-h = $14.78, 570.3125 GiB-h = $2.54
		{StrategyProxy, ProxyHAProxy, "haproxy", "haproxy", "", "proxy vCPU (2 x 0.25 vCPU)=14.78; proxy memory (2 x 0.390625 GiB)=2.54", ""},
		// Istio: 100m and 128Mi: 182.5 GiB-h = $0.81
		{StrategyProxy, ProxyIstio, "istio", "", "istio", "proxy vCPU (2 x 0.1 vCPU)=5.91; proxy memory (2 x 0.125 GiB)=0.81", ""},
		// Traefik's chart requests nothing: priced at 0, with a warning
		{StrategyProxy, ProxyTraefik, "traefik", "", "traefik", "proxy vCPU (2 x 0 vCPU)=0.00; proxy memory (2 x 0 GiB)=0.00", "chart sets no resource requests"},
	}
	for _, c := range cases {
		t.Run(c.strategy+"/"+c.impl, func(t *testing.T) {
			d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{c.strategy}, Proxy: &ProxySizing{Implementation: c.impl},
				Services: []Service{web("a", 10, 1, 1, 1, "a.example.com"), web("b", 10, 1, 1, 1, "b.example.com")}}
			p := mustPlan(t, d)
			// the proxy pods forward to backends in both zones: 2 GB x 1/2 x 2 ways x $0.01 = $0.02
			const crossZone = "; cross-zone data transfer (1/2 of the bytes, billed each way)=0.02"
			if got := costsOf(lbByID(t, p, c.id)); got != nlb+c.costs+crossZone {
				t.Fatalf("\n got %s\nwant %s", got, nlb+c.costs+crossZone)
			}
			s := svcByName(t, p, "a")
			if s.Path != "client -> NLB -> ingress pod -> pod" || s.AddedLatencyMs != Q(2) || s.IngressClassName != c.class || s.GatewayClassName != c.gatewayClass {
				t.Fatalf("row %+v", s)
			}
			warned := strings.Join(p.Warnings, "\n")
			if (c.warning == "") != (warned == "") || !strings.Contains(warned, c.warning) {
				t.Fatalf("warnings %q, want %q", warned, c.warning)
			}
			if lb := lbByID(t, p, c.id); lb.Strategy != StrategyProxy {
				t.Fatalf("strategy %s", lb.Strategy)
			}
		})
	}
}

func TestConstraints(t *testing.T) {
	cat := defaultCatalog(t)
	base := func() *Declaration {
		return &Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{
			web("a", 10, 1, 1, 1, "a.example.com"), web("b", 10, 1, 1, 1, "b.example.com"), web("c", 10, 1, 1, 1, "c.example.com"),
		}}
	}
	exposures := func(p *Plan) string {
		var parts []string
		for _, s := range p.Services {
			lb := "-"
			if s.LoadBalancer != nil {
				lb = *s.LoadBalancer
			}
			parts = append(parts, s.Name+":"+string(s.Exposure)+"@"+lb)
		}
		return strings.Join(parts, " ")
	}
	cases := []struct {
		name   string
		change func(d *Declaration)
		want   string
	}{
		{"shared by default", func(d *Declaration) {}, "a:Ingress@alb-internet-1 b:Ingress@alb-internet-1 c:Ingress@alb-internet-1"},
		{"dedicated gets its own", func(d *Declaration) { d.Services[0].Needs = []string{NeedDedicated} },
			"a:LoadBalancer@nlb-default-a b:Ingress@alb-internet-1 c:Ingress@alb-internet-1"},
		{"tlsPassthrough needs L4", func(d *Declaration) { d.Services[1].Needs = []string{NeedTLSPassthrough} },
			"a:Ingress@alb-internet-1 b:LoadBalancer@nlb-default-b c:Ingress@alb-internet-1"},
		{"staticIP rules out the ALB but not the proxy behind an NLB", func(d *Declaration) {
			for i := range d.Services {
				d.Services[i].Needs = []string{NeedStaticIP}
			}
		}, "a:Ingress@envoy b:Ingress@envoy c:Ingress@envoy"},
		{"schemes never share", func(d *Declaration) { d.Services[2].Audience = AudienceVPC },
			"a:Ingress@alb-internet-1 b:Ingress@alb-internet-1 c:LoadBalancer@nlb-default-c"},
		{"cluster audience is ClusterIP", func(d *Declaration) { d.Services[0].Audience = AudienceCluster },
			"a:ClusterIP@- b:Ingress@alb-internet-1 c:Ingress@alb-internet-1"},
		{"latency budget excludes the proxy hop", func(d *Declaration) {
			d.Strategies = []string{StrategyProxy}
			b := Q(1)
			d.Services[0].LatencyBudgetMs = &b
		}, "a:LoadBalancer@nlb-default-a b:Ingress@envoy c:Ingress@envoy"},
		{"pin LoadBalancer", func(d *Declaration) { d.Services[2].Pin = LoadBalancer },
			"a:Ingress@alb-internet-1 b:Ingress@alb-internet-1 c:LoadBalancer@nlb-default-c"},
		{"NodePort when allowed is free", func(d *Declaration) { d.AllowNodePort = true },
			"a:NodePort@- b:NodePort@- c:NodePort@-"},
		{"no strategies: no sharing", func(d *Declaration) { d.Strategies = []string{} },
			"a:LoadBalancer@nlb-default-a b:LoadBalancer@nlb-default-b c:LoadBalancer@nlb-default-c"},
		{"route collision splits", func(d *Declaration) { d.Services[1].Hosts = []string{"a.example.com"} },
			"a:Ingress@alb-internet-1 b:LoadBalancer@nlb-default-b c:Ingress@alb-internet-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := base()
			c.change(d)
			p, err := Compute(d, cat)
			if err != nil {
				t.Fatal(err)
			}
			if got := exposures(p); got != c.want {
				t.Fatalf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestInfeasibleErrorsNameTheService(t *testing.T) {
	cat := defaultCatalog(t)
	half := Quantity(QuantityScale / 2)
	cases := []struct {
		svc   Service
		field string
	}{
		{Service{Name: "tiny-budget", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, LatencyBudgetMs: &half}, "latencyBudgetMs"},
		{Service{Name: "pinned", Protocol: ProtoUDP, Port: 53, Audience: AudienceInternet, Pin: Ingress}, "pin"},
		{Service{Name: "pinned-np", Protocol: ProtoTCP, Port: 53, Audience: AudienceInternet, Pin: NodePort}, "pin"},
	}
	for _, c := range cases {
		_, err := Compute(&Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{c.svc}}, cat)
		if err == nil {
			t.Fatalf("%s: want an error", c.svc.Name)
		}
		want := fmt.Sprintf(`service "default/%s" (services[0]): field %s: no exposure satisfies it`, c.svc.Name, c.field)
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("%s:\n got %v\nwant %s", c.svc.Name, err, want)
		}
	}
}

func TestCurrentExposureTotals(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{
		web("a", 10, 1, 1, 1, "a.example.com"), web("b", 10, 1, 1, 1, "b.example.com"),
	}}
	d.Services[0].Current, d.Services[1].Current = LoadBalancer, LoadBalancer
	p := mustPlan(t, d)
	if p.Totals.CurrentMonthlyCost == nil || *p.Totals.CurrentMonthlyCost != p.Totals.BaselineMonthlyCost {
		t.Fatalf("two current LoadBalancers cost the baseline: %+v", p.Totals)
	}
	if *p.Totals.SavingsVsCurrent != *p.Totals.CurrentMonthlyCost-p.Totals.MonthlyCost || *p.Totals.SavingsVsCurrent <= 0 {
		t.Fatalf("savings %+v", p.Totals)
	}
}

func TestQuotaSplit(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}}
	for i := 0; i < 150; i++ {
		d.Services = append(d.Services, Service{Name: fmt.Sprintf("svc-%03d", i), Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet,
			Hosts: []string{fmt.Sprintf("s%d.example.com", i)}, Traffic: Traffic{GBPerMonth: Q(int64(1 + i%7))}})
	}
	p := mustPlan(t, d)
	var albs []LoadBalancerPlan
	for _, lb := range p.LoadBalancers {
		if lb.Kind == "alb" {
			albs = append(albs, lb)
		}
	}
	if len(albs) != 2 {
		t.Fatalf("150 one-rule services need 2 ALBs, got %d", len(albs))
	}
	members := 0
	for _, lb := range albs {
		members += len(lb.Services)
		if lb.Quotas.Rules > ALBMaxRules || lb.Quotas.TargetGroups > ALBMaxTargetGroups {
			t.Fatalf("%s breaks a quota: %+v", lb.ID, lb.Quotas)
		}
		if !strings.Contains(lb.SplitReason, "150 rules exceed the 100 rules per ALB") {
			t.Fatalf("split reason %q", lb.SplitReason)
		}
	}
	if members != 150 {
		t.Fatalf("%d services on ALBs, want 150", members)
	}
}

func TestLoadBalancerMonthlyCost(t *testing.T) {
	cat := defaultCatalog(t)
	cases := []struct {
		kind string
		u    Usage
		want string
	}{
		{"alb", Usage{GBPerMonth: Q(730)}, "22.265"},                                  // 16.425 + 730 LCU-h x 0.008
		{"alb", Usage{RuleEvaluationsPerSecond: Q(20000)}, "133.225"},                 // 16.425 + 20 LCU x 730 x 0.008
		{"alb", Usage{PublicIPv4Addresses: Q(2)}, "23.725"},                           // 16.425 + 2 x 730 x 0.005
		{"nlb", Usage{NewConnectionsPerSecond: Q(800)}, "20.805"},                     // 16.425 + 1 x 730 x 0.006
		{"nlb-udp", Usage{NewConnectionsPerSecond: Q(800)}, "25.185"},                 // 2 NLCU
		{"nlb-tls", Usage{ActiveConnections: Q(6000)}, "25.185"},                      // 2 NLCU
		{"clb", Usage{GBPerMonth: Q(100), NewConnectionsPerSecond: Q(1000)}, "19.05"}, // 18.25 + 0.80
	}
	for _, c := range cases {
		got, err := LoadBalancerMonthlyCost(cat, "aws", "us-east-1", c.kind, Q(730), c.u)
		if err != nil {
			t.Fatal(err)
		}
		if s := got.FloatString(6); strings.TrimRight(strings.TrimRight(s, "0"), ".") != c.want {
			t.Errorf("%s %+v = %s, want %s", c.kind, c.u, s, c.want)
		}
	}
	if _, err := LoadBalancerMonthlyCost(cat, "aws", "us-east-1", "glb", Q(730), Usage{}); err == nil || !strings.Contains(err.Error(), "alb, nlb") {
		t.Fatalf("unknown kind: %v", err)
	}
	// the same lines as a plan's: a UDP service on an NLB of its own, two zones' addresses
	p := mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{{Name: "dns", Protocol: ProtoUDP, Port: 53, Audience: AudienceInternet,
		Traffic: Traffic{NewConnectionsPerSecond: Q(1234), GBPerMonth: Q(77)}}}})
	got, err := LoadBalancerMonthlyCost(cat, "aws", "us-east-1", "nlb-udp", Q(730), Usage{NewConnectionsPerSecond: Q(1234), GBPerMonth: Q(77), PublicIPv4Addresses: Q(2)})
	if err != nil || got.FloatString(2) != p.LoadBalancers[0].MonthlyCost.String() {
		t.Fatalf("priced alone %s (%v), in a plan %s", got.FloatString(6), err, p.LoadBalancers[0].MonthlyCost)
	}
}

// GCP's and Azure's load balancers priced one at a time, by hand from the
// embedded catalog: GCP forwarding rules $0.025/h for the first five per
// project and scope (flat), $0.010/h each past the fifth, proxy data $0.008
// per GiB (cloud.google.com/vpc/network-pricing#lb); Azure Standard LB rules
// the same, data $0.005/GB, a public IP $0.005/h, Application Gateway v2
// $0.246/h fixed (East US); 730 hours.
func TestLoadBalancerMonthlyCostGCPAndAzure(t *testing.T) {
	cat := defaultCatalog(t)
	five, none := 5, 0
	cases := []struct {
		cloud, region, kind string
		u                   Usage
		want                string
	}{
		{"gcp", "us-central1", "passthrough-nlb", Usage{}, "18.25"},                                      // the flat first five
		{"gcp", "us-central1", "passthrough-nlb", Usage{ExistingRules: &five}, "7.3"},                    // the sixth rule
		{"gcp", "us-central1", "gce-ingress", Usage{GBPerMonth: 1073741824}, "26.25"},                    // 18.25 + 1,000 GiB x 0.008
		{"gcp", "us-central1", "gke-gateway", Usage{PublicIPv4Addresses: Q(1)}, "18.25"},                 // a global rule
		{"azure", "eastus", "azure-lb", Usage{GBPerMonth: Q(100)}, "18.75"},                              // internal: its first five, 100 GB x 0.005
		{"azure", "eastus", "azure-lb", Usage{GBPerMonth: Q(100), PublicIPv4Addresses: Q(1)}, "4.15"},    // the outbound rule paid the five; IP 3.65
		{"azure", "eastus", "azure-lb", Usage{PublicIPv4Addresses: Q(1), ExistingRules: &five}, "10.95"}, // a sixth rule 7.30 + IP 3.65
		{"azure", "eastus", "azure-lb", Usage{ExistingRules: &none}, "18.25"},
		{"azure", "eastus", "appgw", Usage{}, "183.23"}, // 179.58 fixed + its public IP 3.65
		// an HTTPS listener: 100 new TLS connections a second are 100/50 = 2 compute units, x 730 x $0.008 = 11.68
		{"azure", "eastus", "appgw", Usage{NewConnectionsPerSecond: Q(100)}, "194.91"},
		{"azure", "eastus2", "agc", Usage{}, "107.31"}, // 730 x (0.12 + 0.017 association + 0.01 frontend)
	}
	for _, c := range cases {
		got, err := LoadBalancerMonthlyCost(cat, c.cloud, c.region, c.kind, Q(730), c.u)
		if err != nil {
			t.Fatalf("%s %s: %v", c.cloud, c.kind, err)
		}
		if s := got.FloatString(6); strings.TrimRight(strings.TrimRight(s, "0"), ".") != c.want {
			t.Errorf("%s %s %+v = %s, want %s", c.cloud, c.kind, c.u, s, c.want)
		}
	}
	for _, c := range []struct{ cloud, region, kind, want string }{
		{"gcp", "us-central1", "alb", "unknown gcp load balancer kind"},
		{"azure", "eastus", "agc", "agc"}, // not priced in East US
		{"baremetal", "", "address", "not \"baremetal\""},
	} {
		if _, err := LoadBalancerMonthlyCost(cat, c.cloud, c.region, c.kind, Q(730), Usage{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: %v, want an error with %q", c.cloud, c.kind, err, c.want)
		}
	}
	if _, err := LoadBalancerMonthlyCost(cat, "gcp", "us-central1", "gce-ingress", Q(730), Usage{RuleEvaluationsPerSecond: Q(1)}); err == nil {
		t.Error("rule evaluations on GCP accepted")
	}
}

func tcp(name string) Service {
	return Service{Name: name, Protocol: ProtoTCP, Port: 9000, Audience: AudienceInternet}
}

// GCP: forwarding rules cost per project and scope, the first five flat
// ($0.025/h = $18.25/month), each further rule $0.010/h = $7.30/month.
func TestGCPForwardingRuleTiers(t *testing.T) {
	six := func(strategies ...string) *Declaration {
		if strategies == nil {
			strategies = []string{} // no sharing
		}
		d := &Declaration{Cloud: "gcp", Region: "us-central1", Strategies: strategies}
		for i := 0; i < 6; i++ {
			d.Services = append(d.Services, web(fmt.Sprintf("s%d", i), 10, 1, 10, 100, fmt.Sprintf("s%d.example.com", i)))
		}
		return d
	}
	// no sharing: six passthrough load balancers, six regional rules: 18.25 + 7.30, and
	// each one's data processed, 100 GB = 93.13 GiB x $0.008 = $0.745 -> $0.75: 4.50
	p := mustPlan(t, six())
	if p.Totals.MonthlyCost != 3005 {
		t.Fatalf("six LoadBalancer Services: %s, want 30.05; %s", p.Totals.MonthlyCost, costsOf(lbByID(t, p, "forwarding-rules-us-central1")))
	}
	if got := costsOf(lbByID(t, p, "lb-default-s0")); got != "data processed by the passthrough load balancer=0.75" {
		t.Fatalf("a passthrough load balancer's lines: %s", got)
	}
	if got := costsOf(lbByID(t, p, "forwarding-rules-us-central1")); got != "forwarding rules (us-central1): first 5 rules (flat) (6 added to 0 existing)=18.25; forwarding rules (us-central1): rules past the fifth (6 added to 0 existing)=7.30" {
		t.Fatalf("tier lines: %s", got)
	}
	// one GKE Ingress: one global HTTPS rule (18.25) + 600 GB = 558.79 GiB x $0.008 = 4.47
	p = mustPlan(t, six(StrategyGCE))
	if p.Totals.MonthlyCost != 2272 || len(p.LoadBalancers) != 2 {
		t.Fatalf("one Ingress: %s, %+v", p.Totals.MonthlyCost, p.LoadBalancers)
	}
	ing := lbByID(t, p, "gce-internet-1")
	if ing.Kind != "gce-ingress" || costsOf(ing) != "data processed by the proxy load balancer=4.47" || len(ing.Services) != 6 {
		t.Fatalf("ingress %+v", ing)
	}
	if s := svcByName(t, p, "s0"); s.Annotations["kubernetes.io/ingress.class"] != "gce" || s.Annotations["kubernetes.io/ingress.allow-http"] != "false" || s.Path != "client -> GFE -> pod" {
		t.Fatalf("row %+v", s)
	}
	// with five global rules already in the project, the Ingress's rule is past the fifth: 7.30 + 4.47
	d := six(StrategyGCE)
	d.ExistingForwardingRules = &ForwardingRules{Global: 5}
	if p = mustPlan(t, d); p.Totals.MonthlyCost != 1177 {
		t.Fatalf("past the fifth: %s", p.Totals.MonthlyCost)
	}
}

// Five or fewer forwarding rules cost the same as one: the plan keeps
// today's LoadBalancer Services and says consolidating would save nothing.
// Data is processed at one rate by passthrough and proxy load balancers
// alike; 1,000 GB each (931.32 GiB x $0.008 = $7.45) is $29.80 apart or
// together.
func TestGCPHonestWhenConsolidatingSavesNothing(t *testing.T) {
	d := &Declaration{Cloud: "gcp", Region: "us-central1"}
	for i := 0; i < 4; i++ {
		d.Services = append(d.Services, web(fmt.Sprintf("s%d", i), 10, 1, 10, 1000, fmt.Sprintf("s%d.example.com", i)))
		d.Services[i].Current = LoadBalancer
	}
	p := mustPlan(t, d)
	for _, s := range p.Services {
		if s.Exposure != LoadBalancer || !strings.Contains(s.Reason, "consolidating saves nothing") {
			t.Fatalf("%s: %s (%s)", s.Name, s.Exposure, s.Reason)
		}
	}
	if p.Totals.MonthlyCost != 1825+4*745 || p.Totals.SavingsVsBaseline != 0 {
		t.Fatalf("totals %+v", p.Totals)
	}
}

// A GCP passthrough Network Load Balancer bills the data it processes, as
// Google's pricing page lists for passthrough load balancers
// (cloud.google.com/load-balancing/pricing, "Load balancing and forwarding
// rules": inbound and outbound data processed by load balancer, $0.008/GiB in
// us-central1): a LoadBalancer Service's own, and the one in front of the
// in-cluster proxy for all the proxy's traffic.
func TestGCPPassthroughDataProcessing(t *testing.T) {
	// 250 GB = 232.83 GiB x $0.008 = $1.8626 -> $1.86
	d := &Declaration{Cloud: "gcp", Region: "us-central1", Strategies: []string{}, Services: []Service{tcp("db")}}
	d.Services[0].Traffic.GBPerMonth = Q(250)
	p := mustPlan(t, d)
	if got := costsOf(lbByID(t, p, "lb-default-db")); got != "data processed by the passthrough load balancer=1.86" {
		t.Fatalf("passthrough lines: %s", got)
	}
	if p.Totals.MonthlyCost != 1825+186 {
		t.Fatalf("one passthrough: %s, want 18.25 (its rule, the flat first five) + 1.86", p.Totals.MonthlyCost)
	}
	// the in-cluster proxy's passthrough front processes its members' bytes:
	// 8 x 400 GB = 2,980.23 GiB x $0.008 = $23.8419 -> $23.84 (with five regional
	// rules in the project already, one rule in front of a proxy beats eight)
	d = &Declaration{Cloud: "gcp", Region: "us-central1", Strategies: []string{StrategyProxy}, ExistingForwardingRules: &ForwardingRules{Regional: 5}}
	for i := 0; i < 8; i++ {
		d.Services = append(d.Services, web(fmt.Sprintf("w%d", i), 10, 1, 10, 400, fmt.Sprintf("w%d.example.com", i)))
	}
	p = mustPlan(t, d)
	var proxy *LoadBalancerPlan
	for i := range p.LoadBalancers {
		if p.LoadBalancers[i].Strategy == "proxy" {
			proxy = &p.LoadBalancers[i]
		}
	}
	if proxy == nil || !strings.Contains(costsOf(*proxy), "data processed by the passthrough load balancer=23.84") || len(proxy.Services) != 8 {
		t.Fatalf("the proxy's front: %+v", p.LoadBalancers)
	}
}

// Azure: a LoadBalancer Service adds a rule and a public IP to the cluster's
// one load balancer, whose outbound rule already pays the flat first five.
func TestAzureClusterLoadBalancer(t *testing.T) {
	d := &Declaration{Cloud: "azure", Region: "eastus", Services: []Service{tcp("a"), tcp("b"), tcp("c")}}
	p := mustPlan(t, d)
	lb := lbByID(t, p, "aks-lb-public")
	// rules 1 existing + 3 = 4: nothing more to pay; 3 public IPs x 730 h x $0.005
	if p.Totals.MonthlyCost != 1095 || lb.MonthlyCost != 1095 || lb.Kind != "azure-lb" {
		t.Fatalf("three services: %s; %s", p.Totals.MonthlyCost, costsOf(lb))
	}
	for _, s := range p.Services {
		if *s.LoadBalancer != "aks-lb-public" || s.ServiceType != "LoadBalancer" || s.Path != "client -> Azure LB -> node -> pod" {
			t.Fatalf("row %+v", s)
		}
	}
	// six services: 7 rules, 2 past the fifth (14.60) + 6 IPs (21.90)
	for _, n := range []string{"d", "e", "f"} {
		d.Services = append(d.Services, tcp(n))
	}
	p = mustPlan(t, d)
	if p.Totals.MonthlyCost != 3650 {
		t.Fatalf("six services: %s; %s", p.Totals.MonthlyCost, costsOf(lbByID(t, p, "aks-lb-public")))
	}
	// internal services go to the internal load balancer, which has no rule yet: the flat charge
	in := tcp("inner")
	in.Audience = AudienceVPC
	p = mustPlan(t, &Declaration{Cloud: "azure", Region: "eastus", Services: []Service{in}})
	if got := costsOf(lbByID(t, p, "aks-lb-internal")); !strings.Contains(got, "internal load balancer rules: first 5 rules (flat) (1 added to 0 existing)=18.25") {
		t.Fatalf("internal: %s", got)
	}
	if svcByName(t, p, "inner").Annotations["service.beta.kubernetes.io/azure-load-balancer-internal"] != "true" {
		t.Fatal("internal annotation missing")
	}
}

func TestAzureApplicationGateway(t *testing.T) {
	two := 2
	d := &Declaration{Cloud: "azure", Region: "eastus", Strategies: []string{StrategyAppGW}, AppGateway: &AppGatewaySizing{MinInstances: &two},
		Services: []Service{web("a", 10, 1, 10, 100, "a.example.com")}}
	d.Services[0].Pin = Ingress
	p := mustPlan(t, d)
	// fixed 730 x $0.246 = 179.58; 2 instances = 20 CU x 730 h x $0.008 = 116.80; public IP 3.65
	want := "Application Gateway v2 fixed hours=179.58; Application Gateway capacity units (billed on the minimum of 2 instances)=116.80; public IP address=3.65"
	if got := costsOf(lbByID(t, p, "appgw-internet-1")); got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	if s := svcByName(t, p, "a"); s.IngressClassName != "azure-application-gateway" || s.Path != "client -> AppGW -> pod" {
		t.Fatalf("row %+v", s)
	}
	// gRPC never goes through AGIC
	g := web("g", 1, 1, 1, 1, "g.example.com")
	g.Protocol, g.Pin = ProtoGRPC, Ingress
	_, err := Compute(&Declaration{Cloud: "azure", Region: "eastus", Strategies: []string{StrategyAppGW}, Services: []Service{g}}, defaultCatalog(t))
	if err == nil || !strings.Contains(err.Error(), "gRPC backends are not supported") {
		t.Fatalf("gRPC on AppGW: %v", err)
	}
}

// Application Gateway compute units count connections that open TLS at the
// gateway ("Factors affecting compute unit consumption are TLS
// connections/second, URL Rewrite computations, and WAF rule processing";
// Standard_v2: about 50 connections per second per compute unit,
// learn.microsoft.com application-gateway/understanding-pricing). An HTTP
// service of 100 new connections a second and an HTTPS one of 20: 20/50 = 0.4
// CU (not 120/50 = 2.4), x 730 h x $0.008 = $2.336 -> $2.34, split all to the
// HTTPS service.
func TestAzureAppGatewayComputeUnitsCountTLS(t *testing.T) {
	plain, secure := web("plain", 10, 100, 10, 1, "plain.example.com"), web("secure", 10, 20, 10, 1, "secure.example.com")
	plain.Protocol, plain.Port = ProtoHTTP, 80
	plain.Pin, secure.Pin = Ingress, Ingress
	p := mustPlan(t, &Declaration{Cloud: "azure", Region: "eastus", Strategies: []string{StrategyAppGW}, Services: []Service{plain, secure}})
	lb := lbByID(t, p, "appgw-internet-1")
	want := "Application Gateway v2 fixed hours=179.58; Application Gateway capacity units (billed on TLS new connections)=2.34; public IP address=3.65"
	if got := costsOf(lb); got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	for _, sh := range lb.Costs[1].shares {
		if want := map[string]money.Cents{"default/plain": 0, "default/secure": 234}[sh.Service]; sh.Cents != want {
			t.Errorf("%s's share of the capacity units: %s, want %s", sh.Service, sh.Cents, want)
		}
	}
	// two plain HTTP services: no compute units; their 20 persistent connections are 20/2,500 = 0.008 CU,
	// x 730 h x $0.008 = $0.0467 -> $0.05 (2 GB a month is 0.0027 CU of throughput)
	p = mustPlan(t, &Declaration{Cloud: "azure", Region: "eastus", Strategies: []string{StrategyAppGW}, Services: []Service{plain, func() Service { s := plain; s.Name = "plain2"; s.Hosts = []string{"plain2.example.com"}; return s }()}})
	if got := costsOf(lbByID(t, p, "appgw-internet-1")); !strings.Contains(got, "capacity units (billed on persistent connections)=0.05") {
		t.Fatalf("plain HTTP: %s", got)
	}
}

// A shared exposure that costs the same as the services on their own is not
// presented as a saving: the reason says it was chosen for latency, or (GCP,
// Azure) for the plan's total, where rules billed together by scope may save
// what no service's share shows (a GKE Gateway's flat global charge emptied).
func TestSharedAtNoSavingSaysSo(t *testing.T) {
	d := &Declaration{Cloud: "gcp", Region: "us-central1", Strategies: []string{StrategyGCE}, Services: []Service{
		web("a", 0, 0, 0, 0, "a.example.com"), web("b", 0, 0, 0, 0, "b.example.com"),
	}}
	p := mustPlan(t, d)
	// two passthrough LBs: two regional rules, flat 18.25; one Ingress: one global rule, flat 18.25, no data
	if p.Totals.MonthlyCost != 1825 || p.Totals.SavingsVsBaseline != 0 {
		t.Fatalf("totals %+v", p.Totals)
	}
	for _, s := range p.Services {
		if s.Exposure != Ingress || !strings.Contains(s.Reason, "at no saving") || !strings.Contains(s.Reason, "lower latency") || !strings.Contains(s.Reason, "the plan's total (rules are billed together by scope") {
			t.Fatalf("%s: %s: %s", s.Name, s.Exposure, s.Reason)
		}
	}
}

// An internal proxy on AKS adds its rules to the internal load balancer, whose charge entry is internal.
func TestAzureInternalProxyRules(t *testing.T) {
	a, b := web("a", 1, 1, 1, 1, "a.example.com"), web("b", 1, 1, 1, 1, "b.example.com")
	a.Audience, b.Audience = AudienceVPC, AudienceVPC
	a.Pin, b.Pin = Ingress, Ingress
	p := mustPlan(t, &Declaration{Cloud: "azure", Region: "eastus", Strategies: []string{StrategyProxy}, Services: []Service{a, b}})
	lb := lbByID(t, p, "aks-lb-internal")
	if lb.Scheme != schemeInternal || lb.Strategy != "shared-charge" || len(lb.Services) != 2 {
		t.Fatalf("internal charge entry %+v", lb)
	}
	if ng := lbByID(t, p, "envoy-internal-1"); len(ng.RulesBilledIn) != 1 || ng.RulesBilledIn[0] != "aks-lb-internal" {
		t.Fatalf("nginx entry %+v", ng)
	}
}

// Amounts never wrap: a cost line over money.MaxCents (a price or traffic far
// out of range) is an error naming the line, the load balancer and the source.
func TestCostLineOverTheBoundIsAnError(t *testing.T) {
	cat := catalogWithTypo(t, pricing.ALBLCUHour)
	s := web("big", 0, 0, 0, 10_000_000, "big.example.com")
	s.Pin = Ingress // else the planner would flee the absurd price
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, Services: []Service{s, web("small", 0, 0, 0, 0, "small.example.com")}}
	_, err := Compute(d, cat)
	if err == nil || !strings.Contains(err.Error(), "ALB LCU-hours") || !strings.Contains(err.Error(), "is over $10000000000.00 a month") || !strings.Contains(err.Error(), "a typo") {
		t.Fatalf("got %v", err)
	}
}

// The baseline and today's exposure are held to the same bound as the plan.
func TestBaselineOverTheBoundIsAnError(t *testing.T) {
	cat := catalogWithTypo(t, pricing.NLBNLCUHour)
	// the plan takes the ALB, which the typo does not touch; the baseline puts the service on an NLB
	s := web("big", 0, 0, 0, 10_000_000, "big.example.com")
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, Services: []Service{s}}
	_, err := Compute(d, cat)
	if err == nil || !strings.Contains(err.Error(), "pricing the baseline") || !strings.Contains(err.Error(), "nlb-nlcu-hour") || !strings.Contains(err.Error(), "a typo") {
		t.Fatalf("got %v", err)
	}
}

// catalogWithTypo is the default catalog with one AWS item priced at the
// $1,000,000 ceiling, sourced "a typo".
func catalogWithTypo(t *testing.T, item string) *pricing.Catalog {
	t.Helper()
	base := defaultCatalog(t)
	prices, _ := base.List("", "")
	for i := range prices {
		if prices[i].Cloud == "aws" && prices[i].Item == item {
			prices[i].Price, prices[i].Source = "1000000", "a typo"
		}
	}
	cat, err := pricing.New(base.Date, "", prices)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// Thirty services of 100 requests a second, a rule each, on ALBs. On one,
// by position (busiest first; all equal) the requests past the ten free
// rules would cost (1 + ... + 20) x 100 = 21,000 evaluations/s: 21 LCU,
// $122.64, the ALB $146.37. Two ALBs of fifteen cost less: each (1 + ... +
// 5) x 100 = 1,500/s, 1.5 LCU x 730 x $0.008 = $8.76, with its hours and
// addresses $32.49. AWS's worst case, every request processing all fifteen
// rules: 1,500/s x 5 = 7,500/s, 7.5 LCU = $43.80: $67.53 each.
func TestRuleEvaluationsWorstCase(t *testing.T) {
	var svcs []Service
	for i := range 30 {
		svcs = append(svcs, Service{Name: fmt.Sprintf("s%02d", i), Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet,
			Hosts: []string{fmt.Sprintf("s%02d.example.com", i)}, Traffic: Traffic{RequestsPerSecond: Q(100)}})
	}
	p := mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, Services: svcs})
	for _, id := range []string{"alb-internet-1", "alb-internet-2"} {
		lb := lbByID(t, p, id)
		r := lb.RuleEvaluations
		if len(lb.Services) != 15 || lb.MonthlyCost != 3249 || r == nil || r.PerSecond != Q(1500) || r.WorstCasePerSecond != Q(7500) || r.WorstCaseMonthlyCost != 6753 {
			t.Fatalf("%s: %d services, %s, %+v", id, len(lb.Services), lb.MonthlyCost, r)
		}
	}
	// a few rules: none past the free ten, nothing to compare
	p = mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, Services: svcs[:5]})
	if lbByID(t, p, "alb-internet-1").RuleEvaluations != nil {
		t.Fatal("five rules have no worst case past the free ten")
	}
}

// The needs carried out: clientIP sets externalTrafficPolicy: Local where the
// load balancer targets nodes (and the NLB's client-IP preservation on IP
// targets); reserved addresses go on the Service in each cloud's annotation.
func TestNeedsCarriedOut(t *testing.T) {
	svc := func(needs ...string) Service {
		return Service{Name: "dns", Protocol: ProtoUDP, Port: 53, Audience: AudienceInternet, Needs: needs}
	}
	static := svc(NeedClientIP, NeedStaticIP)
	static.StaticAddresses = []string{"eipalloc-1", "eipalloc-2"}
	p := mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{static}})
	row := svcByName(t, p, "dns")
	if row.Annotations["service.beta.kubernetes.io/aws-load-balancer-eip-allocations"] != "eipalloc-1,eipalloc-2" || row.ExternalTrafficPolicy != "" ||
		row.Annotations["service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"] != "preserve_client_ip.enabled=true" {
		t.Fatalf("aws: %+v", row)
	}
	static.StaticAddresses = []string{"dns-address"}
	for cloud, key := range map[string]string{"gcp": "networking.gke.io/load-balancer-ip-addresses", "azure": "service.beta.kubernetes.io/azure-pip-name"} {
		region := map[string]string{"gcp": "us-central1", "azure": "eastus"}[cloud]
		p := mustPlan(t, &Declaration{Cloud: cloud, Region: region, Services: []Service{static}})
		if row := svcByName(t, p, "dns"); row.Annotations[key] != "dns-address" || row.ExternalTrafficPolicy != "Local" {
			t.Fatalf("%s: %+v", cloud, row)
		}
	}
	bare := svc()
	bare.StaticAddresses = []string{"x"}
	if err := Validate(&Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{bare}}); err == nil || !strings.Contains(err.Error(), "staticAddresses: reserved addresses come with the staticIP need") {
		t.Fatalf("addresses without the need: %v", err)
	}
}

// Check rejects what Compute rejects before optimising, with the same error,
// and accepts what Compute plans: every example declaration, and one pinned
// where no exposure satisfies it.
func TestCheckAgreesWithCompute(t *testing.T) {
	cat := defaultCatalog(t)
	files, _ := filepath.Glob("../examples/plans/*.yaml")
	if len(files) < 5 {
		t.Fatalf("examples: %v", files)
	}
	for _, f := range files {
		d1, d2 := parseFile(t, f), parseFile(t, f)
		if err := Check(d1, cat); err != nil {
			t.Errorf("%s: Check: %v", f, err)
		}
		if _, err := Compute(d2, cat); err != nil {
			t.Errorf("%s: Compute: %v", f, err)
		}
	}
	pinned := func() *Declaration {
		return &Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{
			{Name: "web", Protocol: ProtoHTTPS, Port: 443, Audience: AudienceInternet},
			{Name: "dns", Protocol: ProtoUDP, Port: 53, Audience: AudienceInternet, Pin: Ingress}}}
	}
	checked := Check(pinned(), cat)
	_, planned := Compute(pinned(), cat)
	if checked == nil || planned == nil || checked.Error() != planned.Error() || !strings.Contains(checked.Error(), "pin: no exposure satisfies it") {
		t.Fatalf("Check: %v\nCompute: %v", checked, planned)
	}
}

// A GKE Ingress is one Ingress object, which routes only to Services of its
// own namespace: services of two namespaces never share one (the Gateway,
// whose routes may live in any namespace, may), planned exactly or by the
// heuristic.
func TestGKEIngressKeepsToOneNamespace(t *testing.T) {
	for _, n := range []int{2, 30} {
		d := &Declaration{Cloud: "gcp", Region: "us-central1", Strategies: []string{StrategyGCE}}
		for i := range n {
			s := web(fmt.Sprintf("s%d", i), 10, 1, 10, 10, fmt.Sprintf("s%d.example.com", i))
			s.Namespace = []string{"shop", "blog"}[i%2]
			d.Services = append(d.Services, s)
		}
		p := mustPlan(t, d)
		for _, lb := range p.LoadBalancers {
			if lb.Kind != KindGKEIngress {
				continue
			}
			for _, key := range lb.Services {
				if ns, _, _ := strings.Cut(key, "/"); ns != strings.Split(lb.Services[0], "/")[0] {
					t.Fatalf("%d services: %s routes %v", n, lb.ID, lb.Services)
				}
			}
			if n > 2 && len(lb.Services) < 2 {
				t.Fatalf("%d services: %s routes %v alone: one namespace's services still share", n, lb.ID, lb.Services)
			}
		}
	}
}

// A GKE Ingress that serves plain HTTP beside HTTPS today (allow-http not
// "false") has a forwarding rule for each: with five global rules already in
// the project, today's Ingress for one HTTPS service is 2 x 730 h x $0.01 =
// $14.60 of rules; the plan keeps the Ingress with allow-http "false", one
// rule, $7.30.
func TestGKEIngressHTTPFrontendToday(t *testing.T) {
	s := web("shop", 10, 1, 10, 0, "shop.example.com")
	s.Current = Ingress
	s.CurrentLoadBalancer = &CurrentLB{Kind: CurrentGCE, Name: "default/shop", HTTPFrontend: true}
	d := &Declaration{Cloud: "gcp", Region: "us-central1", Strategies: []string{StrategyGCE}, ExistingForwardingRules: &ForwardingRules{Global: 5}, Services: []Service{s}}
	p := mustPlan(t, d)
	// today and the plan: two forwarding rules past the first five, $0.01 x 730 h each;
	// the plan keeps the plain-HTTP frontend (a client may use it) and says what dropping it saves
	if *p.Totals.CurrentMonthlyCost != 1460 || p.Totals.MonthlyCost != 1460 {
		t.Fatalf("today %s, plan %s; want 14.60 and 14.60", *p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
	}
	if row := svcByName(t, p, "shop"); row.Annotations["kubernetes.io/ingress.allow-http"] != "" {
		t.Fatalf("the plan turns plain HTTP off: %+v", row)
	}
	want := Opportunity{Service: "default/shop", Action: `set kubernetes.io/ingress.allow-http: "false" on default/shop (its plain-HTTP frontend), if no client uses plain HTTP`, MonthlySaving: 730}
	if len(p.Opportunities) != 1 || p.Opportunities[0] != want {
		t.Fatalf("opportunities %+v, want %+v", p.Opportunities, want)
	}
	s.CurrentLoadBalancer.HTTPFrontend = false
	d.Services = []Service{s}
	if p := mustPlan(t, d); p.Totals.MonthlyCost != 730 || svcByName(t, p, "shop").Annotations["kubernetes.io/ingress.allow-http"] != "false" {
		t.Fatalf("without plain HTTP today: plan %s, %+v", p.Totals.MonthlyCost, svcByName(t, p, "shop"))
	}
	s.CurrentLoadBalancer.Kind, s.CurrentLoadBalancer.Name, s.CurrentLoadBalancer.HTTPFrontend = CurrentCLB, "", true
	d = &Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{s}}
	if err := Validate(d); err == nil || !strings.Contains(err.Error(), "httpFrontend: only a GKE Ingress, a GKE Gateway, an ALB, an Application Gateway, an Application Gateway for Containers or an in-cluster proxy") {
		t.Fatalf("a Classic LB with httpFrontend: %v", err)
	}
	s.CurrentLoadBalancer.Kind = CurrentAppGW
	d = &Declaration{Cloud: "azure", Region: "eastus", Services: []Service{s}}
	if err := Validate(d); err == nil || !strings.Contains(err.Error(), "httpFrontend: an Application Gateway (kind appgw) answers plain HTTP beside HTTPS only by a redirect") {
		t.Fatalf("an Application Gateway serving plain HTTP: %v", err)
	}
	s.CurrentLoadBalancer.HTTPRedirect = true
	if err := Validate(&Declaration{Cloud: "azure", Region: "eastus", Services: []Service{s}}); err != nil {
		t.Fatalf("an Application Gateway redirecting plain HTTP: %v", err)
	}
}

// A canary and its service, routed by one rule (routedWith), never go on a
// load balancer that cannot split a rule by weight (a GKE Ingress, an
// Application Gateway Ingress, an Ingress-only proxy): on GCP with GKE
// Ingress and Gateway enabled they share a GKE Gateway (the cheaper GKE
// Ingress would have been chosen before, and render could not write it).
func TestRoutedWithNeedsWeights(t *testing.T) {
	s, c := web("shop", 10, 1, 10, 5, "shop.example.com"), web("shop-canary", 1, 1, 1, 1, "shop.example.com")
	s.RoutedWith, c.RoutedWith = []string{"default/shop-canary"}, []string{"default/shop"}
	d := &Declaration{Cloud: "gcp", Region: "us-central1", Strategies: []string{StrategyGCE, StrategyGateway}, Services: []Service{s, c}}
	p := mustPlan(t, d)
	for _, name := range []string{"shop", "shop-canary"} {
		row := svcByName(t, p, name)
		if row.LoadBalancer == nil || !strings.Contains(*row.LoadBalancer, "gateway") || row.GatewayClassName == "" {
			t.Fatalf("%s: %+v, want a GKE Gateway", name, row)
		}
	}
	d = &Declaration{Cloud: "gcp", Region: "us-central1", Strategies: []string{StrategyGCE}, Services: []Service{s, c}}
	p = mustPlan(t, d)
	if row := svcByName(t, p, "shop"); row.Exposure != LoadBalancer || !strings.Contains(row.Reason, "routedWith: its host and path's requests are split between services (by weight, header or canary), which a GKE Ingress cannot") {
		t.Fatalf("GKE Ingress only: %+v", row)
	}
	if len(p.Warnings) == 0 || !strings.Contains(strings.Join(p.Warnings, "\n"), "that rule must be split") {
		t.Fatalf("warnings %v", p.Warnings)
	}
}

// A load balancer of today is kept by one group at most: a plan that splits
// today's GKE Ingress in two moves the second group's services (render names
// it anew), and a plan dearer than today gives way to today even so.
func TestSplitTodayMoves(t *testing.T) {
	var svcs []Service
	for _, n := range []string{"a", "b", "c"} {
		s := web(n, 10, 1, 10, 5, n+".example.com")
		s.Current, s.CurrentLoadBalancer = Ingress, &CurrentLB{Kind: CurrentGCE, Name: "default/edge"}
		svcs = append(svcs, s)
	}
	d := &Declaration{Cloud: "gcp", Region: "us-central1", Strategies: []string{StrategyGCE}, ExistingForwardingRules: &ForwardingRules{Global: 5}, Services: svcs}
	if err := Validate(d); err != nil {
		t.Fatal(err)
	}
	m := standaloneModel(t, d)
	split := []*group{m.newGroup(kGCE, schemeInternet, []int{0, 1}), m.newGroup(kGCE, schemeInternet, []int{2})}
	if n := m.groupMoves(split); n != 1 {
		t.Fatalf("a split of today's Ingress moves %d services, want 1", n)
	}
	// the split costs a forwarding rule more (730 h x $0.01): today wins
	if got, _ := m.keepCurrent(split); len(got) != 1 || len(got[0].members) != 3 {
		t.Fatalf("kept %d groups, want today's one", len(got))
	}
}

// A GKE Ingress's FrontendConfig redirects every host's plain HTTP to
// HTTPS, so a service redirected today and one served over plain HTTP never
// share one: with five global forwarding rules already in the project, the
// redirected HTTPS service's Ingress (HTTPS and HTTP rules) and the plain
// one's (HTTP) are 3 x 730 h x $0.01 = $21.90, today and planned; shared
// they would be 2 rules, $14.60, which the plan takes once the redirect is
// not declared.
func TestRedirectedAndServedNeverShareAGKEIngress(t *testing.T) {
	plan := func(redirect bool) *Plan {
		a := web("a", 0, 0, 0, 0, "a.example.com")
		a.Namespace, a.Current, a.Pin = "shop", Ingress, Ingress // (a load balancer of its own each would be cheaper still)
		a.CurrentLoadBalancer = &CurrentLB{Kind: CurrentGCE, Name: "shop/a", HTTPFrontend: true, HTTPRedirect: redirect}
		b := web("b", 0, 0, 0, 0, "b.example.com")
		b.Namespace, b.Current, b.Pin, b.Protocol, b.Port = "shop", Ingress, Ingress, ProtoHTTP, 80
		b.CurrentLoadBalancer = &CurrentLB{Kind: CurrentGCE, Name: "shop/b"}
		return mustPlan(t, &Declaration{Cloud: "gcp", Region: "us-central1", Strategies: []string{StrategyGCE},
			ExistingForwardingRules: &ForwardingRules{Global: 5}, Services: []Service{a, b}})
	}
	ingresses := func(p *Plan) int {
		n := 0
		for _, lb := range p.LoadBalancers {
			if lb.Kind == KindGKEIngress {
				n++
			}
		}
		return n
	}
	p := plan(true)
	if *p.Totals.CurrentMonthlyCost != 2190 || p.Totals.MonthlyCost != 2190 || ingresses(p) != 2 {
		t.Fatalf("redirected beside served: today %s, plan %s on %d GKE Ingresses; want 21.90 on two", *p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost, ingresses(p))
	}
	if p := plan(false); p.Totals.MonthlyCost != 1460 || ingresses(p) != 1 {
		t.Fatalf("both served: plan %s on %d GKE Ingresses; want 14.60 on one", p.Totals.MonthlyCost, ingresses(p))
	}
	m := &model{svcs: []svcInfo{{key: "shop/a", plain: plainRedirected}, {key: "shop/b", plain: plainServed}, {key: "shop/c"}}}
	if why := m.redirectConflict("GKE Ingress", []int{2, 0, 1}); why != "shop/a is redirected from plain HTTP to HTTPS and shop/b served over plain HTTP, which one GKE Ingress cannot do at once" {
		t.Fatalf("why: %q", why)
	}
	if why := m.redirectConflict("GKE Ingress", []int{0, 2}); why != "" {
		t.Fatalf("a redirected and an HTTPS-only service: %q", why)
	}
}

// A redirect to HTTPS belongs to a plain-HTTP frontend: httpRedirect
// without httpFrontend is an error naming the field.
func TestHTTPRedirectNeedsItsFrontend(t *testing.T) {
	s := web("shop", 0, 0, 0, 0, "shop.example.com")
	s.Current = Ingress
	s.CurrentLoadBalancer = &CurrentLB{Kind: CurrentGateway, Name: "gateway:edge/edge", HTTPRedirect: true}
	err := Validate(&Declaration{Cloud: "gcp", Region: "us-central1", Services: []Service{s}})
	if err == nil || !strings.Contains(err.Error(), "currentLoadBalancer.httpRedirect: a redirect to HTTPS is a plain-HTTP frontend's: set httpFrontend too") {
		t.Fatalf("httpRedirect alone: %v", err)
	}
}

// An ALB IngressGroup's ssl-redirect holds for every Ingress of the group,
// so one that redirects a service's plain HTTP cannot serve another's:
// today's group of both is ruled out and the plan puts them on two ALBs,
// 2 x ($16.43 + $7.30) = $47.46. Today's ALB Gateway redirects route by
// route: the same two share it, $23.73, as today.
func TestALBRedirectIsTheWholeGroups(t *testing.T) {
	plan := func(name string) *Plan {
		a := web("a", 0, 0, 0, 0, "a.example.com")
		a.Current, a.Pin = Ingress, Ingress
		a.CurrentLoadBalancer = &CurrentLB{Kind: CurrentALB, Name: name, HTTPFrontend: true, HTTPRedirect: true}
		b := web("b", 0, 0, 0, 0, "b.example.com")
		b.Current, b.Pin, b.Protocol, b.Port = Ingress, Ingress, ProtoHTTP, 80
		b.CurrentLoadBalancer = &CurrentLB{Kind: CurrentALB, Name: name}
		return mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, Services: []Service{a, b}})
	}
	p := plan("shop")
	if p.Totals.MonthlyCost != 4746 || len(p.LoadBalancers) != 2 {
		t.Fatalf("an IngressGroup: plan %s on %d ALBs; want 47.46 on two", p.Totals.MonthlyCost, len(p.LoadBalancers))
	}
	// the split says why, and not that one would do (no quota is in the way)
	if want := "split into 2 ALBs: default/a is redirected from plain HTTP to HTTPS and default/b served over plain HTTP, which one ALB cannot do at once"; p.LoadBalancers[0].SplitReason != want {
		t.Fatalf("split reason %q, want %q", p.LoadBalancers[0].SplitReason, want)
	}
	if len(p.Opportunities) != 1 || p.Opportunities[0].MonthlySaving != 2373 ||
		!strings.HasPrefix(p.Opportunities[0].Action, "remove HTTP from the listen-ports of the Ingresses of ALB shop (and its ssl-redirect)") {
		t.Fatalf("opportunities %+v: want dropping the redirect, $23.73", p.Opportunities)
	}
	if p := plan(GatewayPrefix + "edge/edge"); p.Totals.MonthlyCost != 2373 || len(p.LoadBalancers) != 1 || *p.Totals.CurrentMonthlyCost != 2373 {
		t.Fatalf("today's ALB Gateway: plan %s on %d ALBs; want 23.73 on one, as today", p.Totals.MonthlyCost, len(p.LoadBalancers))
	}
}

// A service joining an Application Gateway that another needs anyway adds
// nothing to its cost (no traffic: no capacity units), against $3.65 for a
// public IP of its own on the cluster's load balancer (730 h x $0.005); its
// share of the gateway's $183.23 is more, and the reason says both rather
// than "at no saving".
func TestReasonGivesWhatAMemberAdds(t *testing.T) {
	d, err := Parse([]byte(`cloud: azure
region: eastus
services:
  - {name: portal, namespace: web, protocol: HTTPS, port: 443, audience: internet, hosts: [portal.contoso.com], needs: [rewrite], current: Ingress, currentLoadBalancer: {kind: appgw, name: azure-application-gateway}}
  - {name: docs, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [docs.contoso.com]}
`), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, d)
	for _, s := range p.Services {
		if s.Name == "docs" && !strings.Contains(s.Reason, "shares azure-application-gateway with 1 other service(s): adds $0.00/month to it vs $3.65 on its own (Azure LB); its share of the cost, $") {
			t.Errorf("docs on %v: %s", s.LoadBalancer, s.Reason)
		}
	}
}

// TCP Services restricting their sources (loadBalancerSourceRanges) or
// keeping the client's address (clientIP) stay on NLBs of their own: an NLB
// Gateway's routes keep neither (it took them, $16.43 for one). By hand
// (internal NLBs): 2 x 730 h x $0.0225 = $32.86 each time.
func TestNLBGatewayKeepsOffRangesAndClientIP(t *testing.T) {
	for _, c := range []struct {
		policy string
		needs  []string
	}{{"source-ranges=10.0.0.0/8", nil}, {"", []string{NeedClientIP}}} {
		var svcs []Service
		for _, name := range []string{"db", "cache"} {
			s := Service{Name: name, Namespace: "data", Protocol: ProtoTCP, Port: 5432, Audience: AudienceVPC, Needs: c.needs, Current: LoadBalancer,
				CurrentLoadBalancer: &CurrentLB{Kind: CurrentNLB, AccessPolicy: c.policy}}
			if name == "cache" {
				s.Port = 6379
			}
			svcs = append(svcs, s)
		}
		p := mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyGateway}, Services: svcs})
		if p.Totals.MonthlyCost.Dollars() != "$32.86" || p.Services[0].Exposure != LoadBalancer {
			t.Errorf("%q %v: plan %s, %s; want two NLBs of their own, $32.86", c.policy, c.needs, p.Totals.MonthlyCost.Dollars(), p.Services[0].Exposure)
		}
	}
}
