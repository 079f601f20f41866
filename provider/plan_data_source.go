package provider

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lbplanner/terraform-provider-lbplanner/manifests"
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

type planModel struct {
	Cloud                     types.String            `tfsdk:"cloud"`
	Region                    types.String            `tfsdk:"region"`
	Zones                     types.Int64             `tfsdk:"zones"`
	Strategies                []types.String          `tfsdk:"strategies"`
	AllowNodePort             types.Bool              `tfsdk:"allow_node_port"`
	AWSLoadBalancerController types.Bool              `tfsdk:"aws_load_balancer_controller"`
	Latency                   *latencyModel           `tfsdk:"latency"`
	Proxy                     *proxyModel             `tfsdk:"proxy"`
	Mesh                      types.String            `tfsdk:"mesh"`
	ExistingForwardingRules   *gcpRulesModel          `tfsdk:"existing_forwarding_rules"`
	ContainerNative           types.Bool              `tfsdk:"container_native"`
	ExistingLBRules           *azureRulesModel        `tfsdk:"existing_load_balancer_rules"`
	AppGateway                *appGatewayModel        `tfsdk:"app_gateway"`
	AddressPool               *addressPoolModel       `tfsdk:"address_pool"`
	BareMetalLoadBalancer     types.String            `tfsdk:"bare_metal_load_balancer"`
	NodeCost                  *nodeCostModel          `tfsdk:"node_cost"`
	Services                  []serviceModel          `tfsdk:"services"`
	Manifests                 types.String            `tfsdk:"manifests"`
	Traffic                   map[string]trafficModel `tfsdk:"traffic"`
	IncreaseForcedBy          types.String            `tfsdk:"increase_forced_by"`
	LoadBalancers             []loadBalancerOut       `tfsdk:"load_balancers"`
	MonthlyCost               types.Number            `tfsdk:"monthly_cost"`
	BaselineMonthlyCost       types.Number            `tfsdk:"baseline_monthly_cost"`
	CurrentMonthlyCost        types.Number            `tfsdk:"current_monthly_cost"`
	SavingsVsBaseline         types.Number            `tfsdk:"savings_vs_baseline"`
	SavingsVsCurrent          types.Number            `tfsdk:"savings_vs_current"`
	Optimality                types.String            `tfsdk:"optimality"`
	CatalogDate               types.String            `tfsdk:"catalog_date"`
	PlanJSON                  types.String            `tfsdk:"plan_json"`
	IncludePlanJSON           types.Bool              `tfsdk:"include_plan_json"`
}

type latencyModel struct {
	LoadBalancerMs types.Number `tfsdk:"load_balancer_ms"`
	ProxyMs        types.Number `tfsdk:"proxy_ms"`
	NodeHopMs      types.Number `tfsdk:"node_hop_ms"`
	SidecarMs      types.Number `tfsdk:"sidecar_ms"`
}

type proxyModel struct {
	Implementation types.String `tfsdk:"implementation"`
	Replicas       types.Int64  `tfsdk:"replicas"`
	CPU            types.Number `tfsdk:"cpu"`
	MemoryGiB      types.Number `tfsdk:"memory_gib"`
}

type gcpRulesModel struct {
	Global   types.Int64 `tfsdk:"global"`
	Regional types.Int64 `tfsdk:"regional"`
}

type azureRulesModel struct {
	Public   types.Int64 `tfsdk:"public"`
	Internal types.Int64 `tfsdk:"internal"`
}

type addressPoolModel struct {
	Size                  types.Int64  `tfsdk:"size"`
	MonthlyCostPerAddress types.Number `tfsdk:"monthly_cost_per_address"`
}

type nodeCostModel struct {
	VCPUHour types.Number `tfsdk:"vcpu_hour"`
	GiBHour  types.Number `tfsdk:"gib_hour"`
}

type appGatewayModel struct {
	MinInstances types.Int64 `tfsdk:"min_instances"`
}

type trafficModel struct {
	RequestsPerSecond       types.Number `tfsdk:"requests_per_second"`
	NewConnectionsPerSecond types.Number `tfsdk:"new_connections_per_second"`
	ActiveConnections       types.Number `tfsdk:"active_connections"`
	GBPerMonth              types.Number `tfsdk:"gb_per_month"`
}

type serviceModel struct {
	// inputs
	Name            types.String      `tfsdk:"name"`
	Namespace       types.String      `tfsdk:"namespace"`
	Protocol        types.String      `tfsdk:"protocol"`
	Port            types.Int64       `tfsdk:"port"`
	Audience        types.String      `tfsdk:"audience"`
	Hosts           []types.String    `tfsdk:"hosts"`
	Paths           []types.String    `tfsdk:"paths"`
	Certificate     types.String      `tfsdk:"certificate"`
	Traffic         *trafficModel     `tfsdk:"traffic"`
	LatencyBudgetMs types.Number      `tfsdk:"latency_budget_ms"`
	Needs           []types.String    `tfsdk:"needs"`
	Current         types.String      `tfsdk:"current"`
	CurrentLB       *currentLBModel   `tfsdk:"current_load_balancer"`
	AlsoOn          []currentLBModel  `tfsdk:"also_on"`
	Ports           []portModel       `tfsdk:"ports"`
	RoutedWith      []types.String    `tfsdk:"routed_with"`
	Calls           []types.String    `tfsdk:"calls"`
	StaticAddresses []types.String    `tfsdk:"static_addresses"`
	Headless        types.Bool        `tfsdk:"headless"`
	Pin             types.String      `tfsdk:"pin"`
	Labels          map[string]string `tfsdk:"labels"`
	// outputs
	Exposure              types.String      `tfsdk:"exposure"`
	LoadBalancer          types.String      `tfsdk:"load_balancer"`
	Path                  types.String      `tfsdk:"path"`
	HopPath               types.String      `tfsdk:"hop_path"`
	AddedLatencyMs        types.Number      `tfsdk:"added_latency_ms"`
	ChainLatencyMs        types.Number      `tfsdk:"chain_latency_ms"`
	CriticalChain         []types.String    `tfsdk:"critical_chain"`
	MonthlyCost           types.Number      `tfsdk:"monthly_cost"`
	Reason                types.String      `tfsdk:"reason"`
	ServiceType           types.String      `tfsdk:"service_type"`
	IngressClassName      types.String      `tfsdk:"ingress_class_name"`
	GatewayClassName      types.String      `tfsdk:"gateway_class_name"`
	ExternalTrafficPolicy types.String      `tfsdk:"external_traffic_policy"`
	Annotations           map[string]string `tfsdk:"annotations"`
}

type portModel struct {
	Port     types.Int64  `tfsdk:"port"`
	Protocol types.String `tfsdk:"protocol"`
}

type currentLBModel struct {
	Kind     types.String `tfsdk:"kind"`
	Name     types.String `tfsdk:"name"`
	Scheme   types.String `tfsdk:"scheme"`
	Frontend types.String `tfsdk:"frontend"`
}

type loadBalancerOut struct {
	ID          types.String `tfsdk:"id"`
	Kind        types.String `tfsdk:"kind"`
	Strategy    types.String `tfsdk:"strategy"`
	Scheme      types.String `tfsdk:"scheme"`
	Services    []string     `tfsdk:"services"`
	RuleOrder   []string     `tfsdk:"rule_order"`
	SplitReason types.String `tfsdk:"split_reason"`
	Costs       []costOut    `tfsdk:"costs"`
	MonthlyCost types.Number `tfsdk:"monthly_cost"`
}

type costOut struct {
	Name        types.String `tfsdk:"name"`
	Quantity    types.Number `tfsdk:"quantity"`
	Unit        types.String `tfsdk:"unit"`
	UnitPrice   types.Number `tfsdk:"unit_price"`
	MonthlyCost types.Number `tfsdk:"monthly_cost"`
	Source      types.String `tfsdk:"source"`
	Date        types.String `tfsdk:"date"`
}

func (d *planDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_plan"
}

func (d *planDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req, resp)
}

// declaration builds the planner's input from the configuration.
func (m *planModel) declaration() (*planner.Declaration, error) {
	var es planner.Errors
	service := ""
	num := func(index int, field string, n types.Number) *planner.Quantity {
		q, err := optQuantity(n)
		if err != nil {
			es = append(es, &planner.FieldError{Index: index, Service: service, Field: field, Msg: err.Error()})
		}
		return q
	}
	d := &planner.Declaration{
		Cloud: m.Cloud.ValueString(), Region: m.Region.ValueString(), Zones: int(m.Zones.ValueInt64()),
		AllowNodePort: m.AllowNodePort.ValueBool(),
	}
	if m.Strategies != nil {
		d.Strategies = stringList(m.Strategies)
	}
	if !m.AWSLoadBalancerController.IsNull() {
		v := m.AWSLoadBalancerController.ValueBool()
		d.AWSLoadBalancerController = &v
	}
	if l := m.Latency; l != nil {
		d.Latency = &planner.LatencyAssumptions{
			LoadBalancerMs: num(-1, "latency.loadBalancerMs", l.LoadBalancerMs),
			ProxyMs:        num(-1, "latency.proxyMs", l.ProxyMs),
			NodeHopMs:      num(-1, "latency.nodeHopMs", l.NodeHopMs),
			SidecarMs:      num(-1, "latency.sidecarMs", l.SidecarMs),
		}
	}
	d.Mesh = m.Mesh.ValueString()
	if p := m.Proxy; p != nil {
		d.Proxy = &planner.ProxySizing{Implementation: p.Implementation.ValueString(), CPU: num(-1, "proxy.cpu", p.CPU), MemoryGiB: num(-1, "proxy.memoryGiB", p.MemoryGiB)}
		if !p.Replicas.IsNull() {
			r := int(p.Replicas.ValueInt64())
			d.Proxy.Replicas = &r
		}
	}
	optInt := func(v types.Int64) *int {
		if v.IsNull() || v.IsUnknown() {
			return nil
		}
		n := int(v.ValueInt64())
		return &n
	}
	if r := m.ExistingForwardingRules; r != nil {
		d.ExistingForwardingRules = &planner.ForwardingRules{Global: int(r.Global.ValueInt64()), Regional: int(r.Regional.ValueInt64())}
	}
	if !m.ContainerNative.IsNull() {
		v := m.ContainerNative.ValueBool()
		d.ContainerNative = &v
	}
	if r := m.ExistingLBRules; r != nil {
		d.ExistingLoadBalancerRules = &planner.LoadBalancerRules{Public: optInt(r.Public), Internal: optInt(r.Internal)}
	}
	if a := m.AppGateway; a != nil {
		d.AppGateway = &planner.AppGatewaySizing{MinInstances: optInt(a.MinInstances)}
	}
	if a := m.AddressPool; a != nil {
		d.AddressPool = &planner.AddressPool{Size: optInt(a.Size), MonthlyCostPerAddress: num(-1, "addressPool.monthlyCostPerAddress", a.MonthlyCostPerAddress)}
	}
	d.LoadBalancer = m.BareMetalLoadBalancer.ValueString()
	if n := m.NodeCost; n != nil {
		d.NodeCost = &planner.NodeCost{VCPUHour: num(-1, "nodeCost.vCPUHour", n.VCPUHour), GiBHour: num(-1, "nodeCost.gibHour", n.GiBHour)}
	}
	if !m.Manifests.IsNull() {
		read, err := m.fromManifests(d)
		if err != nil {
			return nil, err
		}
		d.Services = read
		return d, nil
	}
	for i, s := range m.Services {
		service = s.Name.ValueString()
		if ns := s.Namespace.ValueString(); ns != "" {
			service = ns + "/" + service
		}
		svc := planner.Service{
			Name: s.Name.ValueString(), Namespace: s.Namespace.ValueString(), Protocol: s.Protocol.ValueString(),
			Port: int(s.Port.ValueInt64()), Audience: s.Audience.ValueString(), Hosts: stringList(s.Hosts), Paths: stringList(s.Paths),
			Certificate: s.Certificate.ValueString(), Needs: stringList(s.Needs), Current: planner.Exposure(s.Current.ValueString()),
			Pin: planner.Exposure(s.Pin.ValueString()), Labels: s.Labels,
			LatencyBudgetMs: num(i, "latencyBudgetMs", s.LatencyBudgetMs),
			RoutedWith:      stringList(s.RoutedWith), Calls: stringList(s.Calls), StaticAddresses: stringList(s.StaticAddresses), Headless: s.Headless.ValueBool(),
		}
		if c := s.CurrentLB; c != nil {
			lb := c.lb()
			svc.CurrentLoadBalancer = &lb
		}
		for _, c := range s.AlsoOn {
			svc.AlsoOn = append(svc.AlsoOn, c.lb())
		}
		for _, p := range s.Ports {
			svc.Ports = append(svc.Ports, planner.ServicePort{Port: int(p.Port.ValueInt64()), Protocol: p.Protocol.ValueString()})
		}
		if t := s.Traffic; t != nil {
			svc.Traffic = t.traffic(func(field string, err error) {
				es = append(es, &planner.FieldError{Index: i, Service: service, Field: "traffic." + field, Msg: err.Error()})
			})
		}
		d.Services = append(d.Services, svc)
	}
	if len(es) > 0 {
		return nil, es
	}
	return d, nil
}

// currentLBAttributes describe a load balancer of today (current_load_balancer, also_on).
func currentLBAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"kind": schema.StringAttribute{Required: true, Description: "AWS: `alb`, `nlb`, `clb`, `proxy`; GCP: `gce`, `gateway`, `lb`, `proxy`; Azure: `appgw`, `agc` (Application Gateway for Containers), `lb`, `proxy` (an in-cluster proxy behind one layer-4 load balancer); bare metal: `address`, `proxy`.",
			Validators: []validator.String{stringvalidator.OneOf(planner.AllCurrentKinds()...)}},
		"name": schema.StringAttribute{Optional: true, Description: "The IngressGroup, the Ingress (namespace/name), the Gateway (gateway:namespace/name), the Application Gateway for Containers resource (namespace/name or its Azure resource ID) or the proxy's IngressClass; none for a LoadBalancer Service's own."},
		"scheme": schema.StringAttribute{Optional: true, Description: "`internet` or `internal` today (default: from the audience).",
			Validators: []validator.String{stringvalidator.OneOf(planner.AudienceInternet, "internal")}},
		"frontend": schema.StringAttribute{Optional: true, Description: "Application Gateway for Containers only: the frontend the service is reached through today (its Gateway as gateway:namespace/name, or its Ingress); each frontend is billed by the hour."},
	}
}

func (c currentLBModel) lb() planner.CurrentLB {
	return planner.CurrentLB{Kind: c.Kind.ValueString(), Name: c.Name.ValueString(), Scheme: c.Scheme.ValueString(), Frontend: c.Frontend.ValueString()}
}

func currentLBOf(c planner.CurrentLB) currentLBModel {
	return currentLBModel{Kind: types.StringValue(c.Kind), Name: strOrNull(c.Name), Scheme: strOrNull(c.Scheme), Frontend: strOrNull(c.Frontend)}
}

// traffic converts the traffic attributes, reporting each bad number by its
// declaration field name; a missing figure is 0.
func (t trafficModel) traffic(bad func(field string, err error)) planner.Traffic {
	q := func(field string, n types.Number) planner.Quantity {
		v, err := optQuantity(n)
		if err != nil {
			bad(field, err)
		}
		if v == nil {
			return 0
		}
		return *v
	}
	return planner.Traffic{RequestsPerSecond: q("requestsPerSecond", t.RequestsPerSecond),
		NewConnectionsPerSecond: q("newConnectionsPerSecond", t.NewConnectionsPerSecond),
		ActiveConnections:       q("activeConnections", t.ActiveConnections), GBPerMonth: q("gbPerMonth", t.GBPerMonth)}
}

// fromManifests reads the services of the manifests attribute, with the
// traffic attribute's figures by namespace/name.
func (m *planModel) fromManifests(d *planner.Declaration) ([]planner.Service, error) {
	traffic := map[string]planner.Traffic{}
	var es planner.Errors
	for key, t := range m.Traffic {
		traffic[key] = t.traffic(func(field string, err error) {
			es = append(es, &planner.FieldError{Index: -1, Field: "traffic[" + key + "]." + field, Msg: err.Error()})
		})
	}
	if len(es) > 0 {
		return nil, es
	}
	res, err := manifests.Read([]manifests.Source{{Name: "manifests", Data: []byte(m.Manifests.ValueString())}},
		manifests.Options{Cloud: d.Cloud, Region: d.Region, Traffic: traffic})
	if err != nil {
		return nil, err
	}
	return res.Declaration.Services, nil
}

// strs are strings as Terraform values; nil stays null.
func strs(xs []string) []types.String {
	if xs == nil {
		return nil
	}
	out := make([]types.String, len(xs))
	for i, x := range xs {
		out[i] = types.StringValue(x)
	}
	return out
}

// declaredService is a declared service as the services attribute shows it
// (for plans read from manifests).
func declaredService(s planner.Service) serviceModel {
	sm := serviceModel{Name: types.StringValue(s.Name), Namespace: types.StringValue(s.Namespace), Protocol: types.StringValue(s.Protocol),
		Port: types.Int64Value(int64(s.Port)), Audience: types.StringValue(s.Audience), Hosts: strs(s.Hosts), Paths: strs(s.Paths),
		Certificate: strOrNull(s.Certificate), Needs: strs(s.Needs), Current: strOrNull(string(s.Current)),
		Pin: strOrNull(string(s.Pin)), Labels: s.Labels, RoutedWith: strs(s.RoutedWith), Calls: strs(s.Calls), StaticAddresses: strs(s.StaticAddresses), Headless: types.BoolValue(s.Headless),
		LatencyBudgetMs: types.NumberNull()}
	if s.LatencyBudgetMs != nil {
		sm.LatencyBudgetMs = quantityNumber(*s.LatencyBudgetMs)
	}
	t := s.Traffic
	sm.Traffic = &trafficModel{RequestsPerSecond: quantityNumber(t.RequestsPerSecond), NewConnectionsPerSecond: quantityNumber(t.NewConnectionsPerSecond),
		ActiveConnections: quantityNumber(t.ActiveConnections), GBPerMonth: quantityNumber(t.GBPerMonth)}
	if c := s.CurrentLoadBalancer; c != nil {
		lb := currentLBOf(*c)
		sm.CurrentLB = &lb
	}
	for _, c := range s.AlsoOn {
		sm.AlsoOn = append(sm.AlsoOn, currentLBOf(c))
	}
	for _, p := range s.Ports {
		sm.Ports = append(sm.Ports, portModel{Port: types.Int64Value(int64(p.Port)), Protocol: types.StringValue(p.Protocol)})
	}
	return sm
}

func stringList(vs []types.String) []string {
	if vs == nil {
		return nil
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.ValueString()
	}
	return out
}

func (d *planDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	// With unknown values (from resources not yet created), the services
	// whose every value is known are checked now, the rest when known.
	known := req.Config.Raw.IsFullyKnown()
	var m planModel
	if diags := req.Config.Get(ctx, &m); diags.HasError() {
		if known {
			resp.Diagnostics.Append(diags...)
		}
		return // an unknown list or object: checked when it is known
	}
	if !known && (m.Cloud.IsUnknown() || m.Region.IsUnknown() || !m.Manifests.IsNull()) {
		return
	}
	if m.Manifests.IsNull() == (m.Services == nil) {
		resp.Diagnostics.AddAttributeError(path.Root("services"), "Invalid lbplanner_plan configuration",
			"set exactly one of services (declared services) and manifests (Kubernetes manifests as YAML)")
		return
	}
	decl, err := m.declaration()
	if err == nil {
		err = planner.Validate(decl)
	}
	if err != nil && !known {
		err = knownPart(err, m.Services)
	}
	if err != nil {
		resp.Diagnostics.Append(m.diagnostics(err, "Invalid lbplanner_plan configuration")...)
	}
}

// knownPart keeps the errors of services whose every value is known: with
// unknown values, the others (and the declaration-wide ones) wait until known.
func knownPart(err error, services []serviceModel) error {
	var es planner.Errors
	if !errors.As(err, &es) {
		return nil
	}
	var kept planner.Errors
	for _, e := range es {
		if e.Index >= 0 && e.Index < len(services) && !hasUnknown(reflect.ValueOf(services[e.Index])) {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

// hasUnknown reports whether a model value holds an unknown Terraform value anywhere.
func hasUnknown(v reflect.Value) bool {
	if u, ok := v.Interface().(interface{ IsUnknown() bool }); ok {
		return u.IsUnknown()
	}
	switch v.Kind() {
	case reflect.Pointer:
		return !v.IsNil() && hasUnknown(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && hasUnknown(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if hasUnknown(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if hasUnknown(v.MapIndex(k)) {
				return true
			}
		}
	}
	return false
}

// diagnostics points planner errors at their attributes; for services read
// from manifests, at the manifests attribute, naming the service and field.
func (m *planModel) diagnostics(err error, summary string) diag.Diagnostics {
	if m.Manifests.IsNull() {
		return plannerDiagnostics(err, summary)
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

func (d *planDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m planModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "the lbplanner provider was not configured before reading lbplanner_plan")
		return
	}
	decl, err := m.declaration()
	if err != nil {
		resp.Diagnostics.Append(m.diagnostics(err, "Invalid lbplanner_plan configuration")...)
		return
	}
	if d.data.hoursPerMonth != nil {
		h := *d.data.hoursPerMonth
		decl.HoursPerMonth = &h
	}
	plan, err := planner.Compute(decl, d.data.catalog)
	if err != nil {
		resp.Diagnostics.Append(m.diagnostics(err, "Cannot plan these services")...)
		return
	}
	js := ""
	if m.IncludePlanJSON.ValueBool() { // the whole plan again, in state: only when asked for
		b, err := report.JSON(plan)
		if err != nil {
			resp.Diagnostics.AddError("Cannot render the plan", err.Error())
			return
		}
		js = string(b)
	}
	for _, w := range plan.Warnings {
		resp.Diagnostics.AddWarning("lbplanner_plan", w)
	}
	m.fill(plan, decl, js)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// fill writes the plan into the computed attributes, keeping the inputs as configured.
func (m *planModel) fill(p *planner.Plan, decl *planner.Declaration, js string) {
	rows := make(map[string]planner.ServicePlan, len(p.Services))
	for _, s := range p.Services {
		rows[s.Namespace+"/"+s.Name] = s
	}
	if !m.Manifests.IsNull() {
		m.Services = make([]serviceModel, len(decl.Services))
		for i, s := range decl.Services {
			m.Services[i] = declaredService(s)
		}
	}
	m.IncreaseForcedBy = strOrNull(p.Totals.IncreaseForcedBy)
	for i := range m.Services {
		s := &m.Services[i]
		row := rows[decl.Services[i].Key()]
		if s.Namespace.IsNull() {
			s.Namespace = types.StringValue(row.Namespace)
		}
		s.Exposure = types.StringValue(string(row.Exposure))
		s.LoadBalancer = types.StringNull()
		if row.LoadBalancer != nil {
			s.LoadBalancer = types.StringValue(*row.LoadBalancer)
		}
		s.Path, s.HopPath = types.StringValue(row.Path), types.StringValue(row.Path)
		s.AddedLatencyMs = quantityNumber(row.AddedLatencyMs)
		s.ChainLatencyMs = quantityNumber(row.ChainLatencyMs)
		s.CriticalChain = strs(row.CriticalChain)
		s.MonthlyCost = centsNumber(row.MonthlyCost)
		s.Reason = types.StringValue(row.Reason)
		s.ServiceType = types.StringValue(row.ServiceType)
		s.IngressClassName = strOrNull(row.IngressClassName)
		s.GatewayClassName = strOrNull(row.GatewayClassName)
		s.ExternalTrafficPolicy = strOrNull(row.ExternalTrafficPolicy)
		s.Annotations = row.Annotations
	}
	m.LoadBalancers = make([]loadBalancerOut, 0, len(p.LoadBalancers))
	for _, lb := range p.LoadBalancers {
		out := loadBalancerOut{
			ID: types.StringValue(lb.ID), Kind: types.StringValue(lb.Kind), Strategy: types.StringValue(lb.Strategy),
			Scheme: types.StringValue(lb.Scheme), Services: lb.Services, RuleOrder: lb.RuleOrder,
			SplitReason: strOrNull(lb.SplitReason), MonthlyCost: centsNumber(lb.MonthlyCost),
		}
		for _, c := range lb.Costs {
			out.Costs = append(out.Costs, costOut{
				Name: types.StringValue(c.Name), Quantity: decimalNumber(c.Quantity), Unit: types.StringValue(c.Unit),
				UnitPrice: decimalNumber(c.UnitPrice), MonthlyCost: centsNumber(c.MonthlyCost),
				Source: types.StringValue(c.Source), Date: types.StringValue(c.Date),
			})
		}
		m.LoadBalancers = append(m.LoadBalancers, out)
	}
	sort.SliceStable(m.LoadBalancers, func(a, b int) bool { return m.LoadBalancers[a].ID.ValueString() < m.LoadBalancers[b].ID.ValueString() })
	t := p.Totals
	m.MonthlyCost = centsNumber(t.MonthlyCost)
	m.BaselineMonthlyCost = centsNumber(t.BaselineMonthlyCost)
	m.SavingsVsBaseline = centsNumber(t.SavingsVsBaseline)
	m.CurrentMonthlyCost, m.SavingsVsCurrent = types.NumberNull(), types.NumberNull()
	if t.CurrentMonthlyCost != nil {
		m.CurrentMonthlyCost = centsNumber(*t.CurrentMonthlyCost)
		m.SavingsVsCurrent = centsNumber(*t.SavingsVsCurrent)
	}
	m.Optimality = types.StringValue(p.Optimality)
	m.CatalogDate = types.StringValue(p.Pricing.CatalogDate)
	m.PlanJSON = types.StringNull()
	if js != "" {
		m.PlanJSON = types.StringValue(js)
	}
}

func (d *planDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	num := func(desc string) schema.NumberAttribute {
		return schema.NumberAttribute{Optional: true, Description: desc}
	}
	out := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	money := func(desc string) schema.NumberAttribute {
		return schema.NumberAttribute{Computed: true, Description: desc + " In USD per month, rounded to cents."}
	}
	resp.Schema = schema.Schema{
		Description: "Plans the cheapest exposure of each service (ClusterIP, NodePort, a LoadBalancer of its own, or an Ingress " +
			"on a shared ALB or in-cluster proxy) that honours its protocol, audience, latency budget and needs, with every cost itemised " +
			"from the provider's price catalog. Inputs mirror the lbplanner declaration file in snake_case.",
		Attributes: map[string]schema.Attribute{
			"cloud": schema.StringAttribute{Required: true, Description: "Cloud to plan for: `aws`, `gcp`, `azure` or `baremetal` (a cluster on its own hardware, whose prices the `address_pool` and `node_cost` give).",
				Validators: []validator.String{stringvalidator.OneOf("aws", "gcp", "azure", planner.CloudBareMetal)}},
			"region": schema.StringAttribute{Optional: true, Description: "Cloud region, e.g. `us-east-1`; must be in the price catalog. Required but on `baremetal`."},
			"zones": schema.Int64Attribute{Optional: true,
				Description: "Availability zones the load balancers span (1 to 6; default 2). An internet-facing load balancer holds one public IPv4 address per zone.",
				Validators:  []validator.Int64{int64validator.Between(1, planner.MaxZones)}},
			"strategies": schema.ListAttribute{ElementType: types.StringType, Optional: true,
				Description: "Shared-exposure strategies the planner may use. AWS: `alb` (AWS Load Balancer Controller IngressGroup), `gateway` (the controller v3's Gateway API: HTTP routes sharing an ALB and TCP, UDP and TLS services sharing an NLB per Gateway; opt-in: it needs that controller version with Gateway API enabled); GCP: `gce` (GKE Ingress), `gateway` (a shared GKE Gateway); Azure: `appgw` (Application Gateway v2 through AGIC), `agc` (Application Gateway for Containers, where the catalog prices it); every cloud: `proxy` (an in-cluster proxy behind one layer-4 load balancer; `nginx` is its old name, still accepted, which also picks ingress-nginx). Default: all the cloud supports but the opt-in ones, where the catalog prices them; an empty list forbids sharing.",
				Validators:  []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf(planner.AllStrategies()...))}},
			"allow_node_port": schema.BoolAttribute{Optional: true, Description: "Whether services may be exposed as NodePort (free, adds a node hop). Default false."},
			"aws_load_balancer_controller": schema.BoolAttribute{Optional: true,
				Description: "Whether the AWS Load Balancer Controller runs in the cluster (default true). Without it a LoadBalancer Service is a Classic LB and ALB Ingresses are unavailable."},
			"latency": schema.SingleNestedAttribute{Optional: true, Description: "Per-hop latency assumptions, in milliseconds.",
				Attributes: map[string]schema.Attribute{
					"load_balancer_ms": num("Latency a cloud load balancer hop adds (default 1)."),
					"proxy_ms":         num("Latency an in-cluster proxy hop adds (default 1)."),
					"node_hop_ms":      num("Latency a node hop (NodePort, instance targets) adds (default 0.2)."),
					"sidecar_ms":       num("Latency one mesh sidecar adds (default: the mesh's published figure: istio 0.85, linkerd 1, sidecarless meshes 0)."),
				}},
			"mesh": schema.StringAttribute{Optional: true,
				Description: "The service mesh: `none` (default), `istio`, `istio-ambient`, `linkerd` or `cilium`; its sidecars add hops to every path and call.",
				Validators:  []validator.String{stringvalidator.OneOf(planner.Meshes()...)}},
			"proxy": schema.SingleNestedAttribute{Optional: true, Description: "The in-cluster proxy of the `proxy` strategy: its implementation and pod sizing, priced per vCPU-hour and GiB-hour.",
				Attributes: map[string]schema.Attribute{
					"implementation": schema.StringAttribute{Optional: true,
						Description: "`envoy-gateway` (default), `nginx-gateway-fabric`, `traefik`, `haproxy`, `istio`, `contour` or `ingress-nginx` (retired: the plan warns). Gateway API implementations are routed through a Gateway and routes, the others through Ingress.",
						Validators:  []validator.String{stringvalidator.OneOf(planner.ProxyImplementations()...)}},
					"replicas":   schema.Int64Attribute{Optional: true, Description: "Proxy replicas (default 2)."},
					"cpu":        num("vCPU requested per replica (default: the implementation's own request, e.g. 0.1 for Envoy Gateway)."),
					"memory_gib": num("Memory requested per replica in GiB (default: the implementation's own request, e.g. 0.5 for Envoy Gateway)."),
				}},
			"existing_forwarding_rules": schema.SingleNestedAttribute{Optional: true,
				Description: "GCP: forwarding rules the project already has; the first five per scope are billed flat, so the plan's added cost depends on them. Default 0 and 0.",
				Attributes: map[string]schema.Attribute{
					"global":   schema.Int64Attribute{Optional: true, Description: "Global forwarding rules (external Application Load Balancers)."},
					"regional": schema.Int64Attribute{Optional: true, Description: "Forwarding rules in the plan's region."},
				}},
			"container_native": schema.BoolAttribute{Optional: true,
				Description: "GCP: whether GKE Ingress and Gateway reach pods directly through network endpoint groups (default true); false adds a node hop."},
			"existing_load_balancer_rules": schema.SingleNestedAttribute{Optional: true,
				Description: "Azure: rules the cluster's Standard load balancers already have; the first five per load balancer are billed flat.",
				Attributes: map[string]schema.Attribute{
					"public":   schema.Int64Attribute{Optional: true, Description: "Rules of the public load balancer (default 1: the AKS outbound rule)."},
					"internal": schema.Int64Attribute{Optional: true, Description: "Rules of the internal load balancer (default 0: it does not exist yet)."},
				}},
			"app_gateway": schema.SingleNestedAttribute{Optional: true, Description: "Azure: sizing of the Application Gateway of the `appgw` strategy.",
				Attributes: map[string]schema.Attribute{
					"min_instances": schema.Int64Attribute{Optional: true, Description: "Autoscaling minimum instances (default 0); each is billed as 10 capacity units."},
				}},
			"address_pool": schema.SingleNestedAttribute{Optional: true,
				Description: "Bare metal: the pool every LoadBalancer Service, shared address and proxy takes an address from. The plan minimises addresses first, then cost, and is an error saying how many are missing when the pool is too small.",
				Attributes: map[string]schema.Attribute{
					"size":                     schema.Int64Attribute{Optional: true, Description: "Addresses in the pool (default: as many as needed)."},
					"monthly_cost_per_address": num("What one address costs a month (default 0)."),
				}},
			"bare_metal_load_balancer": schema.StringAttribute{Optional: true,
				Description: "Bare metal: what assigns the addresses: `metallb` (default; Services share one with `metallb.universe.tf/allow-shared-ip`), `cilium` (`lbipam.cilium.io/sharing-key`) or `kube-vip` (no sharing key: an address each).",
				Validators:  []validator.String{stringvalidator.OneOf(planner.BareMetalLBs()...)}},
			"node_cost": schema.SingleNestedAttribute{Optional: true, Description: "Bare metal: what the nodes cost, for the in-cluster proxy's pods (default 0).",
				Attributes: map[string]schema.Attribute{
					"vcpu_hour": num("Per vCPU-hour."),
					"gib_hour":  num("Per GiB-hour."),
				}},
			"manifests": schema.StringAttribute{Optional: true,
				Description: "Kubernetes manifests (multi-document YAML or JSON, e.g. from `file()`) to plan instead of `services`: Services, Ingresses, IngressClasses, Gateway API Gateways, GatewayClasses and routes, Istio Gateways and VirtualServices, read as `lbplanner plan MANIFESTS` reads them. `services` then lists what was read, with the plan."},
			"traffic": schema.MapNestedAttribute{Optional: true,
				Description: "With `manifests`: traffic by `namespace/name`, in place of the Services' lbplanner.io traffic annotations.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"requests_per_second":        num("HTTP requests per second."),
					"new_connections_per_second": num("New connections (or UDP flows) per second."),
					"active_connections":         num("Concurrent connections."),
					"gb_per_month":               num("Gigabytes processed per month."),
				}}},
			"increase_forced_by": out("When the plan costs more than today: which requirement forces it; else null."),
			"services": schema.ListNestedAttribute{Optional: true, Computed: true,
				Description: "The services to plan, in any order (or set `manifests`). Each element keeps its inputs and gains the plan's computed attributes.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":      schema.StringAttribute{Required: true, Description: "Service name (a DNS-1035 label)."},
					"namespace": schema.StringAttribute{Optional: true, Computed: true, Description: "Namespace (default `default`)."},
					"protocol": schema.StringAttribute{Required: true, Description: "One of `HTTP`, `HTTPS`, `GRPC`, `TCP`, `UDP`, `TLS`.",
						Validators: []validator.String{stringvalidator.OneOf(planner.Protocols()...)}},
					"port": schema.Int64Attribute{Required: true, Description: "Service port (1 to 65535).",
						Validators: []validator.Int64{int64validator.Between(1, 65535)}},
					"audience": schema.StringAttribute{Required: true, Description: "Who must reach it: `cluster` (ClusterIP), `vpc` (internal scheme) or `internet` (internet-facing).",
						Validators: []validator.String{stringvalidator.OneOf(planner.Audiences()...)}},
					"hosts": schema.ListAttribute{ElementType: types.StringType, Optional: true, Description: "Host names routed to it on a shared HTTP load balancer."},
					"paths": schema.ListAttribute{ElementType: types.StringType, Optional: true, Description: "URL paths routed to it (HTTP, HTTPS and GRPC only). Each host x path is one ALB rule."},
					"certificate": schema.StringAttribute{Optional: true,
						Description: "Certificate name it shares with others (HTTPS, GRPC, TLS). Default: one certificate per distinct host."},
					"traffic": schema.SingleNestedAttribute{Optional: true, Description: "Expected steady load; missing figures are 0.",
						Attributes: map[string]schema.Attribute{
							"requests_per_second":        num("HTTP requests per second (drives ALB rule evaluations)."),
							"new_connections_per_second": num("New connections (or UDP flows) per second."),
							"active_connections":         num("Concurrent connections."),
							"gb_per_month":               num("Gigabytes processed per month."),
						}},
					"latency_budget_ms": num("Most added latency (summed hops, ms) the service tolerates; exposures over it are excluded."),
					"needs": schema.ListAttribute{ElementType: types.StringType, Optional: true,
						Description: "Any of `clientIP`, `staticIP`, `tlsPassthrough` (needs a layer-4 load balancer), `dedicated` (a load balancer of its own).",
						Validators:  []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf(planner.Needs()...))}},
					"current": schema.StringAttribute{Optional: true, Description: "How it is exposed today (`ClusterIP`, `NodePort`, `LoadBalancer`, `Ingress`), for savings.",
						Validators: []validator.String{stringvalidator.OneOf(planner.Exposures()...)}},
					"pin": schema.StringAttribute{Optional: true, Description: "Force an exposure (`ClusterIP`, `NodePort`, `LoadBalancer`, `Ingress`); an infeasible pin is an error.",
						Validators: []validator.String{stringvalidator.OneOf(planner.Exposures()...)}},
					"current_load_balancer": schema.SingleNestedAttribute{Optional: true,
						Description: "The load balancer that serves it today: services naming the same one share it, today's cost is priced per load balancer as billed, and a plan that costs no less keeps it (and its name).",
						Attributes:  currentLBAttributes()},
					"also_on": schema.ListNestedAttribute{Optional: true,
						Description:  "Other load balancers that route to it today (a second Ingress, an internal entry beside a public one): kept as they are, priced today and in the plan alike.",
						NestedObject: schema.NestedAttributeObject{Attributes: currentLBAttributes()}},
					"ports": schema.ListNestedAttribute{Optional: true,
						Description: "Every port of a multi-port Service (`port` is then the first): a listener (AWS), forwarding rule per protocol (GCP) or rule per port (Azure) each; a shared HTTP load balancer only if every port is HTTP, HTTPS or GRPC.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"port": schema.Int64Attribute{Required: true, Description: "Port (1 to 65535).",
								Validators: []validator.Int64{int64validator.Between(1, 65535)}},
							"protocol": schema.StringAttribute{Required: true, Description: "`HTTP`, `HTTPS`, `GRPC`, `TCP`, `UDP` or `TLS`.",
								Validators: []validator.String{stringvalidator.OneOf(planner.Protocols()...)}},
						}}},
					"static_addresses": schema.ListAttribute{ElementType: types.StringType, Optional: true,
						Description: "With the `staticIP` need, the addresses reserved for it, written on its LoadBalancer Service: AWS Elastic IP allocation ids (one per zone), a GCP reserved address name, an Azure public IP name."},
					"calls": schema.ListAttribute{ElementType: types.StringType, Optional: true,
						Description: "Services (namespace/name) it calls while serving a request: its `chain_latency_ms` follows them, and its `latency_budget_ms` then applies to the whole chain."},
					"routed_with": schema.ListAttribute{ElementType: types.StringType, Optional: true,
						Description: "Services (namespace/name) one routing rule splits its traffic with (a canary's weighted backends): kept on one load balancer."},
					"headless": schema.BoolAttribute{Optional: true, Description: "A headless Service (clusterIP None): never of type LoadBalancer or NodePort."},
					"labels":   schema.MapAttribute{ElementType: types.StringType, Optional: true, Description: "Free-form labels, e.g. team."},

					"exposure":      out("Chosen exposure: `ClusterIP`, `NodePort`, `LoadBalancer` or `Ingress`."),
					"load_balancer": out("ID of the load balancer it uses (see `load_balancers`): the Ingress object or IngressGroup name for shared ones; null for ClusterIP and NodePort."),
					"hop_path":      out("The hops a request takes, e.g. `client -> ALB -> pod` (not the input `paths`)."),
					"path": schema.StringAttribute{Computed: true, Description: "The hop path, as `hop_path`: deprecated, easily taken for the input `paths`.",
						DeprecationMessage: "Use hop_path."},
					"added_latency_ms": schema.NumberAttribute{Computed: true, Description: "Latency its hop path adds, in milliseconds."},
					"chain_latency_ms": schema.NumberAttribute{Computed: true, Description: "Its added latency plus the slowest chain of calls it makes (see `calls`), in milliseconds."},
					"critical_chain": schema.ListAttribute{ElementType: types.StringType, Computed: true,
						Description: "Every hop of that slowest chain, one entry per service on it; null when it calls nothing."},
					"monthly_cost":            money("Its share of its load balancer's cost, allocated by the usage that drives each cost line."),
					"reason":                  out("Why this exposure, with the alternatives it beat or could not use."),
					"service_type":            out("The `type` to give its kubernetes_service: `ClusterIP`, `NodePort` or `LoadBalancer`."),
					"ingress_class_name":      out("For Ingress exposures through an IngressClass, the kubernetes_ingress_v1 `ingress_class_name` (`alb`, `nginx`, `haproxy`, `azure-application-gateway`, or today's proxy class); else null (GKE Ingress uses the `kubernetes.io/ingress.class` annotation)."),
					"external_traffic_policy": out("`Local` when its load balancer targets nodes and it needs the client address (`clientIP`); else null (Cluster)."),
					"gateway_class_name":      out("For services routed through a Gateway the plan adds (GKE Gateway, an AWS NLB Gateway, Application Gateway for Containers, a Gateway API proxy), its `gatewayClassName`; else null."),
					"annotations": schema.MapAttribute{ElementType: types.StringType, Computed: true,
						Description: "Annotations ready to put on its kubernetes_ingress_v1 (Ingress exposures, including `alb.ingress.kubernetes.io/group.name` and `group.order`) or its kubernetes_service (other exposures)."},
				}},
			},
			"load_balancers": schema.ListNestedAttribute{Computed: true, Description: "The cloud load balancers of the plan, by ID.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           out("Stable ID, e.g. `alb-internet-1` or `nlb-shop-checkout`; also the IngressGroup name of a shared ALB."),
					"kind":         out("AWS: `alb`, `nlb`, `clb`; GCP: `gce-ingress`, `gke-gateway`, `passthrough-nlb`, `forwarding-rules`; Azure: `azure-lb`, `appgw`, `agc`, `azure-lb-frontend`."),
					"strategy":     out("The shared strategy (`alb`, `gce`, `gateway`, `appgw`, `agc`, `proxy`), `dedicated` (one LoadBalancer Service), `cluster` (the AKS cluster load balancer) or `shared-charge` (rules billed per project scope)."),
					"scheme":       out("`internet-facing` or `internal` (`global` or `regional` for GCP forwarding-rule charges)."),
					"services":     schema.ListAttribute{ElementType: types.StringType, Computed: true, Description: "Its services, as namespace/name."},
					"rule_order":   schema.ListAttribute{ElementType: types.StringType, Computed: true, Description: "For a shared ALB, its services in rule order: busiest first (the order that minimises billed rule evaluations) among the orders that keep routing (a more specific path on a host first)."},
					"split_reason": out("Why a scheme's shared ALBs are several rather than one (a quota, a route collision, or cost); else null."),
					"monthly_cost": money("The load balancer's cost: the sum of its cost lines."),
					"costs": schema.ListNestedAttribute{Computed: true, Description: "Itemised monthly costs.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"name":         out("What is charged, e.g. `ALB LCU-hours (billed on processed bytes)`."),
							"quantity":     schema.NumberAttribute{Computed: true, Description: "Quantity per month, in `unit`."},
							"unit":         out("Unit of the quantity and price, e.g. `LCU-hour`."),
							"unit_price":   schema.NumberAttribute{Computed: true, Description: "Catalog price per unit in USD."},
							"monthly_cost": money("quantity x unit_price."),
							"source":       out("Where the catalog price comes from."),
							"date":         out("When the price was read (YYYY-MM-DD)."),
						}},
					},
				}},
			},
			"monthly_cost":          money("Total of the plan."),
			"baseline_monthly_cost": money("What a LoadBalancer Service per externally reachable service would cost."),
			"current_monthly_cost":  money("What the services' `current` exposures cost (services without `current` count at their planned share); null when no service declares `current`."),
			"savings_vs_baseline":   money("baseline_monthly_cost - monthly_cost."),
			"savings_vs_current":    money("current_monthly_cost - monthly_cost; null without `current`."),
			"optimality":            out("`exact` when every scheme was partitioned exactly, else how the plan was found."),
			"catalog_date":          out("Date of the price catalog used."),
			"plan_json":             out("With `include_plan_json`, the whole plan as the `lbplanner plan -o json` command prints it; else null."),
			"include_plan_json": schema.BoolAttribute{Optional: true,
				Description: "Whether to fill `plan_json` (default false: it repeats the whole plan in state, megabytes for thousands of services)."},
		},
	}
}
