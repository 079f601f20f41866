package planner

import (
	"runtime"
	"sync"
)

// parallel calls work on consecutive ranges that cover [0, n), at once on
// every processor when n is large enough to be worth it. work must touch
// only its own range of anything it writes.
func parallel(n int, work func(lo, hi int)) {
	const minPerWorker = 2048
	workers := min(runtime.GOMAXPROCS(0), n/minPerWorker)
	if workers <= 1 {
		work(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(lo, hi)
		}()
	}
	wg.Wait()
}
