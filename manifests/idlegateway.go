package manifests

import (
	"maps"
	"slices"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// idleGateways warns of each Gateway of a cloud's load balancer (a GKE
// Gateway, an AWS ALB or NLB Gateway, an Application Gateway for
// Containers frontend) that routes no Service of the declaration: it is
// billed whatever the plan, and lbplanner neither prices nor deletes it. A
// GKE Gateway's forwarding rules (one per listener protocol, HTTP and
// HTTPS) count as existing ones of its scope, which the plan's rules add to.
func (r *reader) idleGateways(d *planner.Declaration) {
	routed := map[string]bool{}
	for _, s := range d.Services {
		for _, c := range append([]planner.CurrentLB{derefLB(s.CurrentLoadBalancer)}, s.AlsoOn...) {
			routed[c.Name], routed[c.Frontend] = true, true
		}
	}
	for _, key := range slices.Sorted(maps.Keys(r.gateways)) {
		gw := r.gateways[key]
		if gw.lb.Kind == planner.CurrentProxy || routed[planner.GatewayPrefix+key] {
			continue
		}
		if gw.lb.Kind != planner.CurrentGateway || d.Cloud != "gcp" {
			r.warn("%s: Gateway %s routes no Service lbplanner reads: its load balancer is billed whatever the plan, and not priced here (delete it if it routes nothing)", gw.at, key)
			continue
		}
		rules := 0 // a forwarding rule for its HTTP listeners, one for its HTTPS ones
		for _, has := range []bool{gw.http, gw.https} {
			if has {
				rules++
			}
		}
		if rules == 0 {
			continue
		}
		if d.ExistingForwardingRules == nil {
			d.ExistingForwardingRules = &planner.ForwardingRules{}
		}
		scope := "global"
		if gw.lb.Scheme == "internal" || strings.Contains(gw.class, "regional") {
			scope = "regional"
			d.ExistingForwardingRules.Regional += rules
		} else {
			d.ExistingForwardingRules.Global += rules
		}
		r.warn("%s: Gateway %s routes no Service lbplanner reads: its %d forwarding rule(s) are billed whatever the plan, counted as existing %s ones (delete it if it routes nothing)", gw.at, key, rules, scope)
	}
}

// derefLB is c, or the zero CurrentLB.
func derefLB(c *planner.CurrentLB) planner.CurrentLB {
	if c == nil {
		return planner.CurrentLB{}
	}
	return *c
}
