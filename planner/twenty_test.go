package planner

import (
	"os"
	"strings"
	"testing"
)

// twenty reads testdata/twenty.yaml (eight TCP/UDP services on the internet,
// six HTTP ones, three internal HTTP ones, three inside the cluster) for a cloud.
func twenty(t *testing.T, cloud, region string, strategies []string) *Declaration {
	t.Helper()
	data, err := os.ReadFile("testdata/twenty.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseRaw(data, "twenty.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d.Cloud, d.Region, d.Strategies = cloud, region, strategies
	return d
}

var layer4 = []string{"data/pgbouncer", "iot/amqp", "iot/mqtt", "ops/bastion", "ops/statsd", "ops/syslog", "play/game", "play/turn"}

// Issue 8's scenario: the same twenty services onto one NLB with strategies
// [gateway] on AWS, onto the cheapest of AGC, Application Gateway and the
// proxy on Azure, and onto a 3-address pool on bare metal.
func TestTwentyServicesOnEveryCloud(t *testing.T) {
	cat := defaultCatalog(t)
	t.Run("aws gateway", func(t *testing.T) {
		p, err := Compute(twenty(t, "aws", "us-east-1", []string{StrategyGateway}), cat)
		if err != nil {
			t.Fatal(err)
		}
		lb := lbByID(t, p, "gateway-internet-1")
		if strings.Join(lb.Services, ",") != strings.Join(layer4, ",") || lb.Kind != "nlb" {
			t.Fatalf("the eight layer-4 services on one NLB: %s %v", lb.Kind, lb.Services)
		}
		web := svcByName(t, p, "web")
		if alb := lbByID(t, p, *web.LoadBalancer); alb.Kind != "alb" || alb.Strategy != StrategyGateway || web.GatewayClassName != ALBGatewayClass || len(alb.Services) != 6 {
			t.Fatalf("the six internet HTTP services on one ALB Gateway: %+v", alb)
		}
		// on their own: eight NLBs, each $16.43 + NLCUs + 2 x $3.65 of addresses; together one
		if p.Totals.SavingsVsBaseline < 7*(1643+730) {
			t.Fatalf("saving %s, want at least seven NLBs' hours and addresses", p.Totals.SavingsVsBaseline.Dollars())
		}
	})
	t.Run("azure by cost", func(t *testing.T) {
		p, err := Compute(twenty(t, "azure", agcRegion, nil), cat)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{StrategyAGC, StrategyAppGW, StrategyProxy} {
			q, err := Compute(twenty(t, "azure", agcRegion, []string{s}), cat)
			if err != nil {
				t.Fatal(err)
			}
			if q.Totals.MonthlyCost < p.Totals.MonthlyCost {
				t.Fatalf("%s alone costs %s, less than the plan's %s", s, q.Totals.MonthlyCost.Dollars(), p.Totals.MonthlyCost.Dollars())
			}
		}
		web := svcByName(t, p, "web")
		if web.Exposure != Ingress || web.LoadBalancer == nil || lbByID(t, p, *web.LoadBalancer).Strategy != StrategyProxy {
			t.Fatalf("web: %+v", web)
		}
	})
	t.Run("bare metal", func(t *testing.T) {
		three, two := 3, 2
		d := twenty(t, CloudBareMetal, "", nil)
		d.AddressPool = &AddressPool{Size: &three}
		p, err := Compute(d, cat)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.LoadBalancers) != 3 || strings.Join(lbByID(t, p, "shared-ip-internet-1").Services, ",") != strings.Join(layer4, ",") {
			t.Fatalf("want the layer-4 services on one address, and two proxies: %+v", p.LoadBalancers)
		}
		d = twenty(t, CloudBareMetal, "", nil)
		d.AddressPool = &AddressPool{Size: &two}
		if _, err := Compute(d, cat); err == nil || !strings.Contains(err.Error(), "the pool has 2: 1 missing") {
			t.Fatalf("a pool of two: %v", err)
		}
	})
}
