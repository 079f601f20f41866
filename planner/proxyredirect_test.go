package planner

import (
	"strings"
	"testing"
)

// A proxy that redirects every plain-HTTP request to HTTPS (Traefik's
// entry-point redirection, proxy.redirectsHTTP) takes the HTTPS services
// and never a plain-HTTP one, which it would only redirect: the plain one
// gets a load balancer of its own (the proxy strategy alone enabled). By
// hand (us-east-1): its NLB 730 h x $0.0225 = $16.43 and two public IPv4
// addresses 1,460 h x $0.005 = $7.30 (no traffic): $23.73.
func TestProxyRedirectsHTTP(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyProxy},
		Proxy:    &ProxySizing{Implementation: ProxyTraefik, RedirectsHTTP: true},
		Services: []Service{web("a", 0, 0, 0, 0, "a.example.com"), web("b", 0, 0, 0, 0, "b.example.com"), web("plain", 0, 0, 0, 0, "p.example.com")}}
	d.Services[2].Protocol, d.Services[2].Port = ProtoHTTP, 80
	p := mustPlan(t, d)
	row := svcByName(t, p, "plain")
	if row.Exposure != LoadBalancer || row.MonthlyCost.String() != "23.73" || !strings.Contains(row.Reason, "the proxy redirects every plain-HTTP request to HTTPS (proxy.redirectsHTTP)") {
		t.Fatalf("plain: %s $%s (%s); want its own NLB, $23.73, said why", row.Exposure, row.MonthlyCost, row.Reason)
	}
	for _, n := range []string{"a", "b"} {
		if r := svcByName(t, p, n); r.Exposure != Ingress {
			t.Fatalf("%s: %s, want the proxy", n, r.Exposure)
		}
	}
	d.Proxy.RedirectsHTTP = false
	if r := svcByName(t, mustPlan(t, d), "plain"); r.Exposure != Ingress {
		t.Fatalf("without the redirect: plain on %s, want the proxy", r.Exposure)
	}
	// the field reads from a declaration file, JSON and YAML alike
	for _, src := range []string{`{"cloud": "aws", "region": "us-east-1", "proxy": {"implementation": "traefik", "redirectsHTTP": true}, "services": [{"name": "x", "protocol": "HTTP", "port": 80, "audience": "internet"}]}`,
		"cloud: aws\nregion: us-east-1\nproxy: {implementation: traefik, redirectsHTTP: true}\nservices:\n  - {name: x, protocol: HTTP, port: 80, audience: internet}\n"} {
		got, err := ParseRaw([]byte(src), "d")
		if err != nil || got.Proxy == nil || !got.Proxy.RedirectsHTTP {
			t.Fatalf("%s: %+v, %v", src, got.Proxy, err)
		}
	}
}

// A plan that keeps no service on today's proxy plans the proxies it adds
// as the default implementation (Envoy Gateway), not today's: once today's
// controller goes, a plan of the applied manifests would. Today (us-east-1):
// Traefik (redirecting plain HTTP, one pod of 0.1 vCPU and 0.125 GiB) routes
// d, UDP: its NLB $16.43 + IPv4 $7.30 + 73 vCPU-h x $0.04048 = $2.96 +
// 91.25 GiB-h x $0.004445 = $0.41 = $27.10; a, b and c, plain HTTP, each an
// NLB of its own, $23.73: $98.29. Traefik takes no plain HTTP, and d alone
// costs less on an NLB of its own ($23.73): with Traefik only, $94.92. With
// Envoy Gateway for a, b and c: its NLB $16.43 + IPv4 $7.30 + 146 vCPU-h x
// $0.04048 = $5.91 + 730 GiB-h x $0.004445 = $3.24 = $32.88, and d's NLB:
// $56.61, today's cost as it is, and a warning says why.
func TestNewProxiesMaintained(t *testing.T) {
	one, cpu, mem := 1, Q(1)/10, Q(1)/8
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyProxy},
		Proxy: &ProxySizing{Implementation: ProxyTraefik, RedirectsHTTP: true, Replicas: &one, CPU: &cpu, MemoryGiB: &mem}}
	for _, n := range []string{"a", "b", "c"} {
		s := web(n, 0, 0, 0, 0, n+".example.com")
		s.Protocol, s.Port, s.Current, s.CurrentLoadBalancer = ProtoHTTP, 80, LoadBalancer, &CurrentLB{Kind: CurrentNLB}
		d.Services = append(d.Services, s)
	}
	d.Services = append(d.Services, Service{Name: "d", Protocol: ProtoUDP, Port: 53, Audience: AudienceInternet, Current: Ingress,
		CurrentLoadBalancer: &CurrentLB{Kind: CurrentProxy, Name: "traefik"}})
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost.String() != "56.61" || p.Totals.CurrentMonthlyCost == nil || p.Totals.CurrentMonthlyCost.String() != "98.29" ||
		p.Totals.SavingsVsCurrent.String() != "41.68" {
		t.Fatalf("plan %s, today %v; want $56.61 and $98.29", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	for _, n := range []string{"a", "b", "c"} {
		if row := svcByName(t, p, n); row.Exposure != Ingress || row.GatewayClassName != "eg" {
			t.Fatalf("%s: %s (class %q), want Envoy Gateway's", n, row.Exposure, row.GatewayClassName)
		}
	}
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "the plan keeps no service on today's traefik proxies: the proxies it adds are envoy-gateway, $38.31 less than with traefik") {
		t.Fatalf("warnings %s", w)
	}
	// d kept on Traefik (pinned there): today's implementation prices the plan
	d.Services[3].Pin = Ingress
	if p := mustPlan(t, d); p.Totals.MonthlyCost.String() != "98.29" {
		t.Fatalf("with d on today's Traefik: %s, want $98.29", p.Totals.MonthlyCost)
	}
}

// A host served on two load balancers today (svc10 on a GKE Ingress of its
// own, svc7 and svc3 on ingress-nginx: something in front routes it) may stay
// split when the plan re-plans with Envoy Gateway for the proxies it adds:
// that re-plan forgot today's proxy and tied the host whole, so it missed
// svc10 on a passthrough load balancer of its own and the rest on one Envoy
// proxy, which a plan of the rendered manifests then found. By hand
// (us-central1): Envoy's pods 146 vCPU-h x $0.0445 = $6.50 + 730 GiB-h x
// $0.0049225 = $3.59; six regional forwarding rules $18.25 + 730 h x $0.010
// = $25.55; data 1,795 GB (1,671.724021 GiB) x $0.008 = $13.37, 1,276 GB
// $9.51, 726 GB $5.41: $63.93 (on the GKE Gateway with svc10 on its own
// Ingress, $64.79).
func TestNewProxiesKeepTodaysHostSplit(t *testing.T) {
	d, err := ParseRaw([]byte(`cloud: gcp
region: us-central1
proxy: {implementation: ingress-nginx}
services:
  - {name: svc10, namespace: shop, protocol: HTTP, port: 80, audience: internet, hosts: [h1.example.com, www0.example.com], paths: [/p8/x10],
     traffic: {requestsPerSecond: 18, gbPerMonth: 1795}, current: Ingress, currentLoadBalancer: {kind: gce, name: shop/svc10, scheme: internet}}
  - {name: svc4, namespace: shop, protocol: UDP, port: 5004, audience: internet, traffic: {requestsPerSecond: 168, gbPerMonth: 1276},
     needs: [clientIP, staticIP], current: LoadBalancer, currentLoadBalancer: {kind: lb, scheme: internet}}
  - {name: svc7, namespace: shop, protocol: HTTPS, port: 80, audience: internet, hosts: [h1.example.com], paths: [/p7], current: Ingress,
     currentLoadBalancer: {kind: proxy, name: nginx, scheme: internet, httpFrontend: true, httpRedirect: true}}
  - {name: svc1, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [g1.example.com], paths: [=/p1], current: Ingress,
     currentLoadBalancer: {kind: gateway, name: "gateway:edge/edge", scheme: internet}, routedWith: [web/svc1-canary]}
  - {name: svc1-canary, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [g1.example.com], paths: [=/p1], current: Ingress,
     currentLoadBalancer: {kind: gateway, name: "gateway:edge/edge", scheme: internet}, routedWith: [web/svc1]}
  - {name: svc2, namespace: web, protocol: TCP, port: 5002, audience: vpc, needs: [clientIP, staticIP], current: LoadBalancer,
     currentLoadBalancer: {kind: lb, scheme: internal, accessPolicy: source-ranges=192.168.0.0/16}, ports: [{port: 5002, protocol: TCP}, {port: 5003, protocol: UDP}]}
  - {name: svc3, namespace: web, protocol: HTTPS, port: 80, audience: internet, hosts: [h1.example.com], paths: [/p3], current: Ingress,
     currentLoadBalancer: {kind: proxy, name: nginx, scheme: internet, httpFrontend: true, httpRedirect: true}}
  - {name: svc6, namespace: web, protocol: HTTPS, port: 80, audience: internet, hosts: [h2.example.com], paths: [/p6], current: Ingress,
     currentLoadBalancer: {kind: proxy, name: nginx, scheme: internet, httpFrontend: true, httpRedirect: true}}
  - {name: svc9, namespace: web, protocol: TCP, port: 5009, audience: internet, traffic: {requestsPerSecond: 335, gbPerMonth: 726}, current: Ingress,
     currentLoadBalancer: {kind: proxy, name: nginx, scheme: internet}}
`), "split.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost.String() != "63.93" || p.Optimality != "exact" {
		t.Fatalf("plan %s (%s), want $63.93 exactly", p.Totals.MonthlyCost, p.Optimality)
	}
	if row := svcByName(t, p, "svc10"); row.Exposure != LoadBalancer {
		t.Fatalf("svc10: %s, want a load balancer of its own", row.Exposure)
	}
	for _, n := range []string{"svc7", "svc3", "svc6", "svc1", "svc1-canary"} {
		if row := svcByName(t, p, n); row.GatewayClassName != "eg" {
			t.Fatalf("%s: %s on %v (class %q), want Envoy Gateway's", n, row.Exposure, row.LoadBalancer, row.GatewayClassName)
		}
	}
}

// A plan that keeps today's proxies of a retired implementation (here:
// ingress-nginx, which a canary Ingress binds its services to) keeps what
// exists, and says what the services would cost off it, planned anew with
// Envoy Gateway for the proxies it adds. By hand (Azure eastus, proxies
// alone): kept, three ingress-nginx pods of 1 vCPU and 1 GiB, 2,190 vCPU-h x
// $0.0405 = $88.70 and 2,190 GiB-h x $0.00445 = $9.75, the public IP 730 h x
// $0.005 = $3.65 and 20 GB x $0.005 = $0.10: $102.20; off it, Envoy
// Gateway's two pods of 0.1 vCPU and 0.5 GiB, 146 vCPU-h = $5.91 and 730
// GiB-h = $3.25, the same IP and data: $12.91, $89.29 less.
func TestRetiredProxyMoveCosted(t *testing.T) {
	three, cpu, mem := 3, Q(1), Q(1)
	nginx := func(name, host string) Service {
		return Service{Name: name, Namespace: "shop", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, Hosts: []string{host},
			Current: Ingress, CurrentLoadBalancer: &CurrentLB{Kind: CurrentProxy, Name: "nginx"}}
	}
	d := &Declaration{Cloud: "azure", Region: "eastus", Strategies: []string{StrategyProxy},
		Proxy:    &ProxySizing{Implementation: ProxyIngressNginx, Replicas: &three, CPU: &cpu, MemoryGiB: &mem},
		Services: []Service{nginx("api", "api.example.com"), nginx("web", "web.example.com"), nginx("web-canary", "web.example.com")}}
	d.Services[0].Traffic.GBPerMonth, d.Services[1].Traffic.GBPerMonth = Q(10), Q(10)
	d.Services[1].RoutedWith, d.Services[2].RoutedWith = []string{"shop/web-canary"}, []string{"shop/web"}
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost.Dollars() != "$102.20" {
		t.Fatalf("plan %s, want today's $102.20 kept", p.Totals.MonthlyCost)
	}
	want := "off ingress-nginx (retired): planned without today's ingress-nginx proxies (the proxies it adds envoy-gateway), the services would cost $12.91 a month, $89.29 less than this plan"
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, want) {
		t.Fatalf("warnings:\n%s\nwant %q", w, want)
	}
	// asked for (proxy.replaceToday), the plan is the move off it: $12.91,
	// today's cost still ingress-nginx's
	d.Proxy = &ProxySizing{Implementation: ProxyIngressNginx, Replicas: &three, CPU: &cpu, MemoryGiB: &mem, ReplaceToday: true}
	d.proxyNormalised = false
	p = mustPlan(t, d)
	if p.Totals.MonthlyCost.Dollars() != "$12.91" || p.Totals.CurrentMonthlyCost.Dollars() != "$102.20" || p.Totals.IncreaseForcedBy != "" {
		t.Fatalf("replaced: plan %s, today %s, forced by %q; want $12.91 and $102.20", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost, p.Totals.IncreaseForcedBy)
	}
	want = "the plan moves every service off today's ingress-nginx proxies (proxy.replaceToday): the proxies it adds are envoy-gateway, $89.29 less than with ingress-nginx"
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, want) {
		t.Fatalf("replaced: warnings:\n%s\nwant %q", w, want)
	}
	if row := svcByName(t, p, "web-canary"); row.GatewayClassName != "eg" {
		t.Fatalf("web-canary on %s (class %q), want Envoy Gateway's", lbOfRow(row), row.GatewayClassName)
	}
}

// Replacing today's proxies when keeping them is cheaper: the plan costs
// more than today and says which declared need forces it. By hand
// (us-east-1, proxies alone, no traffic, three services on it): today one
// ingress-nginx pod of 0.1 vCPU and 0.09 GiB (73 vCPU-h x $0.04048 = $2.96,
// 65.7 GiB-h x $0.004445 = $0.29) and its NLB and addresses $23.73: $26.98;
// replaced, Envoy Gateway's two pods (146 vCPU-h = $5.91, 730 GiB-h = $3.24)
// and the same NLB: $32.88 (an NLB each would be $71.19), $5.90 more.
func TestReplaceTodayCostingMore(t *testing.T) {
	one := 1
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyProxy},
		Proxy: &ProxySizing{Implementation: ProxyIngressNginx, Replicas: &one, ReplaceToday: true}}
	for _, n := range []string{"a", "b", "c"} {
		d.Services = append(d.Services, Service{Name: n, Namespace: "shop", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, Hosts: []string{n + ".example.com"},
			Current: Ingress, CurrentLoadBalancer: &CurrentLB{Kind: CurrentProxy, Name: "nginx"}})
	}
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost.Dollars() != "$32.88" || p.Totals.CurrentMonthlyCost.Dollars() != "$26.98" ||
		p.Totals.IncreaseForcedBy != "proxy.replaceToday: today's ingress-nginx proxies replaced" {
		t.Fatalf("plan %s, today %s, forced by %q", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost, p.Totals.IncreaseForcedBy)
	}
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "envoy-gateway, $5.90 more than with ingress-nginx") {
		t.Fatalf("warnings:\n%s", w)
	}
}

// A new proxy takes the name of today's Gateway of the implementation that
// the plan empties (a tie: a new Gateway costs the same), keeping its address
// rather than deleting it and adding another. By hand (us-east-1, proxies
// alone, no traffic): a leaves Envoy Gateway edge/eg for an NLB of its own
// (pinned), $23.73; b and c, on NLBs of their own today, share the proxy:
// its NLB $23.73 and Envoy's two pods (146 vCPU-h x $0.04048 = $5.91, 730
// GiB-h x $0.004445 = $3.24): $32.88; $56.61 in all.
func TestNewProxyAdoptsTodaysGateway(t *testing.T) {
	own := func(name string) Service {
		return Service{Name: name, Namespace: "shop", Protocol: ProtoHTTP, Port: 80, Audience: AudienceInternet, Hosts: []string{name + ".example.com"},
			Current: LoadBalancer, CurrentLoadBalancer: &CurrentLB{Kind: CurrentNLB}}
	}
	a := own("a")
	a.Current, a.CurrentLoadBalancer, a.Pin = Ingress, &CurrentLB{Kind: CurrentProxy, Name: GatewayPrefix + "edge/eg"}, LoadBalancer
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyProxy}, Proxy: &ProxySizing{Implementation: ProxyEnvoyGateway},
		Services: []Service{a, own("b"), own("c")}}
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost.Dollars() != "$56.61" {
		t.Fatalf("plan %s, want $56.61", p.Totals.MonthlyCost)
	}
	for _, n := range []string{"b", "c"} {
		if row := svcByName(t, p, n); lbOfRow(row) != GatewayPrefix+"edge/eg" || row.Gateway != "edge/eg" || row.GatewayClassName != "" {
			t.Fatalf("%s on %s (Gateway %q, class %q), want today's Gateway edge/eg", n, lbOfRow(row), row.Gateway, row.GatewayClassName)
		}
	}
}
