package manifests

import (
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// envoyRouteCluster is Envoy Gateway's proxy on AWS behind its NLB, routing
// one HTTPRoute whose first rule sends the requests match takes to shop/b,
// the rest of shop.example.com to shop/a.
func envoyRouteCluster(match string) []Source {
	return []Source{{Name: "c.yaml", Data: []byte(envoyGateway("edge", "eg", "{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}") + "\n---\n" +
		envoyService("eg", "service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing, service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip") + `
---
` + serviceDocs("shop", "a", "b") + `
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{name: eg, namespace: edge}]
  hostnames: [shop.example.com]
  rules:
    - matches: [` + match + `]
      backendRefs: [{name: b, port: 80}]
    - backendRefs: [{name: a, port: 80}]
`)}}
}

// A route's match that an ALB would test otherwise keeps its services on
// today's Gateway: an ALB compares header and query values ignoring case
// (AWS's HttpHeaderConditionConfig: "The comparison strings are case
// insensitive") and reads * and ? as wildcards, holds five tests a rule,
// and render writes no regular expression as an Ingress (it deleted the
// Gateway and left the route, unwritten, to be moved by hand). By hand
// (us-east-1, no traffic): today the NLB's hour (730 x $0.0225 = $16.425),
// its two public addresses (1,460 x $0.005 = $7.30) and Envoy Gateway's two
// pods (2 x 730 x (0.1 vCPU x $0.04048 + 0.5 GiB x $0.004445) = $9.15493):
// $32.88; on an ALB, its hour and addresses: $23.73.
func TestRouteMatchAnALBTestsOtherwiseStays(t *testing.T) {
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	for _, c := range []struct{ match, need, planned string }{
		{`{headers: [{name: x-env, value: Beta}]}`, planner.NeedExactMatch, "$32.88"},
		{`{headers: [{name: x-env, value: "2*"}]}`, planner.NeedExactMatch, "$32.88"},
		{`{queryParams: [{name: env, value: beta}]}`, planner.NeedExactMatch, "$32.88"},
		{`{queryParams: [{name: Env, value: "2"}]}`, planner.NeedExactMatch, "$32.88"},
		{`{path: {type: PathPrefix, value: /v2}, headers: [{name: x-a, value: "1"}, {name: x-b, value: "2"}, {name: x-c, value: "3"}, {name: x-d, value: "4"}]}`, planner.NeedExactMatch, "$32.88"}, // six tests with the host
		{`{headers: [{name: x-env, type: RegularExpression, value: "b.*"}]}`, planner.NeedRewrite, "$32.88"},
		{`{path: {type: RegularExpression, value: "/v[0-9]+/.*"}}`, planner.NeedRewrite, "$32.88"},
		// a value of digits alone is tested alike: both move onto an ALB
		{`{headers: [{name: x-env, value: "2"}]}`, "", "$23.73"},
	} {
		srcs := envoyRouteCluster(c.match)
		res, p := planSources(t, srcs, opts)
		var b *planner.Service
		for i := range res.Declaration.Services {
			if res.Declaration.Services[i].Key() == "shop/b" {
				b = &res.Declaration.Services[i]
			}
		}
		if b == nil || (c.need != "" && !b.Has(c.need)) || (c.need == "" && (b.Has(planner.NeedExactMatch) || b.Has(planner.NeedRewrite))) {
			t.Errorf("%s: shop/b read as %+v, want need %q", c.match, b, c.need)
			continue
		}
		if p.Totals.CurrentMonthlyCost.Dollars() != "$32.88" || p.Totals.MonthlyCost.Dollars() != c.planned {
			t.Errorf("%s: today %s, planned %s; want $32.88 and %s", c.match, p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost, c.planned)
		}
		r := mustRender(t, srcs, res, p, opts)
		if w := strings.Join(r.Warnings, "\n"); strings.Contains(w, "by hand") {
			t.Errorf("%s: render left a route to move by hand:\n%s", c.match, w)
		}
		if c.need == "" {
			if out := string(r.New); !strings.Contains(out, `"httpHeaderName":"x-env","values":["2"]`) || !slices.Contains(r.Deleted, "HTTPRoute shop/r") {
				t.Errorf("%s: want the header an ALB condition, the route gone (deleted %v):\n%s", c.match, r.Deleted, out)
			}
		}
		planRenderReplan(t, c.match, srcs, opts)
	}
}

// What only a Gateway's route does keeps its services on today's Gateway
// (the rewrite need): an HTTPRoute rule's timeouts, retries or session
// persistence, a GRPCRoute's filters; an Ingress has none of them.
func TestRouteOnlyFeaturesSetRewrite(t *testing.T) {
	for _, c := range []struct{ kind, rule string }{
		{"HTTPRoute", "timeouts: {request: 10s}, "},
		{"HTTPRoute", "sessionPersistence: {sessionName: s, type: Cookie}, "},
		{"GRPCRoute", "filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x, value: '1'}]}}], "},
		{"GRPCRoute", "backendRefs: [{name: a, port: 80, filters: [{type: RequestMirror, requestMirror: {backendRef: {name: b, port: 80}}}]}], "},
	} {
		backends := "backendRefs: [{name: a, port: 80}]"
		if strings.Contains(c.rule, "backendRefs") {
			backends = strings.TrimSuffix(c.rule, ", ")
			c.rule = ""
		}
		src := `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop}
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
` + serviceDocs("shop", "a", "b") + `
---
apiVersion: gateway.networking.k8s.io/v1
kind: ` + c.kind + `
metadata: {name: a, namespace: shop}
spec:
  parentRefs: [{name: edge}]
  hostnames: [a.example.com]
  rules: [{` + c.rule + backends + `}]
`
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(src)}}, Options{Cloud: "gcp", Region: "us-central1"})
		if err != nil {
			t.Fatalf("%s %s: %v", c.kind, c.rule, err)
		}
		for _, s := range res.Declaration.Services {
			if s.Name == "a" && !s.Has(planner.NeedRewrite) {
				t.Errorf("%s {%s%s}: shop/a needs %v, want rewrite", c.kind, c.rule, backends, s.Needs)
			}
		}
	}
}

// A GRPCRoute's split by header stays off ALBs whatever the value: render
// writes a GRPCRoute's split onto no ALB Ingress (it left the route to be
// moved by hand and deleted its Gateway). $32.88 kept (see above).
func TestGRPCRouteSplitStaysOffALBs(t *testing.T) {
	srcs := envoyRouteCluster(`{headers: [{name: x-env, value: "1"}]}`)
	srcs[0].Data = []byte(strings.Replace(string(srcs[0].Data), "kind: HTTPRoute", "kind: GRPCRoute", 1))
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	for _, s := range res.Declaration.Services {
		if s.Name == "b" && !s.Has(planner.NeedExactMatch) {
			t.Fatalf("shop/b needs %v, want exactMatch", s.Needs)
		}
	}
	if p.Totals.MonthlyCost.Dollars() != "$32.88" {
		t.Fatalf("planned %s, want $32.88 (kept)", p.Totals.MonthlyCost)
	}
	if r := mustRender(t, srcs, res, p, opts); strings.Contains(strings.Join(r.Changes, "\n"), "by hand") {
		t.Fatalf("render left a route to move by hand: %v", r.Changes)
	}
}
