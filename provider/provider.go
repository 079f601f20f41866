// Package provider is the lbplanner Terraform provider: the lbplanner_plan and
// lbplanner_prices data sources and the lb_monthly_cost and price functions,
// built on terraform-plugin-framework.
package provider

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// CatalogEnv names the environment variable read when catalog_file is not
// set, the CLI's name; CatalogFileEnv, the provider's older name, is still read.
const (
	CatalogEnv     = "LBPLANNER_CATALOG"
	CatalogFileEnv = "LBPLANNER_CATALOG_FILE"
)

// catalogFromEnv is the catalog file the environment names, if any.
func catalogFromEnv() string {
	if f := os.Getenv(CatalogEnv); f != "" {
		return f
	}
	return os.Getenv(CatalogFileEnv)
}

var (
	_ provider.Provider              = (*lbplannerProvider)(nil)
	_ provider.ProviderWithFunctions = (*lbplannerProvider)(nil)
)

// New returns a constructor for the provider at a version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &lbplannerProvider{version: version} }
}

type lbplannerProvider struct {
	version string
	mu      sync.Mutex
	data    *providerData // the last configuration's, for the server's direct reads
}

type providerModel struct {
	CatalogFile   types.String `tfsdk:"catalog_file"`
	HoursPerMonth types.Number `tfsdk:"hours_per_month"`
}

// providerData is what the data sources receive from Configure.
type providerData struct {
	catalog       *pricing.Catalog
	hoursPerMonth *planner.Quantity
}

func (p *lbplannerProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "lbplanner"
	resp.Version = p.version
}

func (p *lbplannerProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Plans how Kubernetes services are exposed (ClusterIP, NodePort, a LoadBalancer of their own or a shared Ingress) " +
			"and what that costs, from an offline price catalog with a source and date on every price. No credentials, no network.",
		Attributes: map[string]schema.Attribute{
			"catalog_file": schema.StringAttribute{
				Optional: true,
				Description: "Path to a price catalog in the embedded catalog's JSON format. Defaults to the " + CatalogEnv + " (or " + CatalogFileEnv + ")" +
					" environment variable, then to the catalog embedded in the provider.",
			},
			"hours_per_month": schema.NumberAttribute{
				Optional:    true,
				Description: "Hours in a billing month for every plan (more than 0, at most 744). Defaults to 730.",
			},
		},
	}
}

func (p *lbplannerProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	file := catalogFromEnv()
	if !cfg.CatalogFile.IsNull() && !cfg.CatalogFile.IsUnknown() {
		file = cfg.CatalogFile.ValueString()
	}
	var (
		cat *pricing.Catalog
		err error
	)
	if file != "" {
		cat, err = pricing.Load(file)
	} else {
		cat, err = pricing.Default()
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("catalog_file"), "Cannot load the price catalog", err.Error())
		return
	}
	data := &providerData{catalog: cat}
	if !cfg.HoursPerMonth.IsNull() && !cfg.HoursPerMonth.IsUnknown() {
		h, err := quantityOf(cfg.HoursPerMonth)
		if err != nil || h <= 0 || h > planner.Q(744) {
			msg := "want more than 0 and at most 744"
			if err != nil {
				msg = err.Error()
			}
			resp.Diagnostics.AddAttributeError(path.Root("hours_per_month"), "Invalid hours_per_month", msg)
			return
		}
		data.hoursPerMonth = &h
	}
	resp.DataSourceData = data
	p.mu.Lock()
	p.data = data
	p.mu.Unlock()
}

func (p *lbplannerProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newPlanDataSource, newPricesDataSource}
}

func (p *lbplannerProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *lbplannerProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{newLBMonthlyCostFunction, newPriceFunction}
}

// configuredData is what Configure gave a data source; nil before the provider is configured.
func configuredData(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *providerData {
	if req.ProviderData == nil {
		return nil
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("got %T; please report this to the provider developers", req.ProviderData))
	}
	return data
}
