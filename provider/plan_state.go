package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// planState builds lbplanner_plan's state: the configuration as given, with
// the plan in the computed attributes.
func planState(typ tftypes.Object, c *planConfig, p *planner.Plan, decl *planner.Declaration, js string) tftypes.Value {
	attrs := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		if v, ok := c.o[name]; ok {
			attrs[name] = v
		} else {
			attrs[name] = tftypes.NewValue(t, nil)
		}
	}
	attrs["service_plans"] = servicePlans(typ.AttributeTypes["service_plans"].(tftypes.Map), p, decl)
	attrs["load_balancers"] = loadBalancers(typ.AttributeTypes["load_balancers"].(tftypes.Map), p)
	attrs["opportunities"] = opportunities(typ.AttributeTypes["opportunities"].(tftypes.List), p)
	t := p.Totals
	attrs["monthly_cost"] = tfDecimal(t.MonthlyCost.String())
	attrs["baseline_monthly_cost"] = tfDecimal(t.BaselineMonthlyCost.String())
	attrs["savings_vs_baseline"] = tfDecimal(t.SavingsVsBaseline.String())
	attrs["current_monthly_cost"] = tftypes.NewValue(tftypes.Number, nil)
	attrs["savings_vs_current"] = tftypes.NewValue(tftypes.Number, nil)
	if t.CurrentMonthlyCost != nil {
		attrs["current_monthly_cost"] = tfDecimal(t.CurrentMonthlyCost.String())
		attrs["savings_vs_current"] = tfDecimal(t.SavingsVsCurrent.String())
	}
	attrs["increase_forced_by"] = tfStringOrNull(t.IncreaseForcedBy)
	attrs["optimality"] = tfString(p.Optimality)
	attrs["catalog_date"] = tfString(p.Pricing.CatalogDate)
	attrs["plan_json"] = tfStringOrNull(js)
	return tftypes.NewValue(typ, attrs)
}

// opportunities is the opportunities list, in the plan's order.
func opportunities(typ tftypes.List, p *planner.Plan) tftypes.Value {
	et := typ.ElementType.(tftypes.Object)
	out := make([]tftypes.Value, 0, len(p.Opportunities))
	for _, o := range p.Opportunities {
		out = append(out, tftypes.NewValue(et, map[string]tftypes.Value{
			"service": tfString(o.Service), "action": tfString(o.Action), "monthly_saving": tfDecimal(o.MonthlySaving.String()),
		}))
	}
	return tftypes.NewValue(typ, out)
}

// servicePlans is the service_plans map: each service's plan by namespace/name.
func servicePlans(typ tftypes.Map, p *planner.Plan, decl *planner.Declaration) tftypes.Value {
	et := typ.ElementType.(tftypes.Object)
	declared := make(map[string]*planner.Service, len(decl.Services))
	for i := range decl.Services {
		declared[decl.Services[i].Key()] = &decl.Services[i]
	}
	out := make(map[string]tftypes.Value, len(p.Services))
	for _, row := range p.Services {
		key := row.Namespace + "/" + row.Name
		s := declared[key]
		lb := tftypes.NewValue(tftypes.String, nil)
		if row.LoadBalancer != nil {
			lb = tfString(*row.LoadBalancer)
		}
		v := map[string]tftypes.Value{
			"name": tfString(row.Name), "namespace": tfString(row.Namespace),
			"protocol": tfStringOrNull(""), "port": tftypes.NewValue(tftypes.Number, nil), "audience": tfStringOrNull(""),
			"exposure": tfString(string(row.Exposure)), "load_balancer": lb, "hop_path": tfString(row.Path),
			"added_latency_ms": tfDecimal(row.AddedLatencyMs.String()), "chain_latency_ms": tfDecimal(row.ChainLatencyMs.String()),
			"critical_chain": tfStrings(row.CriticalChain), "monthly_cost": tfDecimal(row.MonthlyCost.String()),
			"reason": tfString(row.Reason), "service_type": tfString(row.ServiceType),
			"ingress_class_name": tfStringOrNull(row.IngressClassName), "gateway_class_name": tfStringOrNull(row.GatewayClassName),
			"external_traffic_policy": tfStringOrNull(row.ExternalTrafficPolicy), "annotations": tfStringMap(row.Annotations),
		}
		if s != nil {
			v["protocol"], v["audience"] = tfString(s.Protocol), tfString(s.Audience)
			v["port"] = tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(int64(s.Port)))
		}
		out[key] = tftypes.NewValue(et, v)
	}
	return tftypes.NewValue(typ, out)
}

// loadBalancers is the load_balancers map, by ID.
func loadBalancers(typ tftypes.Map, p *planner.Plan) tftypes.Value {
	et := typ.ElementType.(tftypes.Object)
	costsType := et.AttributeTypes["costs"].(tftypes.List)
	costType := costsType.ElementType.(tftypes.Object)
	out := make(map[string]tftypes.Value, len(p.LoadBalancers))
	for _, lb := range p.LoadBalancers {
		costs := make([]tftypes.Value, 0, len(lb.Costs))
		for _, c := range lb.Costs {
			costs = append(costs, tftypes.NewValue(costType, map[string]tftypes.Value{
				"name": tfString(c.Name), "quantity": tfDecimal(c.Quantity), "unit": tfString(c.Unit),
				"unit_price": tfDecimal(c.UnitPrice), "monthly_cost": tfDecimal(c.MonthlyCost.String()),
				"source": tfString(c.Source), "date": tfString(c.Date),
			}))
		}
		out[lb.ID] = tftypes.NewValue(et, map[string]tftypes.Value{
			"id": tfString(lb.ID), "kind": tfString(lb.Kind), "strategy": tfString(lb.Strategy), "scheme": tfString(lb.Scheme),
			"services": tfStrings(nonNil(lb.Services)), "rule_order": tfStrings(lb.RuleOrder),
			"split_reason": tfStringOrNull(lb.SplitReason), "monthly_cost": tfDecimal(lb.MonthlyCost.String()),
			"costs": tftypes.NewValue(costsType, costs),
		})
	}
	return tftypes.NewValue(typ, out)
}

// nonNil keeps an empty list empty rather than null.
func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
