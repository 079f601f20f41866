package planner

import (
	"strings"
	"testing"
)

// A split between services moves only where it can be written again: one in
// an Ingress's own annotations (a canary Ingress, ALB actions) stays on a
// load balancer of today's kind, an ingress-nginx canary also moving onto an
// ALB (render writes it as a forward action or conditions); one in a Gateway API route moves with the
// route, but not onto ingress-nginx, which splits by canary Ingresses only.
func TestSplitStaysWhereItCanBeWritten(t *testing.T) {
	m := &model{d: &Declaration{Cloud: "aws", Proxy: &ProxySizing{Implementation: ProxyIngressNginx}}}
	nginx := &Service{CurrentLoadBalancer: &CurrentLB{Kind: CurrentProxy, Name: "nginx"}}
	alb := &Service{CurrentLoadBalancer: &CurrentLB{Kind: CurrentALB, Name: "team"}}
	route := &Service{CurrentLoadBalancer: &CurrentLB{Kind: CurrentALB, Name: GatewayPrefix + "edge/edge"}}
	// on a proxy's Ingress too, its split in the route of the Gateway it is also on
	both := &Service{CurrentLoadBalancer: &CurrentLB{Kind: CurrentProxy, Name: "traefik"}, AlsoOn: []CurrentLB{{Kind: CurrentALB, Name: GatewayPrefix + "edge/edge"}}}
	for _, c := range []struct {
		s    *Service
		k    kind
		want string // in the reason, "" when it can
	}{
		{nginx, kProxy, ""},
		{nginx, kALB, ""}, // an ingress-nginx canary Ingress: render writes it as the ALB's
		{alb, kALB, ""},
		{alb, kProxy, "only today's alb controller reads"},
		{route, kALB, ""},
		{both, kALB, ""},
		{route, kProxy, "ingress-nginx splits a path's requests only by a canary Ingress"},
		{&Service{}, kProxy, "ingress-nginx splits"},
	} {
		why := m.splitStays(c.s, c.k)
		if (c.want == "") != (why == "") || !strings.Contains(why, c.want) {
			t.Errorf("%+v onto %s: %q, want %q", c.s.CurrentLoadBalancer, c.k.label(), why, c.want)
		}
	}
	m.d.Proxy.Implementation = ProxyEnvoyGateway // routes on its Gateway: a route's split moves there
	if why := m.splitStays(route, kProxy); why != "" {
		t.Errorf("a route onto Envoy Gateway: %q", why)
	}
	m.d.Proxy.Implementation = ProxyTraefik // a proxy's split other than ingress-nginx's canary stays with it
	if why := m.splitStays(nginx, kALB); !strings.Contains(why, "only today's proxy controller reads") {
		t.Errorf("Traefik's split onto an ALB: %q", why)
	}
}

// The rewrite need keeps a service on a load balancer of today's kind, so it
// names one: without currentLoadBalancer it is an error naming the field;
// with one, every other kind is ruled out for it.
func TestRewriteNeedsTodaysLoadBalancer(t *testing.T) {
	s := web("shop", 0, 0, 0, 0, "shop.example.com")
	s.Needs = []string{NeedRewrite}
	err := Validate(&Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{s}})
	if err == nil || !strings.Contains(err.Error(), "needs: rewrite needs currentLoadBalancer") {
		t.Fatalf("rewrite alone: %v", err)
	}
	s.Current, s.CurrentLoadBalancer = Ingress, &CurrentLB{Kind: CurrentProxy, Name: "nginx"}
	p := mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{s}})
	if row := svcByName(t, p, "shop"); row.LoadBalancer == nil || *row.LoadBalancer != "nginx" {
		t.Fatalf("planned on %v, want today's proxy", row.LoadBalancer)
	}
}

// A service redirected from plain HTTP to HTTPS today moves onto an
// in-cluster proxy only where the redirect can be written: a new proxy of a
// Gateway API implementation, or ingress-nginx's Ingress; not HAProxy's
// Ingress, which render cannot tell to redirect: with the proxy strategy
// alone, two redirected services on ALBs of their own today share a proxy
// that can redirect; with HAProxy nothing takes them (an NLB would pass the
// TLS their ALBs end to pods that speak plain HTTP), which the error says.
func TestRedirectedOnlyOntoAProxyThatRedirects(t *testing.T) {
	declare := func(impl string) *Declaration {
		var svcs []Service
		for _, name := range []string{"a", "b"} {
			s := web(name, 0, 0, 0, 0, name+".example.com")
			s.Current = Ingress
			s.CurrentLoadBalancer = &CurrentLB{Kind: CurrentALB, Name: "shop/" + name, HTTPFrontend: true, HTTPRedirect: true}
			svcs = append(svcs, s)
		}
		return &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyProxy},
			Proxy: &ProxySizing{Implementation: impl}, Services: svcs}
	}
	for _, impl := range []string{ProxyIngressNginx, ProxyEnvoyGateway} {
		p := mustPlan(t, declare(impl))
		if row := svcByName(t, p, "a"); row.LoadBalancer == nil || lbByID(t, p, *row.LoadBalancer).Strategy != StrategyProxy {
			t.Errorf("%s: a on %v, want a proxy: %s", impl, row.LoadBalancer, row.Reason)
		}
	}
	_, err := Compute(declare(ProxyHAProxy), defaultCatalog(t))
	for _, want := range []string{"no exposure satisfies it", "NLB: TLS ends at today's shared load balancer", "which this in-cluster proxy's Ingress cannot say"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("HAProxy: %v, want %q", err, want)
		}
	}
	m := &model{d: &Declaration{Cloud: "aws", Proxy: &ProxySizing{Implementation: ProxyHAProxy}}}
	for name, want := range map[string]bool{"": false, "nginx": true, "nginx-internal": true, "traefik": false, GatewayPrefix + "edge/edge": true} {
		if got := m.proxyRedirects(name); got != want {
			t.Errorf("proxy %q redirects: %v, want %v", name, got, want)
		}
	}
}

// A service whose route must stay as it is (rewrite: a URLRewrite filter)
// keeps a Gateway: the ALB its group shares is today's ALB Gateway, not the
// IngressGroup most of the group is on, whose Ingress would replace the route.
func TestRewriteKeepsItsGateway(t *testing.T) {
	var svcs []Service
	for _, c := range []struct{ name, lb string }{{"a", GatewayPrefix + "edge/edge"}, {"b", "team"}, {"c", "team"}} {
		s := web(c.name, 0, 0, 0, 0, c.name+".example.com")
		s.Current, s.CurrentLoadBalancer = Ingress, &CurrentLB{Kind: CurrentALB, Name: c.lb}
		if c.name == "a" {
			s.Needs = []string{NeedRewrite}
		}
		svcs = append(svcs, s)
	}
	p := mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, Services: svcs})
	for _, name := range []string{"a", "b", "c"} {
		if row := svcByName(t, p, name); row.LoadBalancer == nil || *row.LoadBalancer != GatewayPrefix+"edge/edge" {
			t.Errorf("%s planned on %v, want today's Gateway", name, row.LoadBalancer)
		}
	}
	// one ALB instead of two: 730 h x $0.0225 + 2 IPv4 x 730 h x $0.005
	if got := p.Totals.MonthlyCost.Dollars(); got != "$23.73" {
		t.Errorf("planned %s, want $23.73", got)
	}
}

// An HTTPS service whose TLS a shared load balancer ends today (its pods
// speak plain HTTP) is never planned onto one that passes TLS through: with
// five global forwarding rules and a regional one elsewhere, a GKE Ingress's
// lone service moved to a passthrough load balancer ($7.37 today: the sixth
// global rule $7.30 and its data $0.07; $0.07 in the regional flat tier),
// which would send TLS to pods that do not speak it. Its pods ending TLS
// (tlsPassthrough), or an NLB today, it may.
func TestTLSEndedTodayStaysEnded(t *testing.T) {
	s := web("web", 10, 1, 10, 10, "shop.example.com")
	s.Current, s.CurrentLoadBalancer = Ingress, &CurrentLB{Kind: CurrentGCE, Name: "shop/web"}
	p := mustPlan(t, &Declaration{Cloud: "gcp", Region: "us-central1", Services: []Service{s},
		ExistingForwardingRules: &ForwardingRules{Global: 5, Regional: 1}})
	if row := svcByName(t, p, "web"); row.Exposure != Ingress {
		t.Fatalf("web planned %s on %v: want a load balancer that ends TLS: %s", row.Exposure, row.LoadBalancer, row.Reason)
	}
	if why := tlsEndsToday(&s, kGCPLB); !strings.Contains(why, "would pass TLS through") {
		t.Errorf("passthrough LB: %q", why)
	}
	for _, c := range []CurrentLB{{Kind: CurrentNLB}, {Kind: CurrentGCE, Name: "shop/web"}} {
		o := s
		o.CurrentLoadBalancer = &c
		if c.Kind == CurrentGCE {
			o.Needs = []string{NeedTLSPassthrough}
		}
		if why := tlsEndsToday(&o, kGCPLB); why != "" {
			t.Errorf("%s (needs %v): %q", c.Kind, o.Needs, why)
		}
	}
}

// A service on a load balancer of its own today that needs a static address
// keeps one of its own: its address is that load balancer's, and a shared
// one (an in-cluster proxy's NLB with addresses of its own) has others.
// Needing a static address but on none today, it may share the proxy's.
func TestStaticAddressOfItsOwnStays(t *testing.T) {
	plan := func(current Exposure) *Plan {
		var svcs []Service
		for _, name := range []string{"a", "b", "c"} {
			s := web(name, 1, 1, 1, 1, name+".example.com")
			s.Protocol, s.Port = ProtoHTTP, 80
			s.Needs = []string{NeedStaticIP}
			s.Current = current
			svcs = append(svcs, s)
		}
		return mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyProxy}, Services: svcs})
	}
	if row := svcByName(t, plan(LoadBalancer), "a"); row.Exposure != LoadBalancer || !strings.Contains(row.Reason, "its address is its own load balancer's today") {
		t.Errorf("static on its own today: %s (%s), want a load balancer of its own", row.Exposure, row.Reason)
	}
	if row := svcByName(t, plan(""), "a"); row.Exposure != Ingress {
		t.Errorf("static, new: %s (%s), want the proxy", row.Exposure, row.Reason)
	}
}
