package provider

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Provider functions receive no provider configuration, so they use the
// catalog named by LBPLANNER_CATALOG (or LBPLANNER_CATALOG_FILE) or the embedded one.
var functionCatalog = sync.OnceValues(func() (*pricing.Catalog, error) {
	if f := catalogFromEnv(); f != "" {
		return pricing.Load(f)
	}
	return pricing.Default()
})

var usageKeys = map[string]func(*planner.Usage) *planner.Quantity{
	"new_connections_per_second":  func(u *planner.Usage) *planner.Quantity { return &u.NewConnectionsPerSecond },
	"active_connections":          func(u *planner.Usage) *planner.Quantity { return &u.ActiveConnections },
	"gb_per_month":                func(u *planner.Usage) *planner.Quantity { return &u.GBPerMonth },
	"rule_evaluations_per_second": func(u *planner.Usage) *planner.Quantity { return &u.RuleEvaluationsPerSecond },
	"public_ipv4_addresses":       func(u *planner.Usage) *planner.Quantity { return &u.PublicIPv4Addresses },
	"existing_rules":              nil, // a count, not a quantity: read apart
}

// functionRegion looks up a region's prices for a function, blaming the cloud
// (argument 0) or the region (argument 1) when it is unknown.
func functionRegion(cloud, region string) (*pricing.RegionPrices, *function.FuncError) {
	cat, err := functionCatalog()
	if err != nil {
		return nil, function.NewFuncError(err.Error())
	}
	rp, err := cat.Region(cloud, region)
	if err != nil {
		arg := int64(1)
		if len(cat.Regions(cloud)) == 0 {
			arg = 0
		}
		return nil, function.NewArgumentFuncError(arg, err.Error())
	}
	return rp, nil
}

func usageKeyList() string {
	keys := make([]string, 0, len(usageKeys))
	for k := range usageKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func ratNumber(r *big.Rat) *big.Float {
	f, _, _ := big.ParseFloat(r.FloatString(12), 10, 512, big.ToNearestEven)
	return f
}

var _ function.Function = (*lbMonthlyCostFunction)(nil)

func newLBMonthlyCostFunction() function.Function { return &lbMonthlyCostFunction{} }

type lbMonthlyCostFunction struct{}

func (f *lbMonthlyCostFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "lb_monthly_cost"
}

func (f *lbMonthlyCostFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Monthly cost of one load balancer",
		MarkdownDescription: "Prices one load balancer of a kind for a month of 730 hours from the price catalog, exactly (not rounded), through the same cost lines as `lbplanner_plan`. " +
			"AWS: the hourly charge, capacity units (LCU or NLCU) on their highest dimension, data processed (Classic) and public IPv4 addresses. " +
			"GCP and Azure: by planning one service pinned to it, its own lines (data processed, fixed hours, capacity units, a public IP) and the rules it adds to those its scope already has " +
			"(`existing_rules`: the first five are billed flat per project and scope on GCP, per load balancer on Azure, each further rule by the hour). " +
			"Uses the catalog named by `" + CatalogEnv + "` (or `" + CatalogFileEnv + "`), else the embedded one.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "cloud", MarkdownDescription: "Cloud: `aws`, `gcp` or `azure`."},
			function.StringParameter{Name: "region", MarkdownDescription: "Region, e.g. `us-east-1`."},
			function.StringParameter{Name: "kind", MarkdownDescription: "AWS: `" + strings.Join(planner.LoadBalancerKinds["aws"], "`, `") + "` (`nlb` is TCP); GCP: `" +
				strings.Join(planner.LoadBalancerKinds["gcp"], "`, `") + "`; Azure: `" + strings.Join(planner.LoadBalancerKinds["azure"], "`, `") + "` (the `kind` of `lbplanner_plan`'s load balancers)."},
			function.MapParameter{Name: "usage", ElementType: types.NumberType,
				MarkdownDescription: "Usage figures; missing keys are 0. Keys: `" + strings.ReplaceAll(usageKeyList(), ", ", "`, `") + "`. " +
					"`rule_evaluations_per_second` is AWS ALB's; on GCP and Azure `public_ipv4_addresses` above 0 makes the load balancer public; " +
					"`existing_rules` (GCP and Azure) counts the rules its scope already has (default: none on GCP; on Azure, the public load balancer's outbound rule); " +
					"`appgw` is priced with an HTTPS listener, so its `new_connections_per_second` are TLS connections, which consume compute units."},
		},
		Return: function.NumberReturn{},
	}
}

func (f *lbMonthlyCostFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var cloud, region, kind string
	var usage map[string]*big.Float
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &cloud, &region, &kind, &usage))
	if resp.Error != nil {
		return
	}
	if _, ferr := functionRegion(cloud, region); ferr != nil {
		resp.Error = ferr
		return
	}
	if !slices.Contains(planner.LoadBalancerKinds[cloud], kind) {
		resp.Error = function.NewArgumentFuncError(2, fmt.Sprintf("unknown %s load balancer kind %q (want one of %s)", cloud, kind, strings.Join(planner.LoadBalancerKinds[cloud], ", ")))
		return
	}
	u, ferr := usageOf(usage)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	cat, _ := functionCatalog()
	cost, err := planner.LoadBalancerMonthlyCost(cat, cloud, region, kind, planner.Q(planner.DefaultHoursPerMonth), u)
	if err != nil {
		resp.Error = function.NewFuncError(err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, ratNumber(cost))
}

// usageOf reads the usage argument (argument 3), in key order.
func usageOf(usage map[string]*big.Float) (planner.Usage, *function.FuncError) {
	var u planner.Usage
	for _, k := range slices.Sorted(maps.Keys(usage)) {
		field, ok := usageKeys[k]
		if !ok {
			return u, function.NewArgumentFuncError(3, fmt.Sprintf("unknown usage key %q (want %s)", k, usageKeyList()))
		}
		if usage[k] == nil {
			continue
		}
		if field == nil { // existing_rules: a whole count
			n, acc := usage[k].Int64()
			if acc != big.Exact || n < 0 || n > 1_000_000 {
				return u, function.NewArgumentFuncError(3, fmt.Sprintf("usage %s: want a whole number from 0 to 1000000, got %s", k, usage[k].Text('g', -1)))
			}
			c := int(n)
			u.ExistingRules = &c
			continue
		}
		q, err := quantityOf(types.NumberValue(usage[k]))
		if err != nil {
			return u, function.NewArgumentFuncError(3, fmt.Sprintf("usage %s: %v", k, err))
		}
		*field(&u) = q
	}
	return u, nil
}

var _ function.Function = (*priceFunction)(nil)

func newPriceFunction() function.Function { return &priceFunction{} }

type priceFunction struct{}

func (f *priceFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "price"
}

func (f *priceFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary:             "One catalog price",
		MarkdownDescription: "Returns the catalog's list price in USD for one item in a cloud region, e.g. `alb-hour` or `alb-lcu-hour`.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "cloud", MarkdownDescription: "Cloud, e.g. `aws`."},
			function.StringParameter{Name: "region", MarkdownDescription: "Region, e.g. `us-east-1`."},
			function.StringParameter{Name: "item", MarkdownDescription: "Catalog item, e.g. `alb-hour`, `alb-lcu-hour`, `nlb-hour`, `public-ipv4-hour`."},
		},
		Return: function.NumberReturn{},
	}
}

func (f *priceFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var cloud, region, item string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &cloud, &region, &item))
	if resp.Error != nil {
		return
	}
	rp, ferr := functionRegion(cloud, region)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	p, err := rp.Price(item)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(2, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, ratNumber(p.Value()))
}
