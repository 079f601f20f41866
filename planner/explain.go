package planner

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// Explaining a plan: each service's reason, in one sentence with the
// alternatives' costs, and why a shared load balancer was split.

// splitReasons explains, for each scheme with more than one shared load
// balancer of a kind with quotas, why they are not one.
func (m *model) splitReasons(groups []*group) map[*group]string {
	type key struct {
		k      kind
		scheme string
	}
	byKind := map[key][]*group{}
	for _, g := range groups {
		if g.kind.shared() {
			byKind[key{g.kind, g.scheme}] = append(byKind[key{g.kind, g.scheme}], g)
		}
	}
	out := map[*group]string{}
	for k, gs := range byKind {
		if len(gs) < 2 {
			continue
		}
		var all []int
		for _, g := range gs {
			all = append(all, g.members...)
		}
		name := k.k.label() + "s"
		if base, ok := strings.CutSuffix(name, "ys"); ok { // proxies
			name = base + "ies"
		}
		why := m.sharedFits(k.k, all)
		if why == "" {
			why = "splitting costs less than one"
			if k.k.spec().firstMatch {
				why += ": fewer rules evaluated past the 10 free ones"
			}
		} else if lb := m.lowerBound(k.k, all); len(gs) > lb && m.quotaFits(k.k, all) != "" { // past a quota: more than it needs
			why += fmt.Sprintf(" (%d would do); each further one costs less than what it saves", lb)
		}
		for _, g := range gs {
			out[g] = fmt.Sprintf("split into %d %s: %s", len(gs), name, why)
		}
	}
	return out
}

// todaysKindNeed is the first need of todaysKindNeeds a service has, "" if none.
func todaysKindNeed(s *Service) string {
	for _, n := range todaysKindNeeds {
		if s.Has(n.need) {
			return n.need
		}
	}
	return ""
}

// reason explains a service's exposure in one sentence, with the alternatives' costs.
func (m *model) reason(g *group, row *ServicePlan, i int, rules [2]int) string {
	si := &m.svcs[i]
	k := g.kind
	var b strings.Builder
	if si.s.Pin != "" && k != kClusterIP {
		fmt.Fprintf(&b, "pinned to %s; ", si.s.Pin)
	}
	switch {
	case k == kClusterIP:
		b.WriteString("audience cluster: reachable inside the cluster, no load balancer")
	case k.shared() && len(g.members) == 1 && todaysKindNeed(si.s) != "":
		fmt.Fprintf(&b, "own %s: %s: kept on a %s, as today", k.label(), todaysKindNeed(si.s), k.label())
	case k.shared() && len(g.members) == 1 && len(si.s.ClusterPorts) > 0:
		fmt.Fprintf(&b, "own %s: %s", k.label(), clusterPortsReason(si.s, "LoadBalancer"))
	case k.shared() && len(g.members) == 1:
		fmt.Fprintf(&b, "own %s: an Ingress of its own is its cheapest exposure", k.label())
	case k.shared() && clouds[m.d.Cloud].addressesFirst:
		fmt.Fprintf(&b, "shares %s with %d other service(s): one pool address for %d services (addresses are minimised first); %s/month share",
			*row.LoadBalancer, len(g.members)-1, len(g.members), row.MonthlyCost.Dollars())
	case k.shared():
		alone := m.aloneCents(i, rules)
		if row.MonthlyCost < alone {
			fmt.Fprintf(&b, "shares %s with %d other service(s): %s/month share vs %s on its own (%s)",
				*row.LoadBalancer, len(g.members)-1, row.MonthlyCost.Dollars(), alone.Dollars(), m.standKind[i].label())
		} else if si := &m.svcs[i]; si.cur == k && si.curName == *row.LoadBalancer {
			fmt.Fprintf(&b, "stays on %s with %d other service(s), where it is today: moving saves nothing (%s/month share vs %s on its own)",
				*row.LoadBalancer, len(g.members)-1, row.MonthlyCost.Dollars(), alone.Dollars())
		} else if added, ok := m.addedCents(g, i); ok && added < alone {
			fmt.Fprintf(&b, "shares %s with %d other service(s): adds %s/month to it vs %s on its own (%s); its share of the cost, %s/month, is more",
				*row.LoadBalancer, len(g.members)-1, added.Dollars(), alone.Dollars(), m.standKind[i].label(), row.MonthlyCost.Dollars())
		} else {
			why := "lower latency or fewer load balancers"
			if m.tiered { // its share cannot show what a flat charge of rules, billed together, saves
				why = "the plan's total (rules are billed together by scope: the first five flat, a move may empty a charge), " + why
			}
			fmt.Fprintf(&b, "shares %s with %d other service(s) at no saving (%s/month share vs %s on its own): chosen for %s",
				*row.LoadBalancer, len(g.members)-1, row.MonthlyCost.Dollars(), alone.Dollars(), why)
		}
	case k == kNodePort:
		b.WriteString("NodePort is allowed and needs no load balancer")
	default:
		if si.s.Has(NeedDedicated) {
			b.WriteString("dedicated: a load balancer of its own")
			break
		}
		var whys []string
		for _, sk := range m.kinds {
			if why := m.why(si, sk); sk.shared() && why != "" {
				whys = append(whys, sk.label()+": "+why)
			}
		}
		if m.tiered && !k.shared() && k.spec().tierRules != nil {
			sc := m.scopeOf(k, g.scheme)
			if t := m.tiers[sc]; t.existing+rules[sc] <= 5 {
				whys = append(whys, fmt.Sprintf("consolidating saves nothing: its rule is among the first 5 of %s (%d in all), which cost the same as one", t.label, t.existing+rules[sc]))
			}
		}
		if names := m.retiredOf(si.scheme); len(names) > 0 && si.shareable[kProxy] && !(si.cur == kProxy && slices.Contains(names, si.curName)) {
			whys = append(whys, fmt.Sprintf("proxy: today's %s runs a retired implementation, which takes no service it does not serve today", strings.Join(names, ", ")))
		}
		if other := m.sameRoute(i); other != "" && m.sharer(i) {
			whys = append(whys, "it needs a host or path of its own to share: it routes the same host and path as "+other)
		}
		if len(whys) == 0 {
			if m.shareableIn[si.scheme] < 2 {
				whys = append(whys, "no other service of scheme "+si.scheme+" to share with")
			} else {
				whys = append(whys, fmt.Sprintf("sharing would cost more than %s on its own", row.MonthlyCost.Dollars()))
			}
		}
		fmt.Fprintf(&b, "own %s; not shared (%s)", k.label(), strings.Join(whys, "; "))
	}
	if row.Reason != "" {
		b.WriteString("; " + row.Reason)
	}
	var kept []string
	for _, g := range m.kept {
		if slices.Contains(g.members, i) {
			kept = append(kept, m.keptLabel(g))
		}
	}
	if len(kept) > 0 {
		fmt.Fprintf(&b, "; also reached through %s today, kept as it is (its share included)", strings.Join(kept, ", "))
	}
	return b.String()
}

// routeOwnerIndex lists, per scheme and route, the shareable services
// routing it; built once, on first use.
type routeOwnerIndex struct {
	once sync.Once
	by   map[string][]int
}

// sameRoute names another shareable service of the same scheme that routes
// one of service i's host and path pairs, or "".
func (m *model) sameRoute(i int) string {
	owners := m.routeOwners
	owners.once.Do(func() {
		owners.by = map[string][]int{}
		for j := range m.svcs {
			sj := &m.svcs[j]
			if m.sharer(j) {
				for _, r := range sj.clashes { // the routes only one service routes cannot be shared
					if isL4Route(r) {
						continue // a port, not a host and path
					}
					owners.by[sj.scheme+"|"+r] = append(owners.by[sj.scheme+"|"+r], j)
				}
			}
		}
	})
	si := &m.svcs[i]
	for _, r := range si.clashes {
		for _, j := range owners.by[si.scheme+"|"+r] {
			if j != i && !(si.rtied && m.svcs[j].rtie == si.rtie) {
				return m.svcs[j].key
			}
		}
	}
	return ""
}

// sharer reports whether service i may share a load balancer of some kind.
func (m *model) sharer(i int) bool {
	for _, k := range m.kinds {
		if m.svcs[i].shareable[k] {
			return true
		}
	}
	return false
}

// maxAddedMembers bounds the groups whose members' added cost a reason
// works out (a pricing of the group without each).
const maxAddedMembers = 64

// addedCents is what member i adds to its shared group's own cost (the
// group's cost less the cost of the others alone on one), where the group
// has at most maxAddedMembers members; false otherwise. A fixed charge
// shared out makes a member's share more than what it adds.
func (m *model) addedCents(g *group, i int) (money.Cents, bool) {
	if len(g.members) < 2 || len(g.members) > maxAddedMembers {
		return 0, false
	}
	rest := slices.DeleteFunc(slices.Clone(g.members), func(x int) bool { return x == i })
	with, _, _ := m.cost(m.newGroup(g.kind, g.scheme, g.members), false)
	without, _, _ := m.cost(m.newGroup(g.kind, g.scheme, rest), false)
	return with - without, true
}

// aloneCents is what service i would cost on its own exposure, in this plan:
// its own lines, plus a rule past the fifth where its scope is already past five.
func (m *model) aloneCents(i int, rules [2]int) money.Cents {
	k := m.standKind[i]
	si := &m.svcs[i]
	c, _, _ := m.cost(m.newGroup(k, si.scheme, []int{i}), false)
	r := m.rulesOf(k, si.scheme, []int{i})
	for sc := range r {
		if r[sc] > 0 && m.tiered && m.tiers[sc].existing+rules[sc] >= 5 {
			c += money.Cents(r[sc]) * m.marginal[sc]
		}
	}
	return c
}

// scopeOf is the tiered scope a kind's rules go to.
func (m *model) scopeOf(k kind, scheme string) int {
	r := m.rulesFor(k, scheme, true, false)
	if r[1] > 0 {
		return 1
	}
	return 0
}
