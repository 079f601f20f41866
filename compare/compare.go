// Package compare plans the same services on several clouds, side by side:
// it maps the declaration's region and strategies to each cloud's own, plans
// each with the same catalog, and lines the results up per service.
package compare

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// regionGroups lists regions that stand for one another across clouds:
// the same metro or the nearest one. Each row is aws, gcp, azure.
var regionGroups = [][3]string{
	{"us-east-1", "us-east1", "eastus"},
	{"us-east-2", "us-central1", "eastus2"},
	{"us-west-2", "us-west1", "westus2"},
	{"eu-west-1", "europe-west1", "northeurope"},
	{"eu-central-1", "europe-west3", "germanywestcentral"},
	{"ap-southeast-1", "asia-southeast1", "southeastasia"},
	{"ap-northeast-1", "asia-northeast1", "japaneast"},
}

var cloudColumn = map[string]int{"aws": 0, "gcp": 1, "azure": 2, planner.CloudBareMetal: 3}

// Clouds are the clouds a comparison may cover, in their display order.
var Clouds = []string{"aws", "gcp", "azure", planner.CloudBareMetal}

// DefaultRegion maps a region of one cloud to its counterpart on another
// (bare metal has one, its own hardware).
func DefaultRegion(fromCloud, region, toCloud string) (string, error) {
	if fromCloud == toCloud {
		return region, nil
	}
	if toCloud == planner.CloudBareMetal {
		return planner.DefaultBareMetalRegion, nil
	}
	if fromCloud == planner.CloudBareMetal {
		return "", fmt.Errorf("a bare-metal cluster has no %s region: name one with --compare-regions %s=REGION", toCloud, toCloud)
	}
	from, ok1 := cloudColumn[fromCloud]
	to, ok2 := cloudColumn[toCloud]
	if !ok1 || !ok2 {
		return "", fmt.Errorf("unknown cloud %q or %q", fromCloud, toCloud)
	}
	for _, g := range regionGroups {
		if g[from] == region {
			return g[to], nil
		}
	}
	return "", fmt.Errorf("no default %s region for %s region %s: name one with --compare-regions %s=REGION", toCloud, fromCloud, region, toCloud)
}

// RegionTable returns the default mapping, one row per region group (aws, gcp, azure).
func RegionTable() [][3]string { return slices.Clone(regionGroups) }

// translateStrategies maps strategies to another cloud by family (a cloud's
// own layer-7 load balancer, the in-cluster proxy, layer-4 consolidation):
// each becomes all of the target's strategies of its family that the
// region prices (priced).
func translateStrategies(strategies []string, from, to string, priced []string) []string {
	if strategies == nil {
		return nil
	}
	out := []string{}
	families := map[string]bool{}
	for _, s := range strategies {
		for _, f := range planner.StrategyFamilies(from, s) {
			families[f] = true
		}
	}
	for _, s := range planner.CloudStrategies[to] {
		optIn := slices.Contains(planner.OptInStrategies[to], s) // never added by translation: it needs what the cloud may not run
		if !optIn && slices.ContainsFunc(planner.StrategyFamilies(to, s), func(f string) bool { return families[f] }) && slices.Contains(priced, s) {
			out = append(out, s)
		}
	}
	return out
}

// Comparison is one declaration planned on several clouds.
type Comparison struct {
	// Clouds are the compared clouds, in order.
	Clouds []string `json:"clouds"`
	// Regions is the region used on each cloud.
	Regions map[string]string `json:"regions"`
	// Summary has a line per cloud.
	Summary []CloudSummary `json:"summary"`
	// Services lines up each service's plan on every cloud.
	Services []ServiceComparison `json:"services"`
	// Plans are the full plans, keyed by cloud.
	Plans map[string]*planner.Plan `json:"plans"`
}

// CloudSummary is one cloud's totals.
type CloudSummary struct {
	Cloud               string      `json:"cloud"`
	Region              string      `json:"region"`
	MonthlyCost         money.Cents `json:"monthlyCost"`
	BaselineMonthlyCost money.Cents `json:"baselineMonthlyCost"`
	SavingsVsBaseline   money.Cents `json:"savingsVsBaseline"`
	LoadBalancers       int         `json:"loadBalancers"`
	Optimality          string      `json:"optimality"`
}

// ServiceComparison is one service on every cloud, keyed by cloud.
type ServiceComparison struct {
	Name      string                  `json:"name"`
	Namespace string                  `json:"namespace"`
	Clouds    map[string]ServiceCloud `json:"clouds"`
}

// ServiceCloud is one service's plan on one cloud.
type ServiceCloud struct {
	Exposure     planner.Exposure `json:"exposure"`
	LoadBalancer *string          `json:"loadBalancer"`
	Path         string           `json:"path"`
	MonthlyCost  money.Cents      `json:"monthlyCost"`
}

// ParseRegions reads "gcp=europe-west1,azure=westeurope" overrides.
func ParseRegions(specs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, spec := range specs {
		for _, part := range strings.Split(spec, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			cloud, region, ok := strings.Cut(part, "=")
			if !ok || region == "" {
				return nil, fmt.Errorf("--compare-regions: want CLOUD=REGION, got %q", part)
			}
			if _, known := cloudColumn[cloud]; !known {
				return nil, fmt.Errorf("--compare-regions: unknown cloud %q (want aws, gcp, azure or baremetal)", cloud)
			}
			out[cloud] = region
		}
	}
	return out, nil
}

// Compare plans d on each of clouds. regions overrides the default region
// mapping per cloud. d itself is not modified.
func Compare(d *planner.Declaration, clouds []string, regions map[string]string, cat *pricing.Catalog) (*Comparison, error) {
	c := &Comparison{Regions: map[string]string{}, Plans: map[string]*planner.Plan{}}
	seen := map[string]bool{}
	for _, cloud := range clouds {
		if _, ok := cloudColumn[cloud]; !ok {
			return nil, fmt.Errorf("--compare: unknown cloud %q (want aws, gcp, azure or baremetal)", cloud)
		}
		if seen[cloud] {
			continue
		}
		seen[cloud] = true
		c.Clouds = append(c.Clouds, cloud)
	}
	if len(c.Clouds) == 0 {
		return nil, fmt.Errorf("--compare: name at least one cloud")
	}
	rows := map[string]*ServiceComparison{}
	for _, cloud := range c.Clouds {
		region, ok := regions[cloud]
		if !ok {
			var err error
			if region, err = DefaultRegion(d.Cloud, d.Region, cloud); err != nil {
				return nil, err
			}
		}
		dc := *d
		dc.Services = slices.Clone(d.Services)
		dc.Cloud, dc.Region = cloud, region
		if cloud != planner.CloudBareMetal { // the pool and node prices are bare metal's alone
			dc.AddressPool, dc.LoadBalancer, dc.NodeCost = nil, "", nil
		}
		if cloud != d.Cloud && d.StrategiesDefaulted() {
			dc.Strategies = nil // the target cloud's own default
		} else if cloud != d.Cloud {
			dc.Strategies = translateStrategies(d.Strategies, d.Cloud, cloud, planner.PricedStrategies(cat, cloud, region))
		}
		p, err := planner.Compute(&dc, cat)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", cloud, region, err)
		}
		c.Regions[cloud] = region
		c.Plans[cloud] = p
		lbs := 0
		for _, lb := range p.LoadBalancers {
			if lb.Strategy != "shared-charge" {
				lbs++
			}
		}
		c.Summary = append(c.Summary, CloudSummary{Cloud: cloud, Region: region, MonthlyCost: p.Totals.MonthlyCost,
			BaselineMonthlyCost: p.Totals.BaselineMonthlyCost, SavingsVsBaseline: p.Totals.SavingsVsBaseline,
			LoadBalancers: lbs, Optimality: p.Optimality})
		for _, s := range p.Services {
			key := s.Namespace + "/" + s.Name
			row := rows[key]
			if row == nil {
				row = &ServiceComparison{Name: s.Name, Namespace: s.Namespace, Clouds: map[string]ServiceCloud{}}
				rows[key] = row
			}
			row.Clouds[cloud] = ServiceCloud{Exposure: s.Exposure, LoadBalancer: s.LoadBalancer, Path: s.Path, MonthlyCost: s.MonthlyCost}
		}
	}
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c.Services = append(c.Services, *rows[k])
	}
	return c, nil
}
