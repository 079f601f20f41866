package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// BenchmarkReadPlan1k reads lbplanner_plan with 1,000 services through the
// provider server: protocol decoding, framework conversions, validation,
// planning and state encoding.
func BenchmarkReadPlan1k(b *testing.B) {
	ctx := context.Background()
	server, err := protoV6["lbplanner"]()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	provType := schemas.Provider.ValueType().(tftypes.Object)
	pcfg, _ := tfprotov6.NewDynamicValue(provType, objectWith(provType, nil))
	if resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &pcfg}); err != nil || len(resp.Diagnostics) > 0 {
		b.Fatalf("configure: %v %+v", err, resp)
	}
	dsType := schemas.DataSourceSchemas["lbplanner_plan"].ValueType().(tftypes.Object)
	svcList := dsType.AttributeTypes["services"].(tftypes.List)
	svcType := svcList.ElementType.(tftypes.Object)
	trafficType := svcType.AttributeTypes["traffic"].(tftypes.Object)
	protocols := []string{"HTTPS", "HTTP", "GRPC", "TCP", "UDP"}
	audiences := []string{"internet", "vpc", "vpc", "cluster"}
	var svcs []tftypes.Value
	for i := 0; i < 1000; i++ {
		attrs := map[string]tftypes.Value{
			"name":     tftypes.NewValue(tftypes.String, fmt.Sprintf("svc-%04d", i)),
			"protocol": tftypes.NewValue(tftypes.String, protocols[i%len(protocols)]),
			"port":     tftypes.NewValue(tftypes.Number, 8080),
			"audience": tftypes.NewValue(tftypes.String, audiences[i%len(audiences)]),
			"traffic": objectWith(trafficType, map[string]tftypes.Value{
				"requests_per_second": tftypes.NewValue(tftypes.Number, i%300),
				"gb_per_month":        tftypes.NewValue(tftypes.Number, i%50),
			}),
		}
		if i%len(protocols) < 3 {
			attrs["hosts"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, fmt.Sprintf("svc-%04d.example.com", i))})
		}
		svcs = append(svcs, objectWith(svcType, attrs))
	}
	cfg := objectWith(dsType, map[string]tftypes.Value{
		"cloud":    tftypes.NewValue(tftypes.String, "aws"),
		"region":   tftypes.NewValue(tftypes.String, "us-east-1"),
		"services": tftypes.NewValue(svcList, svcs),
	})
	dv, err := tfprotov6.NewDynamicValue(dsType, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "lbplanner_plan", Config: &dv})
		if err != nil || len(v.Diagnostics) > 0 {
			b.Fatalf("validate: %v %+v", err, v)
		}
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "lbplanner_plan", Config: &dv})
		if err != nil || len(resp.Diagnostics) > 0 {
			b.Fatalf("read: %v %+v", err, resp.Diagnostics)
		}
	}
	b.ReportMetric(1000*float64(b.N)/b.Elapsed().Seconds(), "services/s")
}
