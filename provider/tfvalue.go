package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The lbplanner_plan data source reads its configuration and writes its state
// as raw Terraform values: the framework's reflection over thousands of nested
// objects cost seconds per plan. These helpers read and build such values.

// object is a known Terraform object: its attribute values by name.
type object map[string]tftypes.Value

// objectOf decodes an object value; ok is false when it is null or unknown.
func objectOf(v tftypes.Value) (o object, ok bool) {
	if v.IsNull() || !v.IsKnown() {
		return nil, false
	}
	if err := v.As((*map[string]tftypes.Value)(&o)); err != nil {
		return nil, false
	}
	return o, true
}

// set reports whether an attribute has a known, non-null value.
func (o object) set(name string) bool {
	v, ok := o[name]
	return ok && !v.IsNull() && v.IsKnown()
}

// unknown reports whether an attribute's value is unknown.
func (o object) unknown(name string) bool {
	v, ok := o[name]
	return ok && !v.IsKnown()
}

// str is a string attribute; "" when null or unknown.
func (o object) str(name string) string {
	var s string
	if o.set(name) {
		_ = o[name].As(&s)
	}
	return s
}

// number is a number attribute; nil when null or unknown.
func (o object) number(name string) *big.Float {
	if !o.set(name) {
		return nil
	}
	f := new(big.Float)
	if err := o[name].As(&f); err != nil {
		return nil
	}
	return f
}

// ints is a list of whole numbers (schema validators bound them); nil when
// null or unknown, an unknown element as 0.
func (o object) ints(name string) []int {
	xs := o.elements(name)
	if xs == nil {
		return nil
	}
	out := make([]int, len(xs))
	for i, x := range xs {
		f := new(big.Float)
		if x.IsKnown() && !x.IsNull() && x.As(&f) == nil {
			n, _ := f.Int64()
			out[i] = int(n)
		}
	}
	return out
}

// integer is a whole-number attribute (schema validators bound it); ok is false when null or unknown.
func (o object) integer(name string) (n int, ok bool) {
	f := o.number(name)
	if f == nil {
		return 0, false
	}
	i, _ := f.Int64()
	return int(i), true
}

// boolean is a bool attribute; nil when null or unknown.
func (o object) boolean(name string) *bool {
	if !o.set(name) {
		return nil
	}
	var b bool
	if err := o[name].As(&b); err != nil {
		return nil
	}
	return &b
}

// obj is a nested object attribute; ok is false when null or unknown.
func (o object) obj(name string) (object, bool) {
	v, ok := o[name]
	if !ok {
		return nil, false
	}
	return objectOf(v)
}

// elements are a list attribute's elements; nil when null or unknown.
func (o object) elements(name string) []tftypes.Value {
	if !o.set(name) {
		return nil
	}
	var xs []tftypes.Value
	_ = o[name].As(&xs)
	return xs
}

// strs is a list of strings; nil when null or unknown (unknown elements are "").
func (o object) strs(name string) []string {
	xs := o.elements(name)
	if xs == nil {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		if x.IsKnown() && !x.IsNull() {
			_ = x.As(&out[i])
		}
	}
	return out
}

// entries are a map attribute's values by key; nil when null or unknown.
func (o object) entries(name string) map[string]tftypes.Value {
	if !o.set(name) {
		return nil
	}
	var m map[string]tftypes.Value
	_ = o[name].As(&m)
	return m
}

// strMap is a map of strings; nil when null or unknown.
func (o object) strMap(name string) map[string]string {
	m := o.entries(name)
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		var s string
		if v.IsKnown() && !v.IsNull() {
			_ = v.As(&s)
		}
		out[k] = s
	}
	return out
}

// Builders of state values.

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// tfStringOrNull is null for "".
func tfStringOrNull(s string) tftypes.Value {
	if s == "" {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tfString(s)
}

// tfDecimal is a number from exact decimal text; null when it does not parse.
func tfDecimal(s string) tftypes.Value {
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return tftypes.NewValue(tftypes.Number, f)
}

// tfStrings is a list of strings; nil is null.
func tfStrings(xs []string) tftypes.Value {
	t := tftypes.List{ElementType: tftypes.String}
	if xs == nil {
		return tftypes.NewValue(t, nil)
	}
	vs := make([]tftypes.Value, len(xs))
	for i, x := range xs {
		vs[i] = tfString(x)
	}
	return tftypes.NewValue(t, vs)
}

// tfStringMap is a map of strings; nil is null.
func tfStringMap(m map[string]string) tftypes.Value {
	t := tftypes.Map{ElementType: tftypes.String}
	if m == nil {
		return tftypes.NewValue(t, nil)
	}
	vs := make(map[string]tftypes.Value, len(m))
	for k, x := range m {
		vs[k] = tfString(x)
	}
	return tftypes.NewValue(t, vs)
}
