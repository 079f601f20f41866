//go:build !linux

package hugeheap

func advise([]byte) {}

func physicalMemory() uint64 { return 0 }
