package manifests

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// The AWS Load Balancer Controller's older redirect, an actions.ssl-redirect
// action to HTTPS on path /* ahead of the Service's, redirects the plain
// HTTP of an Ingress with both listeners: read as served over plain HTTP,
// a move elsewhere served it instead of redirecting it. Moved onto a proxy
// (strategy proxy alone), the redirect goes with it and the ALB Ingress, left
// with nothing but the redirect, goes (it kept an ALB for it: $23.73).
func TestALBRedirectActionRead(t *testing.T) {
	data, err := os.ReadFile("testdata/alb-redirect-action.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyProxy})
	if cur := res.Declaration.Services[0].CurrentLoadBalancer; cur == nil || !cur.HTTPFrontend || !cur.HTTPRedirect {
		t.Fatalf("today on %+v, want plain HTTP redirected", cur)
	}
	r := mustRender(t, srcs, res, p, opts)
	out := string(r.New)
	if !slices.Contains(r.Deleted, "Ingress shop/web") || !strings.Contains(out, "type: RequestRedirect") {
		t.Fatalf("want the ALB Ingress deleted and a redirect route; deleted %v:\n%s", r.Deleted, out)
	}
	if w := strings.Join(r.Warnings, "\n"); strings.Contains(w, "actions.ssl-redirect") {
		t.Errorf("the redirect action, which the plan keeps, named as left behind:\n%s", w)
	}
	res2, err := Read(applyRendering(srcs, r), opts)
	if err != nil {
		t.Fatal(err)
	}
	if cur := res2.Declaration.Services[0].CurrentLoadBalancer; cur == nil || cur.Kind != planner.CurrentProxy || !cur.HTTPRedirect {
		t.Errorf("read back on %+v, want the proxy, plain HTTP redirected", cur)
	}
}
