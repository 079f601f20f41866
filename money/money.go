// Package money holds exact decimal helpers for prices and amounts of US dollars.
//
// Prices are parsed from decimal strings into exact rationals, amounts are
// computed exactly and rounded once, half away from zero, to whole cents.
// Nothing here uses binary floating point, so no float artefacts reach output.
package money

import (
	"fmt"
	"math/big"
	"math/bits"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Cents is an amount of US dollars in whole cents.
type Cents int64

// String renders the amount as a plain decimal with two places, e.g. "22.27" or "-3.05".
func (c Cents) String() string {
	var buf [24]byte
	return string(c.AppendDecimal(buf[:0]))
}

// AppendDecimal appends the amount as String renders it, without allocating.
func (c Cents) AppendDecimal(b []byte) []byte {
	v := uint64(c)
	if c < 0 {
		b = append(b, '-')
		v = -v // two's complement: exact for every int64, the most negative too
	}
	b = strconv.AppendUint(b, v/100, 10)
	r := v % 100
	return append(b, '.', byte('0'+r/10), byte('0'+r%10))
}

// Dollars renders the amount with a leading dollar sign, e.g. "$22.27".
func (c Cents) Dollars() string {
	if c < 0 {
		return "-$" + (-c).String()
	}
	return "$" + c.String()
}

// MarshalJSON writes the amount as a JSON number with exactly two decimals.
func (c Cents) MarshalJSON() ([]byte, error) { return []byte(c.String()), nil }

// Bounds on numbers and amounts, so that nothing wraps or explodes.
const (
	// MaxDecimalLen is the longest decimal string read, and MaxExponent the
	// largest exponent magnitude ("1e40"): "1e999999" would be a number of a
	// million digits.
	MaxDecimalLen = 64
	MaxExponent   = 40
	// MaxPriceDecimals is the most decimal places a catalog price may have.
	MaxPriceDecimals = 10
	// MaxCents bounds one cost line: $10,000,000,000.00 a month. A line over
	// it is an error; with it, sums of lines over any plan fit in an int64.
	MaxCents Cents = 1_000_000_000_000
)

// MaxPrice is the highest price per unit a catalog may hold, in USD.
var MaxPrice = big.NewRat(1_000_000, 1)

// ParseDecimal parses a plain decimal string ("0.0225", "1e3", "730") into an exact rational.
func ParseDecimal(s string) (*big.Rat, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("empty number")
	}
	if len(s) > MaxDecimalLen {
		return nil, fmt.Errorf("%q...: a number of more than %d characters", s[:16], MaxDecimalLen)
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		var exp int
		if _, err := fmt.Sscanf(s[i+1:], "%d", &exp); err != nil || exp > MaxExponent || exp < -MaxExponent {
			return nil, fmt.Errorf("%q: the exponent must be a whole number from -%d to %d", s, MaxExponent, MaxExponent)
		}
	}
	if strings.ContainsAny(s, "/_") || strings.HasPrefix(strings.ToLower(strings.TrimLeft(s, "+-")), "0x") {
		return nil, fmt.Errorf("%q is not a decimal number", s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("%q is not a decimal number", s)
	}
	return r, nil
}

// ParsePrice parses a catalog price: a plain decimal ("0.0225"), not
// negative, with at most MaxPriceDecimals places, at most MaxPrice.
func ParsePrice(s string) (*big.Rat, error) {
	if !priceRe.MatchString(s) {
		return nil, fmt.Errorf("%q is not a price: want a plain decimal such as 0.0225, not negative, with at most %d decimal places", s, MaxPriceDecimals)
	}
	r, err := ParseDecimal(s)
	if err != nil {
		return nil, err
	}
	if r.Cmp(MaxPrice) > 0 {
		return nil, fmt.Errorf("%s is over the highest price a catalog may hold (%s per unit)", s, MaxPrice.FloatString(0))
	}
	return r, nil
}

var priceRe = regexp.MustCompile(`^[0-9]{1,12}(\.[0-9]{1,` + fmt.Sprint(MaxPriceDecimals) + `})?$`)

// RoundMilli rounds an exact dollar amount to thousandths of a cent, half
// away from zero, bounded as Round bounds cents (MaxCents thousand times).
func RoundMilli(dollars *big.Rat) int64 {
	return roundTo(dollars, milliCentsADollar, int64(MaxCents)*1000)
}

// Round rounds an exact dollar amount to cents, half away from zero. An
// amount beyond MaxCents comes back as MaxCents+1 (or its negative), which
// callers report as an error; so sums of rounded lines cannot overflow.
func Round(dollars *big.Rat) Cents { return Cents(roundTo(dollars, centsADollar, int64(MaxCents))) }

// The units a dollar holds, for roundTo.
var (
	centsADollar      = big.NewInt(100)
	milliCentsADollar = big.NewInt(100_000)
)

// roundTo rounds dollars to units (unitsPerDollar a dollar), half away from
// zero; beyond limit units it comes back as limit+1 (or its negative).
func roundTo(dollars *big.Rat, unitsPerDollar *big.Int, limit int64) int64 {
	n := new(big.Int).Mul(dollars.Num(), unitsPerDollar)
	d := dollars.Denom()
	neg := n.Sign() < 0
	if neg {
		n.Neg(n)
	}
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	r.Lsh(r, 1)
	if r.Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if q.Cmp(big.NewInt(limit)) > 0 {
		q.SetInt64(limit + 1)
	}
	if neg {
		q.Neg(q)
	}
	return q.Int64()
}

// Over reports whether a rounded amount is beyond MaxCents.
func (c Cents) Over() bool { return c > MaxCents || c < -MaxCents }

// FormatRat renders an exact rational as a decimal with at most places digits
// after the point (rounded half away from zero), trailing zeros removed.
func FormatRat(r *big.Rat, places int) string {
	s := r.FloatString(places) // FloatString rounds half away from zero
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// Split divides total into len(weights) parts proportional to weights, so
// that the parts add up to total exactly (largest remainder; ties go to the
// lower index). All-zero weights split evenly.
func Split(total Cents, weights []*big.Rat) []Cents {
	n := len(weights)
	parts := make([]Cents, n)
	if n == 0 {
		return parts
	}
	sum := new(big.Rat)
	for _, w := range weights {
		sum.Add(sum, w)
	}
	ws := weights
	if sum.Sign() == 0 {
		ws = make([]*big.Rat, n)
		for i := range ws {
			ws[i] = big.NewRat(1, 1)
		}
		sum.SetInt64(int64(n))
	}
	type rem struct {
		i int
		r *big.Rat
	}
	rems := make([]rem, n)
	var given Cents
	t := new(big.Rat).SetInt64(int64(total))
	for i, w := range ws {
		share := new(big.Rat).Mul(t, w)
		share.Quo(share, sum)
		q := new(big.Int).Quo(share.Num(), share.Denom()) // truncates toward zero
		parts[i] = Cents(q.Int64())
		given += parts[i]
		rems[i] = rem{i, new(big.Rat).Sub(share, new(big.Rat).SetInt(q))}
	}
	left := total - given
	step := Cents(1)
	if left < 0 {
		step, left = -1, -left
	}
	// Hand out the remaining cents to the largest remainders first (the most
	// negative when the total is negative), ties to the lower index.
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r.Cmp(rems[b].r)*int(step) > 0 })
	for k := Cents(0); k < left; k++ {
		parts[rems[k].i] += step
	}
	return parts
}

// SplitInts is Split for non-negative totals and whole-number weights, in
// integers (the same parts as Split gives). Weights must sum to less than 2^64.
func SplitInts(total Cents, weights []uint64) []Cents {
	n := len(weights)
	parts := make([]Cents, n)
	if n == 0 {
		return parts
	}
	var sum uint64
	for _, w := range weights {
		sum += w
	}
	ws := weights
	if sum == 0 {
		ws = make([]uint64, n)
		for i := range ws {
			ws[i] = 1
		}
		sum = uint64(n)
	}
	rems := make([]uint64, n)
	var given Cents
	for i, w := range ws {
		hi, lo := bits.Mul64(uint64(total), w)
		q, r := bits.Div64(hi, lo, sum) // q <= total, as w <= sum
		parts[i], rems[i] = Cents(q), r
		given += parts[i]
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	// the remaining cents to the largest remainders, ties to the lower index
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]] > rems[order[b]] })
	for k := Cents(0); k < total-given; k++ {
		parts[order[k]]++
	}
	return parts
}

// MustDecimal is ParseDecimal for constants known to be valid.
func MustDecimal(s string) *big.Rat {
	r, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return r
}
