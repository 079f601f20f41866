package planner

import (
	"strings"
	"testing"
)

// retiredCluster is AWS us-east-1, the proxy strategy alone: a, b and c on
// today's ingress-nginx (two pods of 0.1 vCPU and 0.09 GiB), and d as the
// last line gives it (on today's Envoy Gateway, gateway:web/eg, when it
// names it: sized apart).
func retiredCluster(d string) string {
	today := ""
	if strings.Contains(d, "gateway:web/eg") {
		today = `  today: [{name: "gateway:web/eg", implementation: envoy-gateway}]
`
	}
	return `cloud: aws
region: us-east-1
strategies: [proxy]
proxy:
  implementation: ingress-nginx
` + today + `services:
  - {name: a, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [a.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}}
  - {name: b, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [b.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}}
  - {name: c, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [c.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}}
  - ` + d + "\n"
}

// Today's ingress-nginx, retired, takes no service it does not serve today.
// By hand (us-east-1, no traffic): an NLB $16.43 and two addresses $7.30 are
// $23.73 for any proxy; ingress-nginx's pods 146 vCPU-h x $0.04048 = $5.91
// and 131.4 GiB-h x $0.004445 = $0.58 ($30.22 in all), Envoy Gateway's $5.91
// and 730 GiB-h = $3.24 ($32.88).
//   - d on today's Envoy Gateway: today $30.22 + $32.88 = $63.10. It used to
//     move onto ingress-nginx ($30.22); now everything gathers on the Envoy
//     Gateway instead, $32.88, and the plan keeps no retired proxy (so says
//     nothing of the move off one).
//   - d on an NLB of its own: it stays there ($30.22 + $23.73 = $53.95, as
//     today), where it used to join ingress-nginx ($30.22).
func TestRetiredProxyTakesNoNewcomer(t *testing.T) {
	p := mustPlan(t, parseString(t, retiredCluster(`{name: d, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [d.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: "gateway:web/eg"}}`)))
	if p.Totals.MonthlyCost.Dollars() != "$32.88" || p.Totals.CurrentMonthlyCost.Dollars() != "$63.10" {
		t.Fatalf("plan %s, today %s; want $32.88 and $63.10", p.Totals.MonthlyCost.Dollars(), p.Totals.CurrentMonthlyCost.Dollars())
	}
	for _, n := range []string{"a", "b", "c", "d"} {
		if lb := lbOfRow(svcByName(t, p, n)); lb != "gateway:web/eg" {
			t.Errorf("%s on %s, want today's Envoy Gateway", n, lb)
		}
	}
	if w := strings.Join(p.Warnings, "\n"); strings.Contains(w, "off ingress-nginx") || strings.Contains(w, "is retired") {
		t.Errorf("warnings of a plan that runs no retired proxy:\n%s", w)
	}
	p = mustPlan(t, parseString(t, retiredCluster(`{name: d, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [d.example.com], current: LoadBalancer, currentLoadBalancer: {kind: nlb}}`)))
	if p.Totals.MonthlyCost.Dollars() != "$53.95" {
		t.Fatalf("plan %s, want $53.95", p.Totals.MonthlyCost.Dollars())
	}
	if row := svcByName(t, p, "d"); row.Exposure != LoadBalancer || !strings.Contains(row.Reason, "retired") {
		t.Errorf("d: %s on %s (%s); want its own NLB, for ingress-nginx is retired", row.Exposure, lbOfRow(row), row.Reason)
	}
}

// A service whose only way is an in-cluster proxy (pinned to an Ingress,
// proxy the only shared strategy) may still join today's retired one:
// $30.22 (TestRetiredProxyTakesNoNewcomer), not an error.
func TestRetiredProxyOnlyWay(t *testing.T) {
	p := mustPlan(t, parseString(t, retiredCluster(`{name: d, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [d.example.com], pin: Ingress, current: LoadBalancer, currentLoadBalancer: {kind: nlb}}`)))
	if p.Totals.MonthlyCost.Dollars() != "$30.22" || lbOfRow(svcByName(t, p, "d")) != "nginx" {
		t.Fatalf("plan %s, d on %s; want $30.22, on nginx", p.Totals.MonthlyCost.Dollars(), lbOfRow(svcByName(t, p, "d")))
	}
}

// A plain-HTTP catch-all (no hosts) stays off today's Gateway where plain
// HTTP is redirected: a redirect route of every host would take its
// requests. A plain-HTTP service of a host of its own may join.
func TestCatchAllOffRedirectingGateway(t *testing.T) {
	m := modelOf(t, `cloud: aws
region: us-east-1
strategies: [proxy]
proxy: {implementation: envoy-gateway}
services:
  - {name: shop, namespace: web, protocol: HTTPS, port: 80, audience: internet, hosts: [shop.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: "gateway:edge/public", httpFrontend: true, httpRedirect: true}}
  - {name: legacy, namespace: web, protocol: HTTP, port: 80, audience: internet, current: LoadBalancer, currentLoadBalancer: {kind: nlb}}
  - {name: blog, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [blog.example.com], current: LoadBalancer, currentLoadBalancer: {kind: nlb}}
`)
	if why := m.sharedFits(kProxy, []int{0, 1}); !strings.Contains(why, "web/legacy serves plain HTTP for every host, which today's gateway:edge/public redirects") {
		t.Errorf("shop and legacy: %q", why)
	}
	if why := m.sharedFits(kProxy, []int{0, 2}); why != "" {
		t.Errorf("shop and blog: %q", why)
	}
	if why := m.sharedFits(kProxy, []int{1, 2}); why != "" { // a new proxy: no redirect of today
		t.Errorf("legacy and blog: %q", why)
	}
}

// parseString parses a declaration written in a test.
func parseString(t *testing.T, declaration string) *Declaration {
	t.Helper()
	d, err := Parse([]byte(declaration), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// So on a GKE Gateway: by hand (us-central1), three forwarding rules are
// within the first five, $18.25 whichever way; the catch-all takes a GKE
// Ingress of its own (it was put on the Gateway, whose redirect route of
// every host would have taken its requests).
func TestCatchAllOffRedirectingGKEGateway(t *testing.T) {
	d := parseString(t, `cloud: gcp
region: us-central1
services:
  - {name: legacy, namespace: legacy, protocol: HTTP, port: 80, audience: internet, current: LoadBalancer, currentLoadBalancer: {kind: lb, scheme: internet}}
  - {name: blog, namespace: legacy, protocol: HTTP, port: 80, audience: internet, hosts: [blog.example.com], current: LoadBalancer, currentLoadBalancer: {kind: lb, scheme: internet}}
  - {name: shop, namespace: shop, protocol: HTTPS, port: 80, audience: internet, hosts: [shop.example.com], current: Ingress,
     currentLoadBalancer: {kind: gateway, name: "gateway:infra/external", scheme: internet, httpFrontend: true, httpRedirect: true}}
`)
	p := mustPlan(t, d)
	if lb := lbOfRow(svcByName(t, p, "legacy")); lb == "gateway:infra/external" || p.Totals.MonthlyCost.Dollars() != "$18.25" {
		t.Fatalf("legacy on %s, plan %s; want it off the Gateway, $18.25", lb, p.Totals.MonthlyCost.Dollars())
	}
	if lb := lbOfRow(svcByName(t, p, "blog")); lb != "gateway:infra/external" {
		t.Errorf("blog (a host of its own) on %s, want the Gateway", lb)
	}
}

// On bare metal, where addresses are what is scarce, the move off a kept
// retired proxy says how many it would take: today's ingress-nginx keeps a
// (its address), b and c keep theirs (it takes neither), dns its own: four;
// off it, one Envoy Gateway proxy for a, b and c, and dns: two.
func TestRetiredProxyMoveCountsAddresses(t *testing.T) {
	p := mustPlan(t, parseString(t, `cloud: baremetal
region: pool
proxy: {implementation: ingress-nginx}
services:
  - {name: a, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [a.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}}
  - {name: b, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [b.example.com], current: LoadBalancer}
  - {name: c, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [c.example.com], current: LoadBalancer}
  - {name: dns, namespace: infra, protocol: UDP, port: 53, audience: internet, current: LoadBalancer}
`))
	if len(p.LoadBalancers) != 4 {
		t.Fatalf("%d addresses, want 4 (b and c stay off ingress-nginx)", len(p.LoadBalancers))
	}
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "the same as this plan and take 2 pool addresses (this plan 4)") {
		t.Errorf("warnings:\n%s", w)
	}
}

// A canary Ingress of ingress-nginx moves only onto a proxy that reads its
// annotations: today's Traefik (routed by Ingress too) does not, and two
// Ingresses of one path there are two rules, the split gone.
func TestCanaryStaysOffTraefikIngress(t *testing.T) {
	m := modelOf(t, `cloud: aws
region: us-east-1
strategies: [proxy]
proxy:
  implementation: ingress-nginx
  today: [{name: traefik, implementation: traefik}]
services:
  - {name: a, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [a.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}, routedWith: [web/a-canary]}
  - {name: a-canary, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [a.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}, routedWith: [web/a]}
  - {name: b, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [b.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: traefik}}
  - {name: c, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [c.example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: traefik}}
`)
	if why := m.splitConflict(kProxy, "traefik", []int{0, 1, 2, 3}); !strings.Contains(why, "which today's traefik (traefik) does not read") {
		t.Errorf("onto Traefik: %q", why)
	}
	if why := m.splitConflict(kProxy, "nginx", []int{0, 1, 2, 3}); why != "" {
		t.Errorf("on ingress-nginx: %q", why)
	}
}
