package compare

import (
	"os"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

func shop(t *testing.T) (*planner.Declaration, *pricing.Catalog) {
	t.Helper()
	data, err := os.ReadFile("../examples/plans/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := planner.Parse(data, "shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d, cat
}

func TestCompareThreeClouds(t *testing.T) {
	d, cat := shop(t)
	c, err := Compare(d, []string{"aws", "gcp", "azure"}, nil, cat)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.Clouds, ",") != "aws,gcp,azure" || c.Regions["gcp"] != "us-east1" || c.Regions["azure"] != "eastus" {
		t.Fatalf("clouds %v regions %v", c.Clouds, c.Regions)
	}
	// each cloud's summary is its own plan's total, planned on its own terms
	for _, s := range c.Summary {
		p := c.Plans[s.Cloud]
		if p.Cloud != s.Cloud || p.Region != s.Region || p.Totals.MonthlyCost != s.MonthlyCost {
			t.Fatalf("%s summary %+v vs plan %s %s %s", s.Cloud, s, p.Cloud, p.Region, p.Totals.MonthlyCost)
		}
	}
	if c.Plans["aws"].Totals.MonthlyCost != 6795 {
		t.Fatalf("aws total %s", c.Plans["aws"].Totals.MonthlyCost)
	}
	// GCP: five passthrough load balancers are five regional forwarding rules, the flat first five
	// ($18.25), plus the data each processes at $0.008/GiB (cloud.google.com/load-balancing/pricing,
	// regional table, us-east1 as us-central1): 900 GB = 838.19 GiB -> $6.71, 300 GB -> $2.24,
	// 150 GB -> $1.12, 20 GB -> $0.15, 1 GB -> $0.01: $10.23, $28.48 in all
	if c.Plans["gcp"].Totals.MonthlyCost != 2848 {
		t.Fatalf("gcp total %s", c.Plans["gcp"].Totals.MonthlyCost)
	}
	var storefront ServiceComparison
	for _, s := range c.Services {
		if s.Name == "storefront" {
			storefront = s
		}
	}
	if storefront.Clouds["aws"].Exposure != planner.Ingress || storefront.Clouds["gcp"].Exposure != planner.LoadBalancer || len(storefront.Clouds) != 3 {
		t.Fatalf("storefront %+v", storefront)
	}
	// the input declaration is left as it was
	if d.Cloud != "aws" || d.Region != "us-east-1" || strings.Join(d.Strategies, ",") != "alb,proxy" {
		t.Fatalf("declaration changed: %s %s %v", d.Cloud, d.Region, d.Strategies)
	}
}

func TestRegionMappingAndOverrides(t *testing.T) {
	for _, c := range []struct{ from, region, to, want string }{
		{"aws", "eu-west-1", "gcp", "europe-west1"},
		{"aws", "eu-central-1", "azure", "germanywestcentral"},
		{"gcp", "asia-northeast1", "aws", "ap-northeast-1"},
		{"azure", "westus2", "gcp", "us-west1"},
		{"aws", "us-east-1", "aws", "us-east-1"},
	} {
		if got, err := DefaultRegion(c.from, c.region, c.to); err != nil || got != c.want {
			t.Errorf("%s %s -> %s: %s %v, want %s", c.from, c.region, c.to, got, err, c.want)
		}
	}
	// every default region is in the catalog
	cat, _ := pricing.Default()
	for _, row := range RegionTable() {
		for i, cloud := range Clouds[:3] { // bare metal has no regions
			if _, err := cat.Region(cloud, row[i]); err != nil {
				t.Errorf("default region %s %s: %v", cloud, row[i], err)
			}
		}
	}
	if _, err := DefaultRegion("aws", "sa-east-1", "gcp"); err == nil || !strings.Contains(err.Error(), "--compare-regions gcp=REGION") {
		t.Fatalf("unmapped region: %v", err)
	}
	o, err := ParseRegions([]string{"gcp=europe-west1,azure=westeurope"})
	if err != nil || o["gcp"] != "europe-west1" || o["azure"] != "westeurope" {
		t.Fatalf("overrides %v %v", o, err)
	}
	for _, bad := range []string{"gcp", "oci=x", "gcp="} {
		if _, err := ParseRegions([]string{bad}); err == nil {
			t.Errorf("ParseRegions(%q) accepted", bad)
		}
	}
	d, cat := shop(t)
	c, err := Compare(d, []string{"gcp"}, map[string]string{"gcp": "europe-west1"}, cat)
	if err != nil || c.Plans["gcp"].Region != "europe-west1" {
		t.Fatalf("override not used: %v", err)
	}
	if _, err := Compare(d, []string{"oci"}, nil, cat); err == nil {
		t.Fatal("unknown cloud accepted")
	}
}

// Bare metal is a column: the twenty services on AWS (strategies defaulted)
// and on bare metal, whose own defaults share addresses: one address for
// the eight layer-4 services, one proxy per scheme.
func TestCompareWithBareMetal(t *testing.T) {
	cat, _ := pricing.Default()
	data, err := os.ReadFile("../planner/testdata/twenty.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := planner.Parse(data, "twenty.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compare(d, []string{"aws", "baremetal"}, nil, cat)
	if err != nil {
		t.Fatal(err)
	}
	if c.Regions["baremetal"] != planner.DefaultBareMetalRegion || c.Summary[1].LoadBalancers != 3 || c.Summary[1].MonthlyCost != 0 {
		t.Fatalf("bare metal: %+v in %s", c.Summary[1], c.Regions["baremetal"])
	}
	for _, s := range c.Services {
		if s.Name == "game" && (s.Clouds["baremetal"].LoadBalancer == nil || *s.Clouds["baremetal"].LoadBalancer != "shared-ip-internet-1") {
			t.Fatalf("game on bare metal: %+v", s.Clouds["baremetal"])
		}
	}
	if _, err := Compare(&planner.Declaration{Cloud: "baremetal", Services: d.Services}, []string{"aws"}, nil, cat); err == nil ||
		!strings.Contains(err.Error(), "--compare-regions aws=REGION") {
		t.Fatalf("bare metal to aws without a region: %v", err)
	}
}

func TestStrategiesTranslateByFamily(t *testing.T) {
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in               []string
		from, to, region string
		want             string
	}{
		{[]string{"alb"}, "aws", "gcp", "us-central1", "gce,gateway"},
		{[]string{"alb", "nginx"}, "aws", "azure", "eastus", "appgw,proxy"},      // no AGC prices there
		{[]string{"alb", "nginx"}, "aws", "azure", "eastus2", "appgw,agc,proxy"}, // AGC priced
		{[]string{"agc"}, "azure", "aws", "us-east-1", "alb"},
		{[]string{"nginx"}, "aws", "gcp", "us-central1", "proxy"},
		{[]string{}, "aws", "azure", "eastus", ""},
		{[]string{"gateway"}, "gcp", "aws", "us-east-1", "alb"},           // GKE's Gateway is layer 7; AWS's is opt-in, never added
		{[]string{"gateway"}, "aws", "gcp", "us-central1", "gce,gateway"}, // AWS's is an ALB (layer 7) or an NLB per Gateway
		{[]string{"alb", "gateway", "proxy"}, "aws", "baremetal", "on-premises", "shared-ip,proxy"},
		{[]string{"shared-ip"}, "baremetal", "aws", "us-east-1", ""}, // AWS's layer-4 consolidation is opt-in
	}
	for _, c := range cases {
		if got := strings.Join(translateStrategies(c.in, c.from, c.to, planner.PricedStrategies(cat, c.to, c.region)), ","); got != c.want {
			t.Errorf("%v %s -> %s %s: %q, want %q", c.in, c.from, c.to, c.region, got, c.want)
		}
	}
	if translateStrategies(nil, "aws", "gcp", nil) != nil {
		t.Error("nil strategies should stay nil (the cloud's defaults)")
	}
}
