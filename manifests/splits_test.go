package manifests

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// headerCanaryCluster is an Envoy Gateway whose HTTPRoute sends /api
// requests carrying x-canary: 1 to api-canary (matchHeaders: the match's
// extra fields), the other /api requests to api and the rest to front.
func headerCanaryCluster(matchHeaders string) []Source {
	return []Source{{Name: "c.yaml", Data: []byte(envoyGateway("infra", "web",
		"{name: https, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {certificateRefs: [{name: shop-tls}]}, allowedRoutes: {namespaces: {from: All}}}") + `
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: shop}
spec:
  parentRefs: [{name: web, namespace: infra}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: front, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: api, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}` + matchHeaders + `}]
    backendRefs: [{name: api-canary, port: 80}]

---
` + serviceDocs("shop", "api", "api-canary", "front") + `
---
apiVersion: v1
kind: Service
metadata: {name: envoy-web, namespace: envoy-gateway-system, labels: {gateway.envoyproxy.io/owning-gateway-name: web, gateway.envoyproxy.io/owning-gateway-namespace: infra}}
spec: {type: LoadBalancer, selector: {app: envoy}, ports: [{port: 443}]}
`)}}
}

// A header-matched canary shares its path with the service it canaries:
// read as routed with it, the two stay on one load balancer. They were read
// as two services claiming one host and path, and planned on two NLBs
// ($47.46 against $32.88 today), which also lost the header's routing.
func TestHeaderCanaryRoutedTogether(t *testing.T) {
	srcs := headerCanaryCluster(`, headers: [{name: x-canary, value: "1"}]`)
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	for _, s := range res.Declaration.Services {
		want := map[string][]string{"api": {"shop/api-canary"}, "api-canary": {"shop/api"}}[s.Name]
		if !slices.Equal(s.RoutedWith, want) {
			t.Errorf("%s routedWith %v, want %v", s.Key(), s.RoutedWith, want)
		}
	}
	// by hand, us-east-1, 2 zones, no traffic: today the Envoy proxy's NLB
	// (730 h x $0.0225 = $16.43, 2 public IPv4 x 730 h x $0.005 = $7.30) and
	// its two pods (2 x 730 h x (0.1 vCPU x $0.04048 + 0.5 GiB x $0.004445)
	// = $9.15): $32.88; planned, one ALB: $16.43 + $7.30 = $23.73
	if got := p.Totals.CurrentMonthlyCost.Dollars(); got != "$32.88" {
		t.Errorf("today %s, want $32.88", got)
	}
	if got := p.Totals.MonthlyCost.Dollars(); got != "$23.73" {
		t.Errorf("planned %s, want $23.73", got)
	}
	lb := planRow(t, p, "shop/api").LoadBalancer
	for _, k := range []string{"shop/api-canary", "shop/front"} {
		if other := planRow(t, p, k).LoadBalancer; lb == nil || other == nil || *other != *lb {
			t.Errorf("%s on %v, shop/api on %v: want one load balancer", k, other, lb)
		}
	}
	for _, w := range p.Warnings {
		if strings.Contains(w, "cannot share one load balancer") {
			t.Errorf("warning %q", w)
		}
	}
}

// Onto an ALB, the header match becomes the conditions of a path of its own,
// ahead of the path's other rule; read back, the ALB's rules are routed
// together again and the plan is the same.
func TestHeaderCanaryOntoAnALB(t *testing.T) {
	srcs := headerCanaryCluster(`, headers: [{name: x-canary, value: "1"}], method: GET`)
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	out := string(mustRender(t, srcs, res, p, opts).New)
	conds := `alb.ingress.kubernetes.io/conditions.api-3-1: '[{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"x-canary","values":["1"]}},{"field":"http-request-method","httpRequestMethodConfig":{"values":["GET"]}}]'`
	canary, plain := strings.Index(out, "name: api-3-1\n"), strings.Index(out, "name: api-2\n")
	if !strings.Contains(out, conds) || canary < 0 || plain < 0 || canary > plain {
		t.Fatalf("want the canary's path (action api-3-1, with its conditions) before /api's other rule (api-2):\n%s", out)
	}
	planRenderReplan(t, "a header canary onto an ALB", srcs, opts)
	res2, _ := planSources(t, applyRendering(srcs, mustRender(t, srcs, res, p, opts)), opts)
	for _, s := range res2.Declaration.Services {
		if s.Name == "api" && !slices.Equal(s.RoutedWith, []string{"shop/api-canary"}) {
			t.Errorf("read back from the ALB, shop/api routedWith %v", s.RoutedWith)
		}
	}
}

// A match no Ingress tests (a regular expression) sets the rewrite need:
// the canary stays on today's Gateway with its route. It was planned onto
// an ALB (which costs less than the proxy, $23.73 against $32.88), which
// render could not write: it left the route to be moved by hand.
func TestRegexHeaderCanaryStaysOnItsGateway(t *testing.T) {
	srcs := headerCanaryCluster(`, headers: [{type: RegularExpression, name: x-canary, value: "t.*"}]`)
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	for _, k := range []string{"shop/api", "shop/api-canary"} {
		if row := planRow(t, p, k); row.Gateway == "" || row.IngressClassName == "alb" {
			t.Fatalf("%s planned on %s: want today's Gateway", k, describe(row))
		}
	}
	if p.Totals.MonthlyCost.Dollars() != "$32.88" {
		t.Fatalf("planned %s, want $32.88 (today's)", p.Totals.MonthlyCost)
	}
	r := mustRender(t, srcs, res, p, opts)
	if slices.ContainsFunc(r.Changes, func(c string) bool { return strings.Contains(c, "left as it is") }) || strings.Contains(string(r.New), "conditions.") {
		t.Fatalf("want the route kept on its Gateway, no conditions written: %v\n%s", r.Changes, r.New)
	}
}

func TestALBConditions(t *testing.T) {
	for _, c := range []struct {
		match  string
		hosted bool
		conds  string
		rank   [3]int
		ok     bool
	}{
		{`{path: {value: /a}}`, true, "", [3]int{}, true},
		{`{headers: [{name: h, value: v}], queryParams: [{name: q, value: "1"}]}`, true,
			`[{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"h","values":["v"]}},{"field":"query-string","queryStringConfig":{"values":[{"key":"q","value":"1"}]}}]`, [3]int{0, 1, 1}, true},
		{`{headers: [{name: h, value: "v*"}]}`, false, "", [3]int{}, false},                                                          // an ALB wildcard
		{`{queryParams: [{type: RegularExpression, name: q, value: x}]}`, false, "", [3]int{}, false},                                // a regular expression
		{`{headers: [{name: a, value: "1"}, {name: b, value: "2"}, {name: c, value: "3"}], method: GET}`, true, "", [3]int{}, false}, // 6 evaluations
		{`{headers: [{name: a, value: "1"}, {name: b, value: "2"}, {name: c, value: "3"}], method: GET}`, false,
			`[{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"a","values":["1"]}},{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"b","values":["2"]}},{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"c","values":["3"]}},{"field":"http-request-method","httpRequestMethodConfig":{"values":["GET"]}}]`,
			[3]int{1, 3, 0}, true},
	} {
		n := parseNode(t, c.match)
		conds, rank, ok := albConditions(n, c.hosted)
		if ok != c.ok || (ok && (conds != c.conds || rank != c.rank)) {
			t.Errorf("%s (hosted %v): %q %v %v, want %q %v %v", c.match, c.hosted, conds, rank, ok, c.conds, c.rank, c.ok)
		}
	}
}

// nginxCanaryCluster is ingress-nginx serving shop.example.com from web, and
// a canary Ingress (canary: the annotations after canary: "true") sending
// some of its requests to web-canary.
func nginxCanaryCluster(canary string) []Source {
	return []Source{{Name: "c.yaml", Data: []byte(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
  - host: shop.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web-canary
  namespace: shop
  annotations: {nginx.ingress.kubernetes.io/canary: "true"` + canary + `}
spec:
  ingressClassName: nginx
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
  - host: shop.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web-canary, port: {number: 80}}}}]}

---
` + serviceDocs("shop", "web", "web-canary") + `
---
apiVersion: v1
kind: Service
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx, labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}}
spec: {type: LoadBalancer, selector: {app: x}, ports: [{port: 443}]}
`)}}
}

// An ingress-nginx canary Ingress takes some of its host and path's
// requests: its service is routed with the main Ingress's. Off retired
// ingress-nginx, onto an ALB (by hand: $16.43 of hours and $7.30 of two
// addresses, $23.73, against $30.22 today: the NLB and two ingress-nginx
// pods, 2 x 730 h x (0.1 vCPU x $0.04048 + 0.09 GiB x $0.004445) = $6.49),
// render writes the split on the main Ingress, as the ALB's: a weight as a
// forward action over both Services, a header as a path of its own before
// it with a header condition; the canary Ingress goes. A canary by cookie
// (which an ALB cannot match) keeps both on ingress-nginx, as today.
func TestNginxCanaryTranslatedOntoALB(t *testing.T) {
	for _, c := range []struct{ canary, want string }{
		{`, nginx.ingress.kubernetes.io/canary-weight: "10"`, `"targetGroups":[{"serviceName":"web","servicePort":"80","weight":90},{"serviceName":"web-canary","servicePort":"80","weight":10}]`},
		{`, nginx.ingress.kubernetes.io/canary-by-header: x-canary, nginx.ingress.kubernetes.io/canary-by-header-value: "2"`, `conditions.canary-web-canary: '[{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"x-canary","values":["2"]}}]'`},
		// ingress-nginx compares a header's value exactly, an ALB ignoring
		// case ("always", "beta" would take "ALWAYS", "Beta" too): these stay
		{`, nginx.ingress.kubernetes.io/canary-by-header: x-canary`, ""},
		{`, nginx.ingress.kubernetes.io/canary-by-header: x-canary, nginx.ingress.kubernetes.io/canary-by-header-value: beta`, ""},
		{`, nginx.ingress.kubernetes.io/canary-by-cookie: beta`, ""},
	} {
		srcs := nginxCanaryCluster(c.canary)
		opts := Options{Cloud: "aws", Region: "us-east-1"}
		res, p := planSources(t, srcs, opts)
		for _, s := range res.Declaration.Services {
			if len(s.RoutedWith) != 1 {
				t.Errorf("%s: %s routedWith %v", c.canary, s.Key(), s.RoutedWith)
			}
		}
		want, on := "$23.73", "alb-internet-1"
		if c.want == "" {
			want, on = "$30.22", "nginx"
		}
		if p.Totals.CurrentMonthlyCost.Dollars() != "$30.22" || p.Totals.MonthlyCost.Dollars() != want {
			t.Errorf("%s: today %s, planned %s; want $30.22 and %s", c.canary, p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost, want)
		}
		for _, k := range []string{"shop/web", "shop/web-canary"} {
			if row := planRow(t, p, k); row.LoadBalancer == nil || *row.LoadBalancer != on {
				t.Errorf("%s: %s planned on %s, want %s", c.canary, k, describe(row), on)
			}
		}
		r := mustRender(t, srcs, res, p, opts)
		if c.want == "" {
			if len(r.Files) != 0 || r.New != nil {
				t.Errorf("%s: render changes %v", c.canary, r.Changes)
			}
			continue
		}
		if len(r.Files) != 1 || !strings.Contains(string(r.Files[0].Data), c.want) || strings.Contains(string(r.Files[0].Data), "name: web-canary\n  namespace: shop\n  annotations: {nginx") ||
			!slices.Contains(r.Deleted, "Ingress shop/web-canary") {
			t.Errorf("%s: want %s on Ingress shop/web and the canary Ingress gone; deleted %v:\n%s", c.canary, c.want, r.Deleted, joined(applyRendering(srcs, r)))
		}
		planRenderReplan(t, c.canary, srcs, opts)
	}
}

// On GKE the same canary moves, with the Ingress it shadows, onto a GKE
// Gateway, in the route render writes: the header a rule of its own, the
// weight a rule weighting both Services, before the Service's own rule. By
// hand (us-central1, no traffic): today the proxy's forwarding rule ($18.25,
// the first five flat) and two ingress-nginx pods (2 x 730 h x (0.1 vCPU x
// $0.0445 + 0.09 GiB x $0.0049225) = $7.15): $25.40 (per line); the
// Gateway's forwarding rules $18.25.
func TestNginxCanaryTranslatedOntoRoute(t *testing.T) {
	srcs := nginxCanaryCluster(`, nginx.ingress.kubernetes.io/canary-by-header: x-canary, nginx.ingress.kubernetes.io/canary-weight: "20"`)
	opts := Options{Cloud: "gcp", Region: "us-central1"}
	res, p := planSources(t, srcs, opts)
	if p.Totals.MonthlyCost.Dollars() != "$18.25" || p.Totals.CurrentMonthlyCost.Dollars() != "$25.40" {
		t.Fatalf("planned %s, today %s; want $18.25 and $25.40", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	for _, k := range []string{"shop/web", "shop/web-canary"} {
		if row := planRow(t, p, k); row.GatewayClassName == "" {
			t.Fatalf("%s on %s, want a GKE Gateway", k, describe(row))
		}
	}
	r := mustRender(t, srcs, res, p, opts)
	out := string(r.New)
	header := "headers:\n            - name: x-canary\n              value: always\n      backendRefs:\n        - name: web-canary"
	// ingress-nginx's "never": the main Service, whatever the weight
	never := "headers:\n            - name: x-canary\n              value: never\n      backendRefs:\n        - name: web\n"
	weights := "- name: web\n          port: 80\n          weight: 80\n        - name: web-canary\n          port: 80\n          weight: 20"
	if !strings.Contains(out, header) || !strings.Contains(out, never) || !strings.Contains(out, weights) || strings.Count(out, "kind: HTTPRoute\nmetadata:\n  name: web") != 1 ||
		strings.Index(out, header) > strings.Index(out, never) || strings.Index(out, never) > strings.Index(out, weights) || !slices.Contains(r.Deleted, "Ingress shop/web-canary") {
		t.Fatalf("want one route for web, its header rules (always, never) then its weighted rule, the canary Ingress gone (deleted %v):\n%s", r.Deleted, out)
	}
	if w := strings.Join(r.Warnings, "\n"); strings.Contains(w, "canary") {
		t.Fatalf("warnings of the canary's annotations, which the route carries:\n%s", w)
	}
	planRenderReplan(t, "canary onto a GKE Gateway", srcs, opts)
}

// An ALB rule with conditions shares its path with the group's other rule
// for it: the two services stay on one ALB, with no conflict reported.
func TestALBConditionsRoutedTogether(t *testing.T) {
	ing := `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/conditions.web-beta: '[{"field":"http-header","httpHeaderConfig":{"httpHeaderName":"x-beta","values":["1"]}}]'
spec:
  ingressClassName: alb
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web-beta, port: {number: 80}}}}
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`
	srcs := []Source{{Name: "c.yaml", Data: []byte(ing + "---\n" + serviceDocs("shop", "web", "web-beta") + "\n")}}
	res, p := planSources(t, srcs, Options{Cloud: "aws", Region: "us-east-1"})
	for _, s := range res.Declaration.Services {
		if len(s.RoutedWith) != 1 {
			t.Errorf("%s routedWith %v", s.Key(), s.RoutedWith)
		}
	}
	// one ALB, as today: $16.43 + $7.30
	if got := p.Totals.MonthlyCost.Dollars(); got != "$23.73" || *p.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost {
		t.Errorf("planned %s, today %s: want $23.73 both", got, p.Totals.CurrentMonthlyCost.Dollars())
	}
	if a, b := planRow(t, p, "shop/web").LoadBalancer, planRow(t, p, "shop/web-beta").LoadBalancer; a == nil || b == nil || *a != *b {
		t.Errorf("planned on %v and %v: want one ALB", a, b)
	}
}

// serviceDocs are Services of namespace ns, one HTTP port 80 each, as
// YAML documents.
func serviceDocs(ns string, names ...string) string {
	docs := make([]string, len(names))
	for i, name := range names {
		docs[i] = "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec: {ports: [{name: http, port: 80}]}"
	}
	return strings.Join(docs, "\n---\n")
}

// envoyGateway is Envoy Gateway's GatewayClass eg and a Gateway of it with
// one listener.
func envoyGateway(ns, name, listener string) string {
	return `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ` + name + `, namespace: ` + ns + `}
spec:
  gatewayClassName: eg
  listeners: [` + listener + `]`
}

// parseNode is one YAML value as a node.
func parseNode(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil || len(doc.Content) != 1 {
		t.Fatalf("%s: %v", src, err)
	}
	return doc.Content[0]
}

// An Istio VirtualService route matching a header shares its path with the
// next route's service: the two are routed together and stay on the Istio
// ingress gateway, as today.
func TestIstioHeaderCanaryRoutedTogether(t *testing.T) {
	data := `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: edge, namespace: web}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 80, name: http, protocol: HTTP}
      hosts: [shop.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: web}
spec:
  hosts: [shop.example.com]
  gateways: [edge]
  http:
    - match: [{uri: {prefix: /api}, headers: {x-canary: {exact: "on"}}}]
      route: [{destination: {host: api-canary}}]
    - match: [{uri: {prefix: /api}}]
      route: [{destination: {host: api}}]
`
	data += "---\n" + serviceDocs("web", "api", "api-canary") + "\n"
	res, p := planSources(t, []Source{{Name: "c.yaml", Data: []byte(data)}}, Options{Cloud: "aws", Region: "us-east-1"})
	for _, s := range res.Declaration.Services {
		if len(s.RoutedWith) != 1 {
			t.Errorf("%s routedWith %v", s.Key(), s.RoutedWith)
		}
	}
	a, b := planRow(t, p, "web/api").LoadBalancer, planRow(t, p, "web/api-canary").LoadBalancer
	if a == nil || b == nil || *a != *b {
		t.Errorf("planned on %v and %v: want one load balancer", a, b)
	}
}
