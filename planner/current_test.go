package planner

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// By hand, us-east-1, 2 zones, 730 h: an idle internet-facing ALB or NLB is
// 730 x $0.0225 = $16.425 -> $16.43 plus 2 x 730 x $0.005 = $7.30 of public
// IPv4: $23.73 a month.
const idleInternetLB = money.Cents(2373)

func onALB(s Service, name string) Service {
	s.Current = Ingress
	s.CurrentLoadBalancer = &CurrentLB{Kind: CurrentALB, Name: name}
	return s
}

func awsDecl(svcs ...Service) *Declaration {
	return &Declaration{Cloud: "aws", Region: "us-east-1", Services: svcs}
}

func TestTodayTwoIngressesWithoutGroupAreTwoALBs(t *testing.T) {
	d := awsDecl(onALB(web("a", 0, 0, 0, 0, "a.example.com"), "default/a"), onALB(web("b", 0, 0, 0, 0, "b.example.com"), "default/b"))
	p := mustPlan(t, d)
	if got := *p.Totals.CurrentMonthlyCost; got != 2*idleInternetLB {
		t.Fatalf("today: two ALBs = $47.46, got %s", got.Dollars())
	}
	if p.Totals.MonthlyCost != idleInternetLB || len(p.LoadBalancers) != 1 {
		t.Fatalf("plan: one shared ALB = $23.73, got %s on %d", p.Totals.MonthlyCost.Dollars(), len(p.LoadBalancers))
	}
	// the merged group is named after the first Ingress, as a valid group name
	if id := p.LoadBalancers[0].ID; id != "default-a" {
		t.Fatalf("merged ALB id %q, want default-a", id)
	}
	if g := svcByName(t, p, "b").Annotations["alb.ingress.kubernetes.io/group.name"]; g != "default-a" {
		t.Fatalf("group.name %q", g)
	}
}

func TestTieKeepsTodaysGroupName(t *testing.T) {
	d := awsDecl(onALB(web("a", 0, 0, 0, 0, "a.example.com"), "shop"), onALB(web("b", 0, 0, 0, 0, "b.example.com"), "shop"))
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost != *p.Totals.CurrentMonthlyCost || p.Totals.MonthlyCost != idleInternetLB {
		t.Fatalf("plan %s, today %s: want both $23.73", p.Totals.MonthlyCost.Dollars(), p.Totals.CurrentMonthlyCost.Dollars())
	}
	for _, s := range p.Services {
		if s.Annotations["alb.ingress.kubernetes.io/group.name"] != "shop" || *s.LoadBalancer != "shop" {
			t.Fatalf("%s moved off group shop: %+v", s.Name, s)
		}
	}
}

func TestTieKeepsTodaysOwnIngress(t *testing.T) {
	// alone on an ALB of its own today: an NLB costs the same, so it stays, with no group added
	d := awsDecl(onALB(web("a", 0, 0, 0, 0, "a.example.com"), "default/a"))
	d.Services[0].Paths = []string{"/shop"}
	p := mustPlan(t, d)
	s := svcByName(t, p, "a")
	if s.Exposure != Ingress || *s.LoadBalancer != "default/a" {
		t.Fatalf("moved: %+v", s)
	}
	if _, ok := s.Annotations["alb.ingress.kubernetes.io/group.name"]; ok {
		t.Fatalf("an Ingress's own ALB got a group: %v", s.Annotations)
	}
}

func TestTieKeepsTodaysLoadBalancerService(t *testing.T) {
	s := web("a", 0, 0, 0, 0)
	s.Current = LoadBalancer
	p := mustPlan(t, awsDecl(s))
	if got := svcByName(t, p, "a"); got.Exposure != LoadBalancer || got.MonthlyCost != idleInternetLB {
		t.Fatalf("an NLB today costs what an own ALB costs: keep it, got %+v", got)
	}
}

func TestNodePortStaysNodePort(t *testing.T) {
	var svcs []Service
	for i := 0; i < 5; i++ {
		s := web(fmt.Sprintf("svc%d", i), 10, 1, 10, 1)
		s.Current = NodePort
		svcs = append(svcs, s)
	}
	p := mustPlan(t, awsDecl(svcs...))
	if p.Totals.MonthlyCost != 0 || *p.Totals.CurrentMonthlyCost != 0 {
		t.Fatalf("NodePort today costs $0 and the plan must not cost more: %+v", p.Totals)
	}
	for _, s := range p.Services {
		if s.Exposure != NodePort || s.ServiceType != "NodePort" {
			t.Fatalf("%s: %s", s.Name, s.Exposure)
		}
	}
}

func TestCanaryStaysOnOneLoadBalancer(t *testing.T) {
	ui := web("ui", 100, 10, 100, 10, "shop.example.com")
	v2 := web("ui-v2", 10, 1, 10, 1, "shop.example.com")
	ui.RoutedWith, v2.RoutedWith = []string{"default/ui-v2"}, []string{"default/ui"}
	other := web("api", 50, 5, 50, 5, "api.example.com")
	for _, strategies := range [][]string{{StrategyALB}, {StrategyProxy}, {StrategyALB, StrategyProxy}} {
		d := awsDecl(ui, v2, other)
		d.Strategies = strategies
		p := mustPlan(t, d)
		a, b := svcByName(t, p, "ui"), svcByName(t, p, "ui-v2")
		if a.LoadBalancer == nil || b.LoadBalancer == nil || *a.LoadBalancer != *b.LoadBalancer || a.Exposure != Ingress {
			t.Fatalf("%v: canary split: %+v / %+v", strategies, a, b)
		}
	}
	// without the link the two collide on host and path and cannot share
	ui.RoutedWith, v2.RoutedWith = nil, nil
	p := mustPlan(t, awsDecl(ui, v2, other))
	if *svcByName(t, p, "ui").LoadBalancer == *svcByName(t, p, "ui-v2").LoadBalancer {
		t.Fatal("two services on one host and path shared a load balancer")
	}
}

func TestCanaryKeptInLargeClass(t *testing.T) {
	var svcs []Service
	for i := 0; i < 20; i++ {
		svcs = append(svcs, web(fmt.Sprintf("s%02d", i), int64(10+i), 1, 10, 1, fmt.Sprintf("s%02d.example.com", i)))
	}
	ui := web("ui", 1000, 10, 100, 10, "shop.example.com")
	v2 := web("ui-v2", 1, 1, 10, 1, "shop.example.com")
	ui.RoutedWith = []string{"default/ui-v2"}
	svcs = append(svcs, ui, v2)
	d := awsDecl(svcs...)
	d.Strategies = []string{StrategyALB}
	p := mustPlan(t, d)
	if !strings.HasPrefix(p.Optimality, "heuristic") {
		t.Fatalf("want the heuristic path, got %s", p.Optimality)
	}
	a, b := svcByName(t, p, "ui"), svcByName(t, p, "ui-v2")
	if a.LoadBalancer == nil || b.LoadBalancer == nil || *a.LoadBalancer != *b.LoadBalancer {
		t.Fatalf("canary split: %v / %v", a.LoadBalancer, b.LoadBalancer)
	}
}

func TestRuleOrderKeepsRouting(t *testing.T) {
	// the catch-all / is far busier, but /checkout on the same host must be matched first
	root := web("storefront", 1000, 10, 100, 10, "shop.example.com")
	checkout := web("checkout", 1, 1, 10, 1, "shop.example.com")
	checkout.Paths = []string{"/checkout"}
	cart := web("cart", 5, 1, 10, 1, "shop.example.com")
	cart.Paths = []string{"/checkout/cart"}
	api := web("api", 500, 10, 100, 10, "api.example.com")
	d := awsDecl(root, checkout, cart, api)
	d.Strategies = []string{StrategyALB}
	p := mustPlan(t, d)
	if len(p.LoadBalancers) != 1 {
		t.Fatalf("want one ALB, got %d", len(p.LoadBalancers))
	}
	got := strings.Join(p.LoadBalancers[0].RuleOrder, ",")
	if got != "default/cart,default/checkout,default/storefront,default/api" { // the busy / unlocked early
		t.Fatalf("rule order %s", got)
	}
	pos := map[string]string{}
	for _, s := range p.Services {
		pos[s.Name] = s.Annotations["alb.ingress.kubernetes.io/group.order"]
	}
	if pos["cart"] >= pos["checkout"] || pos["checkout"] >= pos["storefront"] {
		t.Fatalf("group.order %v", pos)
	}
}

func TestCatchAllHostGoesLast(t *testing.T) {
	any := web("default-backend", 1000, 10, 100, 10) // no host: every host
	named := web("shop", 1, 1, 10, 1, "shop.example.com")
	d := awsDecl(any, named)
	d.Strategies = []string{StrategyALB}
	p := mustPlan(t, d)
	if got := strings.Join(p.LoadBalancers[0].RuleOrder, ","); got != "default/shop,default/default-backend" {
		t.Fatalf("rule order %s", got)
	}
}

func TestOverlapBothWaysCannotShareAnALB(t *testing.T) {
	a := web("a", 10, 1, 10, 1, "one.example.com", "two.example.com")
	b := web("b", 10, 1, 10, 1, "one.example.com", "two.example.com")
	a.Paths, b.Paths = []string{"/", "/x/y"}, []string{"/x"}
	m, err := newModel(awsDecl(a, b), defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if why := m.sharedFits(kALB, []int{0, 1}); !strings.Contains(why, "overlap both ways") {
		t.Fatalf("want an order conflict, got %q", why)
	}
	if why := m.sharedFits(kProxy, []int{0, 1}); why != "" {
		t.Fatalf("nginx picks the longest match itself: %q", why)
	}
}

func TestOpportunityHostOfItsOwn(t *testing.T) {
	a := Service{Name: "web", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, Current: LoadBalancer}
	b := Service{Name: "admin", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, Current: LoadBalancer}
	d := awsDecl(a, b)
	d.Strategies = []string{StrategyALB}
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost != 2*idleInternetLB {
		t.Fatalf("two NLBs = $47.46, got %s", p.Totals.MonthlyCost.Dollars())
	}
	r := svcByName(t, p, "web").Reason
	if strings.Contains(r, "would cost more") || !strings.Contains(r, "needs a host or path of its own") {
		t.Fatalf("reason %q", r)
	}
	if len(p.Opportunities) != 2 || p.Opportunities[0].MonthlySaving != idleInternetLB ||
		p.Opportunities[0].Action != "give default/web a host of its own" {
		t.Fatalf("opportunities %+v", p.Opportunities)
	}
}

func TestIncreaseSaysWhichNeedForcesIt(t *testing.T) {
	s := web("api", 0, 0, 0, 0)
	s.Current = ClusterIP
	p := mustPlan(t, awsDecl(s))
	if *p.Totals.SavingsVsCurrent >= 0 || !strings.Contains(p.Totals.IncreaseForcedBy, "default/api") ||
		!strings.Contains(p.Totals.IncreaseForcedBy, "audience internet") {
		t.Fatalf("totals %+v", p.Totals)
	}
}

func TestNeverWorseThanTodayInLargeClass(t *testing.T) {
	// 16 services spread over 4 IngressGroups today; the heuristic plans the
	// class, and the plan may not cost more nor move anything at equal cost.
	var svcs []Service
	for i := 0; i < 16; i++ {
		s := web(fmt.Sprintf("s%02d", i), int64(5*i), int64(i), int64(100*i), int64(20*i), fmt.Sprintf("s%02d.example.com", i))
		svcs = append(svcs, onALB(s, fmt.Sprintf("team-%d", i%4)))
	}
	p := mustPlan(t, awsDecl(svcs...))
	if p.Totals.MonthlyCost > *p.Totals.CurrentMonthlyCost {
		t.Fatalf("plan %s costs more than today %s", p.Totals.MonthlyCost.Dollars(), p.Totals.CurrentMonthlyCost.Dollars())
	}
}

func TestExactPathGoesBeforeItsPrefix(t *testing.T) {
	prefix := web("pages", 1000, 10, 100, 10, "shop.example.com")
	prefix.Paths = []string{"/login"}
	exact := web("auth", 1, 1, 10, 1, "shop.example.com")
	exact.Paths = []string{"=/login"}
	d := awsDecl(prefix, exact)
	d.Strategies = []string{StrategyALB}
	p := mustPlan(t, d)
	if len(p.LoadBalancers) != 1 || strings.Join(p.LoadBalancers[0].RuleOrder, ",") != "default/auth,default/pages" {
		t.Fatalf("an exact /login and a prefix /login share an ALB, the exact one first: %+v", p.LoadBalancers)
	}
	bad := web("x", 0, 0, 0, 0)
	bad.Paths = []string{"=login"}
	if _, err := Compute(awsDecl(bad), defaultCatalog(t)); err == nil || !strings.Contains(err.Error(), "=/ for an exact match") {
		t.Fatalf("bad exact path: %v", err)
	}
}

// On random instances where every service declares its exposure today and
// no need, pin or latency budget can force a change, the plan never costs
// more than today (it may keep today's exposure as it is), whether the
// exact search or the heuristic plans it.
func TestNeverDearerThanTodayOnRandomInstances(t *testing.T) {
	cat := defaultCatalog(t)
	ingress := map[string]string{"aws": CurrentALB, "gcp": CurrentGCE, "azure": CurrentAppGW}
	dedicated := map[string]string{"aws": CurrentNLB, "gcp": CurrentLB4, "azure": CurrentLB4}
	for _, cloud := range []string{"aws", "gcp", "azure"} {
		r := rand.New(rand.NewPCG(21, uint64(len(cloud))))
		compared, ties := 0, 0
		for n := 0; n < 330; n++ {
			size := 2 + n%6
			if n >= 300 {
				size = 40 // past the exact search: the heuristic's plans too
			}
			d := randomCloudDeclaration(r, cloud, size)
			d.Strategies = nil // every default strategy, and the AWS controller: today's exposures stay possible
			ctl := true
			d.AWSLoadBalancerController = &ctl
			for i := range d.Services {
				s := &d.Services[i]
				s.Needs, s.Pin, s.LatencyBudgetMs = nil, "", nil
				if isL7(s.Protocol) { // a host of its own: today's groups route without clashes
					s.Hosts, s.Paths = []string{s.Name + ".example.com"}, nil
				}
				switch {
				case s.Audience == AudienceCluster:
					s.Current = ClusterIP
				case isL7(s.Protocol) && r.IntN(3) != 0:
					s.Current = Ingress
					name := fmt.Sprintf("team-%d-%s", r.IntN(2), s.Audience) // one scheme a load balancer
					if cloud != "aws" {
						name = s.Namespace + "/" + name
					}
					s.CurrentLoadBalancer = &CurrentLB{Kind: ingress[cloud], Name: name}
				default:
					s.Current = LoadBalancer
					s.CurrentLoadBalancer = &CurrentLB{Kind: dedicated[cloud]}
				}
			}
			if Validate(d) != nil {
				continue
			}
			p, err := Compute(d, cat)
			if err != nil || p.Totals.CurrentMonthlyCost == nil {
				continue
			}
			compared++
			if p.Totals.MonthlyCost > *p.Totals.CurrentMonthlyCost {
				t.Fatalf("%s instance %d: the plan costs $%s, today $%s (%s)", cloud, n, p.Totals.MonthlyCost, *p.Totals.CurrentMonthlyCost, p.Totals.IncreaseForcedBy)
			}
			if p.Totals.MonthlyCost == *p.Totals.CurrentMonthlyCost {
				ties++
				keepsToday(t, fmt.Sprintf("%s instance %d", cloud, n), d, p)
			}
		}
		if compared < 200 || ties < 20 {
			t.Fatalf("%s: only %d instances compared, %d at today's cost", cloud, compared, ties)
		}
	}
}

// keepsToday checks that a plan costing what today costs moves nothing: each
// service keeps its exposure, and services share a load balancer in the plan
// exactly when they share one today.
func keepsToday(t *testing.T, what string, d *Declaration, p *Plan) {
	t.Helper()
	today := map[string]string{}
	for _, s := range d.Services {
		if c := s.CurrentLoadBalancer; c != nil && c.Name != "" {
			today[s.Key()] = c.Kind + "|" + c.Name
		}
	}
	planned := map[string]string{}
	for _, s := range p.Services {
		key := s.Namespace + "/" + s.Name
		var want Exposure
		for _, ds := range d.Services {
			if ds.Key() == key {
				want = ds.Current
			}
		}
		if s.Exposure != want {
			t.Fatalf("%s: at today's cost %s moves from %s to %s (%s)", what, key, want, s.Exposure, s.Reason)
		}
		if s.LoadBalancer != nil {
			planned[key] = *s.LoadBalancer
		}
	}
	for a := range today {
		for b := range today {
			if (today[a] == today[b]) != (planned[a] == planned[b] && planned[a] != "") {
				t.Fatalf("%s: at today's cost %s and %s share %v today, %v in the plan (%s, %s)", what, a, b,
					today[a] == today[b], planned[a] == planned[b], planned[a], planned[b])
			}
		}
	}
}

// A set routed by one rule that cannot share a load balancer (here: one
// service public, its canary internal) is planned apart, and the plan's
// warnings name the services and why; a set that can share warns of nothing.
func TestUntiedCanaryWarns(t *testing.T) {
	ui := web("ui", 100, 10, 100, 10, "shop.example.com")
	v2 := web("ui-v2", 10, 1, 10, 1, "shop.example.com")
	ui.RoutedWith, v2.RoutedWith = []string{"default/ui-v2"}, []string{"default/ui"}
	p := mustPlan(t, awsDecl(ui, v2))
	if len(p.Warnings) != 0 {
		t.Fatalf("a canary that shares warns: %v", p.Warnings)
	}
	v2.Audience = AudienceVPC
	p = mustPlan(t, awsDecl(ui, v2))
	want := "default/ui, default/ui-v2 are routed by one rule (routedWith) but cannot share one load balancer (services routed by one rule have different audiences)"
	if len(p.Warnings) != 1 || !strings.HasPrefix(p.Warnings[0], want) {
		t.Fatalf("warnings %q, want one starting %q", p.Warnings, want)
	}
}

// exactMatch rules the ALB out (it compares header and query values
// ignoring case): two services that would share one ($23.73, TestSharedALB's
// figure for two idle services) each get an NLB of their own, $47.46.
func TestExactMatchRulesTheALBOut(t *testing.T) {
	a, b := web("a", 0, 0, 0, 0, "a.example.com"), web("b", 0, 0, 0, 0, "b.example.com")
	d := awsDecl(a, b)
	d.Strategies = []string{StrategyALB}
	if p := mustPlan(t, d); p.Totals.MonthlyCost.Dollars() != "$23.73" {
		t.Fatalf("without the need: %s, want one ALB, $23.73", p.Totals.MonthlyCost.Dollars())
	}
	d.Services[0].Needs = []string{NeedExactMatch}
	d.Services[1].Needs = []string{NeedExactMatch}
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost != 2*idleInternetLB {
		t.Fatalf("with exactMatch: %s, want two NLBs, $47.46", p.Totals.MonthlyCost.Dollars())
	}
	for _, lb := range p.LoadBalancers {
		if lb.Kind == "alb" {
			t.Fatalf("exactMatch planned on an ALB: %+v", lb)
		}
	}
}
