package planner

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// azureProxyL4 is an ingress-nginx proxy on AKS that routes a web service
// by HTTP, a database by TCP and DNS by UDP today (its tcp-services and
// udp-services), beside four rules the cluster's public load balancer has.
const azureProxyL4 = `cloud: azure
region: eastus2
existingLoadBalancerRules: {public: 4}
proxy: {implementation: ingress-nginx}
services:
  - {name: web, namespace: shop, protocol: HTTP, port: 80, audience: internet, hosts: [shop.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}}
  - {name: db, namespace: shop, protocol: TCP, port: 5432, audience: internet, current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}}
  - {name: dns, namespace: kube-system, protocol: UDP, port: 53, audience: internet, current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}, pin: Ingress}
`

// Layer-4 services an in-cluster proxy routes today may stay on it, and its
// front counts a rule per port (Azure): 80 and 443 (ingress-nginx's Service
// has both, whatever it routes), 5432/TCP and 53/UDP, eight rules with the
// four existing, three past the fifth: 3 x 730 h x $0.01 = $21.90; with the
// proxy's IP $3.65 and pods (146 vCPU-h x $0.0405 = $5.91, 131.4 GiB-h x
// $0.00445 = $0.58) $32.04, today's cost. Before, a layer-4 service could
// not be on the proxy at all (the plan moved it off at a cost, "today's
// proxy is ruled out").
func TestLayer4StaysOnTodaysProxy(t *testing.T) {
	d, err := Parse([]byte(azureProxyL4), "azure.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compute(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if p.Totals.MonthlyCost.String() != "32.04" || p.Totals.CurrentMonthlyCost == nil || p.Totals.CurrentMonthlyCost.String() != "32.04" {
		t.Fatalf("plan %s, today %v; want $32.04 both", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	found := false
	for _, lb := range p.LoadBalancers {
		for _, l := range lb.Costs {
			if strings.Contains(l.Name, "rules past the fifth (4 added to 4 existing)") && l.MonthlyCost.String() == "21.90" {
				found = true
			}
		}
	}
	if !found {
		t.Fatalf("no line for four proxy rules past four existing: %+v", p.LoadBalancers)
	}
	for _, s := range p.Services {
		if s.LoadBalancer == nil || *s.LoadBalancer != "nginx" {
			t.Fatalf("%s/%s planned on %v, want today's nginx", s.Namespace, s.Name, s.LoadBalancer)
		}
	}
}

// A layer-4 service never moves onto a proxy that does not route it today,
// nor onto another proxy: lbplanner does not write a proxy's layer-4 routes.
func TestLayer4NotOntoAnotherProxy(t *testing.T) {
	d, err := Parse([]byte(strings.Replace(azureProxyL4, "current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}, pin: Ingress", "pin: Ingress", 1)), "azure.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compute(d, defaultCatalog(t))
	if err == nil || !strings.Contains(err.Error(), "UDP goes through an in-cluster proxy only where one routes it today") {
		t.Fatalf("got %v", err)
	}
	m, err := newModel(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	// web and db on today's nginx; db on another proxy, "envoy", conflicts
	if why := m.objectConflict(kProxy, schemeInternet, "envoy", []int{0, 1}); !strings.Contains(why, "shop/db stays on today's nginx") {
		t.Fatalf("onto another proxy: %q", why)
	}
}

// GCP's proxy front is one passthrough forwarding rule for TCP (its HTTP
// listeners and a TCP route alike), and one more for UDP.
func TestGCPProxyUDPForwardingRule(t *testing.T) {
	m := modelOf(t, strings.NewReplacer("cloud: azure", "cloud: gcp", "region: eastus2", "region: us-central1", "existingLoadBalancerRules: {public: 4}\n", "").Replace(azureProxyL4))
	for _, c := range []struct {
		members []int
		want    rv
	}{{[]int{0}, rv{0, 1}}, {[]int{0, 1}, rv{0, 1}}, {[]int{0, 1, 2}, rv{0, 2}}} {
		if got := m.rulesOf(kProxy, schemeInternet, c.members); got != c.want {
			t.Errorf("members %v: %v forwarding rules, want %v", c.members, got, c.want)
		}
	}
}

// One ingress-nginx controller per scheme: render writes every new proxy
// as its IngressClass, so a second new one (or a new one beside today's)
// is the group ruled off the proxy, the smallest first; today's proxies are
// each their own controller, and one new one alone is fine. (HAProxy, routed
// through Ingress too: ingress-nginx's proxies, retired, take no newcomer.)
func TestExtraController(t *testing.T) {
	m := modelOf(t, `cloud: azure
region: eastus2
strategies: [proxy]
proxy: {implementation: haproxy}
services:
  - {name: a, protocol: HTTP, port: 80, audience: internet, hosts: [a.example.com]}
  - {name: b, protocol: HTTP, port: 80, audience: internet, hosts: [b.example.com]}
  - {name: c, protocol: HTTP, port: 80, audience: internet, hosts: [c.example.com]}
  - {name: d, protocol: HTTP, port: 80, audience: internet, hosts: [d.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}}
  - {name: e, protocol: HTTP, port: 80, audience: internet, hosts: [e.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: public-nginx}}
`)
	g := func(members ...int) *group { return m.newGroup(kProxy, schemeInternet, members) }
	ab, c, dToday, eToday := g(0, 1), g(2), g(3), g(4)
	dToo := g(2, 3) // d's proxy of today again (in a plan, with other members than the first's)
	for _, tc := range []struct {
		groups     []*group
		want, same *group
	}{
		{[]*group{ab}, nil, nil},                                               // one new controller
		{[]*group{dToday, eToday}, nil, nil},                                   // two of today's, each its own
		{[]*group{ab, c}, c, nil},                                              // two new: the smaller goes
		{[]*group{dToday, ab}, ab, nil},                                        // a new one beside today's
		{[]*group{ab, m.newGroup(kProxy, schemeInternal, []int{2})}, nil, nil}, // schemes apart
		{[]*group{dToday, dToo}, dToo, dToday},                                 // one of today's proxies kept twice: the second is a new one
	} {
		if got, same := m.extraController(tc.groups); got != tc.want || same != tc.same {
			t.Errorf("groups %v: got %v (beside %v), want %v (beside %v)", tc.groups, got, same, tc.want, tc.same)
		}
	}
	// of the second, those that cannot join the first are ruled off the proxy;
	// when each could (only together they cannot), every one
	if got := m.cannotJoin(ab, c); !slices.Equal(got, []ruledOff{{i: 0}, {i: 1}}) {
		t.Errorf("a and b beside c: %v ruled off, want both", got)
	}
	if got := m.cannotJoin(g(3), dToday); len(got) != 1 || got[0].i != 3 || !strings.Contains(got[0].why, "d.example.com") { // d twice: a route of its own again
		t.Errorf("d beside d's proxy: %v ruled off, want d, for its route", got)
	}
}

// The warning of a tied set planned apart names why exposures were ruled
// out: latency budgets, a second proxy controller render cannot add, or both.
func TestRuledOutFor(t *testing.T) {
	m := modelOf(t, azureProxyL4)
	for _, c := range []struct {
		chains, controllers bool
		want                string
	}{
		{true, false, "to meet latency budgets"},
		{false, true, "off a second ingress-nginx controller render cannot add"},
		{true, true, "to meet latency budgets and off a second ingress-nginx controller render cannot add"},
	} {
		m.chainsTightened, m.controllersTightened = c.chains, c.controllers
		if got := m.ruledOutFor(); got != c.want {
			t.Errorf("%+v: %q", c, got)
		}
	}
}

// parseFile parses the declaration file at path, failing the test on an error.
func parseFile(t *testing.T, path string) *Declaration {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(data, filepath.Base(path))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// modelOf is the planner's model of a declaration in YAML.
func modelOf(t *testing.T, declaration string) *model {
	t.Helper()
	d, err := Parse([]byte(declaration), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := newModel(d, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A layer-4 service "on an Ingress" with no load balancer named is not one
// the planner can price today (it was priced as an ALB's rule and panicked):
// validation names the field.
func TestLayer4IngressNeedsItsLoadBalancer(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{
		{Name: "dns", Protocol: ProtoUDP, Port: 53, Audience: AudienceInternet, Current: Ingress},
		{Name: "web", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, Current: Ingress}}}
	if err := Validate(d); err == nil || !strings.Contains(err.Error(), `service "default/dns" (services[0]): field current: a UDP service is not routed by an Ingress`) {
		t.Fatalf("got %v", err)
	}
}

// TLS services of different hosts on one port share a load balancer only
// where it routes TLS by server name (an in-cluster proxy): an NLB Gateway's
// port is one service's. By hand (us-east-1, no traffic): a (TLS 443) and c
// (TCP 5432) on the NLB Gateway, $16.43 of hours and $7.30 of two addresses,
// $23.73; b (TLS 443 of another host) on an NLB of its own, $23.73: $47.46.
func TestTLSByServerNameOnlyWhereRouted(t *testing.T) {
	tls := func(name, host string) Service {
		return Service{Name: name, Protocol: ProtoTLS, Port: 443, Audience: AudienceInternet, Hosts: []string{host}, Needs: []string{NeedTLSPassthrough}}
	}
	decl := func() *Declaration {
		return &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB, StrategyProxy, StrategyGateway},
			Services: []Service{tls("a", "a.example.com"), tls("b", "b.example.com"), {Name: "c", Protocol: ProtoTCP, Port: 5432, Audience: AudienceInternet}}}
	}
	p := mustPlan(t, decl())
	if p.Totals.MonthlyCost.String() != "47.46" {
		t.Fatalf("plan %s, want $47.46", p.Totals.MonthlyCost)
	}
	if a, b := svcByName(t, p, "a"), svcByName(t, p, "b"); a.LoadBalancer == nil || b.LoadBalancer == nil || *a.LoadBalancer == *b.LoadBalancer {
		t.Fatalf("a on %s, b on %s: one NLB port for two services", lbOfRow(a), lbOfRow(b))
	}
	// on today's proxy, which routes them by server name, they share port 443
	d := decl()
	for i := range d.Services[:2] {
		d.Services[i].Current, d.Services[i].CurrentLoadBalancer = Ingress, &CurrentLB{Kind: CurrentProxy, Name: "traefik"}
	}
	d.Proxy = &ProxySizing{Implementation: ProxyTraefik}
	p = mustPlan(t, d)
	if a, b := svcByName(t, p, "a"), svcByName(t, p, "b"); a.LoadBalancer == nil || *a.LoadBalancer != "traefik" || b.LoadBalancer == nil || *b.LoadBalancer != "traefik" {
		t.Fatalf("on today's Traefik: a on %s, b on %s", lbOfRow(a), lbOfRow(b))
	}
	if p.Totals.IncreaseForcedBy != "" {
		t.Fatalf("forced by %q", p.Totals.IncreaseForcedBy)
	}
}

// lbOfRow is the load balancer a service is planned on, "-" for none.
func lbOfRow(row ServicePlan) string {
	if row.LoadBalancer == nil {
		return "-"
	}
	return *row.LoadBalancer
}
