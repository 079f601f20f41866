package planner

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
)

// hgroup is a group under construction in the heuristic, with the running
// state its quotas and rules need.
type hgroup struct {
	group
	lat         Quantity
	v           val // approximate: local value plus the marginal price of its rules
	rules       int
	http, https int
	plain       [3]int32        // members by what plain HTTP gets of them (svcInfo.plain)
	certs       map[int32]int32 // by svcInfo.certIDs
	routes      map[int32]bool  // the members' routes that another service also routes (clashIDs)
	// ordered are the members busiest rule first, kept for a kind whose cost
	// depends on its members' order (an ALB's rule order); scratch holds a
	// trial order (valWith), reused
	ordered, scratch []int
	// over are the members whose routes may overlap another's (the rule
	// order then follows routing, not just rank); evNum/evDen are the rule
	// evaluations in rank order (albEvalSum), when evOK
	over         []int
	evNum, evDen int64
	// edges is the members' must-precede relation (mustPrecede's pairs),
	// kept up to date on join and leave, so that a trial need only compare
	// the newcomer's rules with theirs; trialEdges is a trial's, reused: with
	// service trialFor-1's pairs added, when trialFor > 0 (reset on a change)
	edges, trialEdges []edge
	trialFor          int
	orderScratch      orderScratch // the trial's rule order's working memory
	evOK              bool
	// trialGroup and trialEvals hold valWith's trial, reused
	trialGroup group
	trialEvals capacity
	// lis are the members of each listener in rule order with running sums,
	// as of the last refresh (lisOK), so that a trial costs O(log k)
	lis   [2]listenerRules
	lisOK bool
}

// listenerRules are one listener's members of an ALB group in rule order:
// cum[j] is the rules of seq[:j], suf[j] the requests per second of seq[j:]
// (-1 when that sum overflows).
type listenerRules struct {
	seq []int
	cum []int
	suf []int64
}

// indexListeners fills g.lis from g.ordered.
func (m *model) indexListeners(g *hgroup) {
	for l := range g.lis {
		g.lis[l].seq = g.lis[l].seq[:0]
	}
	for _, x := range g.ordered {
		l := listenerIndex(&m.svcs[x])
		g.lis[l].seq = append(g.lis[l].seq, x)
	}
	for l := range g.lis {
		lr := &g.lis[l]
		n := len(lr.seq)
		lr.cum = slices.Grow(lr.cum[:0], n+1)[:n+1]
		lr.suf = slices.Grow(lr.suf[:0], n+1)[:n+1]
		lr.cum[0], lr.suf[n] = 0, 0
		for j, x := range lr.seq {
			lr.cum[j+1] = lr.cum[j] + m.svcs[x].rules
		}
		for j := n - 1; j >= 0; j-- {
			sum := lr.suf[j+1]
			if sum >= 0 {
				if sum += int64(m.svcs[lr.seq[j]].rps); sum < 0 {
					sum = -1
				}
			}
			lr.suf[j] = sum
		}
	}
	g.lisOK = true
}

// state is an assignment of a class: each service in a group or standalone.
type state struct {
	groups []*hgroup
	loc    []*hgroup // by service index; nil: standalone
}

func (m *model) newHGroup(k kind, scheme string) *hgroup {
	return &hgroup{group: group{kind: k, scheme: scheme}, certs: map[int32]int32{}, routes: map[int32]bool{}}
}

// fits reports whether service i can join group g without breaking a quota
// or a route: no route another member routes, and on a first-match rule list
// (an ALB's) a rule order that still routes every request as before.
func (m *model) fits(g *hgroup, i int) bool {
	s := &m.svcs[i]
	for _, r := range s.clashIDs {
		if g.routes[r] {
			// a route a member routes too: a conflict, unless one rule routes them
			// together (a canary), which only the members themselves can tell
			if !s.rtied || m.routeConflict(append(g.members[:len(g.members):len(g.members)], i)) != "" {
				return false
			}
			break
		}
	}
	if s.overlaps && len(g.over) > 0 && !m.joinKeepsOrder(g, i) {
		return false
	}
	if m.anySNI && !g.kind.spec().routesSNI && len(g.members) > 0 && m.sniPortConflict(g.kind, append(g.members[:len(g.members):len(g.members)], i)) != "" {
		return false
	}
	if len(g.members) > 0 && g.kind.spec().oneNamespace && m.svcs[g.members[0]].ns != s.ns {
		return false
	}
	if g.kind.spec().wholeRedirect && ((s.plain == plainServed && g.plain[plainRedirected] > 0) || (s.plain == plainRedirected && g.plain[plainServed] > 0)) &&
		!m.keepsGateway(g.kind, g.scheme, append(g.members[:len(g.members):len(g.members)], i)) {
		return false // a Gateway's redirects are its routes', an ALB's (an IngressGroup's ssl-redirect) all or nothing
	}
	if len(g.members) > 0 && s.policy != m.svcs[g.members[0]].policy {
		return false
	}
	if (m.keepsObjects || (g.kind == kProxy && (m.anyBeside || m.onRetired)) || (m.gatewayRedirect && (m.catchAllPlain(i) || m.redirectedOnGateway(i)))) &&
		m.keepConflict(g.kind, g.scheme, append(g.members[:len(g.members):len(g.members)], i)) != "" {
		return false
	}
	lim := g.kind.spec().limits
	if (lim.rules > 0 && g.rules+s.quotaRules(g.kind) > lim.rules) || (lim.targets > 0 && len(g.members)+1 > lim.targets) {
		return false
	}
	if lim.certs > 0 {
		newCerts := 0
		for _, c := range s.certIDs {
			if g.certs[c] == 0 {
				newCerts++
			}
		}
		if len(g.certs)+newCerts > lim.certs {
			return false
		}
	}
	return true
}

func (m *model) join(st *state, g *hgroup, i int) {
	s := &m.svcs[i]
	if g.kind.spec().firstMatch {
		g.edges = m.edgesWith(m.pairCandidates(g, i), i, g.edges)
		if s.overlaps {
			g.over = append(g.over, i)
		}
		g.trialFor = 0
	}
	m.hpos[i] = int32(len(g.members))
	g.members = append(g.members, i)
	g.sums.add(s)
	g.lat += s.latency[g.kind]
	g.rules += s.quotaRules(g.kind)
	h, t := s.listenerCounts()
	g.http, g.https = g.http+h, g.https+t
	g.plain[s.plain]++
	for _, c := range s.certIDs {
		g.certs[c]++
	}
	for _, r := range s.clashIDs {
		g.routes[r] = true
	}
	if g.kind.spec().firstMatch {
		g.lisOK = false
		at, _ := slices.BinarySearchFunc(g.ordered, i, m.byWeight)
		g.ordered = slices.Insert(g.ordered, at, i)
	}
	if st != nil {
		st.loc[i] = g
	}
}

func (m *model) leave(st *state, g *hgroup, i int) {
	s := &m.svcs[i]
	p := m.hpos[i]
	last := len(g.members) - 1
	g.members[p] = g.members[last]
	m.hpos[g.members[p]] = p
	g.members = g.members[:last]
	g.sums.sub(s)
	g.lat -= s.latency[g.kind]
	g.rules -= s.quotaRules(g.kind)
	h, t := s.listenerCounts()
	g.http, g.https = g.http-h, g.https-t
	g.plain[s.plain]--
	for _, c := range s.certIDs {
		if g.certs[c]--; g.certs[c] == 0 {
			delete(g.certs, c)
		}
	}
	for _, r := range s.clashIDs {
		delete(g.routes, r)
	}
	if g.kind.spec().firstMatch {
		g.lisOK = false
		if at, found := slices.BinarySearchFunc(g.ordered, i, m.byWeight); found {
			g.ordered = slices.Delete(g.ordered, at, at+1)
		}
		g.edges = slices.DeleteFunc(g.edges, func(e edge) bool { return e.before == i || e.after == i })
		if s.overlaps {
			g.over = slices.DeleteFunc(g.over, func(x int) bool { return x == i })
		}
		g.trialFor = 0
	}
	if st != nil {
		st.loc[i] = nil
	}
}

// hval is a group's approximate value from its running state.
func (m *model) hval(g *group, lat Quantity, http, https int) val {
	v := m.localVal(g, lat)
	if g.kind == kProxy && m.impl().bothPorts { // (proxyRules: a proxy sized apart aside)
		http, https = 1, 1
	}
	return m.approx(v, m.rulesFor(g.kind, g.scheme, http > 0, https > 0))
}

// valWith is the group's approximate value after adding (sign +1) or removing
// (-1) service i. A group left with one member is valued as that member alone.
func (m *model) valWith(g *hgroup, i, sign int) val {
	s := &m.svcs[i]
	tmp := &g.trialGroup // reused: the trial is priced before the next
	*tmp = g.group
	http, https := g.http, g.https
	var lat Quantity
	h, t := s.listenerCounts()
	switch sign {
	case 1:
		tmp.sums.add(s)
		lat = g.lat + s.latency[g.kind]
		http, https = http+h, https+t
		if g.kind.spec().firstMatch { // its cost depends on its members' order
			if ev, ok := m.joinEvals(g, i); ok {
				g.trialEvals = ev
				tmp.evals = &g.trialEvals
				break
			}
			at, _ := slices.BinarySearchFunc(g.ordered, i, m.byWeight)
			g.scratch = append(append(append(g.scratch[:0], g.ordered[:at]...), i), g.ordered[at:]...)
			m.joinEdges(g, i)
			if m.trialEvals(g, tmp, g.trialEdges) {
				break
			}
			tmp.members = g.scratch
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
		http, https = http-h, https-t
		if g.kind.spec().firstMatch { // its cost depends on its members' order: given in it
			if ev, ok := m.leaveEvals(g, i); ok {
				g.trialEvals = ev
				tmp.evals = &g.trialEvals
				break
			}
			g.scratch = g.scratch[:0]
			for _, x := range g.ordered {
				if x != i {
					g.scratch = append(g.scratch, x)
				}
			}
			if m.trialEvals(g, tmp, g.edges) { // i's pairs name a service not in the trial: left out
				break
			}
			tmp.members = g.scratch
		}
	}
	return m.hval(tmp, lat, http, https)
}

func (m *model) refresh(g *hgroup) {
	if g.kind.spec().firstMatch {
		g.evNum, g.evDen, g.evOK = m.albEvalSum(g.ordered)
		g.evOK = g.evOK && len(g.over) == 0
		if g.evOK {
			m.indexListeners(g)
		} else if len(g.members) > 1 {
			// routes that may overlap order the rules: from the kept relation
			g.scratch = append(g.scratch[:0], g.ordered...)
			if m.trialEvals(g, &g.group, g.edges) {
				g.v = m.hval(&g.group, g.lat, g.http, g.https)
				g.evals = nil
				return
			}
		}
	}
	switch len(g.members) {
	case 0:
		g.v = val{}
	case 1:
		g.v = m.standVal[g.members[0]]
	default:
		if g.evOK { // the rule evaluations in hand: not counted again
			if den, ok := mulInt64(g.evDen, QuantityScale); ok {
				g.evals = &capacity{num: Quantity(g.evNum), den: Quantity(den)}
			}
		}
		g.v = m.hval(&g.group, g.lat, g.http, g.https)
		g.evals = nil
	}
}

// pairCandidates are the members of g that service i may have must-precede
// pairs with: all of them when i's rules may overlap another's, else those
// whose rules may (a pair needs one such side).
func (m *model) pairCandidates(g *hgroup, i int) []int {
	if m.svcs[i].overlaps {
		return g.members
	}
	return g.over
}

// joinEdges sets g.trialEdges to g's must-precede pairs with service i's
// added, unless they are there already.
func (m *model) joinEdges(g *hgroup, i int) {
	if g.trialFor != i+1 {
		g.trialEdges = m.edgesWith(m.pairCandidates(g, i), i, append(g.trialEdges[:0], g.edges...))
		g.trialFor = i + 1
	}
}

// trialEvals sets tmp's rule evaluations to those of an ALB whose members
// are g.scratch (busiest rule first) with the must-precede pairs edges, in
// routingOrder's order (or busiest first without one, as albEvals). It
// reports false when they overflow machine integers.
func (m *model) trialEvals(g *hgroup, tmp *group, edges []edge) bool {
	order := g.scratch
	if len(edges) > 0 {
		if o, ok := firstMatchOrder(g.scratch, edges, &g.orderScratch); ok {
			order = o
		}
	}
	num, den, ok := m.albEvalSum(order)
	if !ok {
		return false
	}
	if den, ok = mulInt64(den, QuantityScale); !ok {
		return false
	}
	g.trialEvals = capacity{num: Quantity(num), den: Quantity(den)}
	tmp.evals = &g.trialEvals
	return true
}

// leaveEvals is joinEvals for service i leaving g: its rules gone, every
// later rule of its listener that many positions up.
func (m *model) leaveEvals(g *hgroup, i int) (capacity, bool) {
	si := &m.svcs[i]
	if !g.evOK || !g.lisOK {
		return capacity{}, false
	}
	l, r := listenerIndex(si), si.rules
	lr := &g.lis[l]
	j, found := slices.BinarySearchFunc(lr.seq, i, m.byWeight)
	if !found {
		return capacity{}, false
	}
	first := 1 + lr.cum[j]
	// what leaves: i's own evaluations and what its rules added to the later ones
	num, den, ok := addEvalTerm(0, 1, int64(si.rps), excessSum(first, first+r-1), int64(r))
	pos := first + r
	for j++; j < len(lr.seq) && ok && pos-r <= ALBFreeRules; j++ {
		sx := &m.svcs[lr.seq[j]]
		f, last := pos, pos+sx.rules-1
		pos += sx.rules
		num, den, ok = addEvalTerm(num, den, int64(sx.rps), excessSum(f, last)-excessSum(f-r, last-r), int64(sx.rules))
	}
	// the rules still later each move r positions up, past the free ones
	if num, den, ok = m.pastFree(lr, j, num, den, r, ok); !ok {
		return capacity{}, false
	}
	// g's evaluations less those
	lcmDen, ok1 := mulInt64(g.evDen/gcd(g.evDen, den), den)
	a, ok2 := mulInt64(g.evNum, lcmDen/g.evDen)
	b, ok3 := mulInt64(num, lcmDen/den)
	if !ok1 || !ok2 || !ok3 || a < b {
		return capacity{}, false
	}
	d, ok := mulInt64(lcmDen, QuantityScale)
	return capacity{num: Quantity(a - b), den: Quantity(d)}, ok
}

// pastFree adds to num/den the evaluations of the rules of lr.seq[j:], each
// past the free ones and moved r positions: r each per request per second.
func (m *model) pastFree(lr *listenerRules, j int, num, den int64, r int, ok bool) (int64, int64, bool) {
	if !ok || j >= len(lr.seq) {
		return num, den, ok
	}
	rps := lr.suf[j]
	if rps < 0 {
		return 0, 0, false
	}
	return addEvalTerm(num, den, rps, int64(r), 1)
}

// joinEvals is the rule evaluations of ALB group g with service i added, in
// the Quantity scale, from g's own (refresh): i's rules at its place in rank
// order, and every later rule of its listener that many positions down. ok is
// false when that cannot be done exactly (routes that may overlap decide the
// order; an overflow): the caller works them out in full. It costs O(log k)
// plus the free rule positions, from g.lis.
func (m *model) joinEvals(g *hgroup, i int) (capacity, bool) {
	si := &m.svcs[i]
	if !g.evOK || !g.lisOK || si.overlaps {
		return capacity{}, false
	}
	l, r := listenerIndex(si), si.rules
	lr := &g.lis[l]
	j, _ := slices.BinarySearchFunc(lr.seq, i, m.byWeight)
	first := 1 + lr.cum[j] // i's first position on its listener
	num, den, ok := addEvalTerm(g.evNum, g.evDen, int64(si.rps), excessSum(first, first+r-1), int64(r))
	pos := first
	for ; j < len(lr.seq) && ok && pos <= ALBFreeRules; j++ {
		sx := &m.svcs[lr.seq[j]]
		f, last := pos, pos+sx.rules-1
		pos += sx.rules
		num, den, ok = addEvalTerm(num, den, int64(sx.rps), excessSum(f+r, last+r)-excessSum(f, last), int64(sx.rules))
	}
	if num, den, ok = m.pastFree(lr, j, num, den, r, ok); ok {
		den, ok = mulInt64(den, QuantityScale)
	}
	return capacity{num: Quantity(num), den: Quantity(den)}, ok
}

// rankWeights ranks every service busiest rule first (requests per second over rules, a
// strict order: keys are unique), once: ordering a load balancer's rules then
// compares two integers, and an order kept sorted stays sorted.
func (m *model) rankWeights() {
	// the sort reads compact keys, not the services: 100,000 of them sort
	// in cache
	type weightKey struct {
		rps, rules uint64
		rank, i    int32 // rank: in key order
	}
	keys := make([]weightKey, len(m.svcs))
	for i := range m.svcs {
		si := &m.svcs[i]
		keys[i] = weightKey{uint64(si.rps), uint64(si.rules), m.keyRank[i], int32(i)}
	}
	slices.SortFunc(keys, func(x, y weightKey) int {
		// x.rps/x.rules against y.rps/y.rules, cross-multiplied without overflow
		hi1, lo1 := bits.Mul64(x.rps, y.rules)
		hi2, lo2 := bits.Mul64(y.rps, x.rules)
		if c := cmp.Compare(hi2, hi1); c != 0 {
			return c
		}
		if c := cmp.Compare(lo2, lo1); c != 0 {
			return c
		}
		return cmp.Compare(x.rank, y.rank)
	})
	m.weightRank = make([]int32, len(m.svcs))
	for pos, k := range keys {
		m.weightRank[k.i] = int32(pos)
	}
}

// byWeight compares two services' ranks busiest rule first.
func (m *model) byWeight(a, b int) int { return cmp.Compare(m.weightRank[a], m.weightRank[b]) }

// lowerBound is the fewest load balancers of kind k the candidates' quotas allow.
func (m *model) lowerBound(k kind, cand []int) int {
	lim, use := k.spec().limits, m.quotaUse(k, cand)
	n := 1
	if lim.rules > 0 {
		n = max(n, ceilDiv(use.Rules, lim.rules))
	}
	if lim.targets > 0 {
		n = max(n, ceilDiv(use.TargetGroups, lim.targets))
	}
	if lim.certs > 0 {
		n = max(n, ceilDiv(use.Certificates, lim.certs))
	}
	return min(n, len(cand))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// deal spreads candidates (busiest rule first) over n load balancers like
// cards, so that every ALB's first ten (free) rule positions go to the
// busiest rules; a service that fits none of its next few opens a new one.
func (m *model) deal(k kind, scheme string, cand []int, n int) []*hgroup {
	groups := make([]*hgroup, n)
	for g := range groups {
		groups[g] = m.newHGroup(k, scheme)
	}
	const scan = 16
	units := m.tiedUnits(cand)
	one := make([]int, 1)
	j := 0 // units dealt
	for _, i := range cand {
		unit := one
		unit[0] = i
		if m.svcs[i].tied { // its set goes where its busiest member goes, whole
			u, ok := units[m.svcs[i].tie]
			if !ok || u[0] != i {
				continue // dealt with its set, or the set is not all a candidate here
			}
			unit = u
		}
		var target *hgroup
		l := len(groups)
		for t := 0; t < min(scan, l) && target == nil; t++ {
			if g := groups[(j+t)%l]; m.joinUnit(g, unit) {
				target = g
			}
		}
		if target == nil {
			if g := m.newHGroup(k, scheme); m.joinUnit(g, unit) { // else it cannot go on this kind together
				groups = append(groups, g)
			}
		}
		j++
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

// joinUnit joins a unit (a service, or a tied set) to a dealing's group if
// every member fits, and reports whether it did.
func (m *model) joinUnit(g *hgroup, unit []int) bool {
	for n, i := range unit {
		if !m.fits(g, i) {
			for _, j := range slices.Backward(unit[:n]) {
				m.leave(nil, g, j)
			}
			return false
		}
		m.join(nil, g, i) // the dealing's groups are its state
	}
	return true
}

// tiedUnits lists, by tie, the members of each tied set that are all among
// the candidates, in the candidates' order; nil when none is tied.
func (m *model) tiedUnits(cand []int) map[int][]int {
	var units map[int][]int
	for _, i := range cand {
		if si := &m.svcs[i]; si.tied {
			if units == nil {
				units = map[int][]int{}
			}
			units[si.tie] = append(units[si.tie], i)
		}
	}
	for t, u := range units {
		if len(u) != m.tieSize[t] {
			delete(units, t)
		}
	}
	return units
}

// bestDeal deals the candidates over n load balancers for a few n from the
// quota lower bound up and keeps the cheapest dealing. More load balancers
// cost their hours but free rule positions (an ALB's first ten rules) and
// split usage, so the cost falls and then rises with n, roughly: n grows by
// doubling steps while the dealing gets cheaper, then the best n's
// neighbourhood is searched with halving steps.
func (m *model) bestDeal(k kind, scheme string, cand []int) []*hgroup {
	kmin := m.lowerBound(k, cand)
	if k.spec().limits == (kindLimits{}) {
		return m.deal(k, scheme, cand, kmin) // no quota: more load balancers never help
	}
	var best []*hgroup
	var bestVal val
	bestN := kmin
	tried := map[int]bool{}
	try := func(n int) bool { // whether n deals cheaper than any before
		if n < kmin || n > len(cand) || tried[n] {
			return false
		}
		tried[n] = true
		groups := m.deal(k, scheme, cand, n)
		var v val
		for _, g := range groups {
			v = v.plus(g.v)
		}
		if best != nil && !v.less(bestVal) {
			return false
		}
		best, bestVal, bestN = groups, v, n
		return true
	}
	step := max(1, kmin/8)
	try(kmin)
	h := step
	for try(bestN + h) {
		h *= 2
	}
	for h /= 2; h >= step; h /= 2 {
		at := bestN
		try(at - h)
		try(at + h)
	}
	return best
}

// construct builds a starting assignment, placing the services that can
// share on load balancers of each shared kind in the order given.
func (m *model) construct(scheme string, idx []int, order []kind) *state {
	st := &state{loc: make([]*hgroup, len(m.svcs))}
	placed := make([]bool, len(m.svcs))
	for _, k := range order {
		var cand []int
		for _, i := range idx {
			if !placed[i] && m.svcs[i].shareable[k] {
				cand = append(cand, i)
			}
		}
		if len(cand) == 0 {
			continue
		}
		slices.SortFunc(cand, m.byWeight)
		for _, g := range m.bestDeal(k, scheme, cand) {
			for _, i := range g.members {
				st.loc[i] = g
				placed[i] = true
			}
			st.groups = append(st.groups, g)
		}
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

// heuristic plans a class too large to partition exactly: the best of the
// constructions that place each shared kind first, then single-service moves
// (to its own exposure or to another shared load balancer) while one lowers
// the approximate objective.
func (m *model) heuristic(scheme string, idx []int) []*group {
	var shared []kind
	for _, k := range m.kinds {
		if k.shared() {
			shared = append(shared, k)
		}
	}
	var st *state
	for first := range shared {
		order := append([]kind{shared[first]}, append(append([]kind(nil), shared[:first]...), shared[first+1:]...)...)
		cand := m.construct(scheme, idx, order)
		if st == nil || m.total(cand, idx).less(m.total(st, idx)) {
			st = cand
		}
	}
	for _, g := range st.groups { // later constructions reused the positions
		for p, i := range g.members {
			m.hpos[i] = int32(p)
		}
	}
	const maxPasses = 4
	const candidates = 8
	for pass := 0; pass < maxPasses; pass++ {
		moved := false
		// the groups with the most room are the likeliest targets
		targets := append([]*hgroup(nil), st.groups...)
		sort.SliceStable(targets, func(x, y int) bool { return len(targets[x].members) < len(targets[y].members) })
		if len(targets) > candidates {
			targets = targets[:candidates]
		}
		for _, i := range idx {
			if m.svcs[i].tied {
				continue // its set was dealt whole, and stays so
			}
			from := st.loc[i]
			if from != nil && !m.mayLeave(from, i) {
				continue
			}
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
	m.mergeGroups(st)
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
			// dissolve a group its members would be cheaper without, unless
			// it holds a tied set, which cannot go apart (keepTies would
			// gather it again, on a load balancer of its own)
			var alone val
			tied := false
			for _, i := range g.members {
				alone = alone.plus(m.standVal[i])
				tied = tied || m.svcs[i].tied
			}
			if !tied && alone.less(g.v) {
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

// mergeGroups merges load balancers of one kind that cost less as one: the
// single moves above leave tied sets (a host's services) where dealing put
// them, so two load balancers each holding part of the work stay apart
// unless a whole one moves. A group of at most mergeMax members is tried
// on the mergeTargets largest others of its kind, largest first, and the
// first merge that fits and saves is kept; any other is undone.
func (m *model) mergeGroups(st *state) {
	const mergeMax, mergeTargets = 16, 8
	byKind := map[kind][]*hgroup{}
	for _, g := range st.groups {
		if len(g.members) > 0 {
			byKind[g.kind] = append(byKind[g.kind], g)
		}
	}
	for _, k := range m.kinds {
		groups := byKind[k]
		if len(groups) < 2 {
			continue
		}
		sort.SliceStable(groups, func(x, y int) bool { return len(groups[x].members) > len(groups[y].members) })
		for a := len(groups) - 1; a > 0; a-- {
			from := groups[a]
			if len(from.members) == 0 || len(from.members) > mergeMax {
				continue
			}
			for b := 0; b < min(a, mergeTargets); b++ {
				if to := groups[b]; len(to.members) > 0 && m.tryMerge(st, from, to) {
					break
				}
			}
		}
	}
}

// tryMerge moves every member of from onto to, keeping the move when all
// fit and the two cost less together (a group of one is valued alone, an
// empty one at nothing), else undoing it; it reports whether it kept it.
func (m *model) tryMerge(st *state, from, to *hgroup) bool {
	before := m.groupVal(from).plus(m.groupVal(to))
	members := append([]int(nil), from.members...)
	for _, i := range members {
		if !m.svcs[i].shareable[to.kind] || !m.fits(to, i) {
			break
		}
		m.leave(st, from, i)
		m.join(st, to, i)
	}
	m.refresh(from)
	m.refresh(to)
	if len(from.members) == 0 && m.groupVal(to).less(before) {
		return true
	}
	for _, i := range members {
		if st.loc[i] == to {
			m.leave(st, to, i)
			m.join(st, from, i)
		}
	}
	m.refresh(from)
	m.refresh(to)
	return false
}

// groupVal is a group's value as the heuristic's result counts it: nothing
// when empty, its member alone when it has one.
func (m *model) groupVal(g *hgroup) val {
	switch len(g.members) {
	case 0:
		return val{}
	case 1:
		return m.standVal[g.members[0]]
	}
	return g.v
}

// mayLeave reports whether service i may leave group g: the others must
// still fit together, where what they may share depends on which of
// today's load balancers the group keeps (identity: keepConflict), which
// a member leaving can change (a TLS service staying on today's Gateway
// only while most of the group is on it).
func (m *model) mayLeave(g *hgroup, i int) bool {
	if len(g.members) < 3 || !(m.keepsObjects || (g.kind == kProxy && (m.anyBeside || m.onRetired)) || m.gatewayRedirect) {
		return true
	}
	rest := make([]int, 0, len(g.members)-1)
	for _, j := range g.members {
		if j != i {
			rest = append(rest, j)
		}
	}
	return m.keepConflict(g.kind, g.scheme, rest) == ""
}
