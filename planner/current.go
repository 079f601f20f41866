package planner

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// noKind marks a service whose exposure today is not declared.
const noKind kind = numKinds

// currentKindOf maps a declared CurrentLB kind to the planner's kind on a cloud.
func (m *model) currentKindOf(c CurrentLB) kind {
	// a kind that claims today's load balancer by its name too (an NLB
	// shared through a Gateway) comes first, when the plan may use it
	for _, k := range m.kinds {
		if s := k.spec(); s.current == c.Kind && s.currentNamed != nil && s.currentNamed(c.Name) {
			return k
		}
	}
	if k, ok := kindOfCurrent(m.d.Cloud, c.Kind); ok && c.Kind != CurrentLB4 {
		return k
	}
	return m.dedicatedKind()
}

// prepareCurrent records how service i is exposed today: its kind, and the
// identity of the load balancer it is on ("" for one of its own).
func (m *model) prepareCurrent(i int) {
	si := &m.svcs[i]
	s := si.s
	si.cur, si.curScheme, si.curName = noKind, si.scheme, ""
	if si.curScheme == "" {
		si.curScheme = schemeInternet
	}
	switch s.Current {
	case ClusterIP:
		si.cur, si.curScheme = kClusterIP, ""
		return
	case NodePort:
		si.cur, si.curScheme = kNodePort, ""
		return
	case LoadBalancer:
		si.cur = m.dedicatedKind()
	case Ingress:
		si.cur, si.curName = m.ingressKind(), "(ingress)"
	default:
		return
	}
	if c := s.CurrentLoadBalancer; c != nil && slices.Contains(CurrentLBKinds[m.d.Cloud], c.Kind) {
		si.cur, si.curName = m.currentKindOf(*c), c.Name
		switch c.Scheme {
		case AudienceInternet:
			si.curScheme = schemeInternet
		case schemeInternal:
			si.curScheme = schemeInternal
		}
	}
}

// onCurrent reports whether service i keeps today's exposure as a member of
// a group of kind k and scheme whose identity (today's load balancer name) is name.
func (m *model) onCurrent(i int, k kind, scheme, name string) bool {
	si := &m.svcs[i]
	if si.cur != k {
		return false
	}
	if k == kClusterIP || k == kNodePort {
		return true
	}
	return si.curScheme == scheme && si.curName == name
}

// identity is the load balancer of today that most of a group's members are
// on (ties by name), "" when none of them is on one of kind k. An in-cluster
// proxy that cannot redirect plain HTTP (proxyRedirects) is not kept for a
// group with a redirected service from elsewhere. A group of a
// kind whose redirect to HTTPS is all or nothing (wholeRedirect) that mixes
// redirected and served services keeps a Gateway of today if a member is on
// one, whatever the others' count: only a Gateway (its routes redirecting
// host by host) can carry both (keepsGateway). Without that preference
// whether such a group could exist followed how many of its members were
// on the Gateway today, which a plan changes.
func (m *model) identity(k kind, scheme string, members []int) (string, bool) {
	count := map[string]int{}
	served, redirected := false, false
	beside := false // a member answers plain HTTP beside HTTPS (plainBeside)
	for _, i := range members {
		si := &m.svcs[i]
		if si.cur == k && si.curScheme == scheme {
			count[si.curName]++
		}
		served, redirected = served || si.plain == plainServed, redirected || si.plain == plainRedirected
		beside = beside || m.plainBeside(i)
	}
	if m.keepsObjects { // a member keeping its routing object keeps its proxy or Gateway (objectConflict)
		for _, i := range members {
			if si := &m.svcs[i]; si.cur == k && si.curScheme == scheme &&
				((todaysKindNeed(si.s) != "" && (k == kProxy || strings.HasPrefix(si.curName, GatewayPrefix))) || addressOfIngress(si.s)) {
				return si.curName, true // (a reserved address its Ingress names: addressConflict)
			}
		}
	}
	mixed := served && redirected && k.spec().wholeRedirect
	best, n, bestGW := "", 0, false
	for name, c := range count {
		if beside && k == kProxy && !m.proxyRedirects(name) && m.besideOff(k, scheme, name, members) {
			continue // kept, it could not say a newcomer's plain HTTP: a new proxy can, or none
		}
		if m.offRetired(k, scheme, name, members) {
			continue // kept, a retired implementation's proxy could not take a newcomer (retiredConflict): another can
		}
		if k == kProxy && !strings.HasPrefix(name, GatewayPrefix) && m.splitOff(splitInRoute, k, scheme, name, members) {
			continue // kept, it could not take a newcomer's route split (splitConflict): a Gateway can
		}
		if strings.HasPrefix(name, GatewayPrefix) && m.splitOff(splitByIngress, k, scheme, name, members) {
			continue // kept, it could not take a newcomer's Ingress split (splitConflict): its Ingress can
		}
		gw := mixed && strings.HasPrefix(name, GatewayPrefix)
		if (gw && !bestGW) || (gw == bestGW && (c > n || (c == n && name < best))) {
			best, n, bestGW = name, c, gw
		}
	}
	return best, n > 0
}

// splitOff reports whether a member whose requests are split today in the
// way split says (splitInRoute, splitByIngress) is not on load balancer name
// of kind k and scheme today.
func (m *model) splitOff(split func(*Service) bool, k kind, scheme, name string, members []int) bool {
	for _, i := range members {
		if s := m.svcs[i].s; len(s.RoutedWith) > 0 && split(s) && !m.onCurrent(i, k, scheme, name) {
			return true
		}
	}
	return false
}

// besideOff reports whether a member answering plain HTTP beside HTTPS today
// (plainBeside) is not on load balancer name of kind k and scheme today.
func (m *model) besideOff(k kind, scheme, name string, members []int) bool {
	for _, i := range members {
		if m.plainBeside(i) && !m.onCurrent(i, k, scheme, name) {
			return true
		}
	}
	return false
}

// moves counts the members of a group that it takes off today's exposure or
// load balancer (services with no declared current exposure never count).
func (m *model) moves(k kind, scheme string, members []int) int {
	name, _ := m.identity(k, scheme, members)
	n := 0
	for _, i := range members {
		if m.svcs[i].cur != noKind && !m.onCurrent(i, k, scheme, name) {
			n++
		}
	}
	return n
}

// currentGroups builds today's load balancers from the declared current
// exposures, the way the controllers create them: one per named load
// balancer (IngressGroup, Ingress, Gateway, proxy controller), one per
// LoadBalancer Service without a name. all reports whether every service
// declares its exposure today.
func (m *model) currentGroups() (groups []*group, all bool) {
	if m.current != nil {
		return m.current.groups, m.current.all
	}
	defer func() { m.current = &currentGroupsOf{groups, all} }()
	type key struct {
		k            kind
		scheme, name string
	}
	byKey := map[key][]int{}
	var keys []key
	all = true
	for i := range m.svcs {
		si := &m.svcs[i]
		if si.cur == noKind {
			all = false
			continue
		}
		if si.curName == "" || !si.cur.shared() && si.cur != kNLB {
			groups = append(groups, m.newGroup(si.cur, si.curScheme, []int{i}))
			continue
		}
		k := key{si.cur, si.curScheme, si.curName}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], i)
	}
	for _, k := range keys {
		g := m.newGroup(k.k, k.scheme, byKey[k])
		g.frontends = m.frontendsToday(g)
		if k.k.spec().firstMatch {
			g.todayPos = m.positionsToday(g.members, func(i int) *CurrentLB { return m.svcs[i].s.CurrentLoadBalancer })
		}
		groups = append(groups, g)
	}
	return groups, all
}

// positionsToday is each member's rule position on a load balancer of
// today (CurrentLB.RulePosition of its entry for it, lb), when every member
// gives one; else nil.
func (m *model) positionsToday(members []int, lb func(i int) *CurrentLB) map[int]int {
	pos := make(map[int]int, len(members))
	for _, i := range members {
		c := lb(i)
		if c == nil || c.RulePosition == 0 {
			return nil
		}
		pos[i] = c.RulePosition
	}
	return pos
}

// currentGroupsOf is today's exposure as groups, built once per model.
type currentGroupsOf struct {
	groups []*group
	all    bool
}

// currentFeasible says why today's exposure cannot be the plan ("" when it can):
// a service whose needs rule out today's exposure, or a load balancer past its quotas.
func (m *model) currentFeasible(groups []*group) string {
	for _, g := range groups {
		for _, i := range g.members {
			si := &m.svcs[i]
			if !si.feasible[g.kind] {
				return fmt.Sprintf("%s: today's %s is ruled out: %s", si.key, g.kind.label(), m.whyKind(si, g.kind))
			}
			if si.scheme != "" && g.scheme != "" && si.scheme != g.scheme {
				return fmt.Sprintf("%s: today's %s is %s, its audience %s", si.key, g.kind.label(), g.scheme, si.s.Audience)
			}
		}
		if g.kind.shared() && len(g.members) > 1 {
			if why := m.sharedFits(g.kind, g.members); why != "" {
				return "today's " + g.kind.label() + " " + m.svcs[g.members[0]].curName + ": " + why
			}
		}
	}
	return ""
}

// whyKind is why a service cannot take kind k.
func (m *model) whyKind(si *svcInfo, k kind) string {
	if why := m.why(si, k); why != "" {
		return why
	}
	if si.s.Audience != AudienceCluster && (k == kClusterIP) {
		return "audience " + si.s.Audience + " needs a load balancer"
	}
	return "not available on " + m.d.Cloud
}

// keepCurrent replaces the optimiser's groups with today's exposure when
// every service declares it, it is feasible, and the plan would cost no
// less: a plan never costs more than today unless a need forces it, and on
// a tie nothing moves. forced says which need does when today is ruled out.
func (m *model) keepCurrent(planned []*group) (groups []*group, forced string) {
	cur, all := m.currentGroups()
	if !all {
		return planned, ""
	}
	if why := m.currentFeasible(cur); why != "" {
		return planned, why
	}
	if clouds[m.d.Cloud].addressesFirst && m.addresses(cur) != m.addresses(planned) {
		// fewer addresses, but never dearer than today unless the pool cannot hold today's
		if size := m.d.AddressPool.Size; size != nil && m.addresses(cur) > *size {
			return planned, fmt.Sprintf("addressPool.size: today's %d addresses are more than the pool's %d", m.addresses(cur), *size)
		}
		if m.priceGroups(slices.Concat(cur, m.kept)) < m.priceGroups(slices.Concat(planned, m.kept)) {
			return cur, ""
		}
		return planned, ""
	}
	// never dearer than today, and at today's cost today's exposure
	today, plan := m.priceGroups(slices.Concat(cur, m.kept)), m.priceGroups(slices.Concat(planned, m.kept))
	if today < plan || (today == plan && m.groupMoves(planned) > 0) {
		return cur, ""
	}
	return planned, ""
}

// addresses counts the load balancers (bare metal: pool addresses) of groups.
func (m *model) addresses(groups []*group) int {
	n := 0
	for _, g := range groups {
		n += lbCount(g.kind)
	}
	return n
}

// groupMoves counts the services a set of groups moves off today's exposure.
// A load balancer of today is kept by one group at most (the first, as render
// names them, keptName): the members of another group that would be it move.
func (m *model) groupMoves(groups []*group) int {
	n := 0
	claimed := map[string]bool{}
	for _, g := range groups {
		name, ok := m.identity(g.kind, g.scheme, g.members)
		if ok && name != "" && claimed[name] {
			for _, i := range g.members {
				if m.svcs[i].cur != noKind {
					n++
				}
			}
			continue
		}
		claimed[name] = ok && name != ""
		n += m.moves(g.kind, g.scheme, g.members)
	}
	return n
}

// currentCost prices today's exposure, as billed: the services that declare
// it on today's load balancers, plus the plan's share for those that do not.
func (m *model) currentCost() (money.Cents, bool) {
	any := false
	var unchanged money.Cents
	var declared []*group
	cur, _ := m.currentGroups()
	for _, g := range cur {
		if g.kind != kClusterIP && g.kind != kNodePort {
			declared = append(declared, g)
		}
	}
	for i := range m.svcs {
		if m.svcs[i].cur == noKind {
			unchanged += m.rowCost[i]
		} else {
			any = true
		}
	}
	return m.priceGroups(append(declared, m.kept...)) + unchanged, any
}

// prepareKept builds the load balancers services are also on today besides
// their own (alsoOn) and that no service is on first: the plan keeps them as
// they are, so they cost the same today and in the plan. Usage counts on the
// services' first load balancer.
func (m *model) prepareKept() {
	type key struct {
		k            kind
		scheme, name string
	}
	primary := map[key]bool{}
	for i := range m.svcs {
		si := &m.svcs[i]
		primary[key{si.cur, si.curScheme, si.curName}] = true
	}
	byKey := map[key]*group{}
	var order []key
	entry := map[key]map[int]*CurrentLB{} // each member's entry for a kept load balancer
	for i := range m.svcs {
		for j, c := range m.svcs[i].s.AlsoOn {
			if !slices.Contains(CurrentLBKinds[m.d.Cloud], c.Kind) {
				continue
			}
			k := key{m.currentKindOf(c), schemeInternet, c.Name}
			if c.Scheme == schemeInternal {
				k.scheme = schemeInternal
			}
			if primary[k] {
				continue
			}
			g := byKey[k]
			if g == nil {
				g = &group{kind: k.k, scheme: k.scheme}
				byKey[k] = g
				order = append(order, k)
			}
			if !slices.Contains(g.members, i) {
				g.members = append(g.members, i)
			}
			if entry[k] == nil {
				entry[k] = map[int]*CurrentLB{}
			}
			entry[k][i] = &m.svcs[i].s.AlsoOn[j]
		}
	}
	for _, k := range order {
		g := byKey[k]
		if k.k.spec().firstMatch {
			g.todayPos = m.positionsToday(g.members, func(i int) *CurrentLB { return entry[k][i] })
		}
		m.kept = append(m.kept, g)
	}
}

// tieInfeasible says why a tied set of services (routed by one rule, or
// serving one host) cannot share one load balancer, or "" if they can.
func (m *model) tieInfeasible(set []int) string {
	scheme := m.svcs[set[0]].scheme
	for _, i := range set {
		if m.svcs[i].scheme != scheme || scheme == "" {
			return "services routed by one rule have different audiences"
		}
	}
	var whys []string
	for _, k := range m.kinds {
		if !k.shared() {
			continue
		}
		if !m.allShareable(k, set) {
			continue
		}
		why := m.sharedFits(k, set)
		if why == "" {
			return ""
		}
		whys = append(whys, k.label()+": "+why)
	}
	if len(whys) == 0 {
		return "no shared load balancer can take them all"
	}
	return strings.Join(whys, "; ")
}

// splitsRouting reports whether a block holds some but not all of a tied
// set of services (routed by one rule, or serving one host).
func (m *model) splitsRouting(members []int) bool {
	var in map[int]int
	for _, i := range members {
		if m.svcs[i].tied {
			if in == nil {
				in = map[int]int{}
			}
			in[m.svcs[i].tie]++
		}
	}
	for t, n := range in {
		if m.tieSize[t] != n { // the set's size (prepareTies): some of it is elsewhere
			return true
		}
	}
	return false
}

// keepTies moves every tied set of services (prepareTies) onto the load
// balancer of its first member (the heuristic places services one by one),
// or onto a load balancer of their own (of the cheapest kind they fit on
// together) when that one is full.
func (m *model) keepTies(groups []*group, scheme string) []*group {
	sets := map[int][]int{}
	var roots []int
	for i := range m.svcs {
		if si := &m.svcs[i]; si.tied && si.scheme == scheme {
			if _, ok := sets[si.tie]; !ok {
				roots = append(roots, si.tie)
			}
			sets[si.tie] = append(sets[si.tie], i)
		}
	}
	where := map[int]*group{}
	for _, g := range groups {
		for _, i := range g.members {
			if len(roots) > 0 { // nothing to look up otherwise
				where[i] = g
			}
		}
	}
	sort.Ints(roots)
	for _, r := range roots {
		set := sets[r]
		home := where[set[0]]
		together := true
		for _, i := range set {
			together = together && where[i] == home
		}
		if together && home.kind.shared() {
			continue
		}
		for _, i := range set {
			g := where[i]
			g.members = removeInt(g.members, i)
			g.sums.sub(&m.svcs[i])
		}
		trial := append(append([]int(nil), home.members...), set...)
		if home.kind.shared() && m.allShareable(home.kind, trial) && m.sharedFits(home.kind, trial) == "" {
			for _, i := range set {
				home.members = append(home.members, i)
				home.sums.add(&m.svcs[i])
			}
			continue
		}
		var best *group // the cheapest kind the set fits on together
		var bestVal val
		for _, k := range m.kinds {
			if k.shared() && m.allShareable(k, set) && m.sharedFits(k, set) == "" {
				g := m.newGroup(k, scheme, append([]int(nil), set...))
				if v := m.localVal(g, m.latSum(k, set)); best == nil || v.less(bestVal) {
					best, bestVal = g, v
				}
			}
		}
		if best == nil { // never so (recheckTies leaves tied only sets some kind takes whole): left where they were
			for _, i := range set {
				where[i].members = append(where[i].members, i)
				where[i].sums.add(&m.svcs[i])
			}
			continue
		}
		groups = append(groups, best)
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.members) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func removeInt(xs []int, x int) []int {
	out := xs[:0]
	for _, y := range xs {
		if y != x {
			out = append(out, y)
		}
	}
	return out
}
