package planner

import (
	"fmt"
	"math/bits"
	"sort"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// ExactLimit is the largest number of shareable services of one scheme that
// the optimiser partitions exactly (dynamic programming over every subset);
// larger classes are planned by construction and local search.
const ExactLimit = 12

// val is the optimiser's objective, compared lexicographically: cost, then
// added latency summed over services, then the number of load balancers.
type val struct {
	cents money.Cents
	lat   Quantity
	lbs   int
}

func (a val) plus(b val) val  { return val{a.cents + b.cents, a.lat + b.lat, a.lbs + b.lbs} }
func (a val) minus(b val) val { return val{a.cents - b.cents, a.lat - b.lat, a.lbs - b.lbs} }
func (a val) less(b val) bool {
	if a.cents != b.cents {
		return a.cents < b.cents
	}
	if a.lat != b.lat {
		return a.lat < b.lat
	}
	return a.lbs < b.lbs
}

func lbCount(k kind) int {
	if k == kClusterIP || k == kNodePort {
		return 0
	}
	return 1
}

// newGroup builds a group with its sums.
func (m *model) newGroup(k kind, scheme string, members []int) *group {
	g := &group{kind: k, scheme: scheme, members: members}
	for _, i := range members {
		g.sums.add(&m.svcs[i])
	}
	return g
}

// groupVal is the objective of one load balancer and its members.
func (m *model) groupVal(g *group, lat Quantity) val {
	c, _, _ := m.cost(g, false)
	return val{c, lat, lbCount(g.kind)}
}

func (m *model) latSum(k kind, members []int) Quantity {
	var l Quantity
	for _, i := range members {
		l += m.svcs[i].latency[k]
	}
	return l
}

// standalone finds each service's cheapest exposure on its own.
func (m *model) standalone(i int) error {
	si := &m.svcs[i]
	if si.s.Audience == AudienceCluster {
		m.standKind[i], m.standVal[i] = kClusterIP, val{}
		return nil
	}
	found := false
	for _, k := range []kind{kNodePort, kNLB, kCLB, kALB, kNginx} {
		if !si.feasible[k] {
			continue
		}
		if k == kALB {
			if why := m.albQuota([]int{i}); why != "" {
				si.feasible[k], si.why[k] = false, why
				si.shareable[k] = false
				continue
			}
		}
		v := m.groupVal(m.newGroup(k, si.scheme, []int{i}), si.latency[k])
		if !found || v.less(m.standVal[i]) {
			m.standKind[i], m.standVal[i], found = k, v, true
		}
	}
	if !found {
		return &FieldError{Index: i, Service: si.key, Field: m.blamedField(si), Msg: "no exposure satisfies it: " + m.whyNot(si)}
	}
	return nil
}

func (m *model) blamedField(si *svcInfo) string {
	switch {
	case si.s.Pin != "":
		return "pin"
	case si.s.LatencyBudgetMs != nil:
		return "latencyBudgetMs"
	default:
		return "needs"
	}
}

// whyNot lists why each exposure is ruled out for a service.
func (m *model) whyNot(si *svcInfo) string {
	var parts []string
	for _, k := range []kind{kNodePort, kNLB, kCLB, kALB, kNginx} {
		if si.why[k] != "" && !(k == kNLB && !m.controller) && !(k == kCLB && m.controller) {
			parts = append(parts, kindLabel[k]+": "+si.why[k])
		}
	}
	return strings.Join(parts, "; ")
}

var kindLabel = [numKinds]string{kClusterIP: "ClusterIP", kNodePort: "NodePort", kNLB: "NLB", kCLB: "Classic LB", kALB: "ALB", kNginx: "nginx"}

// optimise assigns every service to a group (a load balancer, or a
// standalone exposure) and reports whether every class was solved exactly.
func (m *model) optimise() ([]*group, bool, error) {
	n := len(m.svcs)
	m.standKind = make([]kind, n)
	m.standVal = make([]val, n)
	var errs Errors
	for i := range m.svcs {
		if err := m.standalone(i); err != nil {
			errs = append(errs, err.(*FieldError))
		}
	}
	if len(errs) > 0 {
		return nil, false, errs
	}
	classes := map[string][]int{}
	m.shareableIn = map[string]int{}
	var groups []*group
	for i := range m.svcs {
		si := &m.svcs[i]
		if si.shareable[kALB] || si.shareable[kNginx] {
			classes[si.scheme] = append(classes[si.scheme], i)
			m.shareableIn[si.scheme]++
			continue
		}
		groups = append(groups, m.newGroup(m.standKind[i], si.scheme, []int{i}))
	}
	exact := true
	for _, scheme := range []string{schemeInternet, schemeInternal} {
		idx := classes[scheme]
		if len(idx) == 0 {
			continue
		}
		sort.Slice(idx, func(a, b int) bool { return m.svcs[idx[a]].key < m.svcs[idx[b]].key })
		if len(idx) <= ExactLimit {
			groups = append(groups, m.exact(scheme, idx)...)
		} else {
			exact = false
			groups = append(groups, m.heuristic(scheme, idx)...)
		}
	}
	return groups, exact, nil
}

// exact partitions a class optimally by dynamic programming over subsets:
// best(S) = min over blocks B containing S's first member of cost(B) + best(S \ B).
func (m *model) exact(scheme string, idx []int) []*group {
	n := len(idx)
	full := 1<<n - 1
	type block struct {
		v  val
		k  kind
		ok bool
	}
	blocks := make([]block, full+1)
	members := make([]int, 0, n)
	for mask := 1; mask <= full; mask++ {
		members = members[:0]
		for b := mask; b != 0; b &= b - 1 {
			members = append(members, idx[bits.TrailingZeros(uint(b))])
		}
		if len(members) == 1 {
			i := members[0]
			blocks[mask] = block{m.standVal[i], m.standKind[i], true}
			continue
		}
		for _, k := range []kind{kALB, kNginx} {
			if !m.allShareable(k, members) || m.sharedFits(k, members) != "" {
				continue
			}
			v := m.groupVal(m.newGroup(k, scheme, members), m.latSum(k, members))
			if !blocks[mask].ok || v.less(blocks[mask].v) {
				blocks[mask] = block{v, k, true}
			}
		}
	}
	best := make([]val, full+1)
	choice := make([]int, full+1)
	for mask := 1; mask <= full; mask++ {
		low := mask & -mask
		rest := mask ^ low
		set := false
		for sub := rest; ; sub = (sub - 1) & rest {
			b := sub | low
			if blocks[b].ok {
				c := blocks[b].v.plus(best[mask^b])
				if !set || c.less(best[mask]) {
					best[mask], choice[mask], set = c, b, true
				}
			}
			if sub == 0 {
				break
			}
		}
	}
	var out []*group
	for mask := full; mask != 0; mask ^= choice[mask] {
		b := choice[mask]
		var ms []int
		for x := b; x != 0; x &= x - 1 {
			ms = append(ms, idx[bits.TrailingZeros(uint(x))])
		}
		out = append(out, m.newGroup(blocks[b].k, scheme, ms))
	}
	return out
}

func (m *model) allShareable(k kind, members []int) bool {
	for _, i := range members {
		if !m.svcs[i].shareable[k] {
			return false
		}
	}
	return true
}

// hgroup is a group under construction in the heuristic, with the running
// state its quotas need.
type hgroup struct {
	group
	lat    Quantity
	v      val
	rules  int
	certs  map[string]int
	routes map[string]bool
	pos    map[int]int // member -> index in members
}

// state is an assignment of a class: each service in a group or standalone.
type state struct {
	groups []*hgroup
	loc    map[int]*hgroup // nil: standalone
}

func (m *model) newHGroup(k kind, scheme string) *hgroup {
	return &hgroup{group: group{kind: k, scheme: scheme}, certs: map[string]int{}, routes: map[string]bool{}, pos: map[int]int{}}
}

// fits reports whether service i can join ALB group g without breaking a quota or a route.
func (m *model) fits(g *hgroup, i int) bool {
	s := &m.svcs[i]
	for _, r := range s.routes {
		if g.routes[r] {
			return false
		}
	}
	if g.kind != kALB {
		return true
	}
	if g.rules+s.rules > ALBMaxRules || len(g.members)+1 > ALBMaxTargetGroups {
		return false
	}
	newCerts := 0
	for _, c := range s.certs {
		if g.certs[c] == 0 {
			newCerts++
		}
	}
	return len(g.certs)+newCerts <= ALBMaxCertificates
}

func (m *model) join(st *state, g *hgroup, i int) {
	s := &m.svcs[i]
	g.pos[i] = len(g.members)
	g.members = append(g.members, i)
	g.sums.add(s)
	g.lat += s.latency[g.kind]
	g.rules += s.rules
	for _, c := range s.certs {
		g.certs[c]++
	}
	for _, r := range s.routes {
		g.routes[r] = true
	}
	st.loc[i] = g
}

func (m *model) leave(st *state, g *hgroup, i int) {
	s := &m.svcs[i]
	p := g.pos[i]
	last := len(g.members) - 1
	g.members[p] = g.members[last]
	g.pos[g.members[p]] = p
	g.members = g.members[:last]
	delete(g.pos, i)
	g.sums.sub(s)
	g.lat -= s.latency[g.kind]
	g.rules -= s.rules
	for _, c := range s.certs {
		if g.certs[c]--; g.certs[c] == 0 {
			delete(g.certs, c)
		}
	}
	for _, r := range s.routes {
		delete(g.routes, r)
	}
	st.loc[i] = nil
}

// valWith is the group's objective after adding (sign +1) or removing (-1) service i.
// A group left with one member is valued as that member on its own.
func (m *model) valWith(g *hgroup, i, sign int) val {
	s := &m.svcs[i]
	tmp := g.group
	var lat Quantity
	switch sign {
	case 1:
		tmp.sums.add(s)
		lat = g.lat + s.latency[g.kind]
		if g.kind == kALB {
			tmp.members = append(append(make([]int, 0, len(g.members)+1), g.members...), i)
		}
	default:
		if len(g.members) == 2 {
			other := g.members[0]
			if other == i {
				other = g.members[1]
			}
			return m.standVal[other]
		}
		if len(g.members) == 1 {
			return val{}
		}
		tmp.sums.sub(s)
		lat = g.lat - s.latency[g.kind]
		if g.kind == kALB {
			tmp.members = make([]int, 0, len(g.members)-1)
			for _, x := range g.members {
				if x != i {
					tmp.members = append(tmp.members, x)
				}
			}
		}
	}
	return m.groupVal(&tmp, lat)
}

func (m *model) refresh(g *hgroup) {
	switch len(g.members) {
	case 0:
		g.v = val{}
	case 1:
		g.v = m.standVal[g.members[0]]
	default:
		g.v = m.groupVal(&g.group, g.lat)
	}
}

// ruleWeightLess orders services busiest rule first, then by key.
func (m *model) ruleWeightLess(a, b int) bool {
	x, y := &m.svcs[a], &m.svcs[b]
	hi1, lo1 := bits.Mul64(uint64(x.rps), uint64(y.rules))
	hi2, lo2 := bits.Mul64(uint64(y.rps), uint64(x.rules))
	if hi1 != hi2 || lo1 != lo2 {
		return hi1 > hi2 || (hi1 == hi2 && lo1 > lo2)
	}
	return x.key < y.key
}

// albLowerBound is the fewest ALBs the candidates' quotas allow.
func (m *model) albLowerBound(cand []int) int {
	rules := 0
	certs := map[string]bool{}
	for _, i := range cand {
		rules += m.svcs[i].rules
		for _, c := range m.svcs[i].certs {
			certs[c] = true
		}
	}
	k := max(1, ceilDiv(rules, ALBMaxRules), ceilDiv(len(cand), ALBMaxTargetGroups), ceilDiv(len(certs), ALBMaxCertificates))
	return min(k, len(cand))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// deal spreads candidates (busiest rule first) over k ALBs like cards, so
// that every ALB's first ten (free) rule positions go to the busiest rules;
// a service that fits none of its next few ALBs opens a new one.
func (m *model) deal(scheme string, cand []int, k int) []*hgroup {
	st := &state{loc: map[int]*hgroup{}}
	groups := make([]*hgroup, k)
	for g := range groups {
		groups[g] = m.newHGroup(kALB, scheme)
	}
	const scan = 16
	for j, i := range cand {
		var target *hgroup
		n := len(groups)
		for t := 0; t < min(scan, n); t++ {
			if g := groups[(j+t)%n]; m.fits(g, i) {
				target = g
				break
			}
		}
		if target == nil {
			target = m.newHGroup(kALB, scheme)
			groups = append(groups, target)
		}
		m.join(st, target, i)
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.members) > 0 {
			m.refresh(g)
			out = append(out, g)
		}
	}
	return out
}

// bestDeal tries a few ALB counts from the quota lower bound up and keeps the cheapest dealing.
func (m *model) bestDeal(scheme string, cand []int) []*hgroup {
	kmin := m.albLowerBound(cand)
	step := max(1, kmin/8)
	var best []*hgroup
	var bestVal val
	for try, k := 0, kmin; try < 8 && k <= len(cand); try, k = try+1, k+step {
		groups := m.deal(scheme, cand, k)
		var v val
		for _, g := range groups {
			v = v.plus(g.v)
		}
		if best != nil && !v.less(bestVal) {
			break
		}
		best, bestVal = groups, v
	}
	return best
}

// construct builds a starting assignment: shared ALBs filled first-fit in rule-weight
// order and one shared proxy, in the order given by albFirst.
func (m *model) construct(scheme string, idx []int, albFirst bool) *state {
	st := &state{loc: map[int]*hgroup{}}
	placed := map[int]bool{}
	alb := func() {
		var cand []int
		for _, i := range idx {
			if !placed[i] && m.svcs[i].shareable[kALB] {
				cand = append(cand, i)
			}
		}
		if len(cand) == 0 {
			return
		}
		sort.Slice(cand, func(a, b int) bool { return m.ruleWeightLess(cand[a], cand[b]) })
		groups := m.bestDeal(scheme, cand)
		for _, g := range groups {
			for _, i := range g.members {
				st.loc[i] = g
				placed[i] = true
			}
		}
		st.groups = append(st.groups, groups...)
	}
	nginx := func() {
		var open []*hgroup
		for _, i := range idx {
			if placed[i] || !m.svcs[i].shareable[kNginx] {
				continue
			}
			var target *hgroup
			for _, g := range open {
				if m.fits(g, i) {
					target = g
					break
				}
			}
			if target == nil {
				target = m.newHGroup(kNginx, scheme)
				st.groups = append(st.groups, target)
				open = append(open, target)
			}
			m.join(st, target, i)
			placed[i] = true
		}
	}
	if albFirst {
		alb()
		nginx()
	} else {
		nginx()
		alb()
	}
	for _, g := range st.groups {
		m.refresh(g)
	}
	return st
}

func (m *model) total(st *state, idx []int) val {
	var t val
	for _, g := range st.groups {
		t = t.plus(g.v)
	}
	for _, i := range idx {
		if st.loc[i] == nil {
			t = t.plus(m.standVal[i])
		}
	}
	return t
}

// heuristic plans a class too large to partition exactly: the better of two
// constructions, then single-service moves (to its own exposure or to another
// shared load balancer) while one lowers the objective.
func (m *model) heuristic(scheme string, idx []int) []*group {
	a, b := m.construct(scheme, idx, true), m.construct(scheme, idx, false)
	st := a
	if m.total(b, idx).less(m.total(a, idx)) {
		st = b
	}
	const maxPasses = 4
	const candidates = 8
	for pass := 0; pass < maxPasses; pass++ {
		moved := false
		// the groups with the most room are the likeliest targets
		targets := make([]*hgroup, 0, len(st.groups))
		targets = append(targets, st.groups...)
		sort.SliceStable(targets, func(x, y int) bool { return len(targets[x].members) < len(targets[y].members) })
		if len(targets) > candidates {
			targets = targets[:candidates]
		}
		for _, i := range idx {
			from := st.loc[i]
			var leaveDelta val
			if from != nil {
				leaveDelta = m.valWith(from, i, -1).minus(from.v)
			} else {
				leaveDelta = val{}.minus(m.standVal[i])
			}
			bestDelta := val{}
			var bestTo *hgroup
			bestSet := false
			if from != nil {
				if d := leaveDelta.plus(m.standVal[i]); d.less(val{}) {
					bestDelta, bestSet = d, true
				}
			}
			for _, to := range targets {
				if to == from || len(to.members) == 0 || !m.svcs[i].shareable[to.kind] || !m.fits(to, i) {
					continue
				}
				d := leaveDelta.plus(m.valWith(to, i, +1).minus(to.v))
				if d.less(bestDelta) {
					bestDelta, bestTo, bestSet = d, to, true
				}
			}
			if !bestSet {
				continue
			}
			if from != nil {
				m.leave(st, from, i)
				m.refresh(from)
			}
			if bestTo != nil {
				m.join(st, bestTo, i)
				m.refresh(bestTo)
			}
			moved = true
		}
		if !moved {
			break
		}
	}
	var out []*group
	for _, i := range idx {
		if st.loc[i] == nil {
			out = append(out, m.newGroup(m.standKind[i], scheme, []int{i}))
		}
	}
	for _, g := range st.groups {
		switch {
		case len(g.members) == 1:
			i := g.members[0]
			out = append(out, m.newGroup(m.standKind[i], scheme, []int{i}))
		case len(g.members) > 1:
			// dissolve a group its members would be cheaper without
			var alone val
			for _, i := range g.members {
				alone = alone.plus(m.standVal[i])
			}
			if alone.less(g.v) {
				for _, i := range g.members {
					out = append(out, m.newGroup(m.standKind[i], scheme, []int{i}))
				}
				continue
			}
			out = append(out, m.newGroup(g.kind, scheme, append([]int(nil), g.members...)))
		}
	}
	return out
}

var _ = fmt.Sprintf
