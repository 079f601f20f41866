package planner

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Cross-zone data transfer, by hand from the embedded catalog (us-east-1,
// $0.01/GB each way, aws.amazon.com/ec2/pricing/on-demand "Data Transfer
// within the same AWS Region"): a hop to other zones carries (zones-1)/zones
// of the bytes, billed out of one zone and into the other.
func TestCrossZoneTransfer(t *testing.T) {
	on, off := true, false
	line := func(t *testing.T, p *Plan, id string) string {
		t.Helper()
		for _, l := range lbByID(t, p, id).Costs {
			if strings.HasPrefix(l.Name, "cross-zone") {
				return l.Name + "=" + l.MonthlyCost.String()
			}
		}
		return ""
	}
	proxied := func(zones int, cz *CrossZone) *Declaration {
		return &Declaration{Cloud: "aws", Region: "us-east-1", Zones: zones, Strategies: []string{StrategyProxy}, CrossZone: cz,
			Services: []Service{web("a", 10, 1, 1, 365, "a.example.com"), web("b", 10, 1, 1, 365, "b.example.com")}}
	}
	// the proxy pods to backends in three zones: 730 GB x 2/3 x 2 ways x $0.01 = $9.733 -> $9.73
	if got := line(t, mustPlan(t, proxied(3, nil)), "envoy"); got != "cross-zone data transfer (2/3 of the bytes, billed each way)=9.73" {
		t.Errorf("proxy, 3 zones: %s", got)
	}
	// with the NLB in front crossing zones too, two hops: $19.47
	if got := line(t, mustPlan(t, proxied(3, &CrossZone{NLB: &on})), "envoy"); got != "cross-zone data transfer (2 hops, 2/3 of the bytes each, billed each way)=19.47" {
		t.Errorf("proxy and NLB, 3 zones: %s", got)
	}
	// topology-aware routing keeps the proxy in its zone: nothing
	if got := line(t, mustPlan(t, proxied(3, &CrossZone{Proxy: &off})), "envoy"); got != "" {
		t.Errorf("proxy kept in its zone: %s", got)
	}
	// one zone: nothing crosses
	if got := line(t, mustPlan(t, proxied(1, nil)), "envoy"); got != "" {
		t.Errorf("one zone: %s", got)
	}
	// an NLB of its own with cross-zone load balancing on, two zones: 100 GB x 1/2 x 2 x $0.01 = $1.00, and rendered
	dns := Service{Name: "dns", Protocol: ProtoUDP, Port: 53, Audience: AudienceInternet, Traffic: Traffic{GBPerMonth: Q(100)}}
	p := mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", CrossZone: &CrossZone{NLB: &on}, Services: []Service{dns}})
	if got := line(t, p, "nlb-default-dns"); got != "cross-zone data transfer (1/2 of the bytes, billed each way)=1.00" {
		t.Errorf("NLB: %s", got)
	}
	if a := svcByName(t, p, "dns").Annotations[nlbAttributes]; a != nlbCrossZoneOn {
		t.Errorf("NLB attributes %q", a)
	}
	// off by default (the controller's default): neither line nor annotation
	p = mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{dns}})
	if got := line(t, p, "nlb-default-dns"); got != "" || svcByName(t, p, "dns").Annotations[nlbAttributes] != "" {
		t.Errorf("NLB by default: %s", got)
	}
	// an ALB crosses zones free: no line whatever the settings
	p = mustPlan(t, &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}, CrossZone: &CrossZone{NLB: &on, Proxy: &on},
		Services: []Service{web("a", 10, 1, 1, 365, "a.example.com"), web("b", 10, 1, 1, 365, "b.example.com")}})
	if got := line(t, p, "alb-internet-1"); got != "" {
		t.Errorf("ALB: %s", got)
	}
}

// The transfer can turn the proxy-or-ALB choice: two services of 3,000 GB a
// month each. ALB: $16.43 + 6,000 GB / 730 h = 8.22 LCU x 730 h x $0.008
// ($48.00) + $7.30 = $71.73. Proxy behind an NLB: $16.43 + $36.00 NLCU +
// $7.30 + Envoy Gateway's pods $9.15 = $68.88, plus 6,000 GB x 1/2 x 2 x
// $0.01 = $60.00 crossing zones: $128.88. With topology-aware routing the
// proxy wins; without, the ALB.
func TestCrossZoneTurnsTheProxyChoice(t *testing.T) {
	off := false
	decl := func(cz *CrossZone) *Declaration {
		return &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB, StrategyProxy}, CrossZone: cz,
			Services: []Service{web("a", 10, 1, 1, 3000, "a.example.com"), web("b", 10, 1, 1, 3000, "b.example.com")}}
	}
	if p := mustPlan(t, decl(&CrossZone{Proxy: &off})); p.Totals.MonthlyCost.String() != "68.88" || lbByID(t, p, "envoy").Strategy != StrategyProxy {
		t.Errorf("in-zone proxy: %s", p.Totals.MonthlyCost)
	}
	if p := mustPlan(t, decl(nil)); p.Totals.MonthlyCost.String() != "71.73" || lbByID(t, p, "alb-internet-1").Kind != "alb" {
		t.Errorf("cross-zone proxy: %s", p.Totals.MonthlyCost)
	}
}

// A catalog without the inter-zone rate plans without the line, and says so.
func TestCrossZoneUnpricedWarns(t *testing.T) {
	data, err := os.ReadFile("../pricing/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, p := range raw["prices"].([]any) {
		if p.(map[string]any)["item"] != pricing.InterAZGB {
			kept = append(kept, p)
		}
	}
	raw["prices"] = kept
	data, _ = json.Marshal(raw)
	cat, err := pricing.Parse(data, "old.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compute(&Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyProxy},
		Services: []Service{web("a", 10, 1, 1, 365, "a.example.com"), web("b", 10, 1, 1, 365, "b.example.com")}}, cat)
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "cross-zone data transfer is not priced: the catalog has no inter-az-gb price for aws us-east-1") {
		t.Fatalf("warnings %q", w)
	}
	for _, l := range lbByID(t, p, "envoy").Costs {
		if strings.HasPrefix(l.Name, "cross-zone") {
			t.Fatalf("line %s", l.Name)
		}
	}
}

// GCP bills a byte that crosses zones once, to its sender, per GiB
// (cloud.google.com/vpc/network-pricing, between zones of a region, $0.01/GiB;
// the embedded rate a recollection until refreshed): the in-cluster proxy's
// pods to backends in three zones, 730 GB = 679.865 GiB x 2/3 = 453.244 GiB x
// $0.01 = $4.5324 -> $4.53. Azure does not bill data between its zones (withdrawn
// at Microsoft Build, May 2024): no line, no warning.
func TestCrossZoneTransferGCP(t *testing.T) {
	proxied := func(cloud, region string) *Declaration { // ten services of 73 GB: one proxy beats ten rules
		d := &Declaration{Cloud: cloud, Region: region, Zones: 3, Strategies: []string{StrategyProxy}, ExistingForwardingRules: &ForwardingRules{Regional: 5}}
		for i := range 10 {
			d.Services = append(d.Services, web(fmt.Sprintf("s%d", i), 10, 1, 1, 73, fmt.Sprintf("s%d.example.com", i)))
		}
		return d
	}
	p := mustPlan(t, proxied("gcp", "us-central1"))
	var got []string
	for _, l := range lbByID(t, p, "envoy").Costs {
		if strings.HasPrefix(l.Name, "cross-zone") {
			got = append(got, l.Name+"="+l.MonthlyCost.String()+" "+l.Quantity+" "+l.Unit)
		}
	}
	if strings.Join(got, "; ") != "cross-zone data transfer (2/3 of the bytes, billed to the sender)=4.53 453.243653 GiB" {
		t.Fatalf("GCP proxy: %v", got)
	}
	// a catalog without the rate plans without the line, and says so
	cat := defaultCatalog(t)
	var prices []pricing.Price
	for _, pr := range cat.Prices {
		if pr.Item != pricing.GCPInterZoneGiB {
			prices = append(prices, pr)
		}
	}
	bare, err := pricing.New(cat.Date, cat.Description, prices)
	if err != nil {
		t.Fatal(err)
	}
	p, err = Compute(proxied("gcp", "us-central1"), bare)
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(p.Warnings, "; "); !strings.Contains(w, "cross-zone data transfer is not priced: the catalog has no inter-zone-gib price for gcp us-central1") {
		t.Fatalf("warnings: %s", w)
	}
	p = mustPlan(t, proxied("azure", "eastus"))
	for _, lb := range p.LoadBalancers {
		for _, l := range lb.Costs {
			if strings.HasPrefix(l.Name, "cross-zone") {
				t.Fatalf("azure: %s", l.Name)
			}
		}
	}
	if len(p.Warnings) != 0 {
		t.Fatalf("azure warnings: %v", p.Warnings)
	}
}
