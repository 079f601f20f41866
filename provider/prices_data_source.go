package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*pricesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*pricesDataSource)(nil)
)

func newPricesDataSource() datasource.DataSource { return &pricesDataSource{} }

type pricesDataSource struct {
	data *providerData
}

type pricesModel struct {
	Cloud       types.String        `tfsdk:"cloud"`
	Region      types.String        `tfsdk:"region"`
	CatalogDate types.String        `tfsdk:"catalog_date"`
	Prices      map[string]priceOut `tfsdk:"prices"`
}

type priceOut struct {
	Item   types.String `tfsdk:"item"`
	Unit   types.String `tfsdk:"unit"`
	Price  types.Number `tfsdk:"price"`
	Source types.String `tfsdk:"source"`
	Date   types.String `tfsdk:"date"`
}

func (d *pricesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_prices"
}

func (d *pricesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req, resp)
}

func (d *pricesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	out := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	resp.Schema = schema.Schema{
		Description: "The price catalog's list prices for one cloud region, each with its unit, source and the day it was read.",
		Attributes: map[string]schema.Attribute{
			"cloud":        schema.StringAttribute{Required: true, Description: "Cloud, e.g. `aws`."},
			"region":       schema.StringAttribute{Required: true, Description: "Region, e.g. `us-east-1`. An unknown region is an error listing the known ones."},
			"catalog_date": out("Date the catalog was assembled."),
			"prices": schema.MapNestedAttribute{Computed: true, Description: "Prices keyed by item, e.g. `prices[\"alb-hour\"].price`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"item":   out("Catalog item, e.g. `alb-hour` or `alb-lcu-hour`."),
					"unit":   out("Unit the price is per, e.g. `hour`."),
					"price":  schema.NumberAttribute{Computed: true, Description: "Exact list price in USD per unit."},
					"source": out("Where the price comes from."),
					"date":   out("When the price was read (YYYY-MM-DD)."),
				}},
			},
		},
	}
}

func (d *pricesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m pricesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "the lbplanner provider was not configured before reading lbplanner_prices")
		return
	}
	cat := d.data.catalog
	if _, err := cat.Region(m.Cloud.ValueString(), m.Region.ValueString()); err != nil {
		attr := "region"
		if len(cat.Regions(m.Cloud.ValueString())) == 0 {
			attr = "cloud"
		}
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Unknown cloud region", err.Error())
		return
	}
	list, err := cat.List(m.Cloud.ValueString(), m.Region.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot list prices", err.Error())
		return
	}
	m.CatalogDate = types.StringValue(cat.Date)
	m.Prices = make(map[string]priceOut, len(list))
	for _, p := range list {
		m.Prices[p.Item] = priceOut{Item: types.StringValue(p.Item), Unit: types.StringValue(p.Unit),
			Price: decimalNumber(p.Price), Source: types.StringValue(p.Source), Date: types.StringValue(p.Date)}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
