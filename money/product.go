package money

import (
	"math/big"
	"math/bits"
)

// RoundProduct is Round(num/den x the product of fs) for non-negative num
// and positive den: the dollars of a quantity num/den at the rates fs (hours
// and a price, say), rounded once to cents. It never builds the rational
// product: when every numerator and denominator fits in machine integers it
// divides a 128-bit numerator by a 64-bit denominator, else it falls back to
// big.Rat; both are exact and agree.
func RoundProduct(num, den int64, fs ...*big.Rat) Cents {
	if c, ok := roundProductFast(num, den, 100, fs); ok {
		return c
	}
	r := big.NewRat(num, den)
	for _, f := range fs {
		r.Mul(r, f)
	}
	return Round(r)
}

// RoundProductMilli is RoundProduct in thousandths of a cent: what the
// planner compares amounts by before rounding their sum once to cents.
func RoundProductMilli(num, den int64, fs ...*big.Rat) int64 {
	if c, ok := roundProductFast(num, den, 100_000, fs); ok {
		return int64(c)
	}
	r := big.NewRat(num, den)
	for _, f := range fs {
		r.Mul(r, f)
	}
	return RoundMilli(r)
}

func roundProductFast(num, den int64, unitsPerDollar uint64, fs []*big.Rat) (Cents, bool) {
	if num < 0 || den <= 0 {
		return 0, false
	}
	hi, lo := uint64(0), uint64(num)
	d := uint64(den)
	ok := true
	mulBy := func(x uint64) {
		h1, l1 := bits.Mul64(lo, x)
		h2, l2 := bits.Mul64(hi, x)
		var carry uint64
		hi, carry = bits.Add64(h1, l2, 0)
		lo = l1
		ok = ok && h2 == 0 && carry == 0
	}
	mulBy(unitsPerDollar)
	for _, f := range fs {
		n, q := f.Num(), f.Denom()
		if n.Sign() < 0 || !n.IsUint64() || !q.IsUint64() {
			return 0, false
		}
		mulBy(n.Uint64())
		h, l := bits.Mul64(d, q.Uint64())
		if h != 0 {
			return 0, false
		}
		d = l
	}
	if !ok || hi >= d {
		return 0, false // the quotient would not fit: leave it to big.Rat (and its bound)
	}
	q, r := bits.Div64(hi, lo, d)
	if r >= d-r { // half away from zero
		q++
	}
	if q > uint64(MaxCents)*(unitsPerDollar/100) {
		return 0, false
	}
	return Cents(q), true
}
