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
	srcs, traffic := oneHostIngress("", func(int) int64 { return 5000 })
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

// TestIngressSplitForRuleOrder: the same Ingress, path pNN busier with NN.
// The controller evaluates one Ingress's Prefix paths of one length in the
// order listed, p00 (least busy) first; the plan prices the ALB busiest rule
// first: rules 11 and 12 are p01 and p00, 5,100 + 2 x 5,000 = 15,100
// evaluations a second, 15.1 LCU x 730 h x $0.008 = $88.18, with $16.43 of
// hours and $7.30 of addresses $111.91. Render can only give the ALB that
// order by giving p01..p11 Ingresses of their own in the group, each at its
// group.order, the original keeping p00 at the twelfth; each a copy of the
// original, its authentication included. Today, read from the
// manifests in the controller's order, costs $130.02.
func TestIngressSplitForRuleOrder(t *testing.T) {
	srcs, traffic := oneHostIngress(", alb.ingress.kubernetes.io/auth-type: cognito", func(p int) int64 { return int64(5000 + 100*p) })
	opts := Options{Cloud: "aws", Region: "us-east-1", Traffic: traffic}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyALB})
	if p.Totals.MonthlyCost != 111_91 {
		t.Fatalf("plan $%v, want $111.91", p.Totals.MonthlyCost)
	}
	// today, in the controller's order: rules 11 and 12 are p10 and p11,
	// 6,000 + 2 x 6,100 = 18,200 a second, 18.2 LCU x 730 h x $0.008 =
	// $106.29, and $23.73 as above: $130.02
	if c := p.Totals.CurrentMonthlyCost; c == nil || *c != 130_02 {
		t.Fatalf("today %v, want $130.02", c)
	}
	rendered, err := Render(srcs, res, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	after := applyRendering(srcs, rendered)
	read, err := Read(after, opts)
	if err != nil {
		t.Fatal(err)
	}
	// each Service now on an Ingress of the group at the plan's position
	order := map[string]string{}
	for _, doc := range strings.Split(joined(after), "\n---\n") {
		if !strings.Contains(doc, "kind: Ingress") {
			continue
		}
		if !strings.Contains(doc, "auth-type: cognito") {
			t.Errorf("an Ingress without the original's authentication:\n%s", doc)
		}
		o := regexp.MustCompile(`group.order: "?(\d+)`).FindStringSubmatch(doc)
		for _, m := range regexp.MustCompile(`name: (p\d\d)`).FindAllStringSubmatch(doc, -1) {
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
	if len(read.Declaration.Services) != 12 {
		t.Fatalf("read back %d services", len(read.Declaration.Services))
	}
	// read back: one ALB (the Ingresses of group api-api), today what was planned, nothing more to render
	res2, p2 := planWithStrategies(t, after, opts, []string{planner.StrategyALB})
	if len(p2.LoadBalancers) != 1 || p2.Totals.CurrentMonthlyCost == nil || *p2.Totals.CurrentMonthlyCost != 111_91 || p2.Totals.MonthlyCost != 111_91 {
		t.Fatalf("read back: %d load balancers, today %v, plan $%v\n%s", len(p2.LoadBalancers), p2.Totals.CurrentMonthlyCost, p2.Totals.MonthlyCost, joined(after))
	}
	again, err := Render(after, res2, p2, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Files) != 0 || again.New != nil {
		t.Fatalf("rendering the rendered manifests changes %v", again.Changes)
	}
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
// routing api.example.com/pNN to Services api/pNN, for NN from 00 to 11, at
// rps(NN) requests a second.
func oneHostIngress(annotations string, rps func(p int) int64) ([]Source, map[string]planner.Traffic) {
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
		fmt.Fprintf(&b, "      - {path: /p%02d, pathType: Prefix, backend: {service: {name: p%02d, port: {number: 80}}}}\n", p, p)
		traffic[fmt.Sprintf("api/p%02d", p)] = planner.Traffic{RequestsPerSecond: planner.Q(rps(p))}
	}
	for p := range 12 {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Service\nmetadata: {name: p%02d, namespace: api}\nspec: {ports: [{name: http, port: 80}]}\n", p)
	}
	return []Source{{Name: "api.yaml", Data: []byte(b.String())}}, traffic
}
