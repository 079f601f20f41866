package provider

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// objectWith builds a value of an object type: the given attributes, null elsewhere.
func objectWith(typ tftypes.Object, attrs map[string]tftypes.Value) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(t, nil)
		}
	}
	return tftypes.NewValue(typ, vals)
}

// planConfigValue builds an lbplanner_plan configuration with the given
// services by key and top-level attributes.
func planConfigValue(t *testing.T, server tfprotov6.ProviderServer, services func(svc, traffic tftypes.Object) map[string]tftypes.Value, top map[string]tftypes.Value) (tftypes.Object, tfprotov6.DynamicValue) {
	t.Helper()
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	dsType := schemas.DataSourceSchemas["lbplanner_plan"].ValueType().(tftypes.Object)
	svcMap := dsType.AttributeTypes["services"].(tftypes.Map)
	svcType := svcMap.ElementType.(tftypes.Object)
	attrs := map[string]tftypes.Value{"services": tftypes.NewValue(svcMap, services(svcType, svcType.AttributeTypes["traffic"].(tftypes.Object)))}
	for k, v := range top {
		attrs[k] = v
	}
	dv, err := tfprotov6.NewDynamicValue(dsType, objectWith(dsType, attrs))
	if err != nil {
		t.Fatal(err)
	}
	return dsType, dv
}

// diagnosticTexts are a response's diagnostics as sorted "path: summary: detail" lines.
func diagnosticTexts(ds []*tfprotov6.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		p := ""
		if d.Attribute != nil {
			p = d.Attribute.String()
		}
		out = append(out, fmt.Sprintf("%s %s: %s: %s", d.Severity, p, d.Summary, d.Detail))
	}
	sort.Strings(out)
	return out
}

var (
	str = func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num = func(n float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
)

// Diagnostics from configuration validation carry the attribute path of the
// offending value, down to map elements and nested attributes, and every
// error comes in one pass: attribute validators, bad numbers and what
// planning would reject. The server's direct validation of lbplanner_plan
// gives exactly the framework's diagnostics.
func TestValidateConfigAttributePaths(t *testing.T) {
	ctx := context.Background()
	server, err := protoV6["lbplanner"]()
	if err != nil {
		t.Fatal(err)
	}
	framework, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	strings := func(xs ...string) tftypes.Value {
		var vs []tftypes.Value
		for _, x := range xs {
			vs = append(vs, str(x))
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vs)
	}
	config := func(badKey bool) tfprotov6.DynamicValue {
		_, dv := planConfigValue(t, server, func(svc, traffic tftypes.Object) map[string]tftypes.Value {
			m := map[string]tftypes.Value{
				"default/ok": objectWith(svc, map[string]tftypes.Value{"protocol": str("HTTP"), "port": num(80), "audience": str("vpc")}),
				"shop/web": objectWith(svc, map[string]tftypes.Value{
					"protocol": str("HTTX"), "port": num(70000), "audience": str("internet"), "needs": strings("fast"),
					"hosts":   strings("a.example.com", "Bad Host"),
					"traffic": objectWith(traffic, map[string]tftypes.Value{"gb_per_month": num(-1)}),
				}),
			}
			if badKey {
				m["nonamespace"] = objectWith(svc, map[string]tftypes.Value{"protocol": str("TCP"), "port": num(1), "audience": str("vpc")})
			}
			return m
		}, map[string]tftypes.Value{"cloud": str("aws"), "region": str("us-east-1"), "strategies": strings("alb", "traefik")})
		return dv
	}
	validate := func(s tfprotov6.ProviderServer, dv tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
		resp, err := s.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "lbplanner_plan", Config: &dv})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Diagnostics
	}
	web := `AttributeName("services").ElementKeyString("shop/web")`
	wants := []string{
		web + `.AttributeName("traffic").AttributeName("gb_per_month")`, // a bad number
		web + `.AttributeName("protocol")`,                              // validator and planner
		web + `.AttributeName("port")`,
		web + `.AttributeName("needs").ElementKeyInt(0)`,
		web + `.AttributeName("hosts").ElementKeyInt(1)`, // the planner only
		`AttributeName("strategies").ElementKeyInt(1)`,
	}
	for _, badKey := range []bool{false, true} {
		diags := validate(server, config(badKey))
		got := map[string]bool{}
		for _, d := range diags {
			if d.Attribute != nil {
				got[d.Attribute.String()] = true
			}
		}
		want := wants
		if badKey { // the framework then skips the services' own validators; the server does not
			want = append(want, `AttributeName("services").ElementKeyString("nonamespace")`)
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("bad key %v: no diagnostic at %s; got %v", badKey, w, got)
			}
		}
	}
	dv := config(false)
	if a, b := diagnosticTexts(validate(server, dv)), diagnosticTexts(validate(framework, dv)); !reflect.DeepEqual(a, b) {
		t.Errorf("direct validation differs from the framework's:\n%s\nframework:\n%s", stringsJoin(a), stringsJoin(b))
	}
	// unknown values are not errors at validation time
	_, dv = planConfigValue(t, server, func(svc, _ tftypes.Object) map[string]tftypes.Value {
		return map[string]tftypes.Value{"default/ok": objectWith(svc, map[string]tftypes.Value{"protocol": str("HTTP"), "port": num(80), "audience": str("vpc")})}
	}, map[string]tftypes.Value{"cloud": str("aws"), "region": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})
	if diags := validate(server, dv); len(diags) != 0 {
		t.Fatalf("unknown region gave diagnostics: %+v", diags[0])
	}
}

func stringsJoin(xs []string) string {
	out := ""
	for _, x := range xs {
		out += "  " + x + "\n"
	}
	return out
}

// Every validator in lbplanner_plan's schema is on an attribute kind the
// server's direct validation runs (attributeValidation.own); a validator on
// any other kind would be skipped silently.
func TestEveryValidatorIsRun(t *testing.T) {
	var s datasource.SchemaResponse
	(&planDataSource{}).Schema(context.Background(), datasource.SchemaRequest{}, &s)
	var walk func(attrs map[string]schema.Attribute, at string)
	walk = func(attrs map[string]schema.Attribute, at string) {
		for name, a := range attrs {
			switch a := a.(type) {
			case schema.StringAttribute, schema.Int64Attribute, schema.NumberAttribute, schema.ListAttribute, schema.MapNestedAttribute:
				if m, ok := a.(schema.MapNestedAttribute); ok {
					walk(m.NestedObject.Attributes, at+name+".")
				}
			case schema.SingleNestedAttribute:
				if len(a.Validators) > 0 {
					t.Errorf("%s%s: validators on a single nested attribute are not run", at, name)
				}
				walk(a.Attributes, at+name+".")
			case schema.ListNestedAttribute:
				if len(a.Validators) > 0 {
					t.Errorf("%s%s: validators on a list nested attribute are not run", at, name)
				}
				walk(a.NestedObject.Attributes, at+name+".")
			case schema.BoolAttribute:
				if len(a.Validators) > 0 {
					t.Errorf("%s%s: validators on a bool attribute are not run", at, name)
				}
			case schema.MapAttribute:
				if len(a.Validators) > 0 {
					t.Errorf("%s%s: validators on a map attribute are not run", at, name)
				}
			default:
				t.Errorf("%s%s: attribute kind %T is not walked", at, name, a)
			}
		}
	}
	walk(s.Schema.Attributes, "")
}
