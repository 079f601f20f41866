package manifests

import (
	"os"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// An HTTPRoute attached to two Gateways (GKE's external one and an internal
// one) is on the second too (alsoOn): its forwarding rule is priced today and
// kept, and render keeps the route's parentRef to it when the plan moves the
// service off the first. By hand (us-central1, 730 hours): today the global
// scope's first five rules $18.25 (ext's HTTP rule), the regional scope's
// $18.25 (int's), data through ext 20 GB = 18.63 GiB x $0.008 = $0.15:
// $36.65. Planned: a and b on passthrough load balancers of their own, three
// regional rules with int's (first five, $18.25), their data 9.31 GiB x $0.008
// = $0.07 each: $18.39.
func TestRouteOnTwoGateways(t *testing.T) {
	cluster := gatewayOf("ext", "gke-l7-global-external-managed", httpListener) + "---\n" + gatewayOf("int", "gke-l7-rilb", httpListener) + edgeRouteOn("a", "[{name: ext, namespace: edge}, {name: int, namespace: edge}]") + edgeRouteOn("b", "[{name: ext, namespace: edge}]")
	srcs := []Source{{Name: "c.yaml", Data: []byte(cluster)}}
	opts := Options{Cloud: "gcp", Region: "us-central1"}
	res, p := planSources(t, srcs, opts)
	for _, s := range res.Declaration.Services {
		if s.Name == "a" && (len(s.AlsoOn) != 1 || s.AlsoOn[0].Name != "gateway:edge/int" || s.AlsoOn[0].Scheme != "internal") {
			t.Fatalf("a: alsoOn %+v, want the internal Gateway", s.AlsoOn)
		}
	}
	if p.Totals.CurrentMonthlyCost == nil || p.Totals.CurrentMonthlyCost.String() != "36.65" || p.Totals.MonthlyCost.String() != "18.39" {
		t.Fatalf("today %v, plan %s: want $36.65, $18.39", p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
	}
	r := mustRender(t, srcs, res, p, opts)
	out := string(r.Files[0].Data)
	if !strings.Contains(out, "metadata: {name: a, namespace: web}\nspec:\n  parentRefs:\n    - {name: int, namespace: edge}\n") {
		t.Errorf("route a keeps the internal Gateway alone:\n%s", out)
	}
	planRenderReplan(t, "two Gateways", srcs, opts)
}

// gatewayOf is Gateway name in namespace edge of class, with listeners
// (a flow sequence's items).
func gatewayOf(name, class, listeners string) string {
	return strings.NewReplacer("NAME", name, "CLASS", class, "LISTENERS", listeners).Replace(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: NAME, namespace: edge}
spec:
  gatewayClassName: CLASS
  listeners: [LISTENERS]
`)
}

// httpListener is a plain-HTTP listener on port 80 that takes routes from any namespace.
const httpListener = "{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}"

// edgeRouteOn is a Service name in namespace web (10 requests/s, 10 GB a
// month) and an HTTPRoute routing name.example.com to it through parents.
func edgeRouteOn(name, parents string) string {
	return strings.NewReplacer("NAME", name, "PARENTS", parents).Replace(`---
apiVersion: v1
kind: Service
metadata: {name: NAME, namespace: web, annotations: {lbplanner.io/traffic: "rps=10,gbPerMonth=10"}}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: NAME, namespace: web}
spec:
  parentRefs: PARENTS
  hostnames: [NAME.example.com]
  rules: [{backendRefs: [{name: NAME, port: 80}]}]
`)
}

// A TCPRoute attached to two Envoy Gateways keeps its parentRef to the second
// when the plan moves its service off the first (here pinned to a load
// balancer of its own): it was deleted, and the second Gateway's clients
// lost it.
func TestTCPRouteOnTwoGateways(t *testing.T) {
	data, err := os.ReadFile("testdata/roundtrip/aws_us-east-1_envoy-tcproute.yaml")
	if err != nil {
		t.Fatal(err)
	}
	second := `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge2, namespace: edge}
spec:
  gatewayClassName: eg
  listeners: [{name: pg, protocol: TCP, port: 5432, allowedRoutes: {namespaces: {from: All}}}]
---
`
	cluster := second + strings.Replace(string(data), "parentRefs: [{name: edge, namespace: edge, sectionName: pg}]",
		"parentRefs: [{name: edge, namespace: edge, sectionName: pg}, {name: edge2, namespace: edge}]", 1)
	srcs := []Source{{Name: "c.yaml", Data: []byte(cluster)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, err := Read(srcs, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range res.Declaration.Services {
		if s.Name == "db" {
			if len(s.AlsoOn) != 1 || s.AlsoOn[0].Name != "gateway:edge/edge2" {
				t.Fatalf("db: alsoOn %+v, want edge2", s.AlsoOn)
			}
			res.Declaration.Services[i].Pin = planner.LoadBalancer
		}
	}
	p := computePlan(t, res.Declaration)
	out := string(mustRender(t, srcs, res, p, opts).Files[0].Data)
	if !strings.Contains(out, "kind: TCPRoute\nmetadata: {name: db, namespace: shop}\nspec:\n  parentRefs:\n    - {name: edge2, namespace: edge}\n") {
		t.Errorf("the TCPRoute keeps edge2 alone:\n%s", out)
	}
}

// A route naming two listeners of one Gateway (sectionName http and https)
// is on both: HTTPS, served over plain HTTP too (it was read on the first
// alone, as plain HTTP, and a plan could drop its HTTPS). Kept there, render
// leaves its parentRefs as they are.
func TestRouteOnTwoListeners(t *testing.T) {
	cluster := gatewayOf("ext", "gke-l7-global-external-managed", httpListener+", {name: https, protocol: HTTPS, port: 443, allowedRoutes: {namespaces: {from: All}}, tls: {certificateRefs: [{name: ext-tls}]}}") + edgeRouteOn("a", "[{name: ext, namespace: edge, sectionName: http}, {name: ext, namespace: edge, sectionName: https}]")
	srcs := []Source{{Name: "c.yaml", Data: []byte(cluster)}}
	opts := Options{Cloud: "gcp", Region: "us-central1"}
	res, p := planSources(t, srcs, opts)
	a := res.Declaration.Services[0]
	if a.Protocol != planner.ProtoHTTPS || a.CurrentLoadBalancer == nil || !a.CurrentLoadBalancer.HTTPFrontend {
		t.Fatalf("a read as %s on %+v: want HTTPS served over plain HTTP too", a.Protocol, a.CurrentLoadBalancer)
	}
	if r := mustRender(t, srcs, res, p, opts); len(r.Files) != 0 || len(r.Changes) != 0 {
		t.Errorf("kept on its Gateway, render changed %v", r.Changes)
	}
	planRenderReplan(t, "two listeners", srcs, opts)
}
