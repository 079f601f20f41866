package planner

import (
	"errors"
	"math/big"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// ExactLimit is the largest number of shareable services of one scheme that
// the optimiser partitions exactly (dynamic programming over every subset);
// larger classes are planned by construction and local search. On clouds
// whose rules are priced in tiers (GCP, Azure) the limit is TieredExactLimit.
const (
	ExactLimit       = 12
	TieredExactLimit = 10
	// maxFrontier bounds the rule-count trade-offs kept while combining classes.
	maxFrontier = 4096
)

// val is the optimiser's objective, compared lexicographically: cost, then
// added latency summed over services, then the number of load balancers.
// A plan that costs the same as another but moves fewer services off the
// load balancer that serves them today wins before latency is looked at.
type val struct {
	addr int // addresses, where they are what is scarce (bare metal); 0 elsewhere
	// milli is the cost in thousandths of a cent, its lines summed before
	// rounding; values compare by it rounded once to cents, so that moving
	// services between load balancers to gain a cent of per-line rounding is
	// a tie, which keeps what exists
	milli int64
	lat   Quantity
	lbs   int
	moves int // services moved off today's exposure or load balancer
}

func (a val) plus(b val) val {
	return val{a.addr + b.addr, a.milli + b.milli, a.lat + b.lat, a.lbs + b.lbs, a.moves + b.moves}
}
func (a val) minus(b val) val {
	return val{a.addr - b.addr, a.milli - b.milli, a.lat - b.lat, a.lbs - b.lbs, a.moves - b.moves}
}

// cents is the value's cost rounded once to cents, half up: monotonic, so
// comparing values by it orders them consistently.
func (a val) cents() int64 {
	q, r := a.milli/1000, a.milli%1000
	if r < 0 { // floor, then half up
		q, r = q-1, r+1000
	}
	if r >= 500 {
		q++
	}
	return q
}

// withCents adds a whole amount of cents (a tier's charge) to a value.
func (a val) withCents(c money.Cents) val {
	a.milli += int64(c) * 1000
	return a
}

func (a val) less(b val) bool {
	if a.addr != b.addr {
		return a.addr < b.addr
	}
	if ac, bc := a.cents(), b.cents(); ac != bc {
		return ac < bc
	}
	if a.moves != b.moves {
		return a.moves < b.moves
	}
	if a.lat != b.lat {
		return a.lat < b.lat
	}
	return a.lbs < b.lbs
}

// newGroup builds a group with its sums.
func (m *model) newGroup(k kind, scheme string, members []int) *group {
	g := &group{kind: k, scheme: scheme, members: members}
	for _, i := range members {
		g.sums.add(&m.svcs[i])
	}
	return g
}

// localVal is a group's objective without the tiered rule charges.
func (m *model) localVal(g *group, lat Quantity) val {
	_, c, _, _ := m.costMilli(g, false)
	v := val{milli: c, lat: lat, lbs: lbCount(g.kind)}
	if clouds[m.d.Cloud].addressesFirst {
		v.addr = v.lbs
	}
	return v
}

// approx adds the marginal price of rules past the flat tier, for the heuristic's decisions.
func (m *model) approx(v val, r rv) val {
	return v.withCents(money.Cents(r[0])*m.marginal[0] + money.Cents(r[1])*m.marginal[1])
}

func (m *model) latSum(k kind, members []int) Quantity {
	var l Quantity
	for _, i := range members {
		l += m.svcs[i].latency[k]
	}
	return l
}

// option is one way to expose a block of services: a kind, its local value and its rules.
type option struct {
	k kind
	v val
	r rv
}

// dominates reports whether a is at least as good as b whatever else the plan holds:
// no more rules in any scope and no worse a local value (tier prices never fall with more rules).
func dominates(ar rv, av val, br rv, bv val) bool {
	return ar[0] <= br[0] && ar[1] <= br[1] && !bv.less(av)
}

// addOption adds o to opts unless dominated, dropping what it dominates.
func addOption(opts []option, o option) []option {
	for _, x := range opts {
		if dominates(x.r, x.v, o.r, o.v) {
			return opts
		}
	}
	out := opts[:0]
	for _, x := range opts {
		if !dominates(o.r, o.v, x.r, x.v) {
			out = append(out, x)
		}
	}
	return append(out, o)
}

// standalones finds every service's exposures on its own, on every
// processor; the errors come in service order.
func (m *model) standalones() Errors {
	failed := make([]*FieldError, len(m.svcs))
	parallel(len(m.svcs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if err := m.standalone(i); err != nil {
				failed[i] = err.(*FieldError)
			}
		}
	})
	var errs Errors
	for _, e := range failed {
		if e != nil {
			errs = append(errs, e)
		}
	}
	return errs
}

// allocStandalones makes room for every service's standalone options.
func (m *model) allocStandalones() {
	n := len(m.svcs)
	m.standKind, m.standVal, m.standOpts, m.standLocal = make([]kind, n), make([]val, n), make([][]option, n), make([]option, n)
}

// standalone finds each service's exposures on its own: every undominated
// option (for the exact search) and the best by approximate value.
func (m *model) standalone(i int) error {
	si := &m.svcs[i]
	if si.s.Audience == AudienceCluster {
		m.standKind[i], m.standVal[i], m.standLocal[i] = kClusterIP, val{}, option{k: kClusterIP}
		m.standOpts[i] = []option{{k: kClusterIP}}
		return nil
	}
	found := false
	for _, k := range m.kinds {
		if !si.feasible[k] {
			continue
		}
		if k.shared() {
			if why := m.sharedFits(k, []int{i}); why != "" {
				si.feasible[k] = false
				m.setWhy(si, k, why)
				si.shareable[k] = false
				continue
			}
		}
		g := m.newGroup(k, si.scheme, []int{i})
		r := m.rulesOf(k, si.scheme, g.members)
		local := m.localVal(g, si.latency[k])
		v := local
		v.moves = m.moves(k, si.scheme, g.members)
		m.standOpts[i] = addOption(m.standOpts[i], option{k, v, r})
		if av := m.approx(v, r); !found || av.less(m.standVal[i]) {
			m.standKind[i], m.standVal[i], found = k, av, true
			m.standLocal[i] = option{k, local, r}
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
	for _, k := range m.kinds {
		if alt := k.spec().alternative; m.why(si, k) != "" && (alt == nil || !alt(m)) {
			parts = append(parts, k.label()+": "+m.why(si, k))
		}
	}
	return strings.Join(parts, "; ")
}

// frontier is a class's undominated (rules, value) trade-offs and how to build each.
type frontier struct {
	entries []option
	build   func(e int) []*group
}

// optimise assigns every service to a group (a load balancer, or a
// standalone exposure) and reports whether the plan is provably optimal.
func (m *model) optimise() ([]*group, bool, error) {
	m.allocStandalones()
	m.hpos = make([]int32, len(m.svcs))
	m.parsedRules = make([][]rule, len(m.svcs))
	if errs := m.standalones(); len(errs) > 0 {
		return nil, false, errs
	}
	m.recheckTies()
	classes := map[string][]int{}
	m.shareableIn = map[string]int{}
	var fronts []frontier
	for i := range m.svcs {
		si := &m.svcs[i]
		if m.sharer(i) {
			classes[si.scheme] = append(classes[si.scheme], i)
			m.shareableIn[si.scheme]++
			continue
		}
		opts := m.standOpts[i]
		scheme := si.scheme
		fronts = append(fronts, frontier{entries: opts, build: func(e int) []*group {
			return []*group{m.newGroup(opts[e].k, scheme, []int{i})}
		}})
	}
	limit := ExactLimit
	if m.tiered {
		limit = TieredExactLimit
	}
	exact := true
	m.currentGroups() // built once, before the schemes are planned at once
	schemes := []string{schemeInternet, schemeInternal}
	planned := make([]*frontier, len(schemes))
	var wg sync.WaitGroup
	for n, scheme := range schemes {
		idx := classes[scheme]
		if len(idx) == 0 {
			continue
		}
		slices.SortFunc(idx, m.byKey)
		if len(idx) <= limit {
			f := m.exact(scheme, idx)
			planned[n] = &f
			continue
		}
		// the schemes share no service and no load balancer: their
		// heuristics run at once, each on its own services
		exact = false
		wg.Add(1)
		go func() {
			defer wg.Done()
			planned[n] = m.heuristicFrontier(scheme, idx)
		}()
	}
	wg.Wait()
	for _, f := range planned {
		if f != nil {
			fronts = append(fronts, *f)
		}
	}
	for _, f := range fronts {
		if len(f.entries) == 0 { // never so since ties are checked again above; an error, not a crash, if it were
			return nil, false, errors.New("no exposure satisfies every constraint for some services together: please report the declaration as a bug")
		}
	}
	groups, capped := m.combine(fronts)
	groups, m.forced = m.keepCurrent(groups)
	return groups, exact && !capped, nil
}

// heuristicFrontier plans a scheme's shareable services heuristically, as
// the single entry of its frontier.
func (m *model) heuristicFrontier(scheme string, idx []int) *frontier {
	groups := m.keepTies(m.shardedHeuristic(scheme, idx), scheme)
	var r rv
	var v val
	for _, g := range groups {
		if len(g.members) == 1 && m.standLocal[g.members[0]].k == g.kind { // on its own: valued already
			o := m.standLocal[g.members[0]]
			r, v = r.plus(o.r), v.plus(o.v)
			continue
		}
		r = r.plus(m.rulesOf(g.kind, g.scheme, g.members))
		v = v.plus(m.localVal(g, m.latSum(g.kind, g.members)))
	}
	return &frontier{entries: []option{{v: v, r: r}}, build: func(int) []*group { return groups }}
}

// ShardSize is the most services the heuristic plans as one: a larger class
// is dealt into shards of about this size in key order, a set routed by one
// rule or sharing a load balancer today kept in one shard, and the shards
// planned at once on every processor. The shards depend only on the
// services, never on the machine, so a plan is the same everywhere.
const ShardSize = 10_000

// shardedHeuristic plans a class by the heuristic, shard by shard.
func (m *model) shardedHeuristic(scheme string, idx []int) []*group {
	shards := m.shards(idx)
	if len(shards) == 1 {
		return m.heuristic(scheme, idx)
	}
	planned := make([][]*group, len(shards))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for j := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			planned[j] = m.heuristic(scheme, shards[j])
		}()
	}
	wg.Wait()
	var out []*group
	for _, gs := range planned {
		out = append(out, gs...)
	}
	return m.mergeUnlimited(out)
}

// mergeUnlimited joins the shards' groups of a shared kind without quotas
// (an in-cluster proxy), which one group would have served unsharded: each
// into the first of its kind when the members fit together (no route
// collides) and that costs no more.
func (m *model) mergeUnlimited(groups []*group) []*group {
	first := map[kind]*group{}
	out := groups[:0]
	for _, g := range groups {
		f := first[g.kind]
		switch {
		case !g.kind.shared() || g.kind.spec().limits != (kindLimits{}):
		case f == nil:
			first[g.kind] = g
		default:
			members := append(slices.Clone(f.members), g.members...)
			if m.sharedFits(g.kind, members) != "" {
				break
			}
			merged := m.newGroup(g.kind, g.scheme, members)
			apart := m.localVal(f, m.latSum(f.kind, f.members)).plus(m.localVal(g, m.latSum(g.kind, g.members)))
			if apart.less(m.localVal(merged, m.latSum(g.kind, members))) {
				break
			}
			*f = *merged
			continue
		}
		out = append(out, g)
	}
	return out
}

// shards deals a class (in key order) into ceil(n/ShardSize) shards, a set
// with a shardKey kept in the shard of its first member.
func (m *model) shards(idx []int) [][]int {
	n := max(1, ceilDiv(len(idx), ShardSize))
	if n == 1 {
		return [][]int{idx}
	}
	shards := make([][]int, n)
	shardOf := map[string]int{} // the shard of a tied set or of today's load balancer
	for p, i := range idx {
		sh := p % n
		if key := m.shardKey(i); key != "" {
			if have, ok := shardOf[key]; ok {
				sh = have
			} else {
				shardOf[key] = sh
			}
		}
		shards[sh] = append(shards[sh], i)
	}
	return shards
}

// shardKey names what keeps service i in one shard with others: the set one
// rule routes to, else the load balancer it is on today; "" for neither.
func (m *model) shardKey(i int) string {
	si := &m.svcs[i]
	switch {
	case si.tied:
		return "tie " + strconv.Itoa(si.tie)
	case si.cur != noKind && si.cur.shared() && si.curName != "" && si.curName != "(ingress)":
		return "today " + si.cur.label() + " " + si.curName
	}
	return ""
}

// combine picks one entry of every frontier so that the summed local values
// plus the tiered rule charges of the summed rules are least.
func (m *model) combine(fronts []frontier) ([]*group, bool) {
	type back struct{ prev, entry int }
	cur := []option{{}}
	steps := make([][]back, len(fronts))
	capped := false
	for c, f := range fronts {
		var next []option
		var nb []back
		for pi, p := range cur {
			for ei, e := range f.entries {
				o := option{v: p.v.plus(e.v), r: p.r.plus(e.r)}
				// keep undominated combinations, remembering where each came from
				dominated := false
				for _, x := range next {
					if dominates(x.r, x.v, o.r, o.v) {
						dominated = true
						break
					}
				}
				if dominated {
					continue
				}
				keep, keepB := next[:0], nb[:0]
				for j, x := range next {
					if !dominates(o.r, o.v, x.r, x.v) {
						keep, keepB = append(keep, x), append(keepB, nb[j])
					}
				}
				next, nb = append(keep, o), append(keepB, back{pi, ei})
			}
		}
		if len(next) > maxFrontier {
			// too many trade-offs: keep the best by approximate value
			capped = true
			sort.SliceStable(next, func(a, b int) bool {
				return m.approx(next[a].v, next[a].r).less(m.approx(next[b].v, next[b].r))
			})
			next, nb = next[:maxFrontier], nb[:maxFrontier]
		}
		cur, steps[c] = next, nb
	}
	kr := m.keptRules()
	best, bestVal := 0, val{}
	for j, o := range cur {
		v := o.v
		v = v.withCents(m.tierCents(0, int(kr[0]+o.r[0])) + m.tierCents(1, int(kr[1]+o.r[1])))
		if j == 0 || v.less(bestVal) {
			best, bestVal = j, v
		}
	}
	var groups []*group
	at := best
	for c := len(fronts) - 1; c >= 0; c-- {
		b := steps[c][at]
		groups = append(groups, fronts[c].build(b.entry)...)
		at = b.prev
	}
	return groups, capped
}

// keptRules are the rules today's load balancers that the plan keeps as
// they are (alsoOn) hold in the tiered scopes: they come before the plan's
// own, which can push those past the fifth.
func (m *model) keptRules() rv {
	var r rv
	for _, g := range m.kept {
		r = r.plus(m.rulesOf(g.kind, g.scheme, g.members))
	}
	return r
}

// dpEntry is one undominated way to partition a subset of a class.
type dpEntry struct {
	o    option
	blk  int32 // the block holding the subset's lowest member
	bo   int32 // the option of that block
	rest int32 // the entry of the rest of the subset
}

// exact partitions a class optimally by dynamic programming over subsets:
// best(S) = the undominated combinations, over blocks B holding S's first
// member and B's exposures, of B with best(S \ B). With rules priced in tiers
// an entry is kept per undominated rule count, so the tiers are exact.
func (m *model) exact(scheme string, idx []int) frontier {
	n := len(idx)
	full := 1<<n - 1
	blocks := make([][]option, full+1)
	members := make([]int, 0, n)
	for mask := 1; mask <= full; mask++ {
		members = members[:0]
		for b := mask; b != 0; b &= b - 1 {
			members = append(members, idx[bits.TrailingZeros(uint(b))])
		}
		if len(members) == 1 {
			if !m.svcs[members[0]].tied { // a tied service never stands alone
				blocks[mask] = m.standOpts[members[0]]
			}
			continue
		}
		for _, k := range m.kinds {
			if !k.shared() || !m.allShareable(k, members) || m.sharedFits(k, members) != "" {
				continue
			}
			if m.splitsRouting(members) {
				continue
			}
			v := m.localVal(m.newGroup(k, scheme, members), m.latSum(k, members))
			v.moves = m.moves(k, scheme, members)
			blocks[mask] = addOption(blocks[mask], option{k, v, m.rulesOf(k, scheme, members)})
		}
	}
	best := make([][]dpEntry, full+1)
	best[0] = []dpEntry{{}}
	for mask := 1; mask <= full; mask++ {
		low := mask & -mask
		rest := mask ^ low
		var list []dpEntry
		for sub := rest; ; sub = (sub - 1) & rest {
			b := sub | low
			for bo, o := range blocks[b] {
				for ri, r := range best[mask^b] {
					e := dpEntry{o: option{v: o.v.plus(r.o.v), r: o.r.plus(r.o.r)}, blk: int32(b), bo: int32(bo), rest: int32(ri)}
					list = insertEntry(list, e)
				}
			}
			if sub == 0 {
				break
			}
		}
		best[mask] = list
	}
	entries := make([]option, len(best[full]))
	for i, e := range best[full] {
		entries[i] = e.o
	}
	return frontier{entries: entries, build: func(e int) []*group {
		var out []*group
		for mask, at := full, e; mask != 0; {
			d := best[mask][at]
			b := int(d.blk)
			var ms []int
			for x := b; x != 0; x &= x - 1 {
				ms = append(ms, idx[bits.TrailingZeros(uint(x))])
			}
			out = append(out, m.newGroup(blocks[b][d.bo].k, scheme, ms))
			mask, at = mask^b, int(d.rest)
		}
		return out
	}}
}

func insertEntry(list []dpEntry, e dpEntry) []dpEntry {
	for _, x := range list {
		if dominates(x.o.r, x.o.v, e.o.r, e.o.v) {
			return list
		}
	}
	out := list[:0]
	for _, x := range list {
		if !dominates(e.o.r, e.o.v, x.o.r, x.o.v) {
			out = append(out, x)
		}
	}
	return append(out, e)
}

func (m *model) allShareable(k kind, members []int) bool {
	for _, i := range members {
		if !m.svcs[i].shareable[k] {
			return false
		}
	}
	return true
}

// tierCents is what n added rules cost in a tiered scope: the flat charge for
// the first five when the scope had none, and each rule past the fifth.
func (m *model) tierCents(scope, n int) money.Cents {
	var c money.Cents
	for _, l := range m.tierLines(scope, n) {
		c += l.MonthlyCost
	}
	return c
}

// tierLines itemises tierCents.
func (m *model) tierLines(scope, n int) []CostLine {
	t := m.tiers[scope]
	if !m.tiered || n <= 0 {
		return nil
	}
	var lines []CostLine
	if t.existing == 0 {
		lines = append(lines, line(t.label+": first 5 rules (flat)", m.hours, t.first5, byNothing))
	}
	extra := max(0, t.existing+n-5) - max(0, t.existing-5)
	if extra > 0 {
		qty := new(big.Rat).Mul(m.hours, big.NewRat(int64(extra), 1))
		lines = append(lines, line(t.label+": rules past the fifth", qty, t.extra, byNothing))
	}
	return lines
}
