package costdiff

import (
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

func plan(t *testing.T, strategies []string, svcs ...planner.Service) *planner.Plan {
	t.Helper()
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Compute(&planner.Declaration{Cloud: "aws", Region: "us-east-1", Strategies: strategies, Services: svcs}, cat)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func web(name string) planner.Service {
	return planner.Service{Name: name, Protocol: planner.ProtoHTTP, Port: 80, Audience: planner.AudienceInternet, Hosts: []string{name + ".example.com"}}
}

// Adding a third web service to two that share an ALB: by hand the ALB
// ($16.43 + $7.30 for two zones' addresses, no traffic) is unchanged and
// the new service costs nothing more; forbidding sharing instead gives
// each an NLB of its own ($16.43 + $7.30 each).
func TestCompare(t *testing.T) {
	base := plan(t, nil, web("a"), web("b"))
	d := Compare(base, plan(t, nil, web("a"), web("b"), web("c")))
	if d.Delta != 0 || len(d.Services) != 3 || d.Services[2].Change != Added || d.Services[0].Change != Changed {
		t.Fatalf("%+v", d)
	}
	if lb := d.LoadBalancers[0]; lb.Change != Changed || len(lb.Services) != 1 || lb.Services[0] != "+default/c" {
		t.Fatalf("%+v", lb)
	}
	d = Compare(base, plan(t, []string{}, web("a"), web("b")))
	if d.Base != 2373 || d.Head != 2*2373 || d.Delta != 2373 || d.Percent != "100.00" {
		t.Fatalf("%+v", d)
	}
	kinds := map[string]string{}
	for _, l := range d.LoadBalancers {
		kinds[l.ID] = l.Change
	}
	if kinds["alb-internet-1"] != Removed || kinds["nlb-default-a"] != Added || kinds["nlb-default-b"] != Added {
		t.Fatalf("%v", kinds)
	}
	for _, c := range []struct {
		limit string
		over  bool
	}{{"23.72", true}, {"23.73", false}, {"99%", true}, {"100%", false}, {"100.5%", false}} {
		th, err := ParseThreshold(c.limit)
		if err != nil {
			t.Fatal(err)
		}
		if over, why := th.Exceeds(d); over != c.over || (over && why == "") {
			t.Errorf("--fail-over %s: %v %q", c.limit, over, why)
		}
	}
	for _, bad := range []string{"", "-5%", "ten", "1e999"} {
		if _, err := ParseThreshold(bad); err == nil {
			t.Errorf("--fail-over %q accepted", bad)
		}
	}
}
