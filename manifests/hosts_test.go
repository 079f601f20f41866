package manifests

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"go.yaml.in/yaml/v3"
)

// TestIngressHostStaysOnItsALB: one ALB Ingress routes twelve busy paths of
// api.example.com to twelve Services. Two ALBs would take them for less (no
// rule past the tenth), but the host's DNS name reaches one of them only:
// the plan keeps today's ALB, at today's cost.
// By hand: hours 730 x $0.0225 = $16.43; rules 11 and 12 evaluated 1 and 2
// times for each of their 5,000 requests a second, 15,000 a second = 15 LCU
// x 730 h x $0.008 = $87.60; public IPv4 for two zones, 1,460 h x $0.005 =
// $7.30: $111.33.
func TestIngressHostStaysOnItsALB(t *testing.T) {
	srcs, traffic := oneHostIngress("", pNN, func(int) int64 { return 5000 })
	opts := Options{Cloud: "aws", Region: "us-east-1", Traffic: traffic}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyALB})
	if len(p.LoadBalancers) != 1 || len(p.LoadBalancers[0].Services) != 12 {
		t.Fatalf("%d load balancers for one host", len(p.LoadBalancers))
	}
	if p.Totals.MonthlyCost != 111_33 || p.Totals.CurrentMonthlyCost == nil || *p.Totals.CurrentMonthlyCost != 111_33 {
		t.Fatalf("plan $%v, today %v; want $111.33 both", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	if len(res.Declaration.Services) != 12 {
		t.Fatalf("read %d services", len(res.Declaration.Services))
	}
	planRenderReplan(t, "one host", srcs, opts) // rendered, read back and planned again: the same ALB, at the same cost
}

// TestIngressPathsReorderedForRuleOrder: the same Ingress, path pNN busier
// with NN. The controller evaluates one Ingress's Prefix paths of one length
// in the order listed, p00 (least busy) first: today, rules 11 and 12 are
// p10 and p11, 6,000 + 2 x 6,100 = 18,200 evaluations a second, 18.2 LCU x
// 730 h x $0.008 = $106.29, with $16.43 of hours and $7.30 of addresses
// $130.02. The plan prices the ALB busiest rule first: rules 11 and 12 are
// p01 and p00, 5,100 + 2 x 5,000 = 15,100 a second, $88.18: $111.91. Render
// lists the paths busiest first, which the controller keeps: the Ingress
// stays one, its ALB the same.
func TestIngressPathsReorderedForRuleOrder(t *testing.T) {
	srcs, traffic := oneHostIngress("", pNN, func(p int) int64 { return int64(5000 + 100*p) })
	rendered, after := ruleOrderRoundTrip(t, srcs, traffic)
	if len(rendered.Warnings) != 0 {
		t.Errorf("warnings %q", rendered.Warnings)
	}
	if strings.Contains(joined(after), "group.name") || strings.Count(joined(after), "kind: Ingress") != 1 {
		t.Fatalf("the Ingress is not kept whole:\n%s", joined(after))
	}
	var listed []string
	for _, m := range regexp.MustCompile(`name: (p\d\d), port`).FindAllStringSubmatch(joined(after), -1) {
		listed = append(listed, m[1])
	}
	if want := "p11 p10 p09 p08 p07 p06 p05 p04 p03 p02 p01 p00"; strings.Join(listed, " ") != want {
		t.Errorf("paths listed %v, want %s", listed, want)
	}
}

// TestIngressSplitForRuleOrder: the same, each path pNN of 13-NN letters, so
// that the controller, longest Prefix first, puts p00 (least busy) first
// however they are listed: today and the plan cost as above. Render gives
// p01..p11 Ingresses of their own in a group named after the Ingress, each
// at its group.order, the original keeping p00 at the twelfth; each a copy
// of the original, its authentication included; and it warns that the ALB
// is created anew for the group.
func TestIngressSplitForRuleOrder(t *testing.T) {
	letters := func(p int) string { return "/" + strings.Repeat(string(rune('a'+p)), 13-p) }
	srcs, traffic := oneHostIngress(", alb.ingress.kubernetes.io/auth-type: cognito", letters, func(p int) int64 { return int64(5000 + 100*p) })
	rendered, after := ruleOrderRoundTrip(t, srcs, traffic)
	if want := "Ingress api/api becomes IngressGroup api-api so that its ALB evaluates rules in the plan's order"; len(rendered.Warnings) != 1 || !strings.HasPrefix(rendered.Warnings[0], want) {
		t.Errorf("warnings %q, want one starting %q", rendered.Warnings, want)
	}
	order := map[string]string{}
	for _, doc := range strings.Split(joined(after), "\n---\n") {
		if !strings.Contains(doc, "kind: Ingress") {
			continue
		}
		if !strings.Contains(doc, "auth-type: cognito") || !strings.Contains(doc, "group.name: api-api") {
			t.Errorf("an Ingress without the original's authentication, or out of the group:\n%s", doc)
		}
		o := regexp.MustCompile(`group.order: "?(\d+)`).FindStringSubmatch(doc)
		for _, m := range regexp.MustCompile(`name: (p\d\d), port`).FindAllStringSubmatch(doc, -1) {
			if o == nil {
				t.Fatalf("an Ingress without group.order:\n%s", doc)
			}
			order[m[1]] = o[1]
		}
	}
	for q := range 12 {
		if want := strconv.Itoa(12 - q); order[fmt.Sprintf("p%02d", q)] != want {
			t.Errorf("p%02d at group.order %q, want %s (%v)", q, order[fmt.Sprintf("p%02d", q)], want, order)
		}
	}
}

// ruleOrderRoundTrip plans oneHostIngress's cluster on ALBs ($111.91, today
// $130.02), renders it, and checks the rendered manifests: read back, one
// ALB costing today what was planned, and nothing more to render.
func ruleOrderRoundTrip(t *testing.T, srcs []Source, traffic map[string]planner.Traffic) (*Rendering, []Source) {
	t.Helper()
	opts := Options{Cloud: "aws", Region: "us-east-1", Traffic: traffic}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyALB})
	if c := p.Totals.CurrentMonthlyCost; p.Totals.MonthlyCost != 111_91 || c == nil || *c != 130_02 {
		t.Fatalf("plan $%v, today %v; want $111.91 and $130.02", p.Totals.MonthlyCost, c)
	}
	rendered := mustRender(t, srcs, res, p, opts)
	after := applyRendering(srcs, rendered)
	res2, p2 := planWithStrategies(t, after, opts, []string{planner.StrategyALB})
	if len(res2.Declaration.Services) != 12 || len(p2.LoadBalancers) != 1 || p2.Totals.CurrentMonthlyCost == nil || *p2.Totals.CurrentMonthlyCost != 111_91 || p2.Totals.MonthlyCost != 111_91 {
		t.Fatalf("read back: %d load balancers, today %v, plan $%v\n%s", len(p2.LoadBalancers), p2.Totals.CurrentMonthlyCost, p2.Totals.MonthlyCost, joined(after))
	}
	if again := mustRender(t, after, res2, p2, opts); len(again.Files) != 0 || again.New != nil {
		t.Fatalf("rendering the rendered manifests changes %v", again.Changes)
	}
	return rendered, after
}

// TestALBRuleOrderAsTheControllerGivesIt: within an Ingress, each rule's
// Exact paths first, then Prefix paths longest first, then the rest as
// listed, the default backend last; across an IngressGroup's Ingresses by
// group.order, then namespace/name.
func TestALBRuleOrderAsTheControllerGivesIt(t *testing.T) {
	got := albBackendOrder([][]albPath{
		{{"Prefix", "/", []string{"a/root"}}, {"ImplementationSpecific", "/x*", []string{"a/x"}}, {"Prefix", "/api/v1", []string{"a/v1"}},
			{"Exact", "/login", []string{"a/login"}}, {"Prefix", "/api", []string{"a/api"}}, {"Prefix", "/zzzz", []string{"a/z"}}},
		{{"Prefix", "/", []string{"a/other", "a/canary"}}},
	}, []string{"a/default", "a/root"})
	want := []string{"a/login", "a/v1", "a/z", "a/api", "a/root", "a/x", "a/other", "a/canary", "a/default"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("order %v, want %v", got, want)
	}
	pos := albPositions([]albIngress{
		{order: 0, key: "b/two", backends: []string{"b/s3", "b/s1"}},
		{order: 5, key: "a/last", backends: []string{"a/s4"}},
		{order: 0, key: "a/one", backends: []string{"a/s1", "a/s2"}},
		{order: -1, key: "z/first", backends: []string{"z/s0"}},
	})
	for k, want := range map[string]int{"z/s0": 1, "a/s1": 2, "a/s2": 3, "b/s3": 4, "b/s1": 5, "a/s4": 6} {
		if pos[k] != want {
			t.Errorf("%s at %d, want %d (%v)", k, pos[k], want, pos)
		}
	}
}

// TestLeavingAnIngressWarnsOfItsAnnotations: a Service that leaves an
// Ingress for a new object gets the class, group and scheme the plan
// writes, not the Ingress's authentication or firewall: render says which
// annotations stay behind.
func TestLeavingAnIngressWarnsOfItsAnnotations(t *testing.T) {
	var doc yaml.Node
	src := `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/group.name: shop
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/auth-type: oidc
    alb.ingress.kubernetes.io/wafv2-acl-arn: arn:aws:wafv2:acl
    kubectl.kubernetes.io/last-applied-configuration: "{}"
`
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	r := &renderer{rows: map[string]planner.ServicePlan{"shop/admin": {Name: "admin", Namespace: "shop",
		Annotations: map[string]string{annALBGroup: "internal-1", annALBScheme: "internal"}}}, out: &Rendering{}}
	r.leftBehind(doc.Content[0], "shop", "shop", "shop/admin")
	want := "Service shop/admin leaves Ingress shop/shop for a new object without its annotations alb.ingress.kubernetes.io/auth-type, alb.ingress.kubernetes.io/wafv2-acl-arn: add those it needs (authentication, a firewall, health checks) there"
	if len(r.out.Warnings) != 1 || r.out.Warnings[0] != want {
		t.Errorf("warnings %q, want %q", r.out.Warnings, want)
	}
}

// oneHostIngress is an ALB Ingress api/api (with more annotations, if any)
// routing api.example.com/path(NN) (Prefix) to Services api/pNN, for NN from
// 00 to 11, at rps(NN) requests a second.
func oneHostIngress(annotations string, path func(p int) string, rps func(p int) int64) ([]Source, map[string]planner.Traffic) {
	var b strings.Builder
	traffic := map[string]planner.Traffic{}
	fmt.Fprintf(&b, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: api
  annotations: {alb.ingress.kubernetes.io/scheme: internet-facing%s}
spec:
  ingressClassName: alb
  rules:
  - host: api.example.com
    http:
      paths:
`, annotations)
	for p := range 12 {
		fmt.Fprintf(&b, "      - {path: %s, pathType: Prefix, backend: {service: {name: p%02d, port: {number: 80}}}}\n", path(p), p)
		traffic[fmt.Sprintf("api/p%02d", p)] = planner.Traffic{RequestsPerSecond: planner.Q(rps(p))}
	}
	for p := range 12 {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Service\nmetadata: {name: p%02d, namespace: api}\nspec: {ports: [{name: http, port: 80}]}\n", p)
	}
	return []Source{{Name: "api.yaml", Data: []byte(b.String())}}, traffic
}

// pNN is the path /pNN.
func pNN(p int) string { return fmt.Sprintf("/p%02d", p) }
