package manifests

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// edgeGateway is a GKE Gateway edge/edge with an HTTP listener (web, port
// 80) and an HTTPS one (secure), and redirect an HTTPRoute on its HTTP
// listener (parentRef extra: ", sectionName: web" or ", port: 80").
func edgeGateway(redirect string) string {
	return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: edge}
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners:
    - {name: web, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
    - {name: secure, protocol: HTTPS, port: 443, allowedRoutes: {namespaces: {from: All}}, tls: {certificateRefs: [{name: edge-tls}]}}
---
` + redirect
}

const shopRedirect = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: to-https, namespace: edge}
spec:
  parentRefs: [{name: edge%s}]
  hostnames: [%s]
  rules:
    - %s
`

// The common HTTP-to-HTTPS redirect of a Gateway (an HTTPRoute on its HTTP
// listener whose rule redirects to scheme https) is read as the HTTPS
// routes of the hosts it covers being served over plain HTTP too, by a
// redirect: a forwarding rule of its own on GCP. Only a redirect of every
// path, attached to the HTTP listener (by sectionName or port), counts.
func TestGatewayRedirectRead(t *testing.T) {
	redirectAll := `filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]`
	for _, c := range []struct {
		name, ref, hosts, rule string
		want                   map[string]bool // service: read as redirected
	}{
		{"exact and wildcard hosts", ", sectionName: web", "shop.example.com, '*.example.org'", redirectAll,
			map[string]bool{"shop": true, "blog": true, "api": false}},
		{"by port", ", port: 80", "shop.example.com", redirectAll, map[string]bool{"shop": true, "blog": false, "api": false}},
		{"every host", ", sectionName: web", "", redirectAll, map[string]bool{"shop": true, "blog": true, "api": true}},
		{"one path only", ", sectionName: web", "shop.example.com", `{matches: [{path: {type: PathPrefix, value: /old}}], ` + strings.TrimPrefix(redirectAll, "") + `}`,
			map[string]bool{"shop": false}},
		{"on the HTTPS listener", ", sectionName: secure", "shop.example.com", redirectAll, map[string]bool{"shop": false}},
		{"to plain HTTP", ", sectionName: web", "shop.example.com", `filters: [{type: RequestRedirect, requestRedirect: {scheme: http, hostname: www.example.com}}]`,
			map[string]bool{"shop": false}},
	} {
		redirect := fmt.Sprintf(shopRedirect, c.ref, c.hosts, c.rule)
		if c.hosts == "" {
			redirect = strings.Replace(redirect, "  hostnames: []\n", "", 1)
		}
		docs := []string{edgeGateway(redirect), edgeRoute("shop", "secure"), hostRoute("blog", "blog.example.org"), hostRoute("api", "api.example.net")}
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}, Options{Region: "us-central1"})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, s := range res.Declaration.Services {
			want, ok := c.want[s.Name]
			if !ok {
				continue
			}
			lb := s.CurrentLoadBalancer
			if lb == nil || lb.Kind != planner.CurrentGateway || lb.HTTPFrontend != want || lb.HTTPRedirect != want {
				t.Errorf("%s: %s today %+v; want redirected %v", c.name, s.Name, lb, want)
			}
		}
	}
}

// hostRoute is edgeRoute for a host of its own.
func hostRoute(name, host string) string {
	return strings.Replace(edgeRoute(name, "secure"), name+".example.com", host, 1)
}

// Today's Gateway with a redirect costs its HTTP listener's forwarding rule:
// with five global rules already in the project, the HTTPS and the HTTP
// rule are 2 x 730 h x $0.01 = $14.60 a month (the load balancer's data
// processing, 10 GB at $0.008 a GiB, is on both sides of the comparison).
// Read without the redirect, today was a rule short.
func TestGatewayRedirectPricedToday(t *testing.T) {
	redirect := fmt.Sprintf(shopRedirect, ", sectionName: web", "shop.example.com", `filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]`)
	cost := func(docs ...string) money.Cents {
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}, Options{Region: "us-central1"})
		if err != nil {
			t.Fatal(err)
		}
		d := res.Declaration
		d.ExistingForwardingRules = &planner.ForwardingRules{Global: 5}
		cat, err := pricing.Default()
		if err != nil {
			t.Fatal(err)
		}
		p, err := planner.Compute(d, cat)
		if err != nil {
			t.Fatal(err)
		}
		return *p.Totals.CurrentMonthlyCost
	}
	with, without := cost(edgeGateway(redirect), edgeRoute("shop", "secure")), cost(edgeGateway(""), edgeRoute("shop", "secure"))
	if with-without != 730 {
		t.Fatalf("today with the redirect %s, without %s: want the redirect's forwarding rule, $7.30, between them", with, without)
	}
	if with != 1460+without-730 || without < 730 {
		t.Fatalf("today with the redirect %s, without %s", with, without)
	}
}

// HTTPS services whose GKE Ingresses redirect plain HTTP to HTTPS (a
// FrontendConfig with redirectToHttps) keep the redirect when the plan
// moves them to a Gateway it adds: their routes attach to its HTTPS
// listener and one new HTTPRoute redirects their hosts on its HTTP listener;
// the rendered manifests are read back as redirecting and cost what the
// plan said.
func TestRedirectMovesWithItsServices(t *testing.T) {
	docs := gkeIngresses(sevenNamespaces, true, `, networking.gke.io/v1beta1.FrontendConfig: to-https`)
	for _, ns := range sevenNamespaces {
		docs = append(docs, fmt.Sprintf(`apiVersion: networking.gke.io/v1beta1
kind: FrontendConfig
metadata: {name: to-https, namespace: %s}
spec:
  redirectToHttps: {enabled: true}`, ns))
	}
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
	opts := Options{Cloud: "gcp", Region: "us-central1"}
	res, p := planSources(t, srcs, opts)
	for _, s := range res.Declaration.Services {
		if c := s.CurrentLoadBalancer; c == nil || !c.HTTPFrontend || !c.HTTPRedirect {
			t.Fatalf("%s today %+v: want a redirect to HTTPS", s.Key(), c)
		}
	}
	rendered := mustRender(t, srcs, res, p, opts)
	out := string(rendered.New)
	var moved []string
	for i, ns := range sevenNamespaces {
		if planRow(t, p, fmt.Sprintf("%s/s%d", ns, i)).GatewayClassName != "" {
			moved = append(moved, fmt.Sprintf(`\s+- s%d\.example\.com\n`, i))
		}
	}
	routes := regexp.MustCompile(`sectionName: https`).FindAllString(out, -1)
	redirect := regexp.MustCompile(`(?s)kind: HTTPRoute\nmetadata:\n\s+name: ([a-z0-9-]+)-https-redirect.*?sectionName: http\n.*?hostnames:\n` + strings.Join(moved, "") +
		`\s+rules:\n\s+- filters:\n\s+- type: RequestRedirect\n\s+requestRedirect:\n\s+scheme: https\n\s+statusCode: 301`)
	if len(moved) < 3 || !strings.Contains(out, "protocol: HTTP\n") || len(routes) != len(moved) || !redirect.MatchString(out) {
		t.Fatalf("want a Gateway with both listeners, the %d moved routes on https and one redirect of their hosts on http:\n%s", len(moved), out)
	}
	res2, _ := planSources(t, applyRendering(srcs, rendered), opts)
	for _, s := range res2.Declaration.Services {
		if c := s.CurrentLoadBalancer; c == nil || !c.HTTPRedirect || (c.Kind == planner.CurrentGateway) != (planRow(t, p, s.Key()).GatewayClassName != "") {
			t.Fatalf("rendered, %s is on %+v: want it redirected where the plan put it", s.Key(), c)
		}
	}
	planRenderReplan(t, "seven redirecting TLS Ingresses", srcs, opts)
}

// A redirecting service moved onto today's Gateway, which does not redirect
// its host, gets a redirect there; one whose host the Gateway redirects
// already needs none.
func TestRedirectOntoTodaysGateway(t *testing.T) {
	redirect := fmt.Sprintf(shopRedirect, ", sectionName: web", "home.example.com, s0.example.com", `filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]`)
	docs := []string{edgeGateway(redirect), edgeRoute("home", "secure"), edgeRoute("cart", "secure")}
	docs = append(docs, gkeIngresses(sevenNamespaces[:6], true, `, networking.gke.io/v1beta1.FrontendConfig: to-https`)...)
	for _, ns := range sevenNamespaces[:6] {
		docs = append(docs, fmt.Sprintf(`apiVersion: networking.gke.io/v1beta1
kind: FrontendConfig
metadata: {name: to-https, namespace: %s}
spec: {redirectToHttps: {enabled: true}}`, ns))
	}
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
	opts := Options{Cloud: "gcp", Region: "us-central1"}
	res, p := planSources(t, srcs, opts)
	rendered := mustRender(t, srcs, res, p, opts)
	out := string(rendered.New)
	_, redirect, _ = strings.Cut(out, "name: edge-https-redirect")
	moved := 0
	for i, ns := range sevenNamespaces[:6] {
		if row := planRow(t, p, fmt.Sprintf("%s/s%d", ns, i)); row.Gateway == "edge/edge" {
			moved++
			if want := fmt.Sprintf("- s%d.example.com", i); i > 0 && !strings.Contains(redirect, want) {
				t.Errorf("s%d moved onto edge/edge without a redirect of its host:\n%s", i, out)
			}
		}
	}
	if moved < 3 {
		t.Fatalf("%d services moved onto edge/edge: want at least three\n%s", moved, out)
	}
	if redirect == "" || strings.Contains(redirect, "- s0.example.com") {
		t.Fatalf("s0.example.com is redirected by edge/edge already:\n%s", out)
	}
	planRenderReplan(t, "redirecting Ingresses onto today's Gateway", srcs, opts)
}
