package hugeheap

import "testing"

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
