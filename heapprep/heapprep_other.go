//go:build !linux

package heapprep

func advise([]byte) {}

func physicalMemory() uint64 { return 0 }
