package manifests

import (
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// A service whose Ingress rewrites its requests (ingress-nginx's
// rewrite-target with a regular-expression path) needs rewrite: it stays
// on ingress-nginx, where the Ingress keeps working. It was planned on an
// NLB of its own ($23.73 against $30.22 today), which would have sent its
// clients' /api/x to the pods unrewritten, on any host.
func TestRewriteStaysOnItsController(t *testing.T) {
	srcs := []Source{{Name: "c.yaml", Data: []byte(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: shop
  annotations: {nginx.ingress.kubernetes.io/rewrite-target: /$2, nginx.ingress.kubernetes.io/use-regex: "true"}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http: {paths: [{path: /api(/|$)(.*), pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}]}

---
` + serviceDocs("shop", "api") + `
---
apiVersion: v1
kind: Service
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx, labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}}
spec: {type: LoadBalancer, ports: [{port: 80}]}
`)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	if s := res.Declaration.Services[0]; !s.Has(planner.NeedRewrite) {
		t.Fatalf("%s needs %v, want rewrite", s.Key(), s.Needs)
	}
	// by hand: the NLB in front of ingress-nginx (730 h x $0.0225 + 2 IPv4
	// x 730 h x $0.005 = $23.73) and its two pods (2 x 730 h x (0.1 vCPU x
	// $0.04048 + 0.09 GiB x $0.004445) = $6.49)
	row := planRow(t, p, "shop/api")
	if p.Totals.MonthlyCost.Dollars() != "$30.22" || *p.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost || row.LoadBalancer == nil || *row.LoadBalancer != "nginx" ||
		!strings.Contains(row.Reason, "rewrite: today's controller rewrites its requests") {
		t.Fatalf("planned %s (today %s) on %v, %q: want $30.22 on today's nginx, for its rewrite",
			p.Totals.MonthlyCost.Dollars(), p.Totals.CurrentMonthlyCost.Dollars(), row.LoadBalancer, row.Reason)
	}
	if r := mustRender(t, srcs, res, p, opts); len(r.Files) != 0 || r.New != nil {
		t.Errorf("render changes %v", r.Changes)
	}
}

// Which routing objects rewrite their requests: an annotation of
// requestRewrites, a route's URLRewrite filter; not a plain Ingress.
func TestRewriteRead(t *testing.T) {
	gateway := envoyGateway("web", "edge", "{name: http, protocol: HTTP, port: 80}") + "\n---\n"
	for _, c := range []struct {
		name, docs string
		want       bool
	}{
		{"a plain Ingress", classIngress("traefik", "a", false, "", ""), false},
		{"a Traefik middleware", classIngress("traefik", "a", false, ", traefik.ingress.kubernetes.io/router.middlewares: web-strip@kubernetescrd", ""), true},
		{"use-regex off", classIngress("nginx", "a", false, `, nginx.ingress.kubernetes.io/use-regex: "false"`, ""), false},
		{"an AGIC backend path prefix", classIngress("azure-application-gateway", "a", false, ", appgw.ingress.kubernetes.io/backend-path-prefix: /v2/", ""), true},
		{"a route's URLRewrite", gateway + `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a, namespace: web}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /a}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
    backendRefs: [{name: a, port: 80}]
---
` + serviceDocs("web", "a"), true},
	} {
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(c.docs + "\n")}}, Options{Cloud: "aws", Region: "us-east-1"})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		i := slices.IndexFunc(res.Declaration.Services, func(s planner.Service) bool { return s.Name == "a" })
		if got := res.Declaration.Services[i].Has(planner.NeedRewrite); got != c.want {
			t.Errorf("%s: rewrite %v, want %v", c.name, got, c.want)
		}
	}
}
