package manifests

import (
	"fmt"
	"go.yaml.in/yaml/v3"
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
		for class, kind := range map[string]string{"gke-l7-global-external-managed": planner.CurrentGateway, "aws-alb": planner.CurrentALB} {
			docs := []string{strings.Replace(edgeGateway(redirect), "gke-l7-global-external-managed", class, 1), edgeRoute("shop", "secure"),
				hostRoute("blog", "blog.example.org"), hostRoute("api", "api.example.net")}
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
				if lb == nil || lb.Kind != kind || lb.HTTPFrontend != want || lb.HTTPRedirect != want {
					t.Errorf("%s, %s: %s today %+v; want redirected %v", c.name, class, s.Name, lb, want)
				}
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
		c, _ := costToday(t, Options{Region: "us-central1"}, &planner.ForwardingRules{Global: 5}, docs...)
		return c
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

// ownALBIngress is an Ingress of its own ALB in namespace ns routing host
// name.example.com to Service name, with the given listener annotations.
func ownALBIngress(ns, name, listeners string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Service
metadata: {name: %[2]s, namespace: %[1]s}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %[2]s
  namespace: %[1]s
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing%[3]s
spec:
  ingressClassName: alb
  rules:
    - host: %[2]s.example.com
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: %[2]s, port: {number: 80}}}}]`, ns, name, listeners)
}

const (
	albCert     = "\n    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-east-1:123456789012:certificate/abc"
	albBoth     = "\n    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\": 443}]'"
	albRedirect = "\n    alb.ingress.kubernetes.io/ssl-redirect: '443'"
)

// The AWS Load Balancer Controller puts an Ingress's rules on every listener
// its listen-ports name (HTTPS:443 by default when it has a certificate),
// and ssl-redirect makes the ALB's HTTP listeners redirect: the usual HTTPS
// setup (certificate-arn, both ports, ssl-redirect) is HTTPS, redirected
// from plain HTTP (it was read as plain HTTP); both ports without the
// redirect serve plain HTTP too; a certificate alone is HTTPS only; TLS
// hosts without certificate-arn need listen-ports to name HTTPS (the
// controller's certificate discovery page), else the ALB listens on HTTP.
func TestALBListenersRead(t *testing.T) {
	const tlsHosts = "(tls)"
	for _, c := range []struct {
		name, listeners, proto string
		frontend, redirect     bool
	}{
		{"certificate, both ports, redirect", albCert + albBoth + albRedirect, planner.ProtoHTTPS, true, true},
		{"certificate, both ports", albCert + albBoth, planner.ProtoHTTPS, true, false},
		{"certificate", albCert, planner.ProtoHTTPS, false, false},
		{"nothing", "", planner.ProtoHTTP, false, false},
		{"TLS hosts, HTTPS not listed", tlsHosts, planner.ProtoHTTP, false, false},
		{"TLS hosts, HTTPS listed", tlsHosts + "\n    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\": 443}]'", planner.ProtoHTTPS, false, false},
		{"HTTP only", "\n    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 8080}]'", planner.ProtoHTTP, false, false},
	} {
		doc := ownALBIngress("web", "shop", strings.TrimPrefix(c.listeners, tlsHosts))
		if strings.HasPrefix(c.listeners, tlsHosts) { // certificates the controller discovers by host
			doc = strings.Replace(doc, "  ingressClassName: alb\n", "  ingressClassName: alb\n  tls: [{hosts: [shop.example.com]}]\n", 1)
		}
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(doc + "\n")}}, Options{Region: "us-east-1"})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		s := res.Declaration.Services[0]
		if lb := s.CurrentLoadBalancer; s.Protocol != c.proto || lb == nil || lb.HTTPFrontend != c.frontend || lb.HTTPRedirect != c.redirect {
			t.Errorf("%s: %s on %+v; want %s, plain HTTP frontend %v, redirect %v", c.name, s.Protocol, lb, c.proto, c.frontend, c.redirect)
		}
	}
	res, err := Read([]Source{{Name: "c.yaml", Data: []byte(ownALBIngress("web", "shop", "\n    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\": 8443}]'") + "\n")}}, Options{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(res, "c.yaml:7: Ingress web/shop listens on HTTPS:8443; lbplanner plans HTTP on port 80 and HTTPS on 443") {
		t.Fatalf("HTTPS on 8443: warnings %q", res.Warnings)
	}
	_, err = Read([]Source{{Name: "c.yaml", Data: []byte(ownALBIngress("web", "shop", "\n    alb.ingress.kubernetes.io/listen-ports: 'HTTPS:443'") + "\n")}}, Options{Region: "us-east-1"})
	if err == nil || !strings.Contains(err.Error(), "c.yaml:7") || !strings.Contains(err.Error(), "Ingress web/shop") ||
		!strings.Contains(err.Error(), "alb.ingress.kubernetes.io/listen-ports") || !strings.Contains(err.Error(), "JSON list") {
		t.Fatalf("a listen-ports that is not JSON: %v", err)
	}
}

// Three HTTPS services on ALBs of their own that redirect plain HTTP, and
// a plain-HTTP one on its own ALB: 4 x ($16.43 of hours + $7.30 of two
// addresses) = $94.92 today, without traffic. One ALB's ssl-redirect holds
// for all its HTTP listener, so the plain-HTTP service cannot join the
// others: the plan is two ALBs, $47.46, the three on an IngressGroup whose
// Ingresses listen on both ports and keep ssl-redirect.
func TestALBRedirectKeptAndNotShared(t *testing.T) {
	docs := []string{ownALBIngress("web", "a", albCert+albBoth+albRedirect), ownALBIngress("web", "b", albCert+albBoth+albRedirect),
		ownALBIngress("web", "c", albCert+albBoth+albRedirect), ownALBIngress("web", "plain", "")}
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	alb := []string{planner.StrategyALB} // (an in-cluster proxy, which redirects host by host, would take all four for $32.88)
	res, p := planWithStrategies(t, srcs, opts, alb)
	if *p.Totals.CurrentMonthlyCost != 9492 || p.Totals.MonthlyCost != 4746 {
		t.Fatalf("today %s, plan %s; want 94.92 and 47.46", *p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
	}
	plain := planRow(t, p, "web/plain")
	for _, name := range []string{"a", "b", "c"} {
		row := planRow(t, p, "web/"+name)
		if row.LoadBalancer == nil || plain.LoadBalancer == nil || *row.LoadBalancer == *plain.LoadBalancer ||
			row.Annotations["alb.ingress.kubernetes.io/ssl-redirect"] != "443" || row.Annotations["alb.ingress.kubernetes.io/listen-ports"] != `[{"HTTP":80},{"HTTPS":443}]` {
			t.Fatalf("web/%s planned %+v beside web/plain on %v", name, row, plain.LoadBalancer)
		}
	}
	rendered := mustRender(t, srcs, res, p, opts)
	res2, p2 := planWithStrategies(t, applyRendering(srcs, rendered), opts, alb)
	for _, s := range res2.Declaration.Services {
		if c := s.CurrentLoadBalancer; s.Name != "plain" && (s.Protocol != planner.ProtoHTTPS || c == nil || !c.HTTPRedirect) {
			t.Fatalf("rendered, %s is %s on %+v: want HTTPS redirected from plain HTTP", s.Key(), s.Protocol, c)
		}
	}
	if *p2.Totals.CurrentMonthlyCost != 4746 || p2.Totals.MonthlyCost != 4746 {
		t.Fatalf("rendered: today %s, plan %s; want 47.46", *p2.Totals.CurrentMonthlyCost, p2.Totals.MonthlyCost)
	}
	planRenderReplan(t, "redirecting ALBs, onto a proxy", srcs, opts)
}

// ingress-nginx redirects a TLS host's plain HTTP to HTTPS by default, and
// serves it when its ssl-redirect annotation is "false": read as HTTPS
// served over plain HTTP too, by a redirect or not; a host without TLS is
// plain HTTP.
func TestIngressNginxRedirectsTLSHosts(t *testing.T) {
	docs := []string{classIngress("nginx", "a", true, "", ""),
		classIngress("nginx", "b", true, `, nginx.ingress.kubernetes.io/ssl-redirect: "false"`, ""), classIngress("nginx", "c", false, "", "")}
	res, err := Read([]Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}, Options{Cloud: "aws", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]any{"a": {planner.ProtoHTTPS, true, true}, "b": {planner.ProtoHTTPS, true, false}, "c": {planner.ProtoHTTP, false, false}}
	for _, s := range res.Declaration.Services {
		c := s.CurrentLoadBalancer
		if got := [3]any{s.Protocol, c.HTTPFrontend, c.HTTPRedirect}; c.Kind != planner.CurrentProxy || got != want[s.Name] {
			t.Errorf("%s: %v on %s; want %v", s.Name, got, c.Kind, want[s.Name])
		}
	}
}

// A Gateway render writes for an internal in-cluster proxy gives the
// proxy's Service the cloud's internal annotation (spec.infrastructure),
// which is read back as an internal load balancer: the plan's cost, not an
// internet-facing one's.
func TestInternalProxyGatewayStaysInternal(t *testing.T) {
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join(internalALBIngresses("a", "b", "c"), "\n---\n") + "\n")}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	proxy := []string{planner.StrategyProxy}
	res, p := planWithStrategies(t, srcs, opts, proxy)
	rendered := mustRender(t, srcs, res, p, opts)
	if !regexp.MustCompile(`infrastructure:\n\s+annotations:\n\s+service.beta.kubernetes.io/aws-load-balancer-scheme: internal`).Match(rendered.New) {
		t.Fatalf("want an internal proxy's Gateway:\n%s", rendered.New)
	}
	res2, p2 := planWithStrategies(t, applyRendering(srcs, rendered), opts, proxy)
	for _, s := range res2.Declaration.Services {
		if c := s.CurrentLoadBalancer; c == nil || c.Kind != planner.CurrentProxy || c.Scheme != "internal" {
			t.Fatalf("rendered, %s is on %+v: want an internal proxy", s.Key(), c)
		}
	}
	if *p2.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost {
		t.Fatalf("planned %s; the rendered manifests cost %s today", p.Totals.MonthlyCost, *p2.Totals.CurrentMonthlyCost)
	}
}

// Services moved onto ingress-nginx, which redirects TLS hosts by default,
// keep what plain HTTP got of them: one whose ALB served plain HTTP too gets
// ssl-redirect "false"; one whose ALB redirected needs nothing (and no
// warning); read back, each is as it was.
func TestOntoIngressNginxKeepsPlainHTTP(t *testing.T) {
	docs := []string{ownALBIngress("web", "served", albCert+albBoth), ownALBIngress("web", "redirected", albCert+albBoth+albRedirect),
		`apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: v1
kind: Service
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx, labels: {app.kubernetes.io/name: ingress-nginx}}
spec:
  type: LoadBalancer
  ports: [{name: http, port: 80}, {name: https, port: 443}]`}
	docs = append(docs, nginxIngress("web", "home"))
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	proxy := []string{planner.StrategyProxy}
	res, p := planWithStrategies(t, srcs, opts, proxy)
	rendered := mustRender(t, srcs, res, p, opts)
	if len(rendered.Warnings) > 0 {
		t.Fatalf("warnings: %v", rendered.Warnings)
	}
	res2, _ := planWithStrategies(t, applyRendering(srcs, rendered), opts, proxy)
	want := map[string][3]any{"served": {planner.CurrentProxy, true, false}, "redirected": {planner.CurrentProxy, true, true}, "home": {planner.CurrentProxy, false, false}}
	for _, s := range res2.Declaration.Services {
		c := s.CurrentLoadBalancer
		if w, ok := want[s.Name]; ok && (c == nil || [3]any{c.Kind, c.HTTPFrontend, c.HTTPRedirect} != w) {
			t.Errorf("rendered, %s is on %+v: want %v\n%s", s.Key(), c, w, joined(applyRendering(srcs, rendered)))
		}
	}
}

// Internal services the plan puts behind a new internal in-cluster proxy
// that reads Ingress alone (ingress-nginx, today's internet-facing one's
// kind) go to class nginx-internal, not to today's internet-facing nginx:
// render warns that a second controller must serve it, and the class is
// read back as an internal proxy, at the plan's cost.
func TestNewInternalIngressProxyClass(t *testing.T) {
	docs := []string{`apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}`,
		nginxIngress("web", "home")}
	// pinned to an Ingress, with the proxy strategy alone: a new proxy of
	// today's implementation, ingress-nginx (retired, else gathering none), is their only way
	for _, name := range []string{"a", "b", "c"} {
		docs = append(docs, strings.Replace(internalALBIngresses(name)[0], "metadata: {name: "+name+", namespace: web}", "metadata: {name: "+name+", namespace: web, annotations: {lbplanner.io/pin: Ingress}}", 1))
	}
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	proxy := []string{planner.StrategyProxy}
	res, p := planWithStrategies(t, srcs, opts, proxy)
	if row := planRow(t, p, "web/a"); row.IngressClassName != "nginx-internal" {
		t.Fatalf("web/a planned %+v: want class nginx-internal", row)
	}
	rendered := mustRender(t, srcs, res, p, opts)
	if len(rendered.Warnings) != 1 || !strings.Contains(rendered.Warnings[0], "Ingress class nginx-internal: the plan's new internal in-cluster proxy; deploy a second controller of nginx") {
		t.Fatalf("warnings %q", rendered.Warnings)
	}
	res2, p2 := planWithStrategies(t, applyRendering(srcs, rendered), opts, proxy)
	for _, s := range res2.Declaration.Services {
		if c := s.CurrentLoadBalancer; s.Name != "home" && (c == nil || c.Kind != planner.CurrentProxy || c.Scheme != "internal") {
			t.Fatalf("rendered, %s is on %+v: want an internal proxy", s.Key(), c)
		}
	}
	if *p2.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost {
		t.Fatalf("planned %s; the rendered manifests cost %s today", p.Totals.MonthlyCost, *p2.Totals.CurrentMonthlyCost)
	}
}

// An in-cluster proxy's own Service is priced with the proxy only when that
// proxy serves something: an ingress-nginx controller whose class no
// Ingress has, beside an Envoy Gateway that serves a route, is a load
// balancer billed like any other (an NLB: $16.43 of hours and $7.30 of two
// addresses, $23.73 a month), not left out of today's cost. A plan keeps it
// on a load balancer of its own (pinned, and said): a proxy is never planned
// behind a shared load balancer as if it were an application.
func TestIdleProxyServiceStaysPriced(t *testing.T) {
	envoy := `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: web}
spec:
  gatewayClassName: eg
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
` + serviceDocs("web", "shop") + `
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: web}
spec:
  parentRefs: [{name: edge}]
  hostnames: [shop.example.com]
  rules: [{backendRefs: [{name: shop, port: 80}]}]`
	aws := Options{Cloud: "aws", Region: "us-east-1"}
	with, res := costToday(t, aws, nil, envoy, ingressNginxNLB)
	without, _ := costToday(t, aws, nil, envoy)
	if with-without != 2373 {
		t.Fatalf("today with the idle ingress-nginx Service %s, without %s: want $23.73 between them", with, without)
	}
	if hasWarning(res, "priced with the proxy, not planned") || !hasWarning(res, "Service ingress-nginx/ingress-nginx-controller is an in-cluster proxy's own load balancer, and the proxy routes nothing lbplanner reads: kept on a load balancer of its own (pin: LoadBalancer)") {
		t.Fatalf("warnings %q", res.Warnings)
	}
	if s := res.Declaration.Services[0]; s.Name != "ingress-nginx-controller" || s.Pin != planner.LoadBalancer {
		t.Fatalf("%s pinned to %q, want LoadBalancer", s.Name, s.Pin)
	}
}

// internalALBIngresses are Ingresses of internal ALBs of their own, one for
// each of names in namespace web (ownALBIngress).
func internalALBIngresses(names ...string) []string {
	var docs []string
	for _, name := range names {
		docs = append(docs, strings.Replace(ownALBIngress("web", name, ""), "scheme: internet-facing", "scheme: internal", 1))
	}
	return docs
}

// nginxIngress is ownALBIngress routed by class nginx instead.
func nginxIngress(ns, name string) string {
	return strings.Replace(strings.Replace(ownALBIngress(ns, name, ""), "ingressClassName: alb", "ingressClassName: nginx", 1),
		"alb.ingress.kubernetes.io/scheme: internet-facing", "placeholder: x", 1)
}

// costToday reads manifests and prices today's exposure with the embedded
// catalog (with rules, the project's forwarding rules already in use).
func costToday(t *testing.T, opts Options, rules *planner.ForwardingRules, docs ...string) (money.Cents, *Result) {
	t.Helper()
	res, err := Read([]Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rules != nil {
		res.Declaration.ExistingForwardingRules = rules
	}
	return *computePlan(t, res.Declaration).Totals.CurrentMonthlyCost, res
}

// computePlan plans a declaration with the embedded catalog.
func computePlan(t *testing.T, d *planner.Declaration) *planner.Plan {
	t.Helper()
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Compute(d, cat)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// classIngress is a Service name in namespace web (with the Service's
// metadata extra, ", annotations: {...}") and an Ingress of class routing
// host name.example.com to it, with TLS for that host when tls (its Secret
// name-tls) and annotations (", key: value") beside a placeholder.
func classIngress(class, name string, tls bool, annotations, extra string) string {
	spec := ""
	if tls {
		spec = fmt.Sprintf("\n  tls: [{hosts: [%[1]s.example.com], secretName: %[1]s-tls}]", name)
	}
	return fmt.Sprintf(`apiVersion: v1
kind: Service
metadata: {name: %[1]s, namespace: web%[5]s}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: %[1]s, namespace: web, annotations: {placeholder: x%[4]s}}
spec:
  ingressClassName: %[2]s%[3]s
  rules:
    - host: %[1]s.example.com
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: %[1]s, port: {number: 80}}}}]`, name, class, spec, annotations, extra)
}

// A redirected service that leaves a Gateway for a new ALB Ingress keeps
// its redirect through the plan's listen-ports and ssl-redirect, with no
// warning that it would not.
func TestRedirectOntoANewALBIngress(t *testing.T) {
	docs := []string{`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: web}
spec:
  gatewayClassName: eg
  listeners:
    - {name: http, protocol: HTTP, port: 80}
    - {name: https, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: edge-tls}]}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: to-https, namespace: web}
spec:
  parentRefs: [{name: edge, sectionName: http}]
  rules: [{filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]}]`}
	for _, name := range []string{"a", "b"} {
		docs = append(docs, fmt.Sprintf(`apiVersion: v1
kind: Service
metadata: {name: %[1]s, namespace: web}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: %[1]s, namespace: web}
spec:
  parentRefs: [{name: edge, sectionName: https}]
  hostnames: [%[1]s.example.com]
  rules: [{backendRefs: [{name: %[1]s, port: 80}]}]`, name))
	}
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	alb := []string{planner.StrategyALB}
	res, p := planWithStrategies(t, srcs, opts, alb)
	for _, s := range res.Declaration.Services {
		if c := s.CurrentLoadBalancer; c == nil || !c.HTTPRedirect {
			t.Fatalf("%s today %+v: want redirected", s.Key(), c)
		}
	}
	rendered := mustRender(t, srcs, res, p, opts)
	if len(rendered.Warnings) > 0 || strings.Count(string(rendered.New), "alb.ingress.kubernetes.io/ssl-redirect: \"443\"") != 2 {
		t.Fatalf("warnings %q; new objects:\n%s", rendered.Warnings, rendered.New)
	}
	res2, _ := planWithStrategies(t, applyRendering(srcs, rendered), opts, alb)
	for _, s := range res2.Declaration.Services {
		if c := s.CurrentLoadBalancer; c == nil || c.Kind != planner.CurrentALB || !c.HTTPRedirect {
			t.Fatalf("rendered, %s is on %+v: want an ALB that redirects it", s.Key(), c)
		}
	}
}

// An Istio Gateway with an HTTP server beside its HTTPS one serves its
// routes over plain HTTP too, or redirects them when the HTTP server says
// tls.httpsRedirect.
func TestIstioHTTPServerRead(t *testing.T) {
	for http, want := range map[string][2]bool{
		"": {false, false},
		"\n    - port: {number: 80, name: http, protocol: HTTP}\n      hosts: [shop.example.com]":                                   {true, false},
		"\n    - port: {number: 80, name: http, protocol: HTTP}\n      hosts: [shop.example.com]\n      tls: {httpsRedirect: true}": {true, true},
	} {
		data := `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: edge, namespace: web}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: [shop.example.com]
      tls: {mode: SIMPLE, credentialName: shop-cert}` + http + `
---
` + serviceDocs("web", "shop") + `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: web}
spec:
  hosts: [shop.example.com]
  gateways: [edge]
  http: [{route: [{destination: {host: shop}}]}]
`
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(data)}}, Options{Cloud: "azure", Region: "eastus"})
		if err != nil {
			t.Fatal(err)
		}
		s := res.Declaration.Services[0]
		if c := s.CurrentLoadBalancer; s.Protocol != planner.ProtoHTTPS || c == nil || c.Kind != planner.CurrentProxy || [2]bool{c.HTTPFrontend, c.HTTPRedirect} != want {
			t.Errorf("HTTP server %q: %s on %+v; want plain HTTP frontend, redirect = %v", http, s.Protocol, c, want)
		}
	}
}

// AGIC redirects a TLS host's plain HTTP to HTTPS with its ssl-redirect
// annotation (a port-80 listener that redirects): read as redirected; a
// service moved onto the Application Gateway with a redirect today gets it.
func TestAGICRedirectReadAndKept(t *testing.T) {
	traffic := `, annotations: {lbplanner.io/traffic: "rps=50,gbPerMonth=100"}`
	docs := []string{classIngress("azure-application-gateway", "a", true, `, appgw.ingress.kubernetes.io/ssl-redirect: "true"`, traffic),
		classIngress("azure-application-gateway", "b", true, "", traffic)}
	res, err := Read([]Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}, Options{Cloud: "azure", Region: "eastus"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"a": true, "b": false}
	for _, s := range res.Declaration.Services {
		if c := s.CurrentLoadBalancer; s.Protocol != planner.ProtoHTTPS || c == nil || c.Kind != planner.CurrentAppGW || c.HTTPFrontend != want[s.Name] || c.HTTPRedirect != want[s.Name] {
			t.Errorf("%s: %s on %+v; want redirected %v", s.Name, s.Protocol, c, want[s.Name])
		}
	}
	d := res.Declaration
	d.Services[0].CurrentLoadBalancer = &planner.CurrentLB{Kind: planner.CurrentProxy, Name: "nginx", HTTPFrontend: true, HTTPRedirect: true}
	d.Strategies = []string{planner.StrategyAppGW}
	for i := range d.Services {
		d.Services[i].Pin = planner.Ingress // (a load balancer of its own would cost less)
	}
	p := computePlan(t, d)
	if row := planRow(t, p, "web/a"); row.IngressClassName != "azure-application-gateway" || row.Annotations["appgw.ingress.kubernetes.io/ssl-redirect"] != "true" {
		t.Fatalf("web/a, redirected today, planned %+v: want AGIC's ssl-redirect", row)
	}
	if row := planRow(t, p, "web/b"); row.Annotations["appgw.ingress.kubernetes.io/ssl-redirect"] != "" {
		t.Fatalf("web/b, not redirected today, planned %+v", row)
	}
}

// A new Ingress for an HTTPS service ends TLS with a Secret (name-tls, the
// user's to provide) unless it is an ALB's, whose certificate ACM holds.
func TestNewIngressTLSSecret(t *testing.T) {
	ds := planner.Service{Name: "shop", Namespace: "web", Protocol: planner.ProtoHTTPS, Port: 80, Hosts: []string{"shop.example.com"}}
	for class, want := range map[string]bool{"nginx": true, "": true, "azure-application-gateway": true, "alb": false} {
		out, err := encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{newIngress("web", "shop", planner.ServicePlan{IngressClassName: class}, ds)}}, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(out), "secretName: shop-tls"); got != want {
			t.Errorf("class %q: secretName %v, want %v:\n%s", class, got, want, out)
		}
	}
}

// ingress-nginx configures one server per host: a certificate from any
// Ingress of the class serves every location on the host over HTTPS and
// redirects its plain HTTP, the Ingresses without a tls section for it too
// (unless their ssl-redirect is "false": then plain HTTP is served as well).
// They were read as plain HTTP, so a plan could move them where HTTPS to
// them no longer answers. Another class's TLS for the host changes nothing.
func TestNginxHostTLSFromAnotherIngress(t *testing.T) {
	ingress := func(name, class, extra, tls string) string {
		return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: %[1]s, namespace: shop, annotations: {placeholder: x%[3]s}}
spec:
  ingressClassName: %[2]s%[4]s
  rules: [{host: h0.example.com, http: {paths: [{path: /%[1]s, pathType: Prefix, backend: {service: {name: %[1]s, port: {number: 80}}}}]}}]`, name, class, extra, tls)
	}
	withTLS := "\n  tls: [{hosts: [h0.example.com]}]"
	for _, c := range []struct {
		name, docs         string
		proto              string
		frontend, redirect bool
	}{
		{"redirected", ingress("a", "nginx", "", "") + "\n---\n" + ingress("b", "nginx", "", withTLS), planner.ProtoHTTPS, true, true},
		{"served too", ingress("a", "nginx", `, nginx.ingress.kubernetes.io/ssl-redirect: "false"`, "") + "\n---\n" + ingress("b", "nginx", "", withTLS), planner.ProtoHTTPS, true, false},
		{"another class", ingress("a", "nginx", "", "") + "\n---\n" + ingress("b", "traefik", "", withTLS), planner.ProtoHTTP, false, false},
		// its default backend serves plain HTTP for any other host: not only redirected
		{"default backend", ingress("a", "nginx", "", "\n  defaultBackend: {service: {name: a, port: {number: 80}}}") + "\n---\n" + ingress("b", "nginx", "", withTLS), planner.ProtoHTTPS, true, false},
		{"default backend, served", ingress("a", "nginx", `, nginx.ingress.kubernetes.io/ssl-redirect: "false"`, "\n  defaultBackend: {service: {name: a, port: {number: 80}}}") + "\n---\n" + ingress("b", "nginx", "", withTLS), planner.ProtoHTTPS, true, false},
		{"alone", ingress("a", "nginx", "", ""), planner.ProtoHTTP, false, false},
		// force-ssl-redirect: HTTPS (the controller's default certificate) and plain HTTP redirected, TLS or not
		{"forced", ingress("a", "nginx", `, nginx.ingress.kubernetes.io/force-ssl-redirect: "true"`, ""), planner.ProtoHTTPS, true, true},
		{"forced despite ssl-redirect", ingress("a", "nginx", `, nginx.ingress.kubernetes.io/force-ssl-redirect: "true", nginx.ingress.kubernetes.io/ssl-redirect: "false"`, ""), planner.ProtoHTTPS, true, true},
		{"forced on traefik", ingress("a", "traefik", `, nginx.ingress.kubernetes.io/force-ssl-redirect: "true"`, ""), planner.ProtoHTTP, false, false},
	} {
		data := serviceDocs("shop", "a", "b") + "\n---\n" + c.docs + "\n"
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(data)}}, Options{Cloud: "aws", Region: "us-east-1"})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, s := range res.Declaration.Services {
			if s.Name != "a" {
				continue
			}
			lb := s.CurrentLoadBalancer
			if s.Protocol != c.proto || lb == nil || lb.HTTPFrontend != c.frontend || lb.HTTPRedirect != c.redirect {
				t.Errorf("%s: a read as %s on %+v; want %s, plain HTTP frontend %v, redirected %v", c.name, s.Protocol, lb, c.proto, c.frontend, c.redirect)
			}
		}
	}
}

// A plain-HTTP service moved onto ingress-nginx (today's proxy, for shop/c)
// beside an HTTPS one of its host keeps plain HTTP: its Ingress says ssl-redirect "false", which the
// controller would otherwise apply to it (the host has a certificate), and
// it reads back as served over plain HTTP, not redirected.
func TestPlainHTTPBesideTLSHostOnNginx(t *testing.T) {
	data := ingressNginxDocs + serviceDocs("shop", "a", "b", "c") + `
---
` + ingressDoc("shop", "c", "nginx", "h9.example.com", "/") + `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a, namespace: shop, annotations: {alb.ingress.kubernetes.io/scheme: internet-facing, alb.ingress.kubernetes.io/group.name: shop}}
spec:
  ingressClassName: alb
  rules: [{host: h0.example.com, http: {paths: [{path: /a, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: b, namespace: shop, annotations: {alb.ingress.kubernetes.io/scheme: internet-facing, alb.ingress.kubernetes.io/group.name: shop, alb.ingress.kubernetes.io/listen-ports: '[{"HTTPS": 443}]'}}
spec:
  ingressClassName: alb
  tls: [{hosts: [h0.example.com]}]
  rules: [{host: h0.example.com, http: {paths: [{path: /b, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}]}}]
`
	after, opts := renderedOntoNginx(t, data)
	if out := joined(after); !regexp.MustCompile(`(?s)name: a, namespace: shop, annotations: \{[^}]*nginx.ingress.kubernetes.io/ssl-redirect: "false"`).MatchString(out) {
		t.Fatalf("shop/a's Ingress keeps ingress-nginx's redirect:\n%s", out)
	}
	res2, err := Read(after, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res2.Declaration.Services {
		if s.Name == "a" && (s.CurrentLoadBalancer == nil || s.CurrentLoadBalancer.HTTPRedirect) {
			t.Fatalf("shop/a read back as %+v: redirected", s.CurrentLoadBalancer)
		}
	}
}

// A plain-HTTP service that stays on ingress-nginx keeps plain HTTP when the
// plan brings an HTTPS service of its host there: its Ingress, which render
// otherwise leaves alone, says ssl-redirect "false" (the newcomer's
// certificate would have the controller redirect it).
func TestKeptPlainHTTPBesideNewTLSHost(t *testing.T) {
	data := ingressNginxDocs + serviceDocs("shop", "a", "b") + `
---
` + ingressDoc("shop", "a", "nginx", "h0.example.com", "/a") + `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: b, namespace: shop, annotations: {alb.ingress.kubernetes.io/scheme: internet-facing, alb.ingress.kubernetes.io/listen-ports: '[{"HTTPS": 443}]'}}
spec:
  ingressClassName: alb
  tls: [{hosts: [h0.example.com]}]
  rules: [{host: h0.example.com, http: {paths: [{path: /b, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}]}}]
`
	srcs := []Source{{Name: "c.yaml", Data: []byte(data)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyProxy})
	for _, k := range []string{"shop/a", "shop/b"} {
		if row := planRow(t, p, k); row.LoadBalancer == nil || *row.LoadBalancer != "nginx" {
			t.Fatalf("%s planned %s, want nginx", k, describe(row))
		}
	}
	out := joined(applyRendering(srcs, mustRender(t, srcs, res, p, opts)))
	if !regexp.MustCompile(`name: a\s+namespace: shop\s+annotations:\s+nginx.ingress.kubernetes.io/ssl-redirect: "false"`).MatchString(out) {
		t.Fatalf("shop/a's Ingress would be redirected:\n%s", out)
	}
}

// ingressNginxDocs are ingress-nginx's controller Service (internet-facing)
// and its IngressClass nginx, each followed by a document separator.
const ingressNginxDocs = `apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
spec:
  type: LoadBalancer
  selector: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
  ports: [{name: http, port: 80}, {name: https, port: 443}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
`

// An HTTPS service whose ALB Ingress lists TLS for one of its two hosts (the
// ALB's HTTPS listener ends TLS for both, and redirects plain HTTP for both)
// keeps HTTPS and the redirect on its second host when the plan moves it onto
// ingress-nginx, which ends TLS only for the hosts spec.tls names: render
// adds that host. Without it www.example.com was served over plain HTTP only.
func TestALBTLSHostsCoveredOnNginx(t *testing.T) {
	data := ingressNginxDocs + serviceDocs("shop", "a", "b") + `
---
` + ingressDoc("shop", "b", "nginx", "b.example.com", "/") + `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a, namespace: shop, annotations: {alb.ingress.kubernetes.io/scheme: internet-facing, alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}, {"HTTPS": 443}]', alb.ingress.kubernetes.io/ssl-redirect: '443'}}
spec:
  ingressClassName: alb
  tls: [{hosts: [a.example.com]}]
  rules:
    - {host: a.example.com, http: {paths: [{path: /a, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}
    - {host: www.example.com, http: {paths: [{path: /a, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}
`
	after, opts := renderedOntoNginx(t, data)
	if out := joined(after); !strings.Contains(out, "hosts: [www.example.com], secretName: a-tls") && !regexp.MustCompile(`(?s)- hosts:\s+- www.example.com\s+secretName: a-tls`).MatchString(out) {
		t.Fatalf("Ingress shop/a's TLS leaves www.example.com out:\n%s", out)
	}
	res2, err := Read(after, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res2.Declaration.Services {
		if lb := s.CurrentLoadBalancer; s.Name == "a" && (s.Protocol != planner.ProtoHTTPS || lb == nil || !lb.HTTPFrontend || !lb.HTTPRedirect) {
			t.Fatalf("shop/a read back as %s on %+v: want HTTPS, plain HTTP redirected", s.Protocol, lb)
		}
	}
}

// A plan that moves an HTTPS service redirected by AGIC (shop/svc7) and a
// plain-HTTP one of its host (web/svc13) onto an Application Gateway for
// Containers Gateway with an HTTP listener alone keeps what plain HTTP gets
// of each: render adds the HTTPS listener and a redirect route for the host,
// and pins the plain-HTTP routes already there (shop/svc0, web/svc9, no
// sectionName) to the HTTP listener, which would otherwise serve them over
// HTTPS too. Read back, the redirect is the AGC's (it was dropped: shop/svc7
// read as HTTPS alone, and a replan moved it to Traefik, $161.43 against
// the plan's $163.85).
func TestAGCGatewayListenersKeepProtocols(t *testing.T) {
	srcs := readCluster(t, "azure_eastus2_appgw-redirect-onto-agc-gateway.yaml")
	opts := Options{Cloud: "azure", Region: "eastus2"}
	res, p := planSources(t, srcs, opts)
	for _, k := range []string{"shop/svc7", "web/svc13"} {
		if row := planRow(t, p, k); row.LoadBalancer == nil || *row.LoadBalancer != "gateway:edge/edge" {
			t.Fatalf("%s planned on %v, want gateway:edge/edge", k, describe(row))
		}
	}
	after := applyRendering(srcs, mustRender(t, srcs, res, p, opts))
	res2, err := Read(after, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"shop/svc0": "HTTP", "web/svc9": "HTTP", "web/svc13": "HTTP", "shop/svc7": "HTTPS redirected"}
	for _, s := range res2.Declaration.Services {
		w, ok := want[s.Key()]
		if !ok {
			continue
		}
		got := s.Protocol
		if lb := s.CurrentLoadBalancer; lb != nil && lb.HTTPFrontend {
			got += " served"
			if lb.HTTPRedirect {
				got = s.Protocol + " redirected"
			}
		}
		if got != w || s.CurrentLoadBalancer == nil || s.CurrentLoadBalancer.Kind != planner.CurrentAGC {
			t.Errorf("%s read back as %s on %+v; want %s on the AGC", s.Key(), got, s.CurrentLoadBalancer, w)
		}
	}
}

// renderedOntoNginx plans the manifests data (AWS, the proxy strategy
// alone), which must put shop/a on ingress-nginx, and applies their
// rendering: the manifests after, and the options they are read with.
func renderedOntoNginx(t *testing.T, data string) ([]Source, Options) {
	t.Helper()
	// pinned to an Ingress, with the proxy strategy alone, today's
	// ingress-nginx (retired, else taking no newcomer) is its only way
	data = strings.Replace(data, "kind: Service\nmetadata: {name: a, namespace: shop}", "kind: Service\nmetadata: {name: a, namespace: shop, annotations: {lbplanner.io/pin: Ingress}}", 1)
	srcs := []Source{{Name: "c.yaml", Data: []byte(data)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyProxy})
	if row := planRow(t, p, "shop/a"); row.LoadBalancer == nil || *row.LoadBalancer != "nginx" {
		t.Fatalf("shop/a planned on %v, want nginx", describe(row))
	}
	return applyRendering(srcs, mustRender(t, srcs, res, p, opts)), opts
}
