package report

import (
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

func TestAppendLoadBalancerIsEncodingJSONs(t *testing.T) {
	lbs := []planner.LoadBalancerPlan{
		{ID: "alb-\"internet\"-1", Kind: "alb", Strategy: "ingress-group", Scheme: "internet-facing",
			Services: []string{"ns/a", "ns/b\u2028"}, RuleOrder: []string{"ns/b\u2028", "ns/a"},
			Quotas:          &planner.Quotas{Rules: 2, Certificates: 1, TargetGroups: 2, Listeners: 2, Limits: planner.QuotaLimits{Rules: 100, Certificates: 25, TargetGroups: 100}},
			SplitReason:     "quota\tof rules",
			RuleEvaluations: &planner.RuleEvaluations{Priced: "by position", PerSecond: planner.Q(12), WorstCasePerSecond: planner.Q(1) / 4, WorstCaseMonthlyCost: money.Cents(-7)},
			RulesBilledIn:   []string{"gcp-forwarding-rules"},
			Costs: []planner.CostLine{
				{Name: "ALB hours", Quantity: "730", Unit: "hour", UnitPrice: "0.0225", MonthlyCost: 1643, Source: "aws <&>", Date: "2026-09-01"},
				{Name: "LCU", MonthlyCost: 0},
			},
			MonthlyCost: 1643},
		{ID: "x", Services: []string{}, RuleOrder: []string{}, Costs: []planner.CostLine{}, RulesBilledIn: []string{}},
		{ID: "\xff"},
	}
	for _, lb := range lbs {
		for _, prefix := range []string{"", "    "} {
			if got, want := string(appendLoadBalancer(nil, &lb, prefix)), encodingJSON(t, &lb, prefix); got != want {
				t.Errorf("%s:\n got %s\nwant %s", lb.ID, got, want)
			}
		}
	}
}
