package money

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// RoundProduct's machine-integer path must agree with big.Rat everywhere,
// including at the rounding half and where it has to fall back.
func TestRoundProductAgreesWithBigRat(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	rat := func() *big.Rat {
		switch r.IntN(6) {
		case 0:
			return big.NewRat(r.Int64N(math.MaxInt64), r.Int64N(math.MaxInt64)+1)
		case 1:
			return big.NewRat(1, 2)
		default:
			return big.NewRat(r.Int64N(1_000_000), r.Int64N(100_000)+1)
		}
	}
	cases := [][3]any{
		{int64(1), int64(200), []*big.Rat{}},                                       // exactly half a cent: up
		{int64(1), int64(201), []*big.Rat{}},                                       // under half: down
		{int64(0), int64(7), []*big.Rat{big.NewRat(5, 3)}},                         // zero
		{int64(math.MaxInt64), int64(1), []*big.Rat{big.NewRat(math.MaxInt64, 1)}}, // far over the bound
		{int64(2025), int64(1_000_000), []*big.Rat{big.NewRat(730, 1), big.NewRat(225, 10000)}},
	}
	for i := 0; i < 20000; i++ {
		fs := make([]*big.Rat, r.IntN(4))
		for j := range fs {
			fs[j] = rat()
		}
		cases = append(cases, [3]any{r.Int64N(1 << uint(r.IntN(63))), r.Int64N(1<<uint(r.IntN(62))) + 1, fs})
	}
	fast := 0
	for _, c := range cases {
		num, den, fs := c[0].(int64), c[1].(int64), c[2].([]*big.Rat)
		want := big.NewRat(num, den)
		for _, f := range fs {
			want.Mul(want, f)
		}
		if got, w := RoundProduct(num, den, fs...), Round(want); got != w {
			t.Fatalf("RoundProduct(%d, %d, %v) = %v, big.Rat gives %v", num, den, fs, got, w)
		}
		if got, w := RoundProductMilli(num, den, fs...), RoundMilli(want); got != w {
			t.Fatalf("RoundProductMilli(%d, %d, %v) = %v, big.Rat gives %v", num, den, fs, got, w)
		}
		if _, ok := roundProductFast(num, den, 100, fs); ok {
			fast++
		}
	}
	if fast < len(cases)/4 {
		t.Fatalf("the fast path took only %d of %d cases", fast, len(cases))
	}
}
