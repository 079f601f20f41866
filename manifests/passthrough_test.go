package manifests

import (
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// ingressNginxNLB is ingress-nginx's controller Service, an internet-facing
// NLB of the AWS Load Balancer Controller.
const ingressNginxNLB = `apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels: {app.kubernetes.io/name: ingress-nginx}
  annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing}
spec:
  type: LoadBalancer
  ports: [{name: http, port: 80}, {name: https, port: 443}]`

// nginxPassthrough is ingress-nginx behind an NLB and, for each of names, an
// HTTPS Service whose pods end TLS and an Ingress passing TLS for host
// through to it (ssl-passthrough: routed by the server name alone).
func nginxPassthrough(host func(name string) string, names ...string) []Source {
	docs := []string{ingressNginxNLB}
	for _, n := range names {
		docs = append(docs, strings.NewReplacer("NAME", n, "HOST", host(n)).Replace(`apiVersion: v1
kind: Service
metadata: {name: NAME, namespace: shop}
spec:
  ports: [{name: https, port: 443, targetPort: 8443}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: NAME
  namespace: shop
  annotations: {nginx.ingress.kubernetes.io/ssl-passthrough: "true"}
spec:
  ingressClassName: nginx
  rules:
    - host: HOST
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: NAME, port: {number: 443}}}}]`))
	}
	return []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n"))}}
}

// ingress-nginx's ssl-passthrough routes TLS by the server name alone: the
// Service is TLS of that host (no path), passed through; two of different
// hosts share ingress-nginx on port 443 as they do today (the plan was
// "forced" to cost more: "both listen on port 443"), and two of one host
// are today's conflict, said as such.
func TestSSLPassthroughByServerName(t *testing.T) {
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, nginxPassthrough(func(n string) string { return n + ".example.com" }, "a", "b"), opts)
	for _, s := range res.Declaration.Services {
		if s.Name == "a" && (s.Protocol != planner.ProtoTLS || strings.Join(s.Hosts, ",") != "a.example.com" || len(s.Paths) != 0 ||
			!s.Has(planner.NeedTLSPassthrough)) {
			t.Fatalf("a: %+v; want TLS of a.example.com, passed through", s)
		}
	}
	if p.Totals.IncreaseForcedBy != "" || p.Totals.CurrentMonthlyCost == nil || *p.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost {
		t.Fatalf("plan %s, today %v, forced by %q; want today's as it is", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost, p.Totals.IncreaseForcedBy)
	}
	for _, k := range []string{"shop/a", "shop/b"} {
		if row := planRow(t, p, k); row.LoadBalancer == nil || *row.LoadBalancer != "nginx" {
			t.Fatalf("%s on %s, want today's ingress-nginx", k, describe(row))
		}
	}
	_, p = planSources(t, nginxPassthrough(func(string) string { return "one.example.com" }, "a", "b"), opts)
	if !strings.Contains(p.Totals.IncreaseForcedBy, "shop/a and shop/b both take TLS for host one.example.com on port 443") {
		t.Fatalf("one host for both: forced by %q", p.Totals.IncreaseForcedBy)
	}
}

// Traefik's IngressRouteTCP passing TLS through by HostSNI gives the Service
// TLS of that host.
func TestTraefikHostSNI(t *testing.T) {
	src := `apiVersion: v1
kind: Service
metadata: {name: traefik, namespace: kube-system, labels: {app.kubernetes.io/name: traefik}}
spec:
  type: LoadBalancer
  ports: [{name: web, port: 80}, {name: websecure, port: 443}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  ports: [{name: https, port: 443, targetPort: 8443}]
---
apiVersion: traefik.io/v1alpha1
kind: IngressRouteTCP
metadata: {name: db, namespace: shop}
spec:
  entryPoints: [websecure]
  routes: [{match: HostSNI(` + "`db.example.com`" + `), services: [{name: db, port: 443}]}]
  tls: {passthrough: true}`
	res, err := Read([]Source{{Name: "c.yaml", Data: []byte(src)}}, Options{Cloud: "aws", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Declaration.Services[0]
	if s.Name != "db" || s.Protocol != planner.ProtoTLS || strings.Join(s.Hosts, ",") != "db.example.com" || !s.Has(planner.NeedTLSPassthrough) {
		t.Fatalf("%+v; want TLS of db.example.com, passed through", s)
	}
}
