package planner

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRankKeysIsKeyOrder: the ranks, sorted in halves and merged at scale,
// are the services' places in plain string order of their keys.
func TestRankKeysIsKeyOrder(t *testing.T) {
	for _, n := range []int{0, 1, 7, 100, 20_000} {
		rng := rand.New(rand.NewPCG(uint64(n), 7))
		m := &model{svcs: make([]svcInfo, n)}
		for i := range m.svcs {
			// namespaces that prefix one another, names with common prefixes
			m.svcs[i].key = fmt.Sprintf("ns%d/svc-%d", rng.IntN(30), rng.IntN(1_000_000)*n+i)
		}
		m.rankKeys()
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			switch {
			case m.svcs[a].key < m.svcs[b].key:
				return -1
			case m.svcs[a].key > m.svcs[b].key:
				return 1
			}
			return 0
		})
		for pos, i := range order {
			if int(m.keyRank[i]) != pos {
				t.Fatalf("n=%d: %s ranked %d, is %d in key order", n, m.svcs[i].key, m.keyRank[i], pos)
			}
		}
	}
}

// TestUniqueHosts: repeats dropped in order, below and past the few hosts
// compared pairwise; a list without repeats is returned as it is.
func TestUniqueHosts(t *testing.T) {
	many := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "b", "j", "a"}
	for _, c := range []struct{ in, want []string }{
		{nil, nil},
		{[]string{"a"}, []string{"a"}},
		{[]string{"a", "b", "a", "c", "b"}, []string{"a", "b", "c"}},
		{many, []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}},
		{many[:9], many[:9]},
	} {
		if got := uniqueHosts(c.in); !slices.Equal(got, c.want) {
			t.Errorf("uniqueHosts(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
