package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// serviceKeyRe is the shape of a services key: namespace/name (each then checked as a DNS-1035 label).
var serviceKeyRe = regexp.MustCompile(`^[^/]+/[^/]+$`)

// currentLBAttributes describe a load balancer of today (current_load_balancer, also_on).
func currentLBAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"kind": schema.StringAttribute{Required: true, Description: "AWS: `alb`, `nlb`, `clb`, `proxy`; GCP: `gce`, `gateway`, `lb`, `proxy`; Azure: `appgw`, `agc` (Application Gateway for Containers), `lb`, `proxy` (an in-cluster proxy behind one layer-4 load balancer); bare metal: `address`, `proxy`.",
			Validators: []validator.String{stringvalidator.OneOf(planner.AllCurrentKinds()...)}},
		"name": schema.StringAttribute{Optional: true, Description: "The IngressGroup, the Ingress (namespace/name), the Gateway (gateway:namespace/name), the Application Gateway for Containers resource (namespace/name or its Azure resource ID) or the proxy's IngressClass; none for a LoadBalancer Service's own."},
		"scheme": schema.StringAttribute{Optional: true, Description: "`internet` or `internal` today (default: from the audience).",
			Validators: []validator.String{stringvalidator.OneOf(planner.AudienceInternet, "internal")}},
		"frontend": schema.StringAttribute{Optional: true, Description: "Application Gateway for Containers only: the frontend the service is reached through today (its Gateway as gateway:namespace/name, or its Ingress); each frontend is billed by the hour."},
		"rule_position": schema.Int64Attribute{Optional: true, Description: "ALB (`alb`) only: where the service's first rule sits among its ALB's rules today, as the AWS Load Balancer Controller orders them (group.order, then the Ingress's namespace/name, then Exact, longest Prefix and other paths). When every service on an ALB gives one, today's rule evaluations are counted in that order; else busiest rule first. Read from the manifests when `manifests` is set.",
			Validators: []validator.Int64{int64validator.Between(1, 1_000_000)}},
		"http_frontend": schema.BoolAttribute{Optional: true, Description: "An HTTPS service is served over plain HTTP too today: a GKE Ingress (`gce`) with TLS whose `kubernetes.io/ingress.allow-http` is not `\"false\"`, an ALB Ingress listening on both ports (`alb`), ingress-nginx with TLS (`proxy`), or a route attached to both listeners of a Gateway (`gateway`, `alb`, `proxy`). That listener is a rule of its own (on an ALB, its rules twice), which a plan keeps (a client may use it); an opportunity says what turning it off saves."},
		"http_redirect": schema.BoolAttribute{Optional: true, Description: "With `http_frontend`: that plain-HTTP frontend redirects to HTTPS rather than serving (a Gateway's HTTP listener whose route redirects the service's hosts, a GKE Ingress whose FrontendConfig sets `redirectToHttps`, an ALB IngressGroup with `ssl-redirect`, ingress-nginx's default for TLS hosts, AGIC's `ssl-redirect` (`appgw`), an Istio Gateway's `httpsRedirect`). Priced as `http_frontend`; a plan that moves the service keeps the redirect. Read from the manifests when `manifests` is set."},
		"access_policy": schema.StringAttribute{Optional: true, Description: "The access controls today's load balancer holds for every service on it (an ALB IngressGroup's `inbound-cidrs`, `security-groups` or WAF ACL): services on load balancers with different ones never share one, and a service with one stays on a load balancer of today's kind (a Service's own `loadBalancerSourceRanges`, written `source-ranges=10.0.0.0/8,...`, on any load balancer of its own: each keeps them). Read from the manifests when `manifests` is set."},
	}
}

func (d *planDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	num := func(desc string) schema.NumberAttribute {
		return schema.NumberAttribute{Optional: true, Description: desc, Validators: []validator.Number{quantityValidator{}}}
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
					"redirects_http": schema.BoolAttribute{Optional: true,
						Description: "The proxy redirects every plain-HTTP request to HTTPS before routing it (Traefik's entry-point redirection): a service served over plain HTTP does not go through it. Read from the proxy's Deployment when `manifests` is set."},
					"replace_today": schema.BoolAttribute{Optional: true,
						Description: "Plan the services of today's in-cluster proxies anew, as if those proxies were gone, the proxies the plan adds being `envoy-gateway`'s: the move off them (a retired ingress-nginx), whatever it costs beside keeping them (a warning says how much more or less)."},
					"today": schema.ListNestedAttribute{Optional: true,
						Description: "Today's in-cluster proxies sized apart: one of another implementation (ingress-nginx beside Envoy Gateway while a cluster moves), or whose pods differ. A proxy the plan keeps is priced with its entry, today and in the plan; the others with the attributes above. Read from the manifests when `manifests` is set.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"name": schema.StringAttribute{Required: true, Description: "The proxy: the `current_load_balancer` name (kind `proxy`) of the services on it today.",
								Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
							"implementation": schema.StringAttribute{Optional: true, Description: "Its implementation (default: the proxy's `implementation`).",
								Validators: []validator.String{stringvalidator.OneOf(planner.ProxyImplementations()...)}},
							"replicas":   schema.Int64Attribute{Optional: true, Description: "Its replicas (default 2).", Validators: []validator.Int64{int64validator.Between(1, planner.MaxProxyReplica)}},
							"cpu":        num("vCPU requested per replica (default: its implementation's own request)."),
							"memory_gib": num("Memory requested per replica in GiB (default: its implementation's own request)."),
						}}},
				}},
			"existing_forwarding_rules": schema.SingleNestedAttribute{Optional: true,
				Description: "GCP: forwarding rules the project already has; the first five per scope are billed flat, so the plan's added cost depends on them. Default 0 and 0.",
				Attributes: map[string]schema.Attribute{
					"global":   schema.Int64Attribute{Optional: true, Description: "Global forwarding rules (external Application Load Balancers)."},
					"regional": schema.Int64Attribute{Optional: true, Description: "Forwarding rules in the plan's region."},
				}},
			"cross_zone": schema.SingleNestedAttribute{Optional: true,
				Description: "Which hops send traffic to other availability zones, each billed as data transfer on the (zones-1)/zones share of its bytes where the catalog prices it (AWS: $0.01/GB out of one zone and $0.01/GB into the other; GCP: $0.01/GiB, billed once to the sender; Azure: not modelled).",
				Attributes: map[string]schema.Attribute{
					"nlb": schema.BoolAttribute{Optional: true,
						Description: "AWS: cross-zone load balancing on the NLBs the plan adds (default false, the AWS Load Balancer Controller's default; rendered as the `load_balancing.cross_zone.enabled` attribute). ALBs cross zones free."},
					"proxy": schema.BoolAttribute{Optional: true,
						Description: "The in-cluster proxy forwards to backend pods in every zone (default true); false when topology-aware routing (`trafficDistribution: PreferClose`) keeps it in its zone."},
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
				Description: "Kubernetes manifests (multi-document YAML or JSON, e.g. from `file()`) to plan instead of `services`: Services, Ingresses, IngressClasses, Gateway API Gateways, GatewayClasses and routes, Istio Gateways and VirtualServices, read as `lbplanner plan MANIFESTS` reads them. `service_plans` then lists what was read, with the plan."},
			"traffic": schema.MapNestedAttribute{Optional: true,
				Description: "With `manifests`: traffic by `namespace/name`, in place of the Services' lbplanner.io traffic annotations.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"requests_per_second":        num("HTTP requests per second."),
					"new_connections_per_second": num("New connections (or UDP flows) per second."),
					"active_connections":         num("Concurrent connections."),
					"gb_per_month":               num("Gigabytes processed per month."),
				}}},
			"increase_forced_by": out("When the plan costs more than today: which requirement forces it; else null."),
			"services": schema.MapNestedAttribute{Optional: true,
				Description: "The services to plan, keyed by `namespace/name` (each a DNS-1035 label), or set `manifests`. The keys stay known when values are not, so `for_each` over `service_plans` works before apply. Their plans are in `service_plans`, under the same keys.",
				Validators: []validator.Map{mapvalidator.KeysAre(stringvalidator.RegexMatches(serviceKeyRe,
					"must be namespace/name, e.g. shop/checkout"))},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
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
						Description: "Any of `clientIP`, `staticIP`, `tlsPassthrough` (needs a layer-4 load balancer), `dedicated` (a load balancer of its own), `rewrite` (today's controller rewrites its requests), `backendTLS` (its pods serve TLS, which today's controller speaks) and `auth` (today's controller authenticates or restricts its requests): these keep it on a load balancer of the kind of `current_load_balancer`; `exactMatch` (a rule splits its requests by a header or query value compared exactly) rules out ALBs, which compare them ignoring case.",
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
						Description: "Services (namespace/name) one routing rule splits its traffic with (a canary's weighted backends), or that share its host and path where a rule takes some of their requests (a header, query or method match, a canary Ingress): kept on one load balancer."},
					"headless": schema.BoolAttribute{Optional: true, Description: "A headless Service (clusterIP None): never of type LoadBalancer or NodePort."},
					"cluster_ports": schema.ListAttribute{ElementType: types.Int64Type, Optional: true,
						Description: "Ports of the Service that only the cluster reaches today (it is routed by an Ingress or a route on another port): never made a LoadBalancer or NodePort Service, which would expose them too.",
						Validators:  []validator.List{listvalidator.ValueInt64sAre(int64validator.Between(1, 65535))}},
					"labels": schema.MapAttribute{ElementType: types.StringType, Optional: true, Description: "Free-form labels, e.g. team."},
				}},
			},
			"service_plans": schema.MapNestedAttribute{Computed: true,
				Description: "Each service's plan, keyed by `namespace/name` as `services` is (or as read from `manifests`).",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":             out("Service name."),
					"namespace":        out("Its namespace."),
					"protocol":         out("Its protocol, as declared (or read from the manifests)."),
					"port":             schema.Int64Attribute{Computed: true, Description: "Its (first) port."},
					"audience":         out("Who must reach it: `cluster`, `vpc` or `internet`."),
					"exposure":         out("Chosen exposure: `ClusterIP`, `NodePort`, `LoadBalancer` or `Ingress`."),
					"load_balancer":    out("ID of the load balancer it uses (see `load_balancers`): the Ingress object or IngressGroup name for shared ones; null for ClusterIP and NodePort."),
					"hop_path":         out("The hops a request takes, e.g. `client -> ALB -> pod` (not the input `paths`)."),
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
			"load_balancers": schema.MapNestedAttribute{Computed: true, Description: "The cloud load balancers of the plan, keyed by ID.",
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
			"opportunities": schema.ListNestedAttribute{Computed: true,
				Description: "Savings the plan could make with something the services do not say: a host or path of their own (to share a load balancer), or plain HTTP turned off where it is served beside HTTPS today. Empty past 2,000 services.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"service":        out("The service it concerns (`namespace/name`)."),
					"action":         out("What to do, e.g. `give shop/web a host of its own`."),
					"monthly_saving": money("What the plan would then save a month."),
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
