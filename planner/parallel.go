package planner

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallel calls work on consecutive ranges that cover [0, n), at once on
// every processor when n is large enough to be worth it. work must touch
// only its own range of anything it writes. The ranges are small and handed
// out as workers free up, so that uneven work (a few large load balancers
// among many small ones) still keeps every processor busy.
func parallel(n int, work func(lo, hi int)) {
	const minPerWorker, chunksPerWorker = 2048, 16
	workers := min(runtime.GOMAXPROCS(0), n/minPerWorker)
	if workers <= 1 {
		work(0, n)
		return
	}
	chunk := max(1, n/(workers*chunksPerWorker))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				work(lo, min(lo+chunk, n))
			}
		}()
	}
	wg.Wait()
}
