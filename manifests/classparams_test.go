package manifests

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// autoModeClass is an EKS Auto Mode IngressClass name, of controller
// eks.amazonaws.com/alb, its IngressClassParams fixing scheme (none: "").
func autoModeClass(name, scheme string) string {
	spec := "{}"
	if scheme != "" {
		spec = "{scheme: " + scheme + "}"
	}
	return `apiVersion: eks.amazonaws.com/v1
kind: IngressClassParams
metadata: {name: ` + name + `}
spec: ` + spec + `
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: ` + name + `}
spec:
  controller: eks.amazonaws.com/alb
  parameters: {apiGroup: eks.amazonaws.com, kind: IngressClassParams, name: ` + name + `}
`
}

// EKS Auto Mode makes an ALB for an Ingress of a class of controller
// eks.amazonaws.com/alb (its IngressClassParams may fix the scheme) and an
// NLB for a Service of loadBalancerClass eks.amazonaws.com/nlb (internal
// unless its annotation says otherwise). The ALB was priced as an unknown
// in-cluster proxy, the NLB warned of as a class no controller serves. By
// hand (us-east-1, no traffic): the internet-facing ALB's hour and two
// addresses, $23.73; the internal NLB's hour, $16.43: $40.16.
func TestEKSAutoModeRead(t *testing.T) {
	srcs := []Source{{Name: "c.yaml", Data: []byte(autoModeClass("alb", "internet-facing") + "---\n" + serviceDocs("shop", "a", "b") + `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: alb
  rules:
    - host: a.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}
    - host: b.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  type: LoadBalancer
  loadBalancerClass: eks.amazonaws.com/nlb
  ports: [{name: pg, port: 5432}]
`)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	for _, s := range res.Declaration.Services {
		want := planner.CurrentLB{Kind: planner.CurrentALB, Name: "shop/shop", Scheme: planner.AudienceInternet}
		if s.Name == "db" {
			want = planner.CurrentLB{Kind: planner.CurrentNLB, Scheme: "internal"}
		}
		if c := s.CurrentLoadBalancer; c == nil || c.Kind != want.Kind || c.Name != want.Name || c.Scheme != want.Scheme {
			t.Errorf("%s today on %+v, want %+v", s.Key(), c, want)
		}
	}
	if p.Totals.CurrentMonthlyCost.Dollars() != "$40.16" {
		t.Errorf("today %s, want $40.16", p.Totals.CurrentMonthlyCost)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w, "eks.amazonaws.com") {
			t.Errorf("warning %q", w)
		}
	}
}

// An IngressClassParams's scheme is every Ingress's of its class, whatever
// their annotations say (the AWS Load Balancer Controller's too).
func TestIngressClassParamsSchemeRead(t *testing.T) {
	for _, c := range []struct{ params, annotation, want string }{
		{"", "", "internal"}, // the controller's default
		{"", "internet-facing", planner.AudienceInternet},
		{"internet-facing", "", planner.AudienceInternet},
		{"internal", "internet-facing", "internal"},
	} {
		ann := ""
		if c.annotation != "" {
			ann = "alb.ingress.kubernetes.io/scheme: " + c.annotation
		}
		src := strings.ReplaceAll(autoModeClass("web", c.params), "eks.amazonaws.com", "elbv2.k8s.aws")
		src = strings.ReplaceAll(src, "controller: elbv2.k8s.aws/alb", "controller: ingress.k8s.aws/alb")
		srcs := []Source{{Name: "c.yaml", Data: []byte(src + "---\n" + serviceDocs("shop", "a") + `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop, annotations: {` + ann + `}}
spec:
  ingressClassName: web
  rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}]
`)}}
		res, err := Read(srcs, Options{Cloud: "aws", Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		if cur := res.Declaration.Services[0].CurrentLoadBalancer; cur == nil || cur.Kind != planner.CurrentALB || cur.Scheme != c.want {
			t.Errorf("params %q, annotation %q: today on %+v, want an ALB, %s", c.params, c.annotation, cur, c.want)
		}
	}
}

// Render writes a plan's internal ALB with the ALB class whose
// IngressClassParams make internal ones, not alb (internet-facing: the
// controller would have put the internal services on the internet). Two
// internal NLBs today ($16.43 each, us-east-1: $32.86), one internal ALB planned
// ($16.43). With no such class, a warning says to make one.
func TestRenderPicksTheALBClassOfItsScheme(t *testing.T) {
	internal := `apiVersion: v1
kind: Service
metadata:
  name: %s
  namespace: shop
  annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internal, lbplanner.io/protocol: HTTP, lbplanner.io/hosts: %s.example.com}
spec:
  type: LoadBalancer
  ports: [{name: http, port: 80}]
`
	svcs := strings.ReplaceAll(internal, "%s", "a") + "---\n" + strings.ReplaceAll(internal, "%s", "b")
	for _, c := range []struct {
		classes, want string
		warned        bool
	}{
		{autoModeClass("alb", "internet-facing") + "---\n" + autoModeClass("alb-internal", "internal"), "ingressClassName: alb-internal", false},
		{autoModeClass("alb", "internet-facing"), "ingressClassName: alb", true},
		{"", "ingressClassName: alb", false},
	} {
		srcs := []Source{{Name: "c.yaml", Data: []byte(c.classes + "---\n" + svcs)}}
		opts := Options{Cloud: "aws", Region: "us-east-1"}
		res, p := planSources(t, srcs, opts)
		if p.Totals.CurrentMonthlyCost.Dollars() != "$32.86" || p.Totals.MonthlyCost.Dollars() != "$16.43" {
			t.Fatalf("today %s, planned %s; want $32.86 and $16.43", p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
		}
		r := mustRender(t, srcs, res, p, opts)
		warned := strings.Contains(strings.Join(r.Warnings, "\n"), "no ALB IngressClass of the manifests makes internal ALBs")
		if out := string(r.New); strings.Count(out, c.want+"\n") != 2 || warned != c.warned {
			t.Errorf("want both Ingresses %s, warned %v (warnings %v):\n%s", c.want, c.warned, r.Warnings, out)
		}
		if !c.warned {
			planRenderReplan(t, c.want, srcs, opts)
		}
	}
}

// An EKS Auto Mode cluster whose ALB class puts every Ingress in group
// public (IngressClassParams), one Ingress redirecting plain HTTP to HTTPS
// (ssl-redirect, which holds for the whole group) and another serving plain
// HTTP alone: its requests are redirected today, which a warning names.
// Read as it asks (served over plain HTTP), it cannot stay in the group:
// the plan puts it on an ALB of its own and says that this costs more
// (today one ALB, $27.18 with its LCUs; planned two).
func TestGroupRedirectOverPlainIngressWarned(t *testing.T) {
	data, err := os.ReadFile("testdata/auto-mode-group-redirect.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, p := planSources(t, []Source{{Name: "c.yaml", Data: data}}, Options{Cloud: "aws", Region: "us-east-1"})
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "Ingress ops/admin serves plain HTTP alone, on an ALB whose IngressGroup redirects plain HTTP to HTTPS") {
		t.Fatalf("warnings %v", res.Warnings)
	}
	for _, s := range res.Declaration.Services {
		if c := s.CurrentLoadBalancer; (s.Namespace == "shop" || s.Name == "admin") && (c == nil || c.Name != "public" || c.Scheme != planner.AudienceInternet) {
			t.Errorf("%s today on %+v, want ALB group public, internet-facing (its class's params)", s.Key(), c)
		}
	}
	if !strings.Contains(p.Totals.IncreaseForcedBy, "today's ALB public") {
		t.Errorf("increase forced by %q, want today's ALB public named", p.Totals.IncreaseForcedBy)
	}
}

// The AKS application routing add-on's NGINX Service (labelled by its
// operator; its app.kubernetes.io/name is nginx) is the proxy's own load
// balancer, priced with it: it was planned as an application, routed through
// the very proxy it fronts.
func TestAKSAppRoutingServiceIsTheProxys(t *testing.T) {
	data, err := os.ReadFile("testdata/aks-app-routing.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Read([]Source{{Name: "c.yaml", Data: data}}, Options{Cloud: "azure", Region: "eastus"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Declaration.Services {
		if s.Key() == "app-routing-system/nginx" {
			t.Fatalf("the add-on's NGINX Service planned as a service: %+v", s)
		}
	}
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "Service app-routing-system/nginx is an in-cluster proxy's own load balancer") {
		t.Fatalf("warnings %v", res.Warnings)
	}
}

// An application routing NGINX the plan empties is deleted with a word of
// what keeps it: its operator (the add-on's NginxIngressController) makes
// the Service again unless that goes, or the add-on is turned off.
func TestAKSAppRoutingProxyGoesByItsOperator(t *testing.T) {
	data, err := os.ReadFile("testdata/aks-app-routing-goes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "azure", Region: "eastus"}
	res, p := planSources(t, srcs, opts)
	if row := planRow(t, p, "docs/docs"); row.LoadBalancer == nil || *row.LoadBalancer != "azure-application-gateway" {
		t.Fatalf("docs on %v, want the Application Gateway", row.LoadBalancer)
	}
	r := mustRender(t, srcs, res, p, opts)
	if !slices.ContainsFunc(r.Deleted, func(d string) bool {
		return strings.HasPrefix(d, "Service app-routing-system/nginx (and its proxy: delete the application routing add-on's NginxIngressController that made it, or turn the add-on off")
	}) {
		t.Errorf("deleted %v", r.Deleted)
	}
	planRenderReplan(t, "the add-on's NGINX emptied", srcs, opts)
}
