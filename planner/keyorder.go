package planner

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// rankKeys numbers the services in key order (namespace/name, unique), so
// that every later ordering by key compares two integers instead of two
// strings. The keys are sorted in halves on two processors and merged.
func (m *model) rankKeys() {
	type keyed struct {
		key string
		i   int32
	}
	keys := make([]keyed, len(m.svcs)) // compact: the sort stays in cache
	for i := range m.svcs {
		keys[i] = keyed{m.svcs[i].key, int32(i)}
	}
	byKey := func(x, y keyed) int { return strings.Compare(x.key, y.key) }
	m.keyRank = make([]int32, len(keys))
	const minHalf = 4096
	if half := len(keys) / 2; half < minHalf || runtime.GOMAXPROCS(0) < 2 {
		slices.SortFunc(keys, byKey)
	} else {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			slices.SortFunc(keys[:half], byKey)
		}()
		slices.SortFunc(keys[half:], byKey)
		wg.Wait()
		keys = mergeSorted(keys[:half], keys[half:], byKey)
	}
	for pos, k := range keys {
		m.keyRank[k.i] = int32(pos)
	}
}

// mergeSorted merges two sorted runs into a new slice.
func mergeSorted[T any](a, b []T, compare func(x, y T) int) []T {
	out := make([]T, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if compare(b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// byKey compares two services by key (rankKeys).
func (m *model) byKey(a, b int) int { return cmp.Compare(m.keyRank[a], m.keyRank[b]) }
