package heapprep

import (
	"os"
	"runtime/debug"
)

// Pacing constants: Pace acts from MinServices services, letting the heap
// grow GCPercent percent between collections, under a memory limit of
// LimitBase plus LimitPerService bytes a service. Planning peaks at about
// 2.5 KiB of live heap a service (AWS, GCP and Azure declarations of
// 40,000-100,000 services), so the limit leaves room above it; were a
// declaration to need more, the runtime bounds the collector's share of the
// processors and lets the heap pass the limit rather than stall.
const (
	MinServices     = 10_000
	GCPercent       = 300
	LimitBase       = 48 << 20
	LimitPerService = 3584
)

// Pace sets the collector for planning services services; it does nothing
// below MinServices or where GOGC or GOMEMLIMIT is set in the environment.
func Pace(services int) {
	limit, ok := Limit(services, os.Getenv)
	if !ok {
		return
	}
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(GCPercent)
}

// Limit is the memory limit Pace sets for services services, and whether it
// sets one, given the environment getenv reads.
func Limit(services int, getenv func(string) string) (int64, bool) {
	if services < MinServices || getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	return LimitBase + int64(services)*LimitPerService, true
}
