// Package heapprep prepares the Go heap for planning one large input: huge
// pages for the memory it will use, and a collector paced by its size.
//
// Huge pages. On a virtual machine the first touch of each 4 KiB page of
// fresh memory costs a few microseconds; planning 100,000 services touches
// about 400 MB, about 100,000 pages, which was a third of the wall time. The
// Go runtime advises huge pages only for its own metadata, and Linux with
// transparent huge pages in "madvise" mode (the common default) then gives
// the heap 4 KiB pages. Prepare maps heap memory ahead of use, advises it
// with MADV_HUGEPAGE and hands it back to the runtime unused: the runtime
// reuses the lowest free addresses first and never unmaps its heap, so what
// the planner allocates next lands on memory the kernel fills 2 MiB at a
// time. The advice costs nothing where huge pages are off or always on, and
// nothing is done on other systems or for small inputs.
//
// Pacing. The default collector (GOGC=100) collects whenever the heap doubles,
// about seven times over a 100,000-service plan whose live heap is most of
// its memory. Pace lets the heap grow further between collections (GOGC=300)
// under a memory limit sized by the number of services, so that a large plan
// collects less often and stays within its memory budget. GOGC or GOMEMLIMIT
// set in the environment are left as the user set them.
package heapprep

import (
	"runtime"
	"sync/atomic"
)

// MinInput is the smallest input, in bytes, Prepare acts on (4 MiB, about
// 16,000 declared services): below it the pages cost a few milliseconds.
const MinInput = 4 << 20

// PerInputByte is how many bytes of heap Prepare readies per byte of input:
// planning a declaration peaks at about 14 heap bytes per input byte, and
// the margin costs only address space.
const PerInputByte = 20

// MaxShare bounds what Prepare maps to this fraction of physical memory (and
// MaxBytes), so that the mapping itself can never exhaust a small machine.
const (
	MaxShare = 4
	MaxBytes = 4 << 30
)

var prepared atomic.Bool

// Prepare readies the heap for an input of inputBytes bytes, once a process:
// later calls, or calls for a small input, do nothing.
func Prepare(inputBytes int64) {
	n := Size(inputBytes, physicalMemory())
	if n == 0 || prepared.Swap(true) {
		return
	}
	b := make([]byte, n) // fresh from the kernel: neither cleared nor touched
	advise(b)
	runtime.KeepAlive(b) // b is dead past here: the collection frees it
	runtime.GC()         // and the next is paced by the planner's heap, not by b
}

// Size is how many bytes Prepare maps for an input of inputBytes on a
// machine with physical bytes of memory (0 if unknown): zero below MinInput.
func Size(inputBytes int64, physical uint64) int {
	if inputBytes < MinInput {
		return 0
	}
	n := uint64(inputBytes) * PerInputByte
	limit := uint64(MaxBytes)
	if physical > 0 {
		limit = min(limit, physical/MaxShare)
	}
	return int(min(n, limit))
}
