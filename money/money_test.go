package money

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestRoundHalfAwayFromZero(t *testing.T) {
	for in, want := range map[string]string{
		"16.425": "16.43", "22.265": "22.27", "0.004": "0.00", "0.005": "0.01", "-0.005": "-0.01",
		"5.84": "5.84", "1/3": "0.33", "2/3": "0.67", "0": "0.00", "123456.789": "123456.79",
	} {
		r, ok := new(big.Rat).SetString(in)
		if !ok {
			t.Fatal(in)
		}
		if got := Round(r).String(); got != want {
			t.Errorf("Round(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestParseDecimalRejectsNonDecimals(t *testing.T) {
	for _, bad := range []string{"", "1/3", "0x10", "abc", "1_000"} {
		if _, err := ParseDecimal(bad); err == nil {
			t.Errorf("ParseDecimal(%q) accepted", bad)
		}
	}
	if r, err := ParseDecimal("0.0225"); err != nil || r.Cmp(big.NewRat(225, 10000)) != 0 {
		t.Fatalf("0.0225: %v %v", r, err)
	}
}

func TestSplitAddsUpExactly(t *testing.T) {
	w := []*big.Rat{big.NewRat(1, 1), big.NewRat(1, 1), big.NewRat(1, 1)}
	got := Split(100, w)
	if got[0] != 34 || got[1] != 33 || got[2] != 33 {
		t.Fatalf("Split(100, 1:1:1) = %v, want [34 33 33]", got)
	}
	got = Split(1000, []*big.Rat{big.NewRat(3, 1), big.NewRat(1, 1), new(big.Rat)})
	if got[0] != 750 || got[1] != 250 || got[2] != 0 {
		t.Fatalf("Split by usage = %v", got)
	}
	got = Split(7, []*big.Rat{new(big.Rat), new(big.Rat)})
	if got[0]+got[1] != 7 || got[0] != 4 {
		t.Fatalf("Split with zero weights = %v", got)
	}
	got = Split(-5, []*big.Rat{big.NewRat(1, 1), big.NewRat(1, 1)})
	if got[0]+got[1] != -5 {
		t.Fatalf("Split negative = %v", got)
	}
}

func TestCentsFormatting(t *testing.T) {
	if Cents(2227).String() != "22.27" || Cents(-5).String() != "-0.05" || Cents(-5).Dollars() != "-$0.05" || Cents(100).Dollars() != "$1.00" {
		t.Fatal("formatting")
	}
	b, _ := Cents(1640).MarshalJSON()
	if string(b) != "16.40" {
		t.Fatalf("JSON %s", b)
	}
}

func TestFormatRat(t *testing.T) {
	if got := FormatRat(big.NewRat(1, 3), 6); got != "0.333333" {
		t.Fatal(got)
	}
	if got := FormatRat(big.NewRat(1350, 1), 6); got != "1350" {
		t.Fatal(got)
	}
}

func TestNumbersAndPricesAreBounded(t *testing.T) {
	for _, s := range []string{"1e999999", "1e-999999", "1e41", strings.Repeat("9", 65)} {
		if _, err := ParseDecimal(s); err == nil {
			t.Errorf("%q accepted", s[:min(len(s), 20)])
		}
	}
	if r, err := ParseDecimal("1.5e3"); err != nil || r.Cmp(big.NewRat(1500, 1)) != 0 {
		t.Errorf("1.5e3: %v %v", r, err)
	}
	for _, s := range []string{"1e20", "-0.01", "0.00000000001", "1000000.5", "0x10", " 1", "1,5", ""} {
		if _, err := ParsePrice(s); err == nil {
			t.Errorf("price %q accepted", s)
		}
	}
	for _, s := range []string{"0.0225", "0", "1000000", "0.0000000001"} {
		if _, err := ParsePrice(s); err != nil {
			t.Errorf("price %q: %v", s, err)
		}
	}
	huge := new(big.Rat).SetFrac(new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil), big.NewInt(1))
	if c := Round(huge); !c.Over() || c != MaxCents+1 {
		t.Errorf("Round(1e30) = %v", c)
	}
	if c := Round(new(big.Rat).Neg(huge)); !c.Over() || c != -MaxCents-1 {
		t.Errorf("Round(-1e30) = %v", c)
	}
	if c := Round(big.NewRat(1_000_000_000_000, 100)); c.Over() {
		t.Errorf("MaxCents itself is over: %v", c)
	}
}

// SplitInts gives the parts Split gives, in integers.
func TestSplitIntsAgreesWithSplit(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for n := 0; n < 2000; n++ {
		k := 1 + r.IntN(8)
		ints := make([]uint64, k)
		rats := make([]*big.Rat, k)
		for i := range ints {
			if r.IntN(4) > 0 {
				ints[i] = r.Uint64N(1 << uint(1+r.IntN(60)))
			}
			rats[i] = new(big.Rat).SetInt(new(big.Int).SetUint64(ints[i]))
		}
		var sum uint64
		for _, w := range ints {
			sum += w
		}
		if sum < ints[0] { // overflowed: outside SplitInts' domain
			continue
		}
		total := Cents(r.Int64N(int64(MaxCents)))
		a, b := SplitInts(total, ints), Split(total, rats)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("total %d weights %v: %v vs %v", total, ints, a, b)
			}
		}
	}
}

// String renders every amount as a plain two-place decimal, the extremes too.
func TestCentsString(t *testing.T) {
	for c, want := range map[Cents]string{0: "0.00", 5: "0.05", -5: "-0.05", 2227: "22.27", -305: "-3.05", 100: "1.00",
		math.MaxInt64: "92233720368547758.07", math.MinInt64: "-92233720368547758.08"} {
		if got := c.String(); got != want {
			t.Errorf("%d: %q, want %q", int64(c), got, want)
		}
	}
}
