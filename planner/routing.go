package planner

import (
	"slices"
	"sort"
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
	return head + strings.TrimRight(strings.TrimSuffix(path, "/*"), "/")
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
	hosts := make(map[string]int, len(m.svcs))
	for i := range m.svcs {
		si := &m.svcs[i]
		seen := map[string]bool{}
		for _, h := range si.s.Hosts {
			if !seen[h] {
				seen[h] = true
				hosts[si.scheme+"|"+h]++
			}
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
			si.overlaps = si.overlaps || strings.HasPrefix(h, "*.") || hosts[si.scheme+"|"+h] > 1
		}
		for _, r := range si.routes {
			if k := routeKey(r); routes[k] > 1 {
				si.clashes = append(si.clashes, k)
			}
		}
	}
	m.internSets()
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

// mustPrecede lists, for each member, the members whose rules it contains and
// that must therefore come before it in a first-match rule list (an ALB's):
// on one host, /checkout before /, and a host's rules before the catch-all.
// Only rules that can overlap are compared: those on one host, and the
// catch-all and wildcard hosts against the rest.
func (m *model) mustPrecede(members []int) map[int]map[int]bool {
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
	var before map[int]map[int]bool
	note := func(a, b rule) { // a contains b: b's service goes first
		if a.svc == b.svc || !ruleContains(a, b) {
			return
		}
		if m.svcs[a.svc].tied && m.svcs[a.svc].tie == m.svcs[b.svc].tie {
			return
		}
		if before == nil {
			before = map[int]map[int]bool{}
		}
		if before[a.svc] == nil {
			before[a.svc] = map[int]bool{}
		}
		before[a.svc][b.svc] = true
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
	return before
}

// routingOrder orders a shared ALB's members busiest rule first among the
// orders that route every request as each service's own rules would: a
// member goes only once every member with a more specific overlapping rule
// has gone. A member that must precede a busier one is ranked as that busier
// one, so that it unlocks it early. ok is false when no such order exists
// (two services each more specific than the other on some host).
func (m *model) routingOrder(members []int) (order []int, ok bool) {
	before := m.mustPrecede(members)
	if slices.IsSortedFunc(members, m.byWeight) { // the heuristic passes them ordered
		if before == nil {
			return members, true // read only
		}
		order = append([]int(nil), members...)
	} else {
		order = append([]int(nil), members...)
		slices.SortFunc(order, m.byWeight)
	}
	if before == nil {
		return order, true
	}
	// rank: position in busiest-first order; a member takes the best rank of those it must precede
	rank := make(map[int]int, len(order))
	for pos, i := range order {
		rank[i] = pos
	}
	for changed, rounds := true, 0; changed && rounds <= len(order); rounds++ {
		changed = false
		for x, need := range before {
			for i := range need {
				if rank[x] < rank[i] {
					rank[i], changed = rank[x], true
				}
			}
		}
	}
	byRank := append([]int(nil), order...)
	sort.SliceStable(byRank, func(a, b int) bool { return rank[byRank[a]] < rank[byRank[b]] })
	placed := make(map[int]bool, len(order))
	out := make([]int, 0, len(order))
	for len(out) < len(order) {
		progress := false
		for _, i := range byRank {
			if placed[i] || !allPlaced(before[i], placed) {
				continue
			}
			placed[i] = true
			out = append(out, i)
			progress = true
			break
		}
		if !progress {
			return order, false
		}
	}
	return out, true
}

// joinKeepsOrder reports whether service i can join members (which have a
// routing order) with a routing order still: i's rules are compared with
// theirs, and only when some member must go before i and some after it is
// the whole order checked (a cycle must pass through i).
func (m *model) joinKeepsOrder(members []int, i int) bool {
	own := m.rulesOfMembers([]int{i})
	var before, after bool
	for _, j := range members {
		if m.svcs[j].tied && m.svcs[i].tied && m.svcs[j].tie == m.svcs[i].tie {
			continue
		}
		var jBefore, jAfter bool
		for _, other := range m.rulesOfMembers([]int{j}) {
			for _, o := range own {
				jBefore = jBefore || ruleContains(o, other)
				jAfter = jAfter || ruleContains(other, o)
			}
		}
		if jBefore && jAfter {
			return false // the two overlap both ways
		}
		before, after = before || jBefore, after || jAfter
	}
	if !before || !after {
		return true
	}
	return m.orderable(append(members[:len(members):len(members)], i))
}

// orderable reports whether some first-match order of the members' rules
// routes every request as each service's own rules would (routingOrder's ok,
// without ranking): the must-precede relation has no cycle.
func (m *model) orderable(members []int) bool {
	before := m.mustPrecede(members)
	placed := make(map[int]bool, len(before)) // of the members that must follow others
	ready := func(need map[int]bool) bool {
		for j := range need {
			if before[j] != nil && !placed[j] { // j follows others itself, and is not placed yet
				return false
			}
		}
		return true
	}
	for progress := true; progress && len(placed) < len(before); {
		progress = false
		for x, need := range before {
			if !placed[x] && ready(need) {
				placed[x], progress = true, true
			}
		}
	}
	return len(placed) == len(before)
}

func allPlaced(need map[int]bool, placed map[int]bool) bool {
	for j := range need {
		if !placed[j] {
			return false
		}
	}
	return true
}

// orderConflict says why members cannot share a first-match rule list, or "".
func (m *model) orderConflict(members []int) string {
	if _, ok := m.routingOrder(members); ok {
		return ""
	}
	return "their paths overlap both ways on one host, so no rule order keeps every request's routing"
}
