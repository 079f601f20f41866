package manifests

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// A Gateway's listener takes routes of its own namespace unless its
// allowedRoutes say otherwise: a route from another namespace is not
// attached (its Service was read as routed by the Gateway).
func TestAllowedRoutesRead(t *testing.T) {
	gw := func(allowed string) string {
		return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: edge}
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners: [{name: http, protocol: HTTP, port: 80` + allowed + `}]
---
` + serviceDocs("shop", "a") + "\n---\n" + httpRoute("shop", "a", "edge/edge", "")
	}
	for _, c := range []struct {
		allowed string
		routed  bool
	}{
		{"", false},
		{", allowedRoutes: {namespaces: {from: Same}}", false},
		{", allowedRoutes: {namespaces: {from: All}}", true},
		{", allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [shop]}]}}}", true},
		{", allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: web}}}}", false},
		{", allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: shop}}}}", true}, // labels the manifests may not hold: read as taking it
	} {
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(gw(c.allowed))}}, Options{Cloud: "gcp", Region: "us-central1"})
		if err != nil {
			t.Fatal(err)
		}
		s := res.Declaration.Services[0]
		if routed := s.CurrentLoadBalancer != nil; routed != c.routed || (!routed && s.Current != planner.ClusterIP) {
			t.Errorf("%q: read as %s on %+v, want routed %v", c.allowed, s.Current, s.CurrentLoadBalancer, c.routed)
		}
		if warned := strings.Contains(strings.Join(res.Warnings, "\n"), "not attached there"); warned == c.routed {
			t.Errorf("%q: warnings %v", c.allowed, res.Warnings)
		}
	}
}

// The plan moves two Services of namespace shop onto today's Envoy Gateway
// edge/eg, whose listener takes routes of edge alone: render has it take
// shop's too (by the name label every namespace has), else their routes
// would not attach. By hand (us-east-1, no traffic): today the proxy's NLB
// ($16.425 + two addresses $7.30) and two pods (2 x 730 x (0.1 x $0.04048 +
// 0.5 x $0.004445) = $9.15) $32.88, and each Service's own NLB $23.73:
// $80.34; planned, all three behind the proxy, $32.88.
func TestRenderWidensAllowedRoutes(t *testing.T) {
	data, err := os.ReadFile("testdata/allowedroutes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyProxy})
	if p.Totals.CurrentMonthlyCost.Dollars() != "$80.34" || p.Totals.MonthlyCost.Dollars() != "$32.88" {
		t.Fatalf("today %s, planned %s; want $80.34 and $32.88", p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
	}
	r := mustRender(t, srcs, res, p, opts)
	out := joined(applyRendering(srcs, r))
	if !strings.Contains(out, "{key: kubernetes.io/metadata.name, operator: In, values: [edge, shop]}") ||
		!slices.Contains(r.Changes, "Gateway edge/eg: listener http takes routes of namespaces edge, shop (its planned services' routes)") {
		t.Fatalf("want listener http to take routes of edge and shop; changes %v\n%s", r.Changes, out)
	}
	res2, err := Read(applyRendering(srcs, r), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res2.Declaration.Services {
		if s.CurrentLoadBalancer == nil || s.CurrentLoadBalancer.Name != "gateway:edge/eg" {
			t.Errorf("read back, %s on %+v, want gateway:edge/eg", s.Key(), s.CurrentLoadBalancer)
		}
	}
}

// A route's backendRef to a Service of another namespace resolves only
// where a ReferenceGrant of that namespace allows it; with none in the
// manifests at all, it is read as allowed, and a warning says so.
func TestReferenceGrantRead(t *testing.T) {
	grant := func(from, name string) string {
		to := "{group: '', kind: Service}"
		if name != "" {
			to = "{group: '', kind: Service, name: " + name + "}"
		}
		return `
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-edge, namespace: shop}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: ` + from + `}]
  to: [` + to + `]`
	}
	for _, c := range []struct {
		grant, warning string
		routed         bool
	}{
		{"", "read as allowed: the manifests hold no ReferenceGrant", true},
		{grant("edge", ""), "", true},
		{grant("edge", "a"), "", true},
		{grant("edge", "b"), "which no ReferenceGrant of namespace shop allows", false},
		{grant("web", ""), "which no ReferenceGrant of namespace shop allows", false},
	} {
		src := `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: edge}
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
` + serviceDocs("shop", "a") + `
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a, namespace: edge}
spec:
  parentRefs: [{name: edge}]
  hostnames: [a.example.com]
  rules: [{backendRefs: [{name: a, namespace: shop, port: 80}]}]` + c.grant + "\n"
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(src)}}, Options{Cloud: "gcp", Region: "us-central1"})
		if err != nil {
			t.Fatal(err)
		}
		s := res.Declaration.Services[0]
		w := strings.Join(res.Warnings, "\n")
		if routed := s.CurrentLoadBalancer != nil; routed != c.routed || (c.warning != "") != strings.Contains(w, "ReferenceGrant") || !strings.Contains(w, c.warning) {
			t.Errorf("grant %q: %s on %+v, warnings %v; want routed %v, warning %q", c.grant, s.Current, s.CurrentLoadBalancer, res.Warnings, c.routed, c.warning)
		}
	}
}

// A GKE Gateway that routes no Service is billed whatever the plan: its
// forwarding rule counts as an existing global one, which pays the first
// five's flat $0.025 an hour. By hand (us-central1): today shop/b's regional
// passthrough rule, the first five's flat 730 x $0.025 = $18.25; planned on a
// GKE Ingress, its global rule joins the idle Gateway's among the first
// five, already paid: $0.00. On AWS an idle ALB Gateway is warned of alone.
func TestIdleGatewayCounted(t *testing.T) {
	src := `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: edge}
spec:
  gatewayClassName: CLASS
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: shop}
spec: {type: LoadBalancer, ports: [{name: http, port: 80}]}
`
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Replace(src, "CLASS", "gke-l7-global-external-managed", 1))}}
	res, p := planSources(t, srcs, Options{Cloud: "gcp", Region: "us-central1"})
	if f := res.Declaration.ExistingForwardingRules; f == nil || f.Global != 1 || f.Regional != 0 {
		t.Fatalf("existing forwarding rules %+v, want 1 global", f)
	}
	if p.Totals.CurrentMonthlyCost.Dollars() != "$18.25" || p.Totals.MonthlyCost.Dollars() != "$0.00" {
		t.Fatalf("today %s, planned %s; want $18.25 and $0.00", p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
	}
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "Gateway edge/edge routes no Service lbplanner reads: its 1 forwarding rule(s) are billed whatever the plan") {
		t.Fatalf("warnings %v", res.Warnings)
	}
	aws := []Source{{Name: "c.yaml", Data: []byte(strings.Replace(src, "CLASS", "aws-alb", 1))}}
	res, err := Read(aws, Options{Cloud: "aws", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "Gateway edge/edge routes no Service lbplanner reads: its load balancer is billed whatever the plan") {
		t.Fatalf("warnings %v", res.Warnings)
	}
}

// A Gateway that asks for addresses of its own (spec.addresses: a reserved
// one, an IP) keeps them only while it stays: its services need staticIP
// and stay on it (moved off, render would delete it and its address, to
// which their DNS points).
func TestGatewayAddressesRead(t *testing.T) {
	src := `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec:
  gatewayClassName: gke-l7-global-external-managed
  addresses: [{type: NamedAddress, value: shop-ip}]
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
` + serviceDocs("shop", "a") + "\n---\n" + httpRoute("shop", "a", "shop/edge", "")
	res, p := planSources(t, []Source{{Name: "c.yaml", Data: []byte(src)}}, Options{Cloud: "gcp", Region: "us-central1"})
	if s := res.Declaration.Services[0]; !s.Has(planner.NeedStaticIP) {
		t.Fatalf("shop/a needs %v, want staticIP", s.Needs)
	}
	if row := planRow(t, p, "shop/a"); row.Gateway != "shop/edge" {
		t.Fatalf("shop/a planned on %s, want its Gateway shop/edge", describe(row))
	}
}

// ingress-nginx's own Service reachable from 10.0.0.0/8 alone restricts the
// services behind it: they need auth, which keeps them on that very proxy,
// even when the plan moves off today's proxies (proxy.replaceToday). They
// were moved onto an internet-facing ALB, open to everyone.
func TestRestrictedProxyKeepsItsServices(t *testing.T) {
	data, err := os.ReadFile("testdata/restricted-proxy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, err := Read([]Source{{Name: "c.yaml", Data: data}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Declaration.Services {
		if !s.Has(planner.NeedAuth) {
			t.Fatalf("%s needs %v, want auth", s.Key(), s.Needs)
		}
	}
	res.Declaration.Proxy = &planner.ProxySizing{ReplaceToday: true}
	p := computePlan(t, res.Declaration)
	for _, k := range []string{"shop/api", "shop/web"} {
		if row := planRow(t, p, k); row.LoadBalancer == nil || *row.LoadBalancer != "nginx" {
			t.Errorf("%s planned on %s, want today's ingress-nginx", k, describe(row))
		}
	}
	if p.Totals.MonthlyCost != *p.Totals.CurrentMonthlyCost {
		t.Errorf("planned %s, today %s: want today's", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
}

// A listener that picks namespaces by other labels cannot be widened by
// name: render says which namespaces need the labels.
func TestRenderWarnsOfLabelSelectedNamespaces(t *testing.T) {
	data, err := os.ReadFile("testdata/allowedroutes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(data), "listeners: [{name: http, protocol: HTTP, port: 80}]",
		"listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {gateway-access: 'true'}}}}}]", 1)
	srcs := []Source{{Name: "c.yaml", Data: []byte(src)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyProxy})
	r := mustRender(t, srcs, res, p, opts)
	if w := strings.Join(r.Warnings, "\n"); !strings.Contains(w, "Gateway edge/eg: listener http takes routes of the namespaces its selector picks by label: namespaces shop need those labels") {
		t.Fatalf("warnings %v", r.Warnings)
	}
}
