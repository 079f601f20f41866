package manifests

import (
	"strings"

	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// foldedByALB reports whether an ALB's rule condition would test a value
// otherwise than Gateway API's Exact match or an ingress-nginx canary's
// header does: it has a letter (an ALB compares header and query values
// ignoring case) or a * or ? (an ALB's wildcards).
func foldedByALB(v string) bool {
	return strings.ToLower(v) != strings.ToUpper(v) || strings.ContainsAny(v, "*?")
}

// httpMatchTests says how an HTTPRoute match tests requests beyond what an
// Ingress writes: regex when by a regular expression (a path, header or
// query parameter: only a Gateway tests it, the rewrite need), exact when
// by a value an ALB would test otherwise (foldedByALB) or by more tests
// than an ALB rule holds (albMaxEvaluations, the host's included when the
// route names hosts): the exactMatch need.
func httpMatchTests(m gatewayv1.HTTPRouteMatch, hosted bool) (regex, exact bool) {
	if m.Path != nil && m.Path.Type != nil && *m.Path.Type == gatewayv1.PathMatchRegularExpression {
		regex = true
	}
	tests := 1 // the path's
	if hosted {
		tests++
	}
	for _, h := range m.Headers {
		regex = regex || (h.Type != nil && *h.Type == gatewayv1.HeaderMatchRegularExpression)
		exact = exact || foldedByALB(h.Value)
		tests++
	}
	for _, q := range m.QueryParams {
		regex = regex || (q.Type != nil && *q.Type == gatewayv1.QueryParamMatchRegularExpression)
		exact = exact || foldedByALB(string(q.Name)) || foldedByALB(q.Value)
		tests++
	}
	if m.Method != nil {
		tests++
	}
	return regex, exact || tests > albMaxEvaluations
}

// grpcMatchTests is httpMatchTests for a GRPCRoute match: a method or
// header matched by a regular expression; any header match is exact, since
// render writes a GRPCRoute's split onto no ALB Ingress.
func grpcMatchTests(m gatewayv1.GRPCRouteMatch) (regex, exact bool) {
	if m.Method != nil && m.Method.Type != nil && *m.Method.Type == gatewayv1.GRPCMethodMatchRegularExpression {
		regex = true
	}
	for _, h := range m.Headers {
		regex = regex || (h.Type != nil && *h.Type == gatewayv1.GRPCHeaderMatchRegularExpression)
	}
	return regex, len(m.Headers) > 0
}

// canaryByHeader reports whether an ingress-nginx canary Ingress (its
// annotations a) sends requests to its canary by a header's value compared
// exactly: canary-by-header-value, or "always" and "never" without it.
func canaryByHeader(a map[string]string) bool {
	if a[annNginxCanary] != "true" || a[annNginxCanaryHeader] == "" {
		return false
	}
	v := a[annNginxCanaryHeaderValue]
	return v == "" || foldedByALB(v)
}
