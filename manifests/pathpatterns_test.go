package manifests

import (
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"go.yaml.in/yaml/v3"
)

// An ImplementationSpecific path is a prefix to an in-cluster proxy and a
// pattern to an ALB, a GKE Ingress or an Application Gateway: /x there is
// /x alone, /x/* the prefix (the AWS Load Balancer Controller's docs write
// path: /* for every path; an Ingress moved from ingress-nginx with path /
// forwarded nothing but / itself).
func TestPathPatternRead(t *testing.T) {
	for _, c := range []struct {
		path, want  string
		exact, wild bool
	}{
		{"/api", "/api", true, false},
		{"/api/*", "/api/*", false, false},
		{"/*", "/*", false, false},
		{"/", "/", true, false},
		{"/api*", "/api*", false, true},
		{"/a/*/b", "/a/*/b", false, true},
		{"/a?c/*", "/a?c/*", false, true},
	} {
		path, exact, wild := pathPattern(c.path)
		if path != c.want || exact != c.exact || wild != c.wild {
			t.Errorf("%s: %q exact %v wild %v, want %q %v %v", c.path, path, exact, wild, c.want, c.exact, c.wild)
		}
	}
}

// albPathsCluster is two Services routed by one ALB Ingress, each by the
// ImplementationSpecific path given.
func albPathsCluster(apiPath, webPath string) []Source {
	return []Source{{Name: "c.yaml", Data: []byte(serviceDocs("shop", "api", "web") + `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations: {alb.ingress.kubernetes.io/scheme: internet-facing}
spec:
  ingressClassName: alb
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: "` + apiPath + `", pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}
          - {path: "` + webPath + `", pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
`)}}
}

func TestALBPathPatternsRead(t *testing.T) {
	for _, c := range []struct {
		api, web       string
		apiPaths       []string
		webPaths       []string
		apiNeedRewrite bool
	}{
		{"/api/*", "/*", []string{"/api/*"}, nil, false}, // every path: none to list
		{"/api", "/", []string{planner.ExactPrefix + "/api"}, []string{planner.ExactPrefix + "/"}, false},
		{"/api*", "/*", []string{"/api*"}, nil, true},
	} {
		res, err := Read(albPathsCluster(c.api, c.web), Options{Cloud: "aws", Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range res.Declaration.Services {
			want, rewrite := c.webPaths, false
			if s.Name == "api" {
				want, rewrite = c.apiPaths, c.apiNeedRewrite
			}
			if !slices.Equal(s.Paths, want) || s.Has(planner.NeedRewrite) != rewrite {
				t.Errorf("%s %s: %s read as paths %v needs %v; want %v, rewrite %v", c.api, c.web, s.Key(), s.Paths, s.Needs, want, rewrite)
			}
		}
	}
}

// Moved to another controller, an Ingress's ImplementationSpecific paths
// are written as the Exact or Prefix paths they were read as.
func TestPortablePaths(t *testing.T) {
	r := &renderer{patternClasses: map[string]bool{"alb": true}}
	for _, c := range []struct{ from, to, in, want string }{
		{"alb", "nginx", `[{path: /api/*, pathType: ImplementationSpecific}, {path: /*, pathType: ImplementationSpecific}, {path: /x, pathType: ImplementationSpecific}, {path: /y, pathType: Prefix}]`,
			`[{path: /api, pathType: Prefix}, {path: /, pathType: Prefix}, {path: /x, pathType: Exact}, {path: /y, pathType: Prefix}]`},
		{"nginx", "alb", `[{path: /api, pathType: ImplementationSpecific}, {path: /, pathType: ImplementationSpecific}, {path: /z, pathType: Exact}]`,
			`[{path: /api, pathType: Prefix}, {path: /, pathType: Prefix}, {path: /z, pathType: Exact}]`},
		{"alb", "gce", `[{path: /api/*, pathType: ImplementationSpecific}, {path: /x, pathType: ImplementationSpecific}]`,
			`[{path: /api/*, pathType: ImplementationSpecific}, {path: /x, pathType: ImplementationSpecific}]`},
		{"nginx", "traefik", `[{path: /api, pathType: ImplementationSpecific}]`, `[{path: /api, pathType: ImplementationSpecific}]`},
	} {
		spec := parseNode(t, "{rules: [{host: a.example.com, http: {paths: "+c.in+"}}]}")
		want := parseNode(t, "{rules: [{host: a.example.com, http: {paths: "+c.want+"}}]}")
		changed := r.portablePaths(spec, c.from, c.to)
		if got, w := nodeString(t, spec), nodeString(t, want); got != w || changed != (c.in != c.want) {
			t.Errorf("%s -> %s: %s (changed %v), want %s", c.from, c.to, got, changed, w)
		}
	}
}

// End to end: ingress-nginx's Ingress with paths / and /api (prefixes, as
// ingress-nginx reads them), moved onto an ALB by proxy.replaceToday, keeps
// routing /api/users to api and every other path to web. By hand
// (us-east-1, no traffic): the ALB's hour and two addresses, $23.73.
func TestNginxPathsOntoALBStayPrefixes(t *testing.T) {
	srcs := []Source{{Name: "c.yaml", Data: []byte(ingressNginxDocs + serviceDocs("shop", "api", "web") + `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /api, pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}
          - {path: /, pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
`)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, err := Read(srcs, opts)
	if err != nil {
		t.Fatal(err)
	}
	res.Declaration.Proxy = &planner.ProxySizing{ReplaceToday: true}
	p := computePlan(t, res.Declaration)
	if p.Totals.MonthlyCost.Dollars() != "$23.73" || planRow(t, p, "shop/api").IngressClassName != "alb" {
		t.Fatalf("planned %s, shop/api on %s: want $23.73 on an ALB", p.Totals.MonthlyCost, describe(planRow(t, p, "shop/api")))
	}
	out := joined(applyRendering(srcs, mustRender(t, srcs, res, p, opts)))
	for _, want := range []string{"{path: /api, pathType: Prefix,", "{path: /, pathType: Prefix,"} {
		if !strings.Contains(out, want) {
			t.Errorf("want %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ImplementationSpecific") {
		t.Errorf("an ImplementationSpecific path left for the ALB to read as a pattern:\n%s", out)
	}
}

// nodeString is a YAML node written out.
func nodeString(t *testing.T, n *yaml.Node) string {
	t.Helper()
	out, err := yaml.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
