package discovery_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbplanner/terraform-provider-lbplanner/discovery"
	"github.com/lbplanner/terraform-provider-lbplanner/discovery/discoverytest"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

func client(url string) *elbv2.Client {
	return elbv2.New(elbv2.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), RetryMaxAttempts: 1})
}

func TestDiscoverAWS(t *testing.T) {
	srv := discoverytest.NewServer(discoverytest.Fleet())
	ts := httptest.NewServer(srv)
	defer ts.Close()
	cat, _ := pricing.Default()
	rp, _ := cat.Region("aws", "us-east-1")
	inv, err := discovery.AWS(context.Background(), client(ts.URL), rp, planner.Q(730), "prod")
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.LoadBalancers) != 5 {
		t.Fatalf("want the 5 load balancers of cluster prod, got %+v", inv.LoadBalancers)
	}
	if len(srv.TagCalls) != 2 || srv.TagCalls[0] != 20 || srv.TagCalls[1] != 6 {
		t.Fatalf("DescribeTags batches %v, want [20 6]", srv.TagCalls)
	}
	got := map[string]discovery.LoadBalancer{}
	for _, lb := range inv.LoadBalancers {
		got[lb.Name] = lb
	}
	// internet-facing NLB: 730 x 0.0225 = 16.43 + 2 zones x 730 x 0.005 = 7.30
	if lb := got["k8s-shop-checkout"]; lb.Kind != "nlb" || lb.Service != "shop/checkout" || lb.MonthlyFloor != 2373 {
		t.Fatalf("checkout %+v", lb)
	}
	// internal: the hours only
	if lb := got["k8s-ops-statsd"]; lb.MonthlyFloor != 1643 {
		t.Fatalf("statsd %+v", lb)
	}
	// ALB in three zones: 16.43 + 10.95
	if lb := got["k8s-web-group"]; lb.Kind != "alb" || lb.IngressGroup != "web" || lb.MonthlyFloor != 2738 {
		t.Fatalf("web group %+v", lb)
	}
	if lb := got["intree-legacy"]; lb.Service != "shop/legacy" || lb.Cluster != "prod" {
		t.Fatalf("in-tree %+v", lb)
	}
	if inv.MonthlyFloor != 2373+1643+2738+2373+2373 {
		t.Fatalf("floor %s", inv.MonthlyFloor)
	}
	// applied to a declaration: known services become current LoadBalancers, unknown owners are orphans
	d := &planner.Declaration{Services: []planner.Service{
		{Name: "checkout", Namespace: "shop"}, {Name: "statsd", Namespace: "ops", Current: planner.NodePort}, {Name: "legacy", Namespace: "shop"},
	}}
	orphans := discovery.Apply(inv, d)
	if d.Services[0].Current != planner.LoadBalancer || d.Services[1].Current != planner.NodePort || d.Services[2].Current != planner.LoadBalancer {
		t.Fatalf("current %+v", d.Services)
	}
	if len(orphans) != 1 || orphans[0].Service != "old/forgotten" {
		t.Fatalf("orphans %+v", orphans)
	}
	// without a cluster filter, every load balancer is listed
	all, err := discovery.AWS(context.Background(), client(ts.URL), rp, planner.Q(730), "")
	if err != nil || len(all.LoadBalancers) != 26 {
		t.Fatalf("all: %v %d", err, len(all.LoadBalancers))
	}
}

func TestDiscoverAWSErrors(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>`)
	}))
	defer ts.Close()
	cat, _ := pricing.Default()
	rp, _ := cat.Region("aws", "us-east-1")
	_, err := discovery.AWS(context.Background(), client(ts.URL), rp, planner.Q(730), "")
	if err == nil || !strings.Contains(err.Error(), "DescribeLoadBalancers") || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("got %v", err)
	}
}

func TestDiscoverAWSStopsOnRepeatedMarker(t *testing.T) {
	var lbs []discoverytest.LB
	for i := 0; i < 25; i++ {
		lbs = append(lbs, discoverytest.LB{Name: fmt.Sprintf("lb-%d", i), Kind: "network", Scheme: "internal", Zones: 2})
	}
	srv := discoverytest.NewServer(lbs)
	srv.RepeatMarker = true
	ts := httptest.NewServer(srv)
	defer ts.Close()
	cat, _ := pricing.Default()
	rp, _ := cat.Region("aws", "us-east-1")
	_, err := discovery.AWS(context.Background(), client(ts.URL), rp, planner.Q(730), "")
	if err == nil || !strings.Contains(err.Error(), `repeated page marker "10"`) {
		t.Fatalf("got %v", err)
	}
}

func TestDiscoverAWSNotXML(t *testing.T) {
	for _, body := range []string{`<html><body>captive portal</body></html>`, "not xml at all", "", "{}"} {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, body)
		}))
		cat, _ := pricing.Default()
		rp, _ := cat.Region("aws", "us-east-1")
		inv, err := discovery.AWS(context.Background(), client(ts.URL), rp, planner.Q(730), "")
		ts.Close()
		if err == nil {
			t.Errorf("%q was read as %d load balancers", body, len(inv.LoadBalancers))
		}
	}
}
