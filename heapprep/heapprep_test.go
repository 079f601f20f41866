package heapprep

import (
	"runtime"
	"testing"
)

func TestSize(t *testing.T) {
	for _, c := range []struct {
		input    int64
		physical uint64
		want     int
	}{
		{MinInput - 1, 0, 0},                          // small input: nothing
		{24 << 20, 0, 24 << 20 * PerInputByte},        // 100,000 services' JSON
		{24 << 20, 1 << 30, 1 << 30 / MaxShare},       // a small machine bounds it
		{256 << 20, 64 << 30, MaxBytes},               // the largest input
		{24 << 20, 64 << 30, 24 << 20 * PerInputByte}, // a large machine does not
	} {
		if got := Size(c.input, c.physical); got != c.want {
			t.Errorf("Size(%d, %d) = %d, want %d", c.input, c.physical, got, c.want)
		}
	}
}

// Prepare acts once a process: a second large input maps nothing more.
func TestPrepareOnce(t *testing.T) {
	var before, after runtime.MemStats
	Prepare(MinInput)
	runtime.ReadMemStats(&before)
	if n := Size(MinInput, physicalMemory()); before.HeapInuse >= uint64(n)/2 {
		t.Fatalf("the %d bytes readied are still in use: heap %d", n, before.HeapInuse)
	}
	Prepare(2 * MinInput)
	runtime.ReadMemStats(&after)
	if after.TotalAlloc-before.TotalAlloc >= MinInput {
		t.Fatalf("a second Prepare allocated %d bytes", after.TotalAlloc-before.TotalAlloc)
	}
	if !prepared.Load() {
		t.Fatal("not marked prepared")
	}
}

func TestLimit(t *testing.T) {
	none := func(string) string { return "" }
	if _, ok := Limit(MinServices-1, none); ok {
		t.Error("a small plan is paced")
	}
	if got, ok := Limit(100_000, none); !ok || got != 48<<20+100_000*3584 { // 406 MiB: under the 500 MB budget
		t.Errorf("100,000 services: %d, %v", got, ok)
	}
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		if _, ok := Limit(100_000, func(k string) string {
			if k == env {
				return "200"
			}
			return ""
		}); ok {
			t.Errorf("%s set by the user is overridden", env)
		}
	}
}
