package whatif

import (
	"os"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// At x1 the what-if is the plan itself; at x10 the shop's traffic makes the
// plan dearer; the shared services get a break-even above their traffic.
func TestRun(t *testing.T) {
	data, err := os.ReadFile("../examples/plans/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := planner.Parse(data, "shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := pricing.Default()
	p, err := planner.Compute(d, cat)
	if err != nil {
		t.Fatal(err)
	}
	factors, names, err := ParseFactors([]string{"1,10", "0.5"})
	if err != nil || len(factors) != 3 || names[2] != "0.5" {
		t.Fatalf("%v %v", names, err)
	}
	r, err := Run(d, cat, factors, names)
	if err != nil {
		t.Fatal(err)
	}
	if r.Scenarios[0].MonthlyCost != p.Totals.MonthlyCost || r.Scenarios[1].MonthlyCost <= p.Totals.MonthlyCost || r.Scenarios[2].MonthlyCost >= p.Totals.MonthlyCost {
		t.Fatalf("x1 %s, x10 %s, x0.5 %s; the plan %s", r.Scenarios[0].MonthlyCost, r.Scenarios[1].MonthlyCost, r.Scenarios[2].MonthlyCost, p.Totals.MonthlyCost)
	}
	if len(r.BreakEven) != 3 {
		t.Fatalf("break-evens %+v", r.BreakEven)
	}
	for _, be := range r.BreakEven {
		if be.Factor == "" || be.OwnKind != "nlb" || be.Traffic == nil {
			t.Errorf("%+v", be)
		}
	}
	for _, bad := range []string{"0", "-1", "x", "2,2", "2000000"} {
		if _, _, err := ParseFactors([]string{bad}); err == nil {
			t.Errorf("--scale-traffic %s accepted", bad)
		}
	}
}
