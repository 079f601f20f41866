package planner

import (
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// twoProxies is a cluster moving from ingress-nginx to Envoy Gateway: a
// service on each, both kept by their rewrites, ingress-nginx's three pods
// sized apart (proxy.today).
const twoProxies = `cloud: aws
region: us-east-1
proxy:
  implementation: envoy-gateway
  today:
    - {name: nginx, implementation: ingress-nginx, replicas: 3}
services:
  - {name: blog, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [blog.example.com], needs: [rewrite], current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}}
  - {name: shop, namespace: web, protocol: HTTP, port: 80, audience: internet, hosts: [shop.example.com], needs: [rewrite], current: Ingress, currentLoadBalancer: {kind: proxy, name: "gateway:edge/edge"}}
`

// Each of today's proxies is priced with its own pods. By hand (us-east-1,
// 730 h): each proxy's NLB $16.43 and two IPv4 addresses $7.30; Envoy
// Gateway's two pods of 0.1 vCPU and 0.5 GiB (146 vCPU-h x $0.04048 =
// $5.91, 730 GiB-h x $0.004445 = $3.24), $32.88; ingress-nginx's three of
// 0.1 vCPU (219 vCPU-h = $8.87) and its chart's 0.09 GiB (197.1 GiB-h =
// $0.88), $33.48. Today and planned, $66.36; with one sizing for both, as
// before, $65.76 (ingress-nginx's pods priced as Envoy's).
func TestTodaysProxySizedApart(t *testing.T) {
	d, err := Parse([]byte(twoProxies), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost.String() != "66.36" || p.Totals.CurrentMonthlyCost == nil || p.Totals.CurrentMonthlyCost.String() != "66.36" {
		t.Fatalf("plan %s, today %v; want $66.36 both", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	for id, want := range map[string]string{"nginx": "proxy vCPU (3 x 0.1 vCPU) 8.87|proxy memory (3 x 0.09 GiB) 0.88", "gateway:edge/edge": "proxy vCPU (2 x 0.1 vCPU) 5.91|proxy memory (2 x 0.5 GiB) 3.24"} {
		lb := lbByID(t, p, id)
		n := len(lb.Costs)
		if got := lb.Costs[n-2].Name + " " + lb.Costs[n-2].MonthlyCost.String() + "|" + lb.Costs[n-1].Name + " " + lb.Costs[n-1].MonthlyCost.String(); got != want {
			t.Errorf("%s's pods: %s, want %s", id, got, want)
		}
	}
	if !strings.Contains(strings.Join(p.Warnings, "\n"), "ingress-nginx is retired") {
		t.Errorf("ingress-nginx kept, its retirement not warned of: %v", p.Warnings)
	}
}

// A service that may move leaves today's ingress-nginx for the Envoy
// Gateway (no rewrite keeps it): the plan prices the Gateway alone,
// $32.88, and saves all of ingress-nginx's $33.48; nothing warns of
// ingress-nginx, which the plan no longer runs.
func TestTodaysProxySizedApartLeft(t *testing.T) {
	d, err := Parse([]byte(strings.Replace(twoProxies, "hosts: [blog.example.com], needs: [rewrite],", "hosts: [blog.example.com],", 1)), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost.String() != "32.88" || p.Totals.CurrentMonthlyCost.String() != "66.36" || len(p.LoadBalancers) != 1 {
		t.Fatalf("plan %s on %d load balancers, today %v; want $32.88 on the Gateway, $66.36", p.Totals.MonthlyCost, len(p.LoadBalancers), p.Totals.CurrentMonthlyCost)
	}
	if strings.Contains(strings.Join(p.Warnings, "\n"), "ingress-nginx is retired") {
		t.Errorf("warns of an ingress-nginx the plan does not run: %v", p.Warnings)
	}
}

// proxy.today is checked: each entry names a proxy a service is on today,
// once, with a known implementation and replicas in range.
func TestTodaysProxyValidated(t *testing.T) {
	for _, c := range []struct{ entry, want string }{
		{"{name: nginx-internal}", `proxy.today[0].name: no service is on an in-cluster proxy "nginx-internal" today`},
		{"{implementation: traefik}", "proxy.today[0].name: required"},
		{"{name: nginx}\n    - {name: nginx}", `proxy.today[1].name: "nginx" is sized twice`},
		{"{name: nginx, implementation: caddy}", `proxy.today[0].implementation: unknown implementation "caddy"`},
		{"{name: nginx, replicas: 0}", "proxy.today[0].replicas: want 1 to 1000, got 0"},
	} {
		src := strings.Replace(twoProxies, "{name: nginx, implementation: ingress-nginx, replicas: 3}", c.entry, 1)
		_, err := Parse([]byte(src), "d.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.entry, err, c.want)
		}
	}
}

// An entry of an implementation without sourced pod requests is priced at
// 0, with a warning naming the entry, when the plan keeps its proxy.
func TestTodaysProxyUnsized(t *testing.T) {
	d, err := Parse([]byte(strings.Replace(twoProxies, "{name: nginx, implementation: ingress-nginx, replicas: 3}", "{name: nginx, implementation: traefik}", 1)), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, d)
	// $32.88 for the Gateway, $23.73 for traefik's NLB and addresses
	if p.Totals.MonthlyCost.String() != "56.61" || !strings.Contains(strings.Join(p.Warnings, "\n"), "nginx, traefik: the Traefik chart sets no resource requests: declare proxy.today[0].cpu and .memoryGiB to price its pods (priced at 0 until then)") {
		t.Errorf("plan %s, warnings %v", p.Totals.MonthlyCost, p.Warnings)
	}
}

// On AKS each proxy's Service is a rule per port on the cluster's load
// balancer: ingress-nginx's listens on 80 and 443 whatever it routes, an
// Envoy Gateway's on its listeners. With four rules there already (the
// outbound rule's among them), ingress-nginx's two and the Gateway's one
// make seven, two past the fifth: 2 x 730 h x $0.01 = $14.60 (it counted
// ingress-nginx's as the Gateway's, one, $7.30). With two public IPs ($7.30)
// and the pods (Envoy's 146 vCPU-h x $0.0405 = $5.91 and 730 GiB-h x
// $0.00445 = $3.25; ingress-nginx's $5.91 and 131.4 GiB-h = $0.58): $37.55.
func TestTodaysProxyRulesByImplementation(t *testing.T) {
	src := strings.NewReplacer("cloud: aws", "cloud: azure", "region: us-east-1", "region: eastus\nexistingLoadBalancerRules: {public: 4}", "replicas: 3", "replicas: 2").Replace(twoProxies)
	d, err := Parse([]byte(src), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, d)
	if p.Totals.MonthlyCost.String() != "37.55" || p.Totals.CurrentMonthlyCost.String() != "37.55" {
		t.Errorf("plan %s, today %s; want $37.55", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
}

// A plan that runs no proxy of a retired implementation warns of none: the
// AKS application routing NGINX (ingress-nginx) of today is left for the
// Application Gateway another service keeps (it warned of the retirement,
// "replace it", of a proxy the plan no longer runs).
func TestRetiredProxyLeftNotWarned(t *testing.T) {
	d, err := Parse([]byte(`cloud: azure
region: eastus
proxy: {implementation: ingress-nginx}
services:
  - {name: portal, namespace: web, protocol: HTTPS, port: 443, audience: internet, hosts: [portal.contoso.com], needs: [rewrite], current: Ingress, currentLoadBalancer: {kind: appgw, name: azure-application-gateway}}
  - {name: docs, namespace: docs, protocol: HTTP, port: 80, audience: internet, hosts: [docs.contoso.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: webapprouting.kubernetes.azure.com}}
`), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, d)
	if row := p.Services[0]; row.Name != "docs" || row.LoadBalancer == nil || *row.LoadBalancer != "azure-application-gateway" {
		t.Fatalf("docs planned on %v", row.LoadBalancer)
	}
	if w := strings.Join(p.Warnings, "\n"); strings.Contains(w, "ingress-nginx is retired") {
		t.Errorf("warnings: %s", w)
	}
}

// The cost of a move off today's proxies is said as more, less or the same
// (it said "$0.00 more" of a move that costs the same).
func TestComparedTo(t *testing.T) {
	for diff, want := range map[money.Cents]string{1234: "$12.34 more than", -5: "$0.05 less than", 0: "the same as"} {
		if got := comparedTo(diff); got != want {
			t.Errorf("%d: %q, want %q", diff, got, want)
		}
	}
}
