package manifests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
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
	var b strings.Builder
	traffic := map[string]planner.Traffic{}
	b.WriteString(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: api
  annotations: {alb.ingress.kubernetes.io/scheme: internet-facing}
spec:
  ingressClassName: alb
  rules:
  - host: api.example.com
    http:
      paths:
`)
	for p := range 12 {
		fmt.Fprintf(&b, "      - {path: /p%02d, pathType: Prefix, backend: {service: {name: p%02d, port: {number: 80}}}}\n", p, p)
		traffic[fmt.Sprintf("api/p%02d", p)] = planner.Traffic{RequestsPerSecond: planner.Q(5000)}
	}
	for p := range 12 {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Service\nmetadata: {name: p%02d, namespace: api}\nspec: {ports: [{name: http, port: 80}]}\n", p)
	}
	srcs := []Source{{Name: "api.yaml", Data: []byte(b.String())}}
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
