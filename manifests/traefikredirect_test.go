package manifests

import (
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// traefikRedirectCluster is Traefik as its chart renders it (its Service
// selecting its Deployment, args as given), and Services it routes: a by an
// Ingress of class traefik, b by an IngressRoute on websecure (through a
// middleware, which keeps it on Traefik), c by one on
// web alone, d by an Ingress whose routers attach to web alone, e (plain
// HTTP) by an ALB Ingress.
func traefikRedirectCluster(args string) []Source {
	docs := []string{`apiVersion: v1
kind: Service
metadata: {name: traefik, namespace: traefik, labels: {app.kubernetes.io/name: traefik}}
spec:
  type: LoadBalancer
  selector: {app.kubernetes.io/name: traefik}
  ports: [{name: web, port: 80}, {name: websecure, port: 443}]`, `apiVersion: apps/v1
kind: Deployment
metadata: {name: traefik, namespace: traefik}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: traefik}}
  template:
    metadata: {labels: {app.kubernetes.io/name: traefik}}
    spec:
      containers:
        - name: traefik
          image: docker.io/traefik:v3.5.3
          args: [` + args + `]
          resources: {requests: {cpu: 100m, memory: 128Mi}}`,
		serviceDocs("shop", "a", "b", "c", "d", "e"),
		`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a, namespace: shop}
spec:
  ingressClassName: traefik
  rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}]`,
		`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: d, namespace: shop, annotations: {traefik.ingress.kubernetes.io/router.entrypoints: web}}
spec:
  ingressClassName: traefik
  rules: [{host: d.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: d, port: {number: 80}}}}]}}]`,
		`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: e, namespace: shop, annotations: {alb.ingress.kubernetes.io/scheme: internet-facing}}
spec:
  ingressClassName: alb
  rules: [{host: e.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: e, port: {number: 80}}}}]}}]`}
	for _, r := range []struct{ name, ep, extra string }{{"b", "websecure", ", middlewares: [{name: strip}]"}, {"c", "web", ""}} {
		docs = append(docs, `apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: `+r.name+`, namespace: shop}
spec:
  entryPoints: [`+r.ep+`]
  routes: [{match: "Host(`+"`"+r.name+".example.com`"+`)", kind: Rule, services: [{name: `+r.name+`, port: 80}]`+r.extra+`}]`)
	}
	return []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
}

// Traefik's chart with ports.web.redirections renders an entry-point
// redirect: every plain-HTTP request is redirected to HTTPS before routing.
// Its services are read as HTTPS with plain HTTP redirected; routes on web
// alone, which no request reaches, are named in a warning and not read; and
// the declaration says the proxy redirects (proxy.redirectsHTTP), so that a
// plan never moves a plain-HTTP service onto it. Without the redirect, a is
// plain HTTP and c is on Traefik.
func TestTraefikEntryPointRedirect(t *testing.T) {
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	redirect := `"--entryPoints.web.address=:8000/tcp", "--entryPoints.websecure.address=:8443/tcp", "--entryPoints.web.http.redirections.entryPoint.to=:443", "--entryPoints.web.http.redirections.entryPoint.scheme=https", "--entryPoints.websecure.http.tls=true"`
	for _, c := range []struct {
		name, args string
		redirects  bool
		want       map[string]string
	}{
		{"redirect", redirect, true, map[string]string{"shop/a": "HTTPS redirected", "shop/b": "HTTPS redirected", "shop/c": "cluster", "shop/d": "cluster", "shop/e": "HTTP"}},
		{"none", `"--entryPoints.web.address=:8000/tcp"`, false, map[string]string{"shop/a": "HTTP", "shop/b": "HTTPS", "shop/c": "HTTP", "shop/d": "HTTP", "shop/e": "HTTP"}},
		// a redirect to plain HTTP elsewhere is not one to HTTPS
		{"to http", `"--entrypoints.web.http.redirections.entrypoint.to=other", "--entrypoints.web.http.redirections.entrypoint.scheme=http"`, false, map[string]string{"shop/a": "HTTP", "shop/c": "HTTP"}},
	} {
		srcs := traefikRedirectCluster(c.args)
		res, err := Read(srcs, opts)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if p := res.Declaration.Proxy; p == nil || p.Implementation != planner.ProxyTraefik || p.RedirectsHTTP != c.redirects {
			t.Errorf("%s: proxy %+v, want traefik redirecting %v", c.name, p, c.redirects)
		}
		for _, s := range res.Declaration.Services {
			want, ok := c.want[s.Key()]
			if !ok {
				continue
			}
			got := s.Protocol
			switch lb := s.CurrentLoadBalancer; {
			case s.Audience == planner.AudienceCluster:
				got = "cluster"
			case lb != nil && lb.HTTPRedirect:
				got += " redirected"
			}
			if got != want {
				t.Errorf("%s: %s read as %s (%+v), want %s", c.name, s.Key(), got, s.CurrentLoadBalancer, want)
			}
		}
		warned := strings.Contains(strings.Join(res.Warnings, "\n"), "IngressRoute shop/c is on Traefik's entry point web alone")
		if warned != c.redirects {
			t.Errorf("%s: warned of c %v, want %v: %v", c.name, warned, c.redirects, res.Warnings)
		}
	}
	// e, plain HTTP, may not join the redirecting Traefik, which b keeps (its
	// middleware) and a joins; render's manifests plan the same. By hand: the
	// proxy's NLB $16.43, IPv4 $7.30, one pod (replicas unset) 73 vCPU-hours
	// x $0.04048 = $2.96 and 128Mi, 91.25 GiB-hours x $0.004445 = $0.41; e's
	// own ALB $16.43 + $7.30: $50.83, as today. Without the redirect, e joins
	// Traefik (its ALB saved): $27.10.
	srcs := traefikRedirectCluster(redirect)
	_, p := planSources(t, srcs, opts)
	if row := planRow(t, p, "shop/e"); row.LoadBalancer == nil || *row.LoadBalancer == "traefik" || p.Totals.MonthlyCost.String() != "50.83" {
		t.Fatalf("shop/e on %v, total %s; want a load balancer of its own, $50.83", describe(row), p.Totals.MonthlyCost)
	}
	if row := planRow(t, p, "shop/a"); row.LoadBalancer == nil || *row.LoadBalancer != "traefik" {
		t.Fatalf("shop/a on %v, want traefik", describe(row))
	}
	if _, p := planSources(t, traefikRedirectCluster(`"--entryPoints.web.address=:8000/tcp"`), opts); p.Totals.MonthlyCost.String() != "27.10" {
		t.Fatalf("without the redirect: %s, want $27.10", p.Totals.MonthlyCost)
	}
	// c's IngressRoute and d's Ingress route no request: render leaves them
	res, p := planSources(t, srcs, opts)
	r := mustRender(t, srcs, res, p, opts)
	for _, obj := range []string{"IngressRoute shop/c", "Ingress shop/d"} {
		if slices.Contains(r.Deleted, obj) || strings.Contains(strings.Join(r.Changes, "\n"), obj+":") {
			t.Fatalf("render changes %s, which the reader left out: %v", obj, r.Changes)
		}
	}
	planRenderReplan(t, "Traefik redirecting plain HTTP", srcs, opts)
}
