package provider

import (
	"context"
	"testing"

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

// Diagnostics from configuration validation carry the attribute path of the
// offending value, down to list elements and nested attributes.
func TestValidateConfigAttributePaths(t *testing.T) {
	ctx := context.Background()
	server, err := protoV6["lbplanner"]()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	dsType := schemas.DataSourceSchemas["lbplanner_plan"].ValueType().(tftypes.Object)
	svcList := dsType.AttributeTypes["services"].(tftypes.List)
	svcType := svcList.ElementType.(tftypes.Object)
	trafficType := svcType.AttributeTypes["traffic"].(tftypes.Object)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num := func(n float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	good := objectWith(svcType, map[string]tftypes.Value{"name": str("ok"), "protocol": str("HTTP"), "port": num(80), "audience": str("vpc")})
	bad := objectWith(svcType, map[string]tftypes.Value{
		"name": str("web"), "protocol": str("HTTP"), "port": num(80), "audience": str("internet"),
		"hosts":   tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("a.example.com"), str("Bad Host")}),
		"traffic": objectWith(trafficType, map[string]tftypes.Value{"gb_per_month": num(-1)}),
	})
	cfg := objectWith(dsType, map[string]tftypes.Value{
		"cloud": str("aws"), "region": str("us-east-1"),
		"strategies": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("alb"), str("traefik")}),
		"services":   tftypes.NewValue(svcList, []tftypes.Value{good, bad}),
	})
	dv, err := tfprotov6.NewDynamicValue(dsType, cfg)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "lbplanner_plan", Config: &dv})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, d := range resp.Diagnostics {
		if d.Attribute != nil {
			got[d.Attribute.String()] = true
		}
	}
	for _, want := range []string{
		`AttributeName("services").ElementKeyInt(1).AttributeName("traffic").AttributeName("gb_per_month")`,
	} {
		if !got[want] {
			t.Errorf("no diagnostic at %s; got %v", want, got)
		}
	}
	// number errors are reported before validation; fix it and the rest appear
	bad = objectWith(svcType, map[string]tftypes.Value{
		"name": str("web"), "protocol": str("HTTP"), "port": num(80), "audience": str("internet"),
		"hosts": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("a.example.com"), str("Bad Host")}),
	})
	cfg = objectWith(dsType, map[string]tftypes.Value{
		"cloud": str("aws"), "region": str("us-east-1"),
		"strategies": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("alb"), str("traefik")}),
		"services":   tftypes.NewValue(svcList, []tftypes.Value{good, bad}),
	})
	dv, _ = tfprotov6.NewDynamicValue(dsType, cfg)
	resp, _ = server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "lbplanner_plan", Config: &dv})
	got = map[string]bool{}
	for _, d := range resp.Diagnostics {
		if d.Attribute != nil {
			got[d.Attribute.String()] = true
		}
	}
	for _, want := range []string{
		`AttributeName("strategies").ElementKeyInt(1)`,
		`AttributeName("services").ElementKeyInt(1).AttributeName("hosts").ElementKeyInt(1)`,
	} {
		if !got[want] {
			t.Errorf("no diagnostic at %s; got %v", want, got)
		}
	}
	// unknown values are not errors at validation time
	cfg = objectWith(dsType, map[string]tftypes.Value{
		"cloud": str("aws"), "region": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"services": tftypes.NewValue(svcList, []tftypes.Value{good}),
	})
	dv, _ = tfprotov6.NewDynamicValue(dsType, cfg)
	resp, _ = server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "lbplanner_plan", Config: &dv})
	if len(resp.Diagnostics) != 0 {
		t.Fatalf("unknown region gave diagnostics: %+v", resp.Diagnostics[0])
	}
}
