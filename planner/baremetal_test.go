package planner

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// bareMetal is a small bare-metal cluster: three layer-4 services on the
// internet (DNS over TCP and UDP on port 53, a game on 7777) and two HTTP
// services, with a pool address at $5 a month and nodes at $0.03 per vCPU-hour
// and $0.004 per GiB-hour.
func bareMetal(lb string, size *int) *Declaration {
	five, vcpu, gib := Q(5), Quantity(QuantityScale*3/100), Quantity(QuantityScale*4/1000)
	return &Declaration{Cloud: CloudBareMetal, LoadBalancer: lb, AddressPool: &AddressPool{Size: size, MonthlyCostPerAddress: &five},
		NodeCost: &NodeCost{VCPUHour: &vcpu, GiBHour: &gib},
		Services: []Service{
			{Name: "dns-tcp", Namespace: "dns", Protocol: ProtoTCP, Port: 53, Audience: AudienceInternet},
			{Name: "dns-udp", Namespace: "dns", Protocol: ProtoUDP, Port: 53, Audience: AudienceInternet},
			{Name: "game", Namespace: "play", Protocol: ProtoTCP, Port: 7777, Audience: AudienceInternet},
			{Name: "web", Namespace: "shop", Protocol: ProtoHTTPS, Port: 443, Audience: AudienceInternet, Hosts: []string{"shop.example.com"}},
			{Name: "api", Namespace: "shop", Protocol: ProtoHTTPS, Port: 443, Audience: AudienceInternet, Hosts: []string{"api.example.com"}},
		}}
}

// By hand: the three layer-4 services share one address ($5: TCP 53 and UDP
// 53 do not clash), the two HTTP services one Envoy Gateway behind another
// ($5, and two pods of 0.1 vCPU and 0.5 GiB: 146 vCPU-h x $0.03 = $4.38 and
// 730 GiB-h x $0.004 = $2.92): $17.30 and two addresses. Two addresses of
// their own would cost $10 instead of $12.30, but addresses come first.
func TestBareMetalSharesAddresses(t *testing.T) {
	p := mustPlan(t, bareMetal("", nil))
	if p.Totals.MonthlyCost != 1730 || len(p.LoadBalancers) != 2 {
		t.Fatalf("total %s with %d addresses, want $17.30 with 2", p.Totals.MonthlyCost.Dollars(), len(p.LoadBalancers))
	}
	shared := lbByID(t, p, "shared-ip-internet-1")
	if got := costsOf(shared); got != "pool address (MetalLB)=5.00" || len(shared.Services) != 3 {
		t.Fatalf("shared address: %s %v", got, shared.Services)
	}
	if got := costsOf(lbByID(t, p, "envoy")); got != "pool address (MetalLB)=5.00; proxy vCPU (2 x 0.1 vCPU)=4.38; proxy memory (2 x 0.5 GiB)=2.92" {
		t.Fatalf("proxy: %s", got)
	}
	row := svcByName(t, p, "dns-udp")
	if row.ServiceType != "LoadBalancer" || row.Annotations["metallb.universe.tf/allow-shared-ip"] != "shared-ip-internet-1" || row.Path != "client -> node -> pod" {
		t.Fatalf("dns-udp: %+v", row)
	}
	if web := svcByName(t, p, "web"); web.Path != "client -> node -> ingress pod -> pod" || web.AddedLatencyMs != Q(1)+DefaultNodeHopMs || web.GatewayClassName != "eg" {
		t.Fatalf("web: %+v", web)
	}
	// Cilium LB-IPAM shares by its own key
	p = mustPlan(t, bareMetal(LBCilium, nil))
	if row := svcByName(t, p, "game"); row.Annotations["lbipam.cilium.io/sharing-key"] != "shared-ip-internet-1" {
		t.Fatalf("cilium: %+v", row)
	}
	// kube-vip has no sharing key: an address each for the layer-4 services
	p = mustPlan(t, bareMetal(LBKubeVIP, nil))
	if p.Totals.MonthlyCost != 2730 || len(p.LoadBalancers) != 4 {
		t.Fatalf("kube-vip: %s with %d addresses, want $27.30 with 4", p.Totals.MonthlyCost.Dollars(), len(p.LoadBalancers))
	}
	if why := svcByName(t, p, "game").Reason; !strings.Contains(why, "kube-vip has no sharing key") {
		t.Fatalf("kube-vip reason: %s", why)
	}
}

// A pool smaller than the fewest addresses a plan can use is an error that
// says how many are missing.
func TestBareMetalPoolTooSmall(t *testing.T) {
	one, two := 1, 2
	if _, err := Compute(bareMetal("", &two), defaultCatalog(t)); err != nil {
		t.Fatalf("two addresses fit a pool of two: %v", err)
	}
	_, err := Compute(bareMetal("", &one), defaultCatalog(t))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "addressPool.size" || !strings.Contains(err.Error(), "needs 2 addresses at least") || !strings.Contains(err.Error(), "1 missing") {
		t.Fatalf("pool of one: %v", err)
	}
}

func TestBareMetalSettingsAreChecked(t *testing.T) {
	d := bareMetal("f5", nil)
	neg := Q(-1)
	d.NodeCost.GiBHour = &neg
	err := Validate(d)
	if err == nil || !strings.Contains(err.Error(), `loadBalancer: unknown "f5"`) || !strings.Contains(err.Error(), "nodeCost.gibHour: want 0 to 1000000, got -1") {
		t.Fatalf("bare-metal settings: %v", err)
	}
	aws := &Declaration{Cloud: "aws", Region: "us-east-1", LoadBalancer: LBMetalLB, Services: bareMetal("", nil).Services}
	if err := Validate(aws); err == nil || !strings.Contains(err.Error(), "loadBalancer: only a baremetal cluster has it (cloud is aws)") {
		t.Fatalf("metallb on aws: %v", err)
	}
}

// TestOptimalAgainstBruteForceBareMetal: addresses first, then cost, then
// the tie-breaks, against every partition and exposure; ports drawn from a
// few numbers so that they clash, pools drawn around the optimum.
func TestOptimalAgainstBruteForceBareMetal(t *testing.T) {
	cat := defaultCatalog(t)
	r := rand.New(rand.NewPCG(11, 13))
	shared, short := 0, 0
	for n := 0; n < 300; n++ {
		d := randomCloudDeclaration(r, CloudBareMetal, 2+n%6)
		d.LoadBalancer = pick(r, []string{LBMetalLB, LBMetalLB, LBCilium, LBKubeVIP})
		cost, vcpu, gib := randQ(r, 20), randQ(r, 1)/10, randQ(r, 1)/100
		d.AddressPool, d.NodeCost = &AddressPool{MonthlyCostPerAddress: &cost}, &NodeCost{VCPUHour: &vcpu, GiBHour: &gib}
		if r.IntN(3) == 0 {
			size := 1 + r.IntN(4)
			d.AddressPool.Size = &size
		}
		for i := range d.Services {
			s := &d.Services[i]
			if isL7(s.Protocol) && r.IntN(2) == 0 && s.Pin != Ingress { // mostly layer 4: what shares an address
				s.Protocol, s.Hosts, s.Paths, s.Certificate = pick(r, []string{ProtoTCP, ProtoUDP}), nil, nil, ""
				s.Needs = slices.DeleteFunc(s.Needs, func(n string) bool { return n == NeedTLSPassthrough })
			}
			if !isL7(s.Protocol) {
				s.Port = pick(r, []int{53, 53, 443, 7777})
			}
		}
		m, err := newModel(d, cat)
		if err != nil {
			t.Fatalf("instance %d: %v", n, err)
		}
		want, ok := bruteForce(m)
		p, err := Compute(d, cat)
		if ok && d.AddressPool.Size != nil && want.addr > *d.AddressPool.Size {
			if err == nil || !strings.Contains(err.Error(), "missing") {
				t.Fatalf("instance %d: the fewest addresses are %d, the pool %d: %v", n, want.addr, *d.AddressPool.Size, err)
			}
			short++
			continue
		}
		if !ok {
			if err == nil {
				t.Fatalf("instance %d: brute force finds no feasible plan, optimiser does", n)
			}
			continue
		}
		if err != nil {
			t.Fatalf("instance %d: optimiser failed on a feasible instance: %v", n, err)
		}
		if got := planVal(p); !sameVal(got, want) {
			t.Fatalf("instance %d: optimiser %+v, brute force %+v", n, got, want)
		}
		checkPlan(t, p)
		for _, lb := range p.LoadBalancers {
			if len(lb.Services) > 1 && lb.Strategy == StrategySharedIP {
				shared++
			}
		}
	}
	if shared < 50 || short < 5 {
		t.Fatalf("weak instance mix: %d shared addresses, %d pools too small", shared, short)
	}
}

// Fewer addresses, but never dearer than today unless the pool forces it:
// two web services with addresses of their own today ($5 each, $10) stay so
// when the proxy that would share one address costs more ($5 + pods at
// $0.03 per vCPU-hour and $0.004 per GiB-hour: $12.30); with a pool of one
// address the plan must move them, and says the pool forced the increase.
func TestBareMetalNeverDearerThanTodayUnlessThePoolForcesIt(t *testing.T) {
	decl := func(size *int) *Declaration {
		d := bareMetal("", size)
		d.Services = d.Services[3:] // web and api
		for i := range d.Services {
			d.Services[i].Current = LoadBalancer
		}
		return d
	}
	p := mustPlan(t, decl(nil))
	if p.Totals.MonthlyCost != 1000 || len(p.LoadBalancers) != 2 || p.Totals.IncreaseForcedBy != "" {
		t.Fatalf("kept today: %s on %d addresses (%s)", p.Totals.MonthlyCost.Dollars(), len(p.LoadBalancers), p.Totals.IncreaseForcedBy)
	}
	one := 1
	p = mustPlan(t, decl(&one))
	if p.Totals.MonthlyCost != 1230 || len(p.LoadBalancers) != 1 || !strings.Contains(p.Totals.IncreaseForcedBy, "addressPool.size: today's 2 addresses are more than the pool's 1") {
		t.Fatalf("pool of one: %s on %d addresses (%q)", p.Totals.MonthlyCost.Dollars(), len(p.LoadBalancers), p.Totals.IncreaseForcedBy)
	}
}

// A multi-port Service (DNS on UDP and TCP 53) and an HTTPS one whose pods
// end TLS (tlsPassthrough: a TCP port to the address) share an address with
// a game on 7777: one address, $5 (it took two, $10: a multi-port Service
// with a UDP port was kept from a shared address, as from a shared HTTP load
// balancer, and an HTTPS one whose pods end TLS left to the proxy alone,
// which cannot pass TLS through).
func TestBareMetalSharesMultiPortAndPassthrough(t *testing.T) {
	d := bareMetal("", nil)
	d.Services = []Service{
		{Name: "dns", Namespace: "dns", Protocol: ProtoUDP, Port: 53, Audience: AudienceInternet, Ports: []ServicePort{{Port: 53, Protocol: ProtoUDP}, {Port: 53, Protocol: ProtoTCP}}},
		{Name: "game", Namespace: "play", Protocol: ProtoTCP, Port: 7777, Audience: AudienceInternet},
		{Name: "api", Namespace: "shop", Protocol: ProtoHTTPS, Port: 443, Audience: AudienceInternet, Needs: []string{NeedTLSPassthrough}},
	}
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost != 500 || len(p.LoadBalancers) != 1 || len(p.LoadBalancers[0].Services) != 3 {
		t.Fatalf("total %s on %d addresses, want $5.00 on one", p.Totals.MonthlyCost.Dollars(), len(p.LoadBalancers))
	}
}
