package planner

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// prepareTies links the services that must share one load balancer: each
// service's tie is the lowest index of its set.
//
//   - Services one routing rule splits traffic between (routedWith) share a
//     route tie too (rtie): their shared routes are one rule, not a conflict.
//   - Services of one audience serving one host: a host's DNS name resolves
//     to one load balancer, so a plan that spread its paths over two would
//     leave some of them unreachable. Services that serve a host on
//     different load balancers today (a CDN or a proxy in front routes it)
//     are not linked by it; a service whose exposure today is not declared
//     goes with the first (in key order) that is.
//
// A set that cannot share any load balancer (different audiences, no shared
// kind for all, a quota) is untied, keeping the routedWith sets within it
// that can, and a plan warning says why.
func (m *model) prepareTies() {
	for i := range m.svcs {
		m.svcs[i].tie, m.svcs[i].rtie = i, i
	}
	m.tieRoutedWith()
	m.tieHosts()
	m.hostUsers = nil // done with
	sort.Strings(m.tieWarnings)
	m.tieSize = map[int]int{}
	for i := range m.svcs {
		if m.svcs[i].tied {
			m.tieSize[m.svcs[i].tie]++
		}
	}
}

// tieRoutedWith links the sets one routing rule routes (routedWith).
func (m *model) tieRoutedWith() {
	var byKey map[string]int
	sets := tieSets(len(m.svcs), func(join func(a, b int)) {
		for i := range m.svcs {
			for _, k := range m.svcs[i].s.RoutedWith {
				if byKey == nil {
					byKey = make(map[string]int, len(m.svcs))
					for j := range m.svcs {
						byKey[m.svcs[j].key] = j
					}
				}
				if j, ok := byKey[k]; ok {
					join(i, j)
				}
			}
		}
	})
	for _, set := range sets {
		for _, i := range set {
			m.svcs[i].rtie, m.svcs[i].rtied = set[0], true // while checking, so that their shared routes are not a conflict
		}
		why := m.tieInfeasible(set)
		for _, i := range set {
			if why != "" {
				m.svcs[i].rtie, m.svcs[i].rtied = i, false
			}
			m.svcs[i].tie, m.svcs[i].tied = m.svcs[i].rtie, m.svcs[i].rtied
		}
		if why != "" {
			m.tieWarnings = append(m.tieWarnings, fmt.Sprintf("%s are routed by one rule (routedWith) but cannot share one load balancer (%s): the plan exposes them apart, so that rule must be split", m.keyList(set), why))
		}
	}
}

// hostTie is what links services serving a host: the audience, the host,
// and the load balancer serving it today ("" when not declared).
type hostTie struct{ scheme, host, today string }

// tieHosts links the services serving one host (with their routedWith sets).
func (m *model) tieHosts() {
	firstToday := map[hostTie]int{} // (scheme, host, ""): the first service in key order declaring today's load balancer
	m.eachHost(func(i int, h hostTie) {
		if h.today = m.todayLB(i); h.today != "" {
			key := hostTie{scheme: h.scheme, host: h.host}
			if f, ok := firstToday[key]; !ok || m.keyRank[i] < m.keyRank[f] {
				firstToday[key] = i
			}
		}
	})
	sets := tieSets(len(m.svcs), func(join func(a, b int)) {
		for i := range m.svcs {
			if m.svcs[i].rtied {
				join(i, m.svcs[i].rtie)
			}
		}
		anchor := map[hostTie]int{}
		m.eachHost(func(i int, h hostTie) {
			if h.today = m.todayLB(i); h.today == "" {
				if f, ok := firstToday[h]; ok {
					h.today = m.todayLB(f)
				}
			}
			if a, ok := anchor[h]; ok {
				join(a, i)
			} else {
				anchor[h] = i
			}
		})
	})
	for _, set := range sets {
		why := m.tieInfeasible(set)
		for _, i := range set {
			m.svcs[i].tie, m.svcs[i].tied = set[0], why == ""
			if why != "" { // its routedWith set alone, if any
				m.svcs[i].tie, m.svcs[i].tied = m.svcs[i].rtie, m.svcs[i].rtied
			}
		}
		if why != "" {
			m.tieWarnings = append(m.tieWarnings, fmt.Sprintf("%s serve %s but cannot share one load balancer (%s): the plan exposes them apart, so the host needs a router in front that sends each path to its load balancer", m.keyList(set), m.hostList(set), why))
		}
	}
}

// eachHost calls f for every host each service outside the cluster
// serves at layer 7 with another service, once a host.
func (m *model) eachHost(f func(i int, h hostTie)) {
	for i := range m.svcs {
		si := &m.svcs[i]
		if si.scheme == "" || !isL7(si.s.Protocol) {
			continue
		}
		for _, h := range uniqueHosts(si.s.Hosts) {
			if m.hostUsers[schemeHost{si.scheme, h}] > 1 { // (prepareOverlaps counted them)
				f(i, hostTie{scheme: si.scheme, host: h})
			}
		}
	}
}

// todayLB names the load balancer service i is on today: "" when today's
// exposure is not declared or is not a load balancer. A service on a proxy
// that a re-plan forgets (newProxiesMaintained) is on it still here: its
// hosts stay tied as they are today.
func (m *model) todayLB(i int) string {
	si := &m.svcs[i]
	switch g := si.s.frontendGone; {
	case g != nil && si.cur == noKind: // on a proxy a re-plan does not keep (newProxiesMaintained): tied as today
		return "gone|" + g.Scheme + "|" + g.Name
	case si.cur == noKind || si.cur == kClusterIP || si.cur == kNodePort:
		return ""
	case si.cur.shared() && si.curName != "":
		return si.cur.label() + "|" + si.curScheme + "|" + si.curName
	}
	return "own|" + si.key
}

// tieSets joins services into sets by the pairs link joins (a union-find)
// and returns the sets of two or more, each in index order (the same order
// every run).
func tieSets(n int, link func(join func(a, b int))) [][]int {
	var parent []int
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	link(func(a, b int) {
		if parent == nil {
			parent = make([]int, n)
			for i := range parent {
				parent[i] = i
			}
		}
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	})
	if parent == nil {
		return nil
	}
	at := map[int]int{} // root -> index in sets
	var sets [][]int
	for i := range parent {
		r := find(i)
		if r == i {
			continue
		}
		if _, ok := at[r]; !ok {
			at[r] = len(sets)
			sets = append(sets, []int{r})
		}
		sets[at[r]] = append(sets[at[r]], i)
	}
	return sets
}

// keyList names a set's services in key order, the first ten and a count of
// the rest.
func (m *model) keyList(set []int) string {
	keys := make([]string, len(set))
	for j, i := range set {
		keys[j] = m.svcs[i].key
	}
	slices.Sort(keys)
	return listSome(keys, 10)
}

// hostList names the hosts a set's services share, sorted.
func (m *model) hostList(set []int) string {
	count := map[string]int{}
	for _, i := range set {
		for _, h := range uniqueHosts(m.svcs[i].s.Hosts) {
			count[h]++
		}
	}
	var hosts []string
	for h, n := range count {
		if n > 1 {
			hosts = append(hosts, h)
		}
	}
	slices.Sort(hosts)
	if len(hosts) == 0 {
		return "one host"
	}
	word := "host "
	if len(hosts) > 1 {
		word = "hosts "
	}
	return word + listSome(hosts, 5)
}

// listSome joins the first n items and counts the rest.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// recheckTies unties a tied set that no load balancer can take whole any
// more (exposures ruled out since prepareTies, to meet latency budgets or
// off a proxy controller render cannot add): its services are planned
// apart, with a warning, rather than not at all.
func (m *model) recheckTies() {
	if len(m.tieSize) == 0 {
		return
	}
	sets := map[int][]int{}
	for i := range m.svcs {
		if si := &m.svcs[i]; si.tied {
			sets[si.tie] = append(sets[si.tie], i)
		}
	}
	roots := slices.Sorted(maps.Keys(sets))
	for _, r := range roots {
		set := sets[r]
		why := m.tieInfeasible(set)
		if why == "" {
			continue
		}
		for _, i := range set {
			m.svcs[i].tie, m.svcs[i].tied = i, false
		}
		delete(m.tieSize, r)
		m.tieWarnings = append(m.tieWarnings, fmt.Sprintf("%s must share one load balancer (one rule routes them, or they serve one host) but cannot once exposures are ruled out %s (%s): the plan exposes them apart", m.keyList(set), m.ruledOutFor(), why))
	}
	sort.Strings(m.tieWarnings)
}

// ruledOutFor says why exposures were ruled out since the ties were made.
func (m *model) ruledOutFor() string {
	controller := "off a second " + m.impl().name + " controller render cannot add"
	switch {
	case m.chainsTightened && m.controllersTightened:
		return "to meet latency budgets and " + controller
	case m.controllersTightened:
		return controller
	}
	return "to meet latency budgets"
}
