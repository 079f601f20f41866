package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// attributeValidation runs a data source schema's attribute validators over
// a raw configuration, as the framework does, in one walk: the framework
// looks every value's path up in the schema from the root, which for
// thousands of services cost a second per validation.
type attributeValidation struct {
	ctx   context.Context
	cfg   tfsdk.Config
	diags diag.Diagnostics
}

// validateAttributes validates every attribute of a configuration.
func validateAttributes(ctx context.Context, s schema.Schema, raw tftypes.Value) diag.Diagnostics {
	v := &attributeValidation{ctx: ctx, cfg: tfsdk.Config{Raw: raw, Schema: s}}
	if o, ok := objectOf(raw); ok {
		v.object(s.Attributes, o, path.Empty())
	}
	return v.diags
}

// object validates the attributes of one known object.
func (v *attributeValidation) object(attrs map[string]schema.Attribute, o object, at path.Path) {
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		val, ok := o[name]
		if !ok {
			continue
		}
		v.attribute(attrs[name], val, at.AtName(name))
	}
}

// attribute runs one attribute's validators, then its nested attributes'.
func (v *attributeValidation) attribute(a schema.Attribute, val tftypes.Value, at path.Path) {
	v.own(a, val, at)
	var nested map[string]schema.Attribute
	switch a := a.(type) {
	case schema.SingleNestedAttribute:
		if o, ok := objectOf(val); ok {
			v.object(a.Attributes, o, at)
		}
		return
	case schema.ListNestedAttribute:
		nested = a.NestedObject.Attributes
		var xs []tftypes.Value
		if val.IsKnown() && !val.IsNull() && val.As(&xs) == nil {
			for i, x := range xs {
				if o, ok := objectOf(x); ok {
					v.object(nested, o, at.AtListIndex(i))
				}
			}
		}
	case schema.MapNestedAttribute:
		nested = a.NestedObject.Attributes
		var m map[string]tftypes.Value
		if val.IsKnown() && !val.IsNull() && val.As(&m) == nil {
			for _, k := range slices.Sorted(maps.Keys(m)) {
				if o, ok := objectOf(m[k]); ok {
					v.object(nested, o, at.AtMapKey(k))
				}
			}
		}
	}
}

// own runs the validators declared on the attribute itself.
func (v *attributeValidation) own(a schema.Attribute, val tftypes.Value, at path.Path) {
	switch a := a.(type) {
	case schema.StringAttribute:
		for _, f := range a.Validators {
			if sv, ok := v.value(a, val, at).(types.String); ok {
				resp := &validator.StringResponse{}
				f.ValidateString(v.ctx, validator.StringRequest{Path: at, PathExpression: at.Expression(), ConfigValue: sv, Config: v.cfg}, resp)
				v.diags.Append(resp.Diagnostics...)
			}
		}
	case schema.NumberAttribute:
		for _, f := range a.Validators {
			if nv, ok := v.value(a, val, at).(types.Number); ok {
				resp := &validator.NumberResponse{}
				f.ValidateNumber(v.ctx, validator.NumberRequest{Path: at, PathExpression: at.Expression(), ConfigValue: nv, Config: v.cfg}, resp)
				v.diags.Append(resp.Diagnostics...)
			}
		}
	case schema.Int64Attribute:
		for _, f := range a.Validators {
			if iv, ok := v.value(a, val, at).(types.Int64); ok {
				resp := &validator.Int64Response{}
				f.ValidateInt64(v.ctx, validator.Int64Request{Path: at, PathExpression: at.Expression(), ConfigValue: iv, Config: v.cfg}, resp)
				v.diags.Append(resp.Diagnostics...)
			}
		}
	case schema.ListAttribute:
		for _, f := range a.Validators {
			if lv, ok := v.value(a, val, at).(types.List); ok {
				resp := &validator.ListResponse{}
				f.ValidateList(v.ctx, validator.ListRequest{Path: at, PathExpression: at.Expression(), ConfigValue: lv, Config: v.cfg}, resp)
				v.diags.Append(resp.Diagnostics...)
			}
		}
	case schema.MapNestedAttribute:
		for _, f := range a.Validators {
			if mv, ok := v.value(a, val, at).(types.Map); ok {
				resp := &validator.MapResponse{}
				f.ValidateMap(v.ctx, validator.MapRequest{Path: at, PathExpression: at.Expression(), ConfigValue: mv, Config: v.cfg}, resp)
				v.diags.Append(resp.Diagnostics...)
			}
		}
	}
}

// value converts a raw value to the attribute's framework value.
func (v *attributeValidation) value(a schema.Attribute, val tftypes.Value, at path.Path) attr.Value {
	out, err := a.GetType().ValueFromTerraform(v.ctx, val)
	if err != nil {
		v.diags.AddAttributeError(at, "Cannot read the configuration", err.Error())
		return nil
	}
	return out
}

// quantityValidator holds a number attribute to what the planner takes: not
// negative, at most six decimal places.
type quantityValidator struct{}

func (quantityValidator) Description(context.Context) string {
	return "a number of at least 0 with at most 6 decimal places"
}

func (q quantityValidator) MarkdownDescription(ctx context.Context) string { return q.Description(ctx) }

func (quantityValidator) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	f := req.ConfigValue.ValueBigFloat()
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || f == nil {
		return
	}
	if _, err := quantityOfFloat(f); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value", fmt.Sprintf("Attribute %s %s", req.Path, err))
	}
}
