package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
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
	svcMap := dsType.AttributeTypes["services"].(tftypes.Map)
	svcType := svcMap.ElementType.(tftypes.Object)
	trafficType := svcType.AttributeTypes["traffic"].(tftypes.Object)
	protocols := []string{"HTTPS", "HTTP", "GRPC", "TCP", "UDP"}
	audiences := []string{"internet", "vpc", "vpc", "cluster"}
	svcs := map[string]tftypes.Value{}
	for i := 0; i < 1000; i++ {
		attrs := map[string]tftypes.Value{
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
		svcs[fmt.Sprintf("default/svc-%04d", i)] = objectWith(svcType, attrs)
	}
	cfg := objectWith(dsType, map[string]tftypes.Value{
		"cloud":    tftypes.NewValue(tftypes.String, "aws"),
		"region":   tftypes.NewValue(tftypes.String, "us-east-1"),
		"services": tftypes.NewValue(svcMap, svcs),
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

// BenchmarkTerraformPlan1k and BenchmarkTerraformPlan5k run `terraform plan`
// on lbplanner_plan with 1,000 and 5,000 services (a mix of HTTPS, HTTP,
// gRPC, TCP and UDP, three audiences, hosts, traffic) through the provider
// built from this tree, and check its total against the planner's.
func BenchmarkTerraformPlan1k(b *testing.B) { benchTerraformPlan(b, 1000) }

func BenchmarkTerraformPlan5k(b *testing.B) { benchTerraformPlan(b, 5000) }

func benchTerraformPlan(b *testing.B, n int) {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		b.Skip("set TF_ACC_TERRAFORM_PATH to a terraform binary (make bench does)")
	}
	work := devOverrides(b)
	cfg := fmt.Sprintf(`terraform {
  required_providers {
    lbplanner = { source = "lbplanner/lbplanner" }
  }
}
locals {
  protocols = ["HTTPS", "HTTP", "GRPC", "TCP", "UDP"]
  audiences = ["internet", "vpc", "vpc", "cluster"]
  ids       = flatten([for a in range(%d) : [for b in range(1000) : a * 1000 + b]])
}
data "lbplanner_plan" "p" {
  cloud  = "aws"
  region = "us-east-1"
  services = { for i in local.ids : format("default/svc-%%05d", i) => {
    protocol = local.protocols[i %% 5]
    port     = 8080
    audience = local.audiences[i %% 4]
    hosts    = i %% 5 < 3 ? [format("svc-%%05d.example.com", i)] : null
    traffic  = { requests_per_second = i %% 300, gb_per_month = i %% 50 }
  } }
}
output "monthly_cost" { value = data.lbplanner_plan.p.monthly_cost }
`, n/1000)
	if err := os.WriteFile(filepath.Join(work.dir, "main.tf"), []byte(cfg), 0o644); err != nil {
		b.Fatal(err)
	}
	want := plannedCost(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := work.run(b, tf, "plan", "-input=false", "-no-color")
		if !strings.Contains(string(out), "monthly_cost = "+want) {
			b.Fatalf("terraform plan does not show monthly_cost = %s:\n%s", want, out)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "services/s")
}

// plannedCost is the planner's own total for the benchmark's services.
func plannedCost(b *testing.B, n int) string {
	protocols := []string{"HTTPS", "HTTP", "GRPC", "TCP", "UDP"}
	audiences := []string{"internet", "vpc", "vpc", "cluster"}
	d := &planner.Declaration{Cloud: "aws", Region: "us-east-1"}
	for i := 0; i < n; i++ {
		s := planner.Service{Name: fmt.Sprintf("svc-%05d", i), Namespace: "default", Protocol: protocols[i%5], Port: 8080,
			Audience: audiences[i%4], Traffic: planner.Traffic{RequestsPerSecond: planner.Q(int64(i % 300)), GBPerMonth: planner.Q(int64(i % 50))}}
		if i%5 < 3 {
			s.Hosts = []string{fmt.Sprintf("svc-%05d.example.com", i)}
		}
		d.Services = append(d.Services, s)
	}
	cat, err := pricing.Default()
	if err != nil {
		b.Fatal(err)
	}
	p, err := planner.Compute(d, cat)
	if err != nil {
		b.Fatal(err)
	}
	return p.Totals.MonthlyCost.String()
}
