package manifests

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

func TestParseTraefikMatch(t *testing.T) {
	for match, want := range map[string]traefikRule{
		"Host(`a.example.com`) && PathPrefix(`/api`)":                    {hosts: []string{"a.example.com"}, paths: []string{"/api"}},
		"Host(`a.example.com`, `b.example.com`) && Path(`/login`)":       {hosts: []string{"a.example.com", "b.example.com"}, paths: []string{"=/login"}},
		"Host(\"a.example.com\") && PathPrefix(`/`)":                     {hosts: []string{"a.example.com"}},
		"Host(`a.example.com`) && Header(`X-Canary`, `on`)":              {hosts: []string{"a.example.com"}, split: true},
		"HostRegexp(`^.+\\.example\\.com$`) || PathRegexp(`^/v[0-9]+/`)": {rewrite: true},
		"Method(`POST`) && Query(`debug`, `1`)":                          {split: true},
	} {
		if got := parseTraefikMatch(match); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, want %+v", match, got, want)
		}
	}
}

// traefikCluster is Traefik (its pods without requests, so priced at
// nothing) routing shop.example.com/api to api by an IngressRoute (and its
// extra routes), beside an ALB IngressGroup g of two services.
func traefikCluster(extraRoutes string) []Source {
	docs := []string{`apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: shop, namespace: shop}
spec:
  entryPoints: [web]
  routes:
  - match: Host(` + "`shop.example.com`) && PathPrefix(`/api`)" + `
    kind: Rule
    services: [{name: api, port: 80}]` + extraRoutes,
		`apiVersion: v1
kind: Service
metadata: {name: traefik, namespace: kube-system, labels: {app.kubernetes.io/name: traefik}}
spec: {type: LoadBalancer, ports: [{name: web, port: 80}]}`}
	docs = append(docs, serviceDocs("shop", "api", "blog", "web", "web2"))
	for _, name := range []string{"web", "web2"} {
		docs = append(docs, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: `+name+`, namespace: shop, annotations: {alb.ingress.kubernetes.io/scheme: internet-facing, alb.ingress.kubernetes.io/group.name: g}}
spec:
  ingressClassName: alb
  rules:
  - host: `+name+`.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: `+name+`, port: {number: 80}}}}]}`)
	}
	return []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
}

// A service a Traefik IngressRoute routes is read as on the Traefik proxy,
// whose own Service is priced with it: today the proxy's NLB and the ALB,
// 2 x (730 h x $0.0225 + 2 IPv4 x 730 h x $0.005) = $47.46; planned, the
// ALB alone, $23.73. Render deletes the IngressRoute and routes api on the
// ALB, and the rendered manifests plan the same.
func TestTraefikIngressRouteRead(t *testing.T) {
	srcs := traefikCluster("")
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	i := slices.IndexFunc(res.Declaration.Services, func(s planner.Service) bool { return s.Name == "api" })
	if s := res.Declaration.Services[i]; s.Current != planner.Ingress || s.CurrentLoadBalancer == nil || s.CurrentLoadBalancer.Name != "traefik" ||
		!slices.Equal(s.Hosts, []string{"shop.example.com"}) || !slices.Equal(s.Paths, []string{"/api"}) {
		t.Fatalf("api read as %+v", s)
	}
	if p.Totals.CurrentMonthlyCost.Dollars() != "$47.46" || p.Totals.MonthlyCost.Dollars() != "$23.73" {
		t.Fatalf("today %s, planned %s: want $47.46 and $23.73", p.Totals.CurrentMonthlyCost.Dollars(), p.Totals.MonthlyCost.Dollars())
	}
	r := mustRender(t, srcs, res, p, opts)
	if !slices.Contains(r.Deleted, "IngressRoute shop/shop") || !strings.Contains(string(r.New), "name: api") {
		t.Fatalf("want the IngressRoute deleted and a new Ingress for api: %v\n%s", r.Changes, r.New)
	}
	planRenderReplan(t, "an IngressRoute onto an ALB", srcs, opts)
}

// A route with a middleware rewrites its requests as only Traefik does: blog
// stays on Traefik, so the proxy stays, and the ALB's two services join it
// (its pods priced at nothing): one load balancer, $23.73.
func TestTraefikMiddlewareStays(t *testing.T) {
	srcs := traefikCluster(`
  - match: Host(` + "`blog.example.com`)" + `
    kind: Rule
    middlewares: [{name: strip-prefix}]
    services: [{name: blog, port: 80}]`)
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	_, p := planSources(t, srcs, opts)
	if row := planRow(t, p, "shop/blog"); row.LoadBalancer == nil || *row.LoadBalancer != "traefik" {
		t.Fatalf("blog planned on %v, want traefik", row.LoadBalancer)
	}
	if p.Totals.MonthlyCost.Dollars() != "$23.73" {
		t.Fatalf("planned %s, want one load balancer, $23.73", p.Totals.MonthlyCost.Dollars())
	}
	planRenderReplan(t, "an IngressRoute with a middleware", srcs, opts)
}

// Services that leave Traefik are taken out of their IngressRoute, a route
// left with none goes, and those that stay keep theirs.
func TestTraefikRouteTakesOutMovedServices(t *testing.T) {
	n := parseNode(t, `apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: shop, namespace: shop}
spec:
  routes:
  - match: Host(`+"`a.example.com`"+`)
    services: [{name: a, port: 80}, {name: b, port: 80}]
  - match: Host(`+"`c.example.com`"+`)
    services: [{name: c, port: 80}]`)
	traefik, alb := "traefik", "g"
	r := &renderer{rows: map[string]planner.ServicePlan{
		"shop/a": {Name: "a", Namespace: "shop", Exposure: planner.Ingress, LoadBalancer: &traefik},
		"shop/b": {Name: "b", Namespace: "shop", Exposure: planner.Ingress, LoadBalancer: &alb},
		"shop/c": {Name: "c", Namespace: "shop", Exposure: planner.Ingress, LoadBalancer: &alb},
	}, fresh: map[string][]string{}, out: &Rendering{}}
	keep, edited := r.traefikRoute(n, "shop", "shop")
	var out strings.Builder
	for _, rt := range seqItems(child(child(n, "spec"), "routes")) {
		for _, s := range seqItems(child(rt, "services")) {
			out.WriteString(scalar(s, "name"))
		}
		out.WriteString("|")
	}
	if !keep || !edited || out.String() != "a|" || !slices.Equal(r.fresh["shop"], []string{"shop/b", "shop/c"}) {
		t.Fatalf("keep %v, edited %v, routes %q, fresh %v: want a alone kept, b and c given new objects", keep, edited, out.String(), r.fresh)
	}
}
