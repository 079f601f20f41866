package planner

import (
	"fmt"
	"slices"
	"strings"
)

// Hops end to end: a service's calls to others (calls), the sidecars of a
// service mesh on every hop, and the chain latency that follows: its own
// added latency plus the slowest chain of calls it makes, each callee
// reached through the exposure planned for it (an internal one, audience
// vpc, through its load balancer or proxy; any other through its pods).
// A latency budget then applies to the whole chain, and the optimiser keeps
// the services on it off exposures that would break it.

// Service meshes a declaration may name (mesh).
const (
	MeshNone         = "none"
	MeshIstio        = "istio"
	MeshIstioAmbient = "istio-ambient"
	MeshLinkerd      = "linkerd"
	MeshCilium       = "cilium"
)

// meshSpec is one mesh: what a sidecar hop adds, and where the figure comes from.
type meshSpec struct {
	sidecar Quantity
	source  string
}

var meshes = map[string]meshSpec{
	MeshNone: {0, "no mesh"},
	// Istio's docs (1.12.3, default telemetry v2, http/1.1, 1,000 rps, 1 KB):
	// "the two proxies add 1.7 ms and 2.7 ms to the 90th and 99th percentile
	// latency" of a call: 0.85 ms per sidecar at p90
	MeshIstio: {QuantityScale * 85 / 100, "istio.io Performance and Scalability (Istio 1.12.3): two sidecars add 1.7 ms at p90"},
	// ambient mode has no sidecars: ztunnel runs per node
	MeshIstioAmbient: {0, "sidecarless (ztunnel per node)"},
	// Buoyant on Linkerd's latency: "network time, plus about 1ms"
	MeshLinkerd: {QuantityScale, "buoyant.io, 2017-01-31: a Linkerd hop adds about 1 ms"},
	// Cilium's mesh is sidecarless (eBPF, a per-node Envoy)
	MeshCilium: {0, "sidecarless (eBPF and a per-node Envoy)"},
}

// Meshes lists the meshes mesh accepts.
func Meshes() []string {
	return []string{MeshNone, MeshIstio, MeshIstioAmbient, MeshLinkerd, MeshCilium}
}

// validateMesh checks the mesh and defaults its sidecar hop.
func validateMesh(d *Declaration, top func(field, format string, args ...any)) {
	if d.Mesh == "" {
		d.Mesh = MeshNone
	}
	spec, ok := meshes[d.Mesh]
	if !ok {
		top("mesh", "unknown mesh %q (want one of %s)", d.Mesh, oneOf(Meshes()))
	}
	defaultQ(&d.Latency.SidecarMs, spec.sidecar)
	if v := *d.Latency.SidecarMs; v < 0 || v > Q(1000) {
		top("latency.sidecarMs", "want 0 to 1000, got %s", v)
	}
}

// validateCalls checks every service's calls: declared services, none
// twice, not itself, and no cycle (named when found).
func validateCalls(d *Declaration, index map[string]int, add func(i int, field, msg string)) {
	for i := range d.Services {
		s := &d.Services[i]
		seen := map[string]bool{}
		for j, c := range s.Calls {
			field := fmt.Sprintf("calls[%d]", j)
			switch _, ok := index[c]; {
			case !ok:
				add(i, field, fmt.Sprintf("service %s is not declared (want namespace/name)", c))
			case c == s.Key():
				add(i, field, "a service does not call itself")
			case seen[c]:
				add(i, field, fmt.Sprintf("%s is listed twice", c))
			}
			seen[c] = true
		}
	}
	state := make([]byte, len(d.Services)) // 0 unseen, 1 on the path, 2 done
	var path []int
	var visit func(i int) bool
	visit = func(i int) bool {
		state[i] = 1
		path = append(path, i)
		for _, c := range d.Services[i].Calls {
			j, ok := index[c]
			if !ok || j == i {
				continue
			}
			if state[j] == 1 {
				start := slices.Index(path, j)
				var names []string
				for _, k := range path[start:] {
					names = append(names, d.Services[k].Key())
				}
				add(j, "calls", "the calls form a cycle: "+strings.Join(append(names, d.Services[j].Key()), " -> "))
				return true
			}
			if state[j] == 0 && visit(j) {
				return true
			}
		}
		path = path[:len(path)-1]
		state[i] = 2
		return false
	}
	for i := range d.Services {
		if state[i] == 0 && visit(i) {
			return
		}
	}
}

// sidecars is the latency a service's entry adds in the mesh: the server
// sidecar, and for a client inside the cluster (ClusterIP) its own too.
func (m *model) sidecars(k kind) Quantity {
	sc := *m.d.Latency.SidecarMs
	if k == kClusterIP {
		return 2 * sc
	}
	return sc
}

// callHop is what a call into service c adds when c is exposed as kind k:
// both sidecars, and an internal service's load balancer or proxy.
func (m *model) callHop(c int, k kind) Quantity {
	si := &m.svcs[c]
	hop := 2 * *m.d.Latency.SidecarMs
	if si.s.Audience == AudienceVPC {
		hop += si.latency[k] - m.sidecars(k)
	}
	return hop
}

// chains computes, for planned kinds, every service's chain latency and
// the callee its slowest chain goes through (-1 when it calls nothing).
func (m *model) chains(kinds []kind) (lat []Quantity, next []int) {
	tail := make([]Quantity, len(m.svcs))
	next = make([]int, len(m.svcs))
	done := make([]bool, len(m.svcs))
	index := m.index()
	var walk func(i int) Quantity
	walk = func(i int) Quantity {
		if done[i] {
			return tail[i]
		}
		done[i], next[i] = true, -1
		for _, c := range m.svcs[i].s.Calls {
			j := index[c]
			if t := m.callHop(j, kinds[j]) + walk(j); next[i] < 0 || t > tail[i] {
				tail[i], next[i] = t, j
			}
		}
		return tail[i]
	}
	lat = make([]Quantity, len(m.svcs))
	for i := range m.svcs {
		lat[i] = m.svcs[i].latency[kinds[i]] + walk(i)
	}
	return lat, next
}

// index maps service keys to their index.
func (m *model) index() map[string]int {
	out := make(map[string]int, len(m.svcs))
	for i := range m.svcs {
		out[m.svcs[i].key] = i
	}
	return out
}

// anyCalls reports whether a service declares calls.
func (m *model) anyCalls() bool {
	for i := range m.svcs {
		if len(m.svcs[i].s.Calls) > 0 {
			return true
		}
	}
	return false
}

// plannedKinds are the kinds groups give each service.
func (m *model) plannedKinds(groups []*group) []kind {
	kinds := make([]kind, len(m.svcs))
	for _, g := range groups {
		for _, i := range g.members {
			kinds[i] = g.kind
		}
	}
	return kinds
}

// optimiseChains plans, then, while a service's chain of calls is over its
// latency budget, rules out the slowest exposure on that chain that has a
// faster alternative and plans again; an error names the chain when none has.
func (m *model) optimiseChains() ([]*group, bool, error) {
	groups, exact, err := m.optimiseOneController()
	if err != nil || !m.anyCalls() {
		return groups, exact, err
	}
	for range len(m.svcs) * int(numKinds) {
		kinds := m.plannedKinds(groups)
		lat, next := m.chains(kinds)
		over := -1
		for i := range m.svcs {
			s := m.svcs[i].s
			if len(s.Calls) > 0 && s.LatencyBudgetMs != nil && lat[i] > *s.LatencyBudgetMs && (over < 0 || m.svcs[i].key < m.svcs[over].key) {
				over = i
			}
		}
		if over < 0 {
			return groups, exact, nil
		}
		if !m.tighten(over, kinds, next) {
			s := m.svcs[over].s
			return nil, false, Errors{&FieldError{Index: over, Service: m.svcs[over].key, Field: "latencyBudgetMs", Msg: fmt.Sprintf(
				"its chain of calls takes %s ms (%s), over its %s ms budget, and no exposure on it is faster",
				lat[over], strings.Join(m.criticalChain(over, kinds, next), " -> "), *s.LatencyBudgetMs)}}
		}
		exact, m.chainsTightened = false, true // the budget is met by ruling exposures out, one at a time
		if groups, _, err = m.optimiseOneController(); err != nil {
			return nil, false, err
		}
	}
	return groups, false, nil
}

// optimiseOneController optimises and merges the proxy groups that keep one
// proxy of today (mergeSameProxy); then, while a scheme has a proxy group
// render cannot write, it rules the proxy out for that group's members and
// optimises again. A proxy implementation routed by Ingress (ingress-nginx,
// HAProxy) is one controller per IngressClass: render writes every new
// proxy of a scheme as its class, so a new one beside another (new, or
// today's of that scheme) would be one controller, its services routed
// together as the plan did not price them (a TLS host's redirect taking a
// plain-HTTP service of that host, say). The group kept is today's, else the
// largest (then the first by its members' keys).
func (m *model) optimiseOneController() ([]*group, bool, error) {
	groups, exact, err := m.optimise()
	for range len(m.svcs) {
		if err == nil {
			groups = m.mergeSameProxy(groups)
		}
		if err != nil || m.impl().gatewayClass != "" {
			return groups, exact, err
		}
		extra, same := m.extraController(groups)
		if extra == nil {
			return groups, exact, nil
		}
		why := fmt.Sprintf("one %s controller serves the %s proxy, which it cannot join (it would route them together)", m.impl().name, schemeWord(extra.scheme))
		for _, c := range m.cannotJoin(extra, same) {
			si := &m.svcs[c.i]
			si.feasible[kProxy], si.shareable[kProxy] = false, false
			if c.why != "" {
				m.setWhy(si, kProxy, fmt.Sprintf("one %s controller serves the %s proxy, which it cannot join: %s", m.impl().name, schemeWord(extra.scheme), c.why))
				continue
			}
			m.setWhy(si, kProxy, why)
		}
		exact, m.controllersTightened = false, true
		groups, _, err = m.optimise()
	}
	return groups, false, err
}

// mergeSameProxy merges the proxy groups of a scheme that keep one of
// today's proxies (identity): they are that one proxy, which render writes
// once. Apart, each was priced as a proxy of its own, and per-line rounding
// could make two a cent cheaper than one, or a split look free; the first
// in the plan's order takes the others when all fit together.
func (m *model) mergeSameProxy(groups []*group) []*group {
	type key struct{ scheme, name string }
	first := map[key]*group{}
	out := groups[:0]
	for _, g := range groups {
		if g.kind != kProxy {
			out = append(out, g)
			continue
		}
		name, kept := m.identity(kProxy, g.scheme, g.members)
		k := key{g.scheme, name}
		f := first[k]
		if !kept || f == nil {
			if kept {
				first[k] = g
			}
			out = append(out, g)
			continue
		}
		members := append(slices.Clone(f.members), g.members...)
		if m.sharedFits(kProxy, members) != "" {
			out = append(out, g)
			continue
		}
		*f = *m.newGroup(kProxy, g.scheme, members)
	}
	return out
}

// cannotJoin are the members of a proxy group render cannot write
// (extraController) that are ruled off the proxy: where it keeps the same
// proxy of today as group same, those that could not join same (the others
// may, planned again), else (or if each could) every one.
func (m *model) cannotJoin(extra, same *group) []ruledOff {
	every := func() []ruledOff {
		out := make([]ruledOff, len(extra.members))
		for j, i := range extra.members {
			out[j] = ruledOff{i: i}
		}
		return out
	}
	if same == nil {
		return every()
	}
	var out []ruledOff
	for _, i := range extra.members {
		if why := m.sharedFits(kProxy, append(slices.Clone(same.members), i)); why != "" {
			out = append(out, ruledOff{i, why})
		}
	}
	if len(out) == 0 {
		return every()
	}
	return out
}

// ruledOff is a service ruled off the proxy (cannotJoin), with why it could
// not join today's ("" where each could, but not all together).
type ruledOff struct {
	i   int
	why string
}

// extraController is a proxy group render cannot write beside the others of
// its scheme (optimiseOneController), nil when there is none; and, when it
// keeps one of today's proxies that an earlier group keeps too, that group.
func (m *model) extraController(groups []*group) (extra, same *group) {
	byScheme := map[string][]*group{}
	for _, g := range groups {
		if g.kind == kProxy {
			byScheme[g.scheme] = append(byScheme[g.scheme], g)
		}
	}
	for _, scheme := range []string{schemeInternet, schemeInternal} {
		gs := byScheme[scheme]
		if len(gs) < 2 {
			continue
		}
		var fresh []*group // new controllers: today's proxies are each their own, once
		kept, seen := 0, map[string]*group{}
		for _, g := range gs {
			name, _ := m.identity(kProxy, scheme, g.members)
			switch {
			case name == "":
				fresh = append(fresh, g)
			case seen[name] != nil: // a second group keeping one proxy (mergeSameProxy could not join them)
				return g, seen[name]
			default:
				seen[name] = g
				kept++
			}
		}
		if len(fresh) == 0 || (kept == 0 && len(fresh) == 1) {
			continue
		}
		slices.SortStableFunc(fresh, func(a, b *group) int {
			if len(a.members) != len(b.members) {
				return len(a.members) - len(b.members) // smallest first
			}
			return strings.Compare(m.svcs[slices.MinFunc(a.members, m.byKey)].key, m.svcs[slices.MinFunc(b.members, m.byKey)].key)
		})
		return fresh[0], nil
	}
	return nil, nil
}

// tighten rules out, on service i's critical chain, the exposure whose
// hop is slowest among those with a faster feasible alternative.
func (m *model) tighten(i int, kinds []kind, next []int) bool {
	best, bestLat := -1, Quantity(-1)
	hop := func(j int, k kind) Quantity {
		if j == i {
			return m.svcs[j].latency[k]
		}
		return m.callHop(j, k)
	}
	for j := i; j >= 0; j = next[j] {
		cur := hop(j, kinds[j])
		for _, k := range m.kinds {
			if m.svcs[j].feasible[k] && hop(j, k) < cur && cur > bestLat {
				best, bestLat = j, cur
			}
		}
	}
	if best < 0 {
		return false
	}
	si := &m.svcs[best]
	why := fmt.Sprintf("on the call chain of %s, whose latency budget is %s ms", m.svcs[i].key, *m.svcs[i].s.LatencyBudgetMs)
	for _, k := range m.kinds {
		if si.feasible[k] && hop(best, k) >= bestLat {
			si.feasible[k], si.shareable[k] = false, false
			m.setWhy(si, k, why)
		}
	}
	return true
}

// criticalChain names every hop of service i's slowest chain: its own
// path, then each call with the hops between the two pods.
func (m *model) criticalChain(i int, kinds []kind, next []int) []string {
	out := []string{fmt.Sprintf("%s (%s, %s ms)", m.servicePath(kinds[i], m.svcs[i].scheme, &m.svcs[i]), m.svcs[i].key, m.svcs[i].latency[kinds[i]])}
	for j := next[i]; j >= 0; j = next[j] {
		hops := []string{"pod"}
		if *m.d.Latency.SidecarMs > 0 {
			hops = append(hops, "sidecar")
		}
		if m.svcs[j].s.Audience == AudienceVPC {
			if middle := m.middleHops(kinds[j], m.svcs[j].scheme); middle != "" {
				hops = append(hops, middle)
			}
		}
		if *m.d.Latency.SidecarMs > 0 {
			hops = append(hops, "sidecar")
		}
		hops = append(hops, "pod")
		out = append(out, fmt.Sprintf("%s (%s, %s ms)", strings.Join(hops, " -> "), m.svcs[j].key, m.callHop(j, kinds[j])))
	}
	return out
}

// middleHops are a kind's hops between the client and the pod ("NLB",
// "NLB -> ingress pod"); "" for a pod reached directly.
func (m *model) middleHops(k kind, scheme string) string {
	path := m.hopPath(k, scheme)
	if k == kClusterIP {
		return ""
	}
	path = strings.TrimPrefix(path, "client -> ")
	return strings.TrimSuffix(path, " -> pod")
}

// servicePath is a service's hop path: its kind's, without the node hop
// that externalTrafficPolicy: Local saves (the clientIP need), with the
// mesh's sidecars.
func (m *model) servicePath(k kind, scheme string, si *svcInfo) string {
	path := m.hopPath(k, scheme)
	if k.spec().etpNodeHop && si.s.Has(NeedClientIP) {
		path = strings.Replace(path, " -> node -> pod", " -> pod", 1)
	}
	if *m.d.Latency.SidecarMs > 0 {
		if k == kClusterIP {
			return "client pod -> sidecar -> sidecar -> pod"
		}
		path = strings.TrimSuffix(path, " -> pod") + " -> sidecar -> pod"
	}
	return path
}

// fillChains writes each service's chain latency and critical chain.
func (m *model) fillChains(p *Plan, groups []*group) {
	if !m.anyCalls() { // no chains: each its own added latency
		for r := range p.Services {
			p.Services[r].ChainLatencyMs = p.Services[r].AddedLatencyMs
		}
		return
	}
	kinds := m.plannedKinds(groups)
	lat, next := m.chains(kinds)
	index := m.index()
	for r := range p.Services {
		row := &p.Services[r]
		i := index[row.Namespace+"/"+row.Name]
		row.ChainLatencyMs = lat[i]
		if next[i] >= 0 {
			row.CriticalChain = m.criticalChain(i, kinds, next)
		}
	}
}
