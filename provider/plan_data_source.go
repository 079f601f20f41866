package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/report"
)

var (
	_ datasource.DataSource                   = (*planDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*planDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*planDataSource)(nil)
)

func newPlanDataSource() datasource.DataSource { return &planDataSource{} }

type planDataSource struct {
	data *providerData
}

func (d *planDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_plan"
}

func (d *planDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req, resp)
}

// ValidateConfig checks what planning would reject, before planning (the
// framework runs the attribute validators).
func (d *planDataSource) ValidateConfig(_ context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	resp.Diagnostics.Append(validatePlanConfig(req.Config.Raw)...)
}

// validatePlanConfig checks what planning would reject, beyond each
// attribute's own validators. With unknown values (from resources not yet
// created), the services whose every value is known are checked now, the
// rest when known; the attribute validators check each known value whatever
// else is unknown.
func validatePlanConfig(raw tftypes.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	c, ok := readPlanConfig(raw)
	if !ok {
		return diags
	}
	known := raw.IsFullyKnown()
	if !known && (c.o.unknown("cloud") || c.o.unknown("region") || c.o.unknown("services") || !c.o["manifests"].IsNull()) {
		return diags
	}
	if c.o["manifests"].IsNull() == c.o["services"].IsNull() {
		diags.AddAttributeError(path.Root("services"), "Invalid lbplanner_plan configuration",
			"set exactly one of services (declared services, by namespace/name) and manifests (Kubernetes manifests as YAML)")
		return diags
	}
	decl, err := c.declaration()
	if decl != nil { // every error in one pass: the numbers' and the declaration's
		err = joinErrors(err, planner.Validate(decl))
	}
	if err != nil && !known {
		err = c.knownPart(err)
	}
	if err != nil {
		diags.Append(c.diagnostics(err, "Invalid lbplanner_plan configuration")...)
	}
	return diags
}

func (d *planDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	typ, ok := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("Unexpected lbplanner_plan schema", "its type is not an object; please report this to the provider developers")
		return
	}
	state, diags := readPlan(d.data, typ, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.State.Raw = state
	}
}

// readPlan plans a configuration and returns the state: the configuration
// with the plan in its computed attributes.
func readPlan(data *providerData, typ tftypes.Object, raw tftypes.Value) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		diags.AddError("Provider not configured", "the lbplanner provider was not configured before reading lbplanner_plan")
		return raw, diags
	}
	c, ok := readPlanConfig(raw)
	if !ok {
		diags.AddError("Invalid lbplanner_plan configuration", "the configuration is not known")
		return raw, diags
	}
	decl, err := c.declaration()
	if err != nil {
		return raw, c.diagnostics(err, "Invalid lbplanner_plan configuration")
	}
	if data.hoursPerMonth != nil {
		h := *data.hoursPerMonth
		decl.HoursPerMonth = &h
	}
	plan, err := planner.Compute(decl, data.catalog)
	if err != nil {
		return raw, c.diagnostics(err, "Cannot plan these services")
	}
	js := ""
	if b := c.o.boolean("include_plan_json"); b != nil && *b { // the whole plan again, in state: only when asked for
		out, err := report.JSON(plan)
		if err != nil {
			diags.AddError("Cannot render the plan", err.Error())
			return raw, diags
		}
		js = string(out)
	}
	for _, w := range plan.Warnings {
		diags.AddWarning("lbplanner_plan", w)
	}
	return planState(typ, c, plan, decl, js), diags
}

// diagnostics points planner errors at their attributes; for services read
// from manifests, at the manifests attribute, naming the service and field.
func (c *planConfig) diagnostics(err error, summary string) diag.Diagnostics {
	if c.o["manifests"].IsNull() {
		return plannerDiagnostics(err, summary, c.keys)
	}
	var diags diag.Diagnostics
	var es planner.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			msg := "field " + e.Field + ": " + e.Msg
			if e.Service != "" {
				msg = fmt.Sprintf("service %q: %s", e.Service, msg)
			}
			diags.AddAttributeError(path.Root("manifests"), summary, "manifests: "+msg)
		}
		return diags
	}
	diags.AddAttributeError(path.Root("manifests"), summary, err.Error())
	return diags
}

// joinErrors is both errors, as one planner.Errors when both are field errors.
func joinErrors(a, b error) error {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	var ea, eb planner.Errors
	if errors.As(a, &ea) && errors.As(b, &eb) {
		return append(append(planner.Errors{}, ea...), eb...)
	}
	return errors.Join(a, b)
}
