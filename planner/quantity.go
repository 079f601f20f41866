package planner

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// Quantity is an exact non-negative decimal with up to six places (traffic,
// gigabytes, milliseconds, vCPUs), stored in millionths.
type Quantity int64

// QuantityScale is the number of Quantity units in one.
const QuantityScale = 1_000_000

// MaxQuantity bounds one input (10 million: requests or connections per
// second, active connections, GB per month) so that sums over MaxServices
// services cannot overflow.
const MaxQuantity = Quantity(10_000_000 * QuantityScale)

// MaxServices bounds the services of one declaration.
const MaxServices = 500_000

// ParseQuantity parses a decimal such as "120", "0.2" or "1.5e3".
func ParseQuantity(s string) (Quantity, error) {
	if q, ok := plainQuantity(s); ok {
		return q, nil
	}
	r, err := money.ParseDecimal(s)
	if err != nil {
		return 0, err
	}
	if r.Sign() < 0 {
		return 0, fmt.Errorf("must not be negative, got %s", s)
	}
	r.Mul(r, big.NewRat(QuantityScale, 1))
	if !r.IsInt() {
		return 0, fmt.Errorf("at most 6 decimal places, got %s", s)
	}
	if r.Cmp(new(big.Rat).SetInt64(int64(MaxQuantity))) > 0 {
		return 0, fmt.Errorf("must be at most %s, got %s", MaxQuantity, s)
	}
	return Quantity(r.Num().Int64()), nil
}

// plainQuantity is ParseQuantity's fast path for the common plain decimals
// ("120", "0.25"): digits, at most 6 after the point, within MaxQuantity.
// Anything else takes the exact general path.
func plainQuantity(s string) (Quantity, bool) {
	whole, frac, dot := strings.Cut(s, ".")
	if len(whole) == 0 || len(whole) > 8 || len(frac) > 6 || (dot && len(frac) == 0) {
		return 0, false
	}
	var v int64
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int64(c-'0')
		}
	}
	for i := len(frac); i < 6; i++ {
		v *= 10
	}
	if Quantity(v) > MaxQuantity {
		return 0, false
	}
	return Quantity(v), true
}

// Q builds a Quantity from whole units; for literals and tests.
func Q(units int64) Quantity { return Quantity(units * QuantityScale) }

// Rat returns the exact value.
func (q Quantity) Rat() *big.Rat { return big.NewRat(int64(q), QuantityScale) }

// String renders the shortest exact decimal.
func (q Quantity) String() string {
	whole, frac := int64(q)/QuantityScale, int64(q)%QuantityScale
	if frac == 0 {
		return strconv.FormatInt(whole, 10)
	}
	f := strings.TrimRight(fmt.Sprintf("%06d", frac), "0")
	return strconv.FormatInt(whole, 10) + "." + f
}

// MarshalJSON writes the exact decimal as a JSON number.
func (q Quantity) MarshalJSON() ([]byte, error) { return []byte(q.String()), nil }

// UnmarshalJSON reads a JSON number exactly.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return fmt.Errorf("want a number, got %s", string(b)) // as YAML: a quoted number is a string
	}
	if v, ok := plainQuantity(string(b)); ok {
		*q = v
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a number, got %s", string(b))
	}
	v, err := ParseQuantity(n.String())
	if err != nil {
		return err
	}
	*q = v
	return nil
}

// MarshalYAML writes the exact decimal as a YAML number.
func (q Quantity) MarshalYAML() (any, error) {
	tag := "!!int"
	if int64(q)%QuantityScale != 0 {
		tag = "!!float"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: q.String()}, nil
}

// UnmarshalYAML reads a YAML scalar exactly, keeping its decimal text.
func (q *Quantity) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return fmt.Errorf("line %d: want a number, got %q", n.Line, n.Value)
	}
	v, err := ParseQuantity(strings.ReplaceAll(n.Value, "_", ""))
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*q = v
	return nil
}
