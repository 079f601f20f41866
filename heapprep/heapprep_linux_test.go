package heapprep

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
)

// The heap memory advise was given is marked for huge pages in the
// kernel's view of this process (the "hg" VmFlag of its mapping).
func TestAdviseMarksHugePages(t *testing.T) {
	b := make([]byte, 16<<20)
	r := hugeRange(b)
	if len(r) < 12<<20 || addr(r)%hugePage != 0 || (addr(r)+uintptr(len(r)))%hugePage != 0 {
		t.Fatalf("huge range of 16 MiB at %#x: %d bytes at %#x", addr(b), len(r), addr(r))
	}
	if flags := vmFlags(t, addr(r)); strings.Contains(flags, " hg") {
		t.Fatalf("marked before advise: %q", flags)
	}
	advise(b)
	if flags := vmFlags(t, addr(r)); !strings.Contains(flags, " hg") {
		t.Fatalf("not marked for huge pages after advise: %q", flags)
	}
	runtime.KeepAlive(b)
}

func TestHugeRangeOfSmallSlice(t *testing.T) {
	if r := hugeRange(make([]byte, 4096)); r != nil {
		t.Fatalf("a page has no whole huge page: %d bytes", len(r))
	}
	if r := hugeRange(nil); r != nil {
		t.Fatal("nil has no huge page")
	}
}

// vmFlags is the VmFlags line of the mapping holding address a.
func vmFlags(t *testing.T, a uintptr) string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatalf("no smaps: %v", err)
	}
	defer f.Close()
	in := false
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x", &lo, &hi); n == 2 && strings.Contains(line, " ") {
			in = lo <= a && a < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimPrefix(line, "VmFlags:") + " "
		}
	}
	t.Fatalf("no mapping holds %#x", a)
	return ""
}
