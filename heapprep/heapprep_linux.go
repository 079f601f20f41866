package heapprep

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the x86-64 and arm64 transparent huge page size.
const hugePage = 2 << 20

// advise asks for huge pages over the whole huge pages inside b.
func advise(b []byte) {
	if r := hugeRange(b); len(r) > 0 {
		_ = unix.Madvise(r, unix.MADV_HUGEPAGE) // advice: refused (old kernel, THP compiled out) changes nothing
	}
}

// hugeRange is the part of b from its first to its last huge page boundary.
func hugeRange(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	start := addr(b)
	beg := (start + hugePage - 1) &^ (hugePage - 1)
	end := (start + uintptr(len(b))) &^ (hugePage - 1)
	if beg >= end {
		return nil
	}
	return b[beg-start : end-start]
}

func physicalMemory() uint64 {
	var info unix.Sysinfo_t
	if unix.Sysinfo(&info) != nil {
		return 0
	}
	return uint64(info.Totalram) * uint64(info.Unit)
}

// addr is where b's memory starts.
func addr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
