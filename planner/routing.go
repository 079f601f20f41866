package planner

import (
	"slices"
	"strings"
)

// rule is one host and path a service routes on a listener.
type rule struct {
	svc                  int
	listener, host, path string
}

// ruleContains reports whether a request matching rule b can also match rule
// a, where a is the more general: the same listener, a's host any (*), the
// same, or a wildcard covering b's; and a's path a prefix of b's at a segment
// boundary (or, for a pattern ending in *, a plain prefix). Equal rules are
// not containment but a conflict, found by routeConflict.
func ruleContains(a, b rule) bool {
	if a.listener != b.listener || (a.host == b.host && a.path == b.path) {
		return false
	}
	// not equal (above), so covering both is being strictly more general in one
	return hostCovers(a.host, b.host) && pathCovers(a.path, b.path)
}

func hostCovers(general, specific string) bool {
	switch {
	case general == specific || general == "*":
		return true
	case specific == "*":
		return false
	case strings.HasPrefix(general, "*."):
		return strings.HasSuffix(specific, general[1:]) && !strings.HasPrefix(specific, "*.")
	}
	return false
}

func pathCovers(general, specific string) bool {
	if general == specific {
		return true
	}
	if strings.HasPrefix(general, ExactPrefix) { // an exact path covers only itself
		return false
	}
	// an exact path is covered by the prefixes of its path, its own included
	specific = strings.TrimPrefix(specific, ExactPrefix)
	if general == specific {
		return true
	}
	g, s := trimPattern(general), trimPattern(specific)
	if strings.HasSuffix(general, "*") && !strings.HasSuffix(general, "/*") {
		return strings.HasPrefix(strings.TrimSuffix(specific, "*"), strings.TrimSuffix(general, "*"))
	}
	return g == "" || s == g || (len(s) > len(g) && s[len(g)] == '/' && strings.HasPrefix(s, g)) // under g, at a segment boundary
}

// routeKey is a route with the spellings of one path made one, so that two
// services routing the same requests collide: "/" and "/*" (and no path) are
// every path, "/api", "/api/" and "/api/*" one prefix. An exact path (=/x), a
// plain prefix pattern (/static*) and a layer-4 port stay as they are.
func routeKey(r string) string {
	if strings.HasPrefix(r, l4Route) {
		return r
	}
	// listener|host|path: hosts and listeners hold no "|", a path may
	first := strings.IndexByte(r, '|')
	cut := first + 1 + strings.IndexByte(r[first+1:], '|')
	head, path := r[:cut+1], r[cut+1:]
	if strings.HasPrefix(path, ExactPrefix) {
		return r
	}
	trimmed := strings.TrimRight(strings.TrimSuffix(path, "/*"), "/")
	if len(trimmed) == len(path) {
		return r // already its key: no copy
	}
	return head + trimmed
}

// trimPattern is a path without its trailing /* or /: "/api/*" -> "/api", "/" -> "".
func trimPattern(p string) string {
	p = strings.TrimSuffix(p, "*")
	return strings.TrimRight(p, "/")
}

// prepareOverlaps marks the services whose rules may overlap another's: a
// rule for any host (or a wildcard host), or a host another service of the
// scheme also routes. Only those need the routing-order check.
func (m *model) prepareOverlaps() {
	hosts := make(map[schemeHost]int, len(m.svcs))
	for i := range m.svcs {
		si := &m.svcs[i]
		for _, h := range uniqueHosts(si.s.Hosts) {
			hosts[schemeHost{si.scheme, h}]++
		}
	}
	routes := make(map[string]int, len(m.svcs))
	for i := range m.svcs {
		for _, r := range m.svcs[i].routes {
			routes[routeKey(r)]++
		}
	}
	for i := range m.svcs {
		si := &m.svcs[i]
		si.overlaps = len(si.s.Hosts) == 0 && isL7(si.s.Protocol)
		for _, h := range si.s.Hosts {
			si.overlaps = si.overlaps || strings.HasPrefix(h, "*.") || hosts[schemeHost{si.scheme, h}] > 1
		}
		for _, r := range si.routes {
			if k := routeKey(r); routes[k] > 1 {
				si.clashes = append(si.clashes, k)
			}
		}
	}
	m.internSets()
	m.hostUsers = hosts
}

// schemeHost is a host in one scheme (internet-facing or internal).
type schemeHost struct{ scheme, host string }

// uniqueHosts is hosts without repeats, in order; hosts itself when it has
// none (the usual case: no copy).
func uniqueHosts(hosts []string) []string {
	for j := 1; j < len(hosts); j++ {
		if slices.Contains(hosts[:j], hosts[j]) || j >= 8 { // past a few hosts, a set
			out := make([]string, 0, len(hosts))
			seen := make(map[string]bool, len(hosts))
			for _, h := range hosts {
				if !seen[h] {
					seen[h] = true
					out = append(out, h)
				}
			}
			return out
		}
	}
	return hosts
}

// internSets numbers every clashing route and every certificate, so that the
// heuristic's per-group sets hash small integers rather than strings.
func (m *model) internSets() {
	ids := map[string]int32{}
	intern := func(keys []string) []int32 {
		out := make([]int32, len(keys))
		for j, k := range keys {
			id, ok := ids[k]
			if !ok {
				id = int32(len(ids))
				ids[k] = id
			}
			out[j] = id
		}
		return out
	}
	for i := range m.svcs {
		si := &m.svcs[i]
		si.clashIDs = intern(si.clashes)
	}
	clear(ids)
	for i := range m.svcs {
		si := &m.svcs[i]
		si.certIDs = intern(si.certs)
	}
	m.certsInterned = true
}

// rulesOfMembers lists the host and path rules of a group's members.
func (m *model) rulesOfMembers(members []int) []rule {
	var out []rule
	for _, i := range members {
		for _, r := range m.svcs[i].routes {
			parts := strings.SplitN(r, "|", 3)
			out = append(out, rule{svc: i, listener: parts[0], host: parts[1], path: parts[2]})
		}
	}
	return out
}

// mustPrecede lists the pairs of members whose rules overlap, as (before,
// after): after's rules contain before's, which must therefore come first in
// a first-match rule list (an ALB's): on one host, /checkout before /, and a
// host's rules before the catch-all. Only rules that can overlap are
// compared: those on one host, and the catch-all and wildcard hosts against
// the rest. A pair may be listed more than once.
func (m *model) mustPrecede(members []int) []edge {
	prone := false
	for _, i := range members {
		prone = prone || m.svcs[i].overlaps
	}
	if !prone {
		return nil
	}
	rules := m.rulesOfMembers(members)
	byHost := map[string][]rule{}
	var general []rule // catch-all and wildcard hosts
	for _, r := range rules {
		byHost[r.host] = append(byHost[r.host], r)
		if r.host == "*" || strings.HasPrefix(r.host, "*.") {
			general = append(general, r)
		}
	}
	var edges []edge
	note := func(a, b rule) { // a contains b: b's service goes first
		if a.svc != b.svc && !m.sameTie(a.svc, b.svc) && ruleContains(a, b) {
			edges = append(edges, edge{before: b.svc, after: a.svc})
		}
	}
	for _, rs := range byHost {
		if len(rs) < 2 {
			continue
		}
		for _, a := range rs {
			for _, b := range rs {
				note(a, b)
			}
		}
	}
	for _, a := range general {
		for _, b := range rules {
			if a.host != b.host {
				note(a, b)
			}
		}
	}
	return edges
}

// edge is one pair of a must-precede relation: before's rules go first.
type edge struct{ before, after int }

// sameTie reports whether a is routed by one rule with b (a canary and its
// service), whose rules then need no order between them.
func (m *model) sameTie(a, b int) bool { return m.svcs[a].rtied && m.svcs[a].rtie == m.svcs[b].rtie }

// ruleList is service i's rules, parsed once (m.parsedRules is made with
// the heuristic's state; each service's entry is written by the one
// goroutine that plans it).
func (m *model) ruleList(i int) []rule {
	if m.parsedRules == nil {
		return m.rulesOfMembers([]int{i})
	}
	if m.parsedRules[i] == nil {
		m.parsedRules[i] = append(m.rulesOfMembers([]int{i}), rule{})[:len(m.svcs[i].routes)] // never nil
	}
	return m.parsedRules[i]
}

// edgesWith appends to out the must-precede pairs between service i and the
// members (mustPrecede's, for one newcomer): only a pair with a service whose
// rules may overlap another's can be one.
func (m *model) edgesWith(members []int, i int, out []edge) []edge {
	si := &m.svcs[i]
	own := m.ruleList(i)
	for _, j := range members {
		if j == i || !(si.overlaps || m.svcs[j].overlaps) {
			continue
		}
		theirs := m.ruleList(j)
		if !m.sameTie(i, j) && anyContains(own, theirs) {
			out = append(out, edge{before: j, after: i})
		}
		if !m.sameTie(j, i) && anyContains(theirs, own) {
			out = append(out, edge{before: i, after: j})
		}
	}
	return out
}

// anyContains reports whether a rule of as contains a rule of bs.
func anyContains(as, bs []rule) bool {
	for _, a := range as {
		for _, b := range bs {
			if ruleContains(a, b) {
				return true
			}
		}
	}
	return false
}

// routingOrder orders a shared ALB's members busiest rule first among the
// orders that route every request as each service's own rules would: a
// member goes only once every member with a more specific overlapping rule
// has gone. A member that must precede a busier one is ranked as that busier
// one, so that it unlocks it early. ok is false when no such order exists
// (two services each more specific than the other on some host).
func (m *model) routingOrder(members []int) (order []int, ok bool) {
	edges := m.mustPrecede(members)
	if slices.IsSortedFunc(members, m.byWeight) { // the heuristic passes them ordered
		if edges == nil {
			return members, true // read only
		}
		order = members
	} else {
		order = append([]int(nil), members...)
		slices.SortFunc(order, m.byWeight)
	}
	if edges == nil {
		return order, true
	}
	return firstMatchOrder(order, edges, nil)
}

// firstMatchOrder is routingOrder for members given busiest rule first and
// their must-precede pairs (pairs naming a service not in order are left
// out): each time, of the members whose predecessors have all gone, the one
// of best rank goes, a member's rank being the best position of itself and of
// every member it must precede, directly or not. It returns order itself and
// false when the pairs have a cycle. It costs O((members + pairs) log
// members). sc holds its working memory, and the order returned, until its
// next use; nil: its own.
func firstMatchOrder(order []int, edges []edge, sc *orderScratch) ([]int, bool) {
	if sc == nil {
		sc = &orderScratch{}
	}
	n := len(order)
	sc.reset(n)
	for k, i := range order {
		sc.pos[i] = int32(k)
	}
	// successors in position space, as a compressed adjacency list
	start, indeg := sc.start, sc.indeg
	for _, e := range edges {
		b, okB := sc.pos[e.before]
		a, okA := sc.pos[e.after]
		if okB && okA {
			sc.kept = append(sc.kept, edge{before: int(b), after: int(a)})
			start[b+1]++
			indeg[a]++
		}
	}
	for k := range n {
		start[k+1] += start[k]
	}
	succ := slices.Grow(sc.succ[:0], len(sc.kept))[:len(sc.kept)]
	fill := append(sc.fill[:0], start[:n]...)
	for _, e := range sc.kept {
		succ[fill[e.before]] = int32(e.after)
		fill[e.before]++
	}
	sc.succ, sc.fill = succ, fill
	// a topological order (any), or a cycle
	topo := sc.topo[:0]
	left := append(sc.left[:0], indeg...)
	for k := range n {
		if left[k] == 0 {
			topo = append(topo, int32(k))
		}
	}
	for h := 0; h < len(topo); h++ {
		for _, a := range succ[start[topo[h]]:start[topo[h]+1]] {
			if left[a]--; left[a] == 0 {
				topo = append(topo, a)
			}
		}
	}
	sc.topo, sc.left = topo, left
	if len(topo) < n {
		return order, false
	}
	// rank: the best position among a member and all it must precede
	rank := sc.rank
	for h := n - 1; h >= 0; h-- {
		k := topo[h]
		rank[k] = k
		for _, a := range succ[start[k]:start[k+1]] {
			rank[k] = min(rank[k], rank[a])
		}
	}
	// the members free to go, best (rank, position) first
	ready := &sc.ready
	ready.rank, ready.items = rank, ready.items[:0]
	for k := range n {
		if indeg[k] == 0 {
			ready.push(int32(k))
		}
	}
	out := sc.out[:0]
	for len(ready.items) > 0 {
		k := ready.pop()
		out = append(out, order[k])
		for _, a := range succ[start[k]:start[k+1]] {
			if indeg[a]--; indeg[a] == 0 {
				ready.push(a)
			}
		}
	}
	sc.out = out
	return out, true
}

// orderScratch is firstMatchOrder's working memory, reused.
type orderScratch struct {
	pos                                        map[int]int32
	start, indeg, succ, fill, topo, left, rank []int32
	kept                                       []edge
	ready                                      rankHeap
	out                                        []int
}

// reset readies the scratch for n members.
func (sc *orderScratch) reset(n int) {
	if sc.pos == nil {
		sc.pos = make(map[int]int32, n)
	} else {
		clear(sc.pos)
	}
	zeroed := func(s []int32, size int) []int32 {
		s = slices.Grow(s[:0], size)[:size]
		clear(s)
		return s
	}
	sc.start, sc.indeg, sc.rank = zeroed(sc.start, n+1), zeroed(sc.indeg, n), zeroed(sc.rank, n)
	sc.kept = sc.kept[:0]
}

// rankHeap is a min-heap of positions by (rank, position).
type rankHeap struct {
	rank  []int32
	items []int32
}

func (h *rankHeap) less(x, y int32) bool {
	return h.rank[x] < h.rank[y] || (h.rank[x] == h.rank[y] && x < y)
}

func (h *rankHeap) push(k int32) {
	h.items = append(h.items, k)
	for c := len(h.items) - 1; c > 0; {
		p := (c - 1) / 2
		if !h.less(h.items[c], h.items[p]) {
			break
		}
		h.items[c], h.items[p] = h.items[p], h.items[c]
		c = p
	}
}

func (h *rankHeap) pop() int32 {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	for p := 0; ; {
		c := 2*p + 1
		if c >= last {
			break
		}
		if c+1 < last && h.less(h.items[c+1], h.items[c]) {
			c++
		}
		if !h.less(h.items[c], h.items[p]) {
			break
		}
		h.items[c], h.items[p] = h.items[p], h.items[c]
		p = c
	}
	return top
}

// joinKeepsOrder reports whether service i can join heuristic group g (whose
// members have a routing order) with a routing order still: the members'
// must-precede pairs, kept by the group, with i's.
func (m *model) joinKeepsOrder(g *hgroup, i int) bool {
	m.joinEdges(g, i)
	if len(g.trialEdges) == len(g.edges) {
		return true // i overlaps none of them
	}
	g.scratch = append(append(g.scratch[:0], g.members...), i)
	_, ok := firstMatchOrder(g.scratch, g.trialEdges, &g.orderScratch)
	return ok
}

// orderable reports whether some first-match order of the members' rules
// routes every request as each service's own rules would (routingOrder's ok):
// the must-precede relation has no cycle.
func (m *model) orderable(members []int) bool {
	_, ok := m.routingOrder(members)
	return ok
}

// orderConflict says why members cannot share a first-match rule list, or "".
func (m *model) orderConflict(members []int) string {
	if _, ok := m.routingOrder(members); ok {
		return ""
	}
	return "their paths overlap both ways on one host, so no rule order keeps every request's routing"
}
