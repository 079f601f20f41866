package planner

import (
	"slices"
	"testing"
)

// Every kind a cloud offers is described in full, every strategy a cloud
// accepts names one of its shared kinds, and every current kind a cloud
// knows maps to one of its kinds.
func TestEveryKindIsDescribed(t *testing.T) {
	for name, c := range clouds {
		if c.cost == nil || len(c.kinds) == 0 {
			t.Errorf("%s: no kinds or no pricing", name)
		}
		strategies := map[string]bool{}
		for _, k := range c.kinds {
			s := k.spec()
			if s.label == "" || s.exposure == "" {
				t.Errorf("%s: kind %d has no label or exposure", name, k)
			}
			if s.strategy != "" {
				strategies[s.strategy] = true
				if s.lbs != 1 || s.exposure != Ingress {
					t.Errorf("%s: shared kind %s must add one load balancer and be an Ingress exposure", name, s.label)
				}
			}
		}
		for _, st := range CloudStrategies[name] {
			if !strategies[st] {
				t.Errorf("%s: strategy %s has no kind", name, st)
			}
		}
		for _, cur := range CurrentLBKinds[name] {
			if _, ok := kindOfCurrent(name, cur); !ok {
				t.Errorf("%s: current kind %s names no kind", name, cur)
			}
		}
	}
	if got := slices.Sorted(func(yield func(string) bool) {
		for name := range clouds {
			if !yield(name) {
				return
			}
		}
	}); !slices.Equal(got, []string{"aws", "azure", "gcp"}) {
		t.Errorf("clouds registered: %v", got)
	}
}
