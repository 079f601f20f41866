package planner

import (
	"encoding/json"
	"runtime"
	"testing"
)

// Large plans are computed on every processor (the two schemes' heuristics,
// the shards of a scheme over ShardSize, the reasons); the plan must be the
// one a single processor computes, byte for byte, on every cloud.
func TestParallelPlanEqualsSequentialPlan(t *testing.T) {
	cat := defaultCatalog(t)
	for _, c := range []struct {
		cloud, region string
		n             int
	}{
		{"aws", "us-east-1", 6000}, {"gcp", "us-central1", 6000}, {"azure", "eastus", 6000},
		{"aws", "us-east-1", 30_000}, // its internal scheme holds about 12,000 shareable services: two shards
	} {
		plan := func(procs int) []byte {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			d := SyntheticDeclaration(c.n)
			d.Cloud, d.Region = c.cloud, c.region
			p, err := Compute(d, cat)
			if err != nil {
				t.Fatal(err)
			}
			if p.Optimality == "exact" {
				t.Fatalf("%s: want a heuristic plan, where the schemes are planned at once", c.cloud)
			}
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		one, four := plan(1), plan(4)
		if string(one) != string(four) {
			t.Errorf("%s: the plan on four processors differs from the plan on one", c.cloud)
		}
	}
}
