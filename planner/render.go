package planner

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// render turns groups into the plan's rows, naming load balancers stably,
// and adds the tiered rule charges of clouds that have them.
func (m *model) render(p *Plan, groups []*group) {
	parallel(len(groups), func(lo, hi int) {
		for _, g := range groups[lo:hi] {
			slices.SortFunc(g.members, m.byKey)
		}
	})
	sort.Slice(groups, func(a, b int) bool {
		ga, gb := groups[a], groups[b]
		if ga.kind != gb.kind {
			return ga.kind < gb.kind
		}
		if ga.scheme != gb.scheme {
			return ga.scheme < gb.scheme
		}
		return m.keyRank[ga.members[0]] < m.keyRank[gb.members[0]]
	})
	counter := map[string]int{}
	rows := make([]ServicePlan, len(m.svcs))
	owner := make([]*group, len(m.svcs))
	byID := map[string]*LoadBalancerPlan{}
	var order []string
	entry := func(lb *LoadBalancerPlan) *LoadBalancerPlan {
		if have, ok := byID[lb.ID]; ok {
			return have
		}
		byID[lb.ID] = lb
		order = append(order, lb.ID)
		return lb
	}
	splitWhy := m.splitReasons(groups)
	var ruleWeights [2]map[int]*big.Rat // per scope: service -> rules it accounts for
	var rules [2]int
	all := append(groups[:len(groups):len(groups)], m.kept...) // then the load balancers of today the plan keeps as they are
	ids, ruleUse := make([]string, len(all)), make([]rv, len(all))
	for gi, g := range groups { // today's names first: a new load balancer takes none of them
		if g.kind.spec().name == nil {
			ids[gi] = m.keptName(g, counter)
		}
	}
	m.adoptGateways(groups, ids, counter)
	for gi, g := range all { // in order: IDs count up
		r := m.groupRules(g)
		ruleUse[gi] = r
		for sc := range r {
			if r[sc] == 0 {
				continue
			}
			rules[sc] += int(r[sc])
			if ruleWeights[sc] == nil {
				ruleWeights[sc] = map[int]*big.Rat{}
			}
			for _, i := range g.members {
				w := big.NewRat(int64(r[sc]), int64(len(g.members)))
				if have := ruleWeights[sc][i]; have != nil {
					w.Add(w, have)
				}
				ruleWeights[sc][i] = w
			}
		}
		switch {
		case gi >= len(groups):
			ids[gi] = m.keptID(g, counter)
		case ids[gi] == "":
			ids[gi] = m.groupID(g, counter)
		}
	}
	// each group's rows, itemised load balancer and cost split, on every processor
	lbs, shares := make([]*LoadBalancerPlan, len(all)), make([][]money.Cents, len(all))
	parallel(len(all), func(lo, hi int) {
		for gi := lo; gi < hi; gi++ {
			lbs[gi], shares[gi] = m.renderGroup(all[gi], gi >= len(groups), ids[gi], ruleUse[gi], splitWhy[all[gi]], rows, owner)
		}
	})
	for gi, g := range all {
		lb := lbs[gi]
		if lb == nil {
			continue
		}
		target := entry(lb)
		if target != lb { // a service's frontend on the cluster's shared Azure load balancer
			target.Services = append(target.Services, lb.Services...)
			target.Costs = append(target.Costs, lb.Costs...)
			target.MonthlyCost += lb.MonthlyCost
		}
		for j, i := range g.members {
			rows[i].MonthlyCost += shares[gi][j]
		}
	}
	// tiered rule charges: allocated to services by the rules they account for
	for sc := range m.tiers {
		lines := m.tierLines(sc, rules[sc])
		if len(lines) == 0 {
			continue
		}
		t := m.tiers[sc]
		lb := entry(&LoadBalancerPlan{ID: t.id, Kind: m.tierKind(), Strategy: "shared-charge", Scheme: m.tierScheme(sc), RuleOrder: []string{}})
		var members []int
		for i := range ruleWeights[sc] {
			members = append(members, i)
		}
		sort.Ints(members)
		weights := make([]*big.Rat, len(members))
		have := make(map[string]bool, len(lb.Services))
		for _, k := range lb.Services {
			have[k] = true
		}
		for j, i := range members {
			weights[j] = ruleWeights[sc][i]
			if key := m.svcs[i].key; !have[key] {
				have[key] = true
				lb.Services = append(lb.Services, key)
			}
		}
		for _, l := range lines {
			l.Name = fmt.Sprintf("%s (%d added to %d existing)", l.Name, rules[sc], t.existing)
			l.byRules = true
			for j, c := range money.Split(l.MonthlyCost, weights) {
				rows[members[j]].MonthlyCost += c
				l.shares = append(l.shares, Share{Service: m.svcs[members[j]].key, Cents: c})
			}
			lb.Costs = append(lb.Costs, l)
			lb.MonthlyCost += l.MonthlyCost
		}
	}
	for _, id := range order {
		lb := byID[id]
		sort.Strings(lb.Services)
		p.LoadBalancers = append(p.LoadBalancers, *lb)
	}
	for _, lb := range p.LoadBalancers {
		for n, i := range lb.ruleSvcs {
			rows[i].Annotations["alb.ingress.kubernetes.io/group.order"] = strconv.Itoa(n + 1)
		}
	}
	parallel(len(rows), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			rows[i].Reason = m.reason(owner[i], &rows[i], i, rules)
		}
	})
	m.rowCost = make([]money.Cents, len(rows))
	for i := range rows {
		m.rowCost[i] = rows[i].MonthlyCost
	}
	p.Services = sortedRows(rows)
	sort.SliceStable(p.LoadBalancers, func(a, b int) bool { return p.LoadBalancers[a].ID < p.LoadBalancers[b].ID })
}

func (m *model) tierKind() string { return clouds[m.d.Cloud].tierKind }

func (m *model) tierScheme(scope int) string { return clouds[m.d.Cloud].tierSchemes[scope] }

// groupID names a group's load balancer; "" for exposures without one.
func (m *model) groupID(g *group, counter map[string]int) string {
	if f := g.kind.spec().name; f != nil {
		return f(m, g, counter)
	}
	if id := m.keptName(g, counter); id != "" {
		return id
	}
	prefix := g.kind.spec().strategy
	if g.kind == kProxy {
		// the first named as its implementation (ingress-nginx: its IngressClass, nginx)
		short := m.impl().short
		if g.scheme == schemeInternet && counter["\x00"+short] == 0 && !m.todayName(short) {
			counter["\x00"+short]++
			return short
		}
		prefix = short
	}
	prefix += "-" + schemeWord(g.scheme)
	for {
		counter[prefix]++
		id := prefix + "-" + strconv.Itoa(counter[prefix])
		if counter["\x00"+id] == 0 && !m.todayName(id) {
			counter["\x00"+id]++
			return id
		}
	}
}

// adoptGateways names a new in-cluster proxy (a group keeping none of
// today's, ids "") after a Gateway of today's implementation that no group
// keeps, of its scheme (in name order): on a tie (a new Gateway costs the
// same) the plan keeps what exists, its address and name, rather than
// deleting today's Gateway and adding another. A Gateway whose pods
// proxy.today sizes apart costs other than a new one: not adopted.
func (m *model) adoptGateways(groups []*group, ids []string, counter map[string]int) {
	if m.impl().gatewayClass == "" || m.d.todaysImpl() != m.impl() {
		return
	}
	orphans := map[string][]string{} // scheme -> today's proxy Gateways no group keeps
	for i := range m.svcs {
		si := &m.svcs[i]
		if si.cur == kProxy && strings.HasPrefix(si.curName, GatewayPrefix) && counter["\x00"+si.curName] == 0 && !slices.Contains(orphans[si.curScheme], si.curName) &&
			m.d.todaysProxyEntry(si.curName) == nil { // (pods sized apart: no tie with a new proxy's)
			orphans[si.curScheme] = append(orphans[si.curScheme], si.curName)
		}
	}
	for _, names := range orphans {
		slices.Sort(names)
	}
	for gi, g := range groups {
		if g.kind != kProxy || ids[gi] != "" || len(orphans[g.scheme]) == 0 {
			continue
		}
		name := orphans[g.scheme][0]
		orphans[g.scheme] = orphans[g.scheme][1:]
		counter["\x00"+name]++
		ids[gi], g.keeps = name, &kept{name, true} // rendered as today's (renderProxy)
	}
}

// todayName reports whether a load balancer of today is named so: a new one
// takes another name, which render and a later plan would read as today's.
func (m *model) todayName(name string) bool {
	if m.todayNames == nil {
		m.todayNames = map[string]bool{}
		for i := range m.svcs {
			if c := m.svcs[i].s.CurrentLoadBalancer; c != nil {
				m.todayNames[c.Name] = true
			}
		}
	}
	return m.todayNames[name]
}

// keptLabel is the name a kept load balancer has today.
func (m *model) keptLabel(g *group) string {
	for _, c := range m.svcs[g.members[0]].s.AlsoOn {
		if m.currentKindOf(c) == g.kind && (c.Scheme == schemeInternal) == (g.scheme == schemeInternal) {
			return c.Name
		}
	}
	return m.svcs[g.members[0]].s.AlsoOn[0].Name
}

// keptID names a load balancer the plan keeps as it is today (alsoOn).
func (m *model) keptID(g *group, counter map[string]int) string {
	name := m.keptLabel(g)
	id := name
	for n := 2; id == "" || counter["\x00"+id] > 0; n++ {
		id = fmt.Sprintf("%s-%d", strings.TrimSuffix(name, "-"), n)
	}
	counter["\x00"+id]++
	return id
}

// keptName is the name of today's load balancer a shared group keeps (its
// IngressGroup, Ingress or Gateway), so that the controller keeps the load
// balancer and its DNS name; "" when it keeps none. An Ingress's own ALB
// (namespace/name) that gains services from elsewhere becomes a group named
// after it; a Gateway keeps its name, new routes attaching to it.
func (m *model) keptName(g *group, counter map[string]int) string {
	name, ok := m.identity(g.kind, g.scheme, g.members)
	if !ok || name == "" || name == "(ingress)" {
		return ""
	}
	// an Ingress's own ALB that takes others' Ingresses becomes a group (ns-name); a
	// Gateway takes routes from anywhere as it is, a GKE Ingress others' rules (oneNamespace)
	if strings.Contains(name, "/") && !strings.HasPrefix(name, GatewayPrefix) && !g.kind.spec().oneNamespace {
		for _, i := range g.members {
			if !m.onCurrent(i, g.kind, g.scheme, name) {
				name = strings.ReplaceAll(name, "/", "-")
				break
			}
		}
	}
	if counter["\x00"+name] > 0 {
		return ""
	}
	counter["\x00"+name]++
	return name
}

// GatewayPrefix marks a load balancer that is a Gateway API Gateway
// (gateway:namespace/name) in CurrentLB names and load balancer ids.
const GatewayPrefix = "gateway:"

// renderGroup renders one group: its members' rows (a planned group's), its
// itemised load balancer and each member's share of its cost; no load
// balancer for a group without an ID.
func (m *model) renderGroup(g *group, kept bool, id string, r rv, splitWhy string, rows []ServicePlan, owner []*group) (*LoadBalancerPlan, []money.Cents) {
	if !kept {
		for _, i := range g.members {
			owner[i] = g
			rows[i] = m.serviceRow(g, i, id)
		}
	}
	if id == "" {
		return nil, nil
	}
	lb := m.loadBalancer(g, id)
	lb.SplitReason = splitWhy
	if kept {
		lb.Strategy = "kept"
	}
	for sc := range r {
		if r[sc] > 0 && m.tiers[sc].id != id {
			lb.RulesBilledIn = append(lb.RulesBilledIn, m.tiers[sc].id)
		}
	}
	return lb, m.allocate(g, lb)
}

// sortedRows orders the rows by namespace, then name (unique: validated),
// in place, moving each (large) row once.
func sortedRows(rows []ServicePlan) []ServicePlan {
	type rowKey struct {
		namespace, name string
		i               int32
	}
	keys := make([]rowKey, len(rows)) // sorted in cache, not through the rows
	for i := range rows {
		keys[i] = rowKey{rows[i].Namespace, rows[i].Name, int32(i)}
	}
	slices.SortFunc(keys, func(x, y rowKey) int {
		if c := strings.Compare(x.namespace, y.namespace); c != 0 {
			return c
		}
		return strings.Compare(x.name, y.name)
	})
	order := make([]int32, len(rows))
	for j, k := range keys {
		order[j] = k.i
	}
	// rows[j] = old rows[order[j]], in place, cycle by cycle (done: order[j] = -1)
	for j := range order {
		if order[j] < 0 {
			continue
		}
		held, k := rows[j], j
		for {
			next := int(order[k])
			order[k] = -1
			if next == j {
				rows[k] = held
				break
			}
			rows[k], k = rows[next], next
		}
	}
	return rows
}

func svcLess(a, b ServicePlan) bool {
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	return a.Name < b.Name
}

// loadBalancer prices a group with itemised lines.
func (m *model) loadBalancer(g *group, id string) *LoadBalancerPlan {
	total, lines, slots := m.cost(g, true)
	lb := &LoadBalancerPlan{ID: id, Scheme: g.scheme, Costs: lines, MonthlyCost: total, RuleOrder: []string{}, Strategy: "dedicated"}
	if g.kind.shared() {
		lb.Strategy = g.kind.spec().strategy
	}
	lb.Kind = g.kind.spec().id(m)
	if f := g.kind.spec().finish; f != nil {
		f(m, g, lb, slots)
	}
	if lim := g.kind.spec().limits; lim != (kindLimits{}) {
		q := m.quotaUse(g.kind, g.members)
		q.Limits = QuotaLimits{Rules: lim.rules, Certificates: lim.certs, TargetGroups: lim.targets, Listeners: lim.listeners}
		lb.Quotas = &q
	}
	for _, i := range g.members {
		lb.Services = append(lb.Services, m.svcs[i].key)
	}
	return lb
}

// allocate splits each cost line over the group's members by their share of
// the usage that drives it: capacity-unit lines by the billed dimension,
// data lines by bytes, fixed lines evenly. Shares add up to the line exactly.
func (m *model) allocate(g *group, lb *LoadBalancerPlan) []money.Cents {
	shares := make([]money.Cents, len(g.members))
	record := func(l *CostLine, parts []money.Cents) {
		l.shares = make([]Share, len(parts))
		for j, c := range parts {
			l.shares[j] = Share{Service: m.svcs[g.members[j]].key, Cents: c}
			shares[j] += c
		}
	}
	if len(g.members) == 1 { // a load balancer of its own: all of it
		for n := range lb.Costs {
			lb.Costs[n].sole = m.svcs[g.members[0]].key
			shares[0] += lb.Costs[n].MonthlyCost
		}
		return shares
	}
	var evals map[int]*big.Rat
	ints := make([]uint64, len(g.members))
	for n := range lb.Costs {
		l := &lb.Costs[n]
		if l.driver != byRuleEvaluations && l.MonthlyCost >= 0 { // whole-number weights: exact in integers
			for j, i := range g.members {
				ints[j] = uint64(l.driver.use(&m.svcs[i]))
			}
			record(l, money.SplitInts(l.MonthlyCost, ints))
			continue
		}
		weights := make([]*big.Rat, len(g.members))
		for j, i := range g.members {
			s := &m.svcs[i]
			switch l.driver {
			case byNewConnections, byActiveConnections, byBytes, byTLSConnections:
				weights[j] = l.driver.use(s).Rat()
			case byRuleEvaluations:
				if evals == nil {
					evals = map[int]*big.Rat{}
					slots, _ := m.groupRuleOrder(g)
					for _, sl := range slots {
						evals[sl.svc] = sl.evals
					}
				}
				weights[j] = evals[i]
			default:
				weights[j] = big.NewRat(1, 1)
			}
		}
		record(l, money.Split(l.MonthlyCost, weights))
	}
	return shares
}

func (m *model) hopPath(k kind, scheme string) string { return k.spec().path(m, scheme) }
