package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewServer returns the provider's protocol 6 server: the framework's, except
// that lbplanner_plan is read straight from and into Terraform's wire values.
// The framework walks every value of a data source's configuration and
// state several times with a schema look-up per value; for thousands of
// services that was most of a `terraform plan`.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := &lbplannerProvider{version: version}
		fw, err := providerserver.NewProtocol6WithError(p)()
		if err != nil {
			return nil, err
		}
		var s datasource.SchemaResponse
		(&planDataSource{}).Schema(context.Background(), datasource.SchemaRequest{}, &s)
		typ, ok := s.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
		if !ok || s.Diagnostics.HasError() {
			return nil, fmt.Errorf("lbplanner_plan schema: %v", s.Diagnostics)
		}
		return &server{ProviderServer: fw, provider: p, planSchema: s.Schema, planType: typ}, nil
	}
}

// server is the framework's server with a direct lbplanner_plan read.
type server struct {
	tfprotov6.ProviderServer
	provider   *lbplannerProvider
	planSchema schema.Schema
	planType   tftypes.Object
}

// ValidateDataResourceConfig validates lbplanner_plan directly (its attribute
// validators, then what planning would reject) and every other data source
// through the framework.
func (s *server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	if req.TypeName != "lbplanner_plan" || req.Config == nil {
		return s.ProviderServer.ValidateDataResourceConfig(ctx, req)
	}
	raw, err := req.Config.Unmarshal(s.planType)
	if err != nil {
		return &tfprotov6.ValidateDataResourceConfigResponse{Diagnostics: []*tfprotov6.Diagnostic{{
			Severity: tfprotov6.DiagnosticSeverityError, Summary: "Cannot decode the lbplanner_plan configuration", Detail: err.Error()}}}, nil
	}
	diags := validateAttributes(ctx, s.planSchema, raw)
	diags.Append(validatePlanConfig(raw)...)
	return &tfprotov6.ValidateDataResourceConfigResponse{Diagnostics: protoDiagnostics(diags)}, nil
}

// ReadDataSource reads lbplanner_plan directly and every other data source through the framework.
func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName != "lbplanner_plan" || req.Config == nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	raw, err := req.Config.Unmarshal(s.planType)
	if err != nil {
		return &tfprotov6.ReadDataSourceResponse{Diagnostics: []*tfprotov6.Diagnostic{{
			Severity: tfprotov6.DiagnosticSeverityError, Summary: "Cannot decode the lbplanner_plan configuration", Detail: err.Error()}}}, nil
	}
	state, diags := readPlan(s.provider.configured(), s.planType, raw)
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}
	if diags.HasError() {
		return resp, nil
	}
	dv, err := tfprotov6.NewDynamicValue(s.planType, state)
	if err != nil {
		resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityError, Summary: "Cannot encode the lbplanner_plan state", Detail: err.Error()})
		return resp, nil
	}
	resp.State = &dv
	return resp, nil
}

// protoDiagnostics converts framework diagnostics to the wire's.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityWarning {
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = tftypesPath(wp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// tftypesPath converts an attribute path to the wire's; nil for the root.
func tftypesPath(p path.Path) *tftypes.AttributePath {
	steps := p.Steps()
	if len(steps) == 0 {
		return nil
	}
	ap := tftypes.NewAttributePath()
	for _, s := range steps {
		switch s := s.(type) {
		case path.PathStepAttributeName:
			ap = ap.WithAttributeName(string(s))
		case path.PathStepElementKeyString:
			ap = ap.WithElementKeyString(string(s))
		case path.PathStepElementKeyInt:
			ap = ap.WithElementKeyInt(int(s))
		default:
			return ap
		}
	}
	return ap
}

// configuredData is what the last ConfigureProvider gave the data sources.
func (p *lbplannerProvider) configured() *providerData {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.data
}

// QuietFrameworkLogs lowers the framework's own logs to warnings when the
// user asked Terraform for no provider logs: a served provider otherwise
// writes a trace line per value it walks, which Terraform then discards.
// TF_LOG, TF_LOG_PROVIDER or any TF_LOG_SDK variable keeps them.
func QuietFrameworkLogs() {
	for _, v := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK"} {
		if os.Getenv(v) != "" {
			return
		}
	}
	_ = os.Setenv("TF_LOG_SDK_FRAMEWORK", "WARN")
}
