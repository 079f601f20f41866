package planner

import "slices"

// Protocols a service may declare.
const (
	ProtoHTTP  = "HTTP"
	ProtoHTTPS = "HTTPS"
	ProtoGRPC  = "GRPC"
	ProtoTCP   = "TCP"
	ProtoUDP   = "UDP"
	ProtoTLS   = "TLS"
)

// Audiences a service may declare.
const (
	AudienceCluster  = "cluster"
	AudienceVPC      = "vpc"
	AudienceInternet = "internet"
)

// Needs a service may declare.
const (
	NeedClientIP       = "clientIP"
	NeedStaticIP       = "staticIP"
	NeedTLSPassthrough = "tlsPassthrough"
	NeedDedicated      = "dedicated"
	// NeedRewrite: today's controller rewrites or matches its requests in a
	// way only it does (a path rewrite, a regular-expression path, a
	// snippet, a route's URL rewrite) or keeps a client's requests on one pod
	// (session affinity): it is planned only on a load balancer
	// of today's kind (currentLoadBalancer), where that stays as it is.
	NeedRewrite = "rewrite"
	// NeedBackendTLS: its pods serve TLS, which today's controller is set up
	// to speak (backend-protocol HTTPS, a BackendTLSPolicy): it is planned
	// only on a load balancer of today's kind, where that stays as it is.
	NeedBackendTLS = "backendTLS"
	// NeedAuth: today's controller authenticates its requests or restricts
	// who reaches it (ALB OIDC or Cognito, ingress-nginx auth-url or an
	// allow-list): it is planned only on a load balancer of today's kind,
	// where that stays as it is.
	NeedAuth = "auth"
	// NeedExactMatch: a rule splits its requests from other services' by a
	// header or query value compared exactly (an HTTPRoute's match, an
	// ingress-nginx canary's header): it is not planned onto an ALB, which
	// compares those values ignoring case and reads * and ? as wildcards,
	// so requests would go elsewhere than today.
	NeedExactMatch = "exactMatch"
)

// todaysKindNeeds are the needs that keep a service on a load balancer of
// its currentLoadBalancer's kind, each with why (its %s: that kind).
var todaysKindNeeds = []struct{ need, why string }{
	{NeedRewrite, "today's %s controller rewrites its requests"},
	{NeedBackendTLS, "its pods serve TLS, which today's %s controller is set up to speak"},
	{NeedAuth, "today's %s controller authenticates its requests or restricts who reaches it"},
}

// ExactPrefix marks a path that matches only itself ("=/login", an Ingress
// pathType Exact); other paths match their prefix.
const ExactPrefix = "="

// Exposure is how a service is reached.
type Exposure string

// The four exposures of a Kubernetes service.
const (
	ClusterIP    Exposure = "ClusterIP"
	NodePort     Exposure = "NodePort"
	LoadBalancer Exposure = "LoadBalancer"
	Ingress      Exposure = "Ingress"
)

// Shared-exposure strategies.
const (
	StrategyALB     = "alb"     // AWS: ALB IngressGroup through the AWS Load Balancer Controller
	StrategyProxy   = "proxy"   // any cloud: an in-cluster proxy (proxy.implementation) behind one L4 load balancer
	StrategyGCE     = "gce"     // GCP: GKE Ingress, one load balancer per Ingress object
	StrategyGateway = "gateway" // GCP: one shared GKE Gateway; AWS (opt-in): HTTP sharing an ALB, layer-4 services an NLB, per Gateway
	StrategyAppGW   = "appgw"   // Azure: Application Gateway v2 through AGIC
	StrategyAGC     = "agc"     // Azure: Application Gateway for Containers (where the catalog prices it)
	// StrategySharedIP (bare metal): LoadBalancer Services sharing a pool
	// address, their ports apart (MetalLB, Cilium LB-IPAM sharing keys)
	StrategySharedIP = "shared-ip"
	// StrategyNginxAlias is the proxy strategy's old name, still accepted:
	// it also picks ingress-nginx when no implementation is declared.
	StrategyNginxAlias = "nginx"
)

var (
	knownProtocols = []string{ProtoHTTP, ProtoHTTPS, ProtoGRPC, ProtoTCP, ProtoUDP, ProtoTLS}
	knownAudiences = []string{AudienceCluster, AudienceVPC, AudienceInternet}
	knownNeeds     = []string{NeedClientIP, NeedStaticIP, NeedTLSPassthrough, NeedDedicated, NeedRewrite, NeedBackendTLS, NeedAuth, NeedExactMatch}
	knownExposures = []string{string(ClusterIP), string(NodePort), string(LoadBalancer), string(Ingress)}
	// OptInStrategies are offered only when declared: AWS's gateway needs
	// the AWS Load Balancer Controller v3 with Gateway API enabled.
	OptInStrategies = map[string][]string{"aws": {StrategyGateway}}
	// CloudStrategies lists the shared-exposure strategies each supported cloud offers.
	CloudStrategies = map[string][]string{
		"aws":       {StrategyALB, StrategyGateway, StrategyProxy},
		"gcp":       {StrategyGCE, StrategyGateway, StrategyProxy},
		"azure":     {StrategyAppGW, StrategyAGC, StrategyProxy},
		"baremetal": {StrategySharedIP, StrategyProxy},
	}
)

// Defaults documented in the README.
const (
	DefaultZones         = 2
	DefaultHoursPerMonth = 730
)

// Default latency and proxy assumptions, in Quantity units.
var (
	DefaultLoadBalancerMs = Quantity(1 * QuantityScale)
	DefaultProxyMs        = Quantity(1 * QuantityScale)
	DefaultNodeHopMs      = Quantity(QuantityScale / 5) // 0.2 ms
	DefaultProxyReplicas  = 2                           // two replicas for availability
)

// CrossZone says which hops cross availability zones. Each crossing hop sends
// the share (zones-1)/zones of its bytes to another zone, billed as data
// transfer out of one zone and into the other.
type CrossZone struct {
	// NLB (default false, the AWS Load Balancer Controller's default): cross-zone
	// load balancing on the NLBs the plan adds (rendered as their
	// load_balancing.cross_zone.enabled attribute). ALBs cross zones free.
	NLB *bool `yaml:"nlb,omitempty" json:"nlb,omitempty"`
	// Proxy (default true): the in-cluster proxy forwards to backend pods in
	// every zone; false when topology-aware routing (trafficDistribution:
	// PreferClose, or topology-mode Auto) keeps it in its own zone.
	Proxy *bool `yaml:"proxy,omitempty" json:"proxy,omitempty"`
}

// Declaration is the planner's input: a cluster's services and the choices
// the planner may make for them.
type Declaration struct {
	Cloud                     string              `yaml:"cloud" json:"cloud"`
	Region                    string              `yaml:"region" json:"region"`
	Zones                     int                 `yaml:"zones,omitempty" json:"zones,omitempty"`
	HoursPerMonth             *Quantity           `yaml:"hoursPerMonth,omitempty" json:"hoursPerMonth,omitempty"`
	Strategies                []string            `yaml:"strategies,omitempty" json:"strategies,omitempty"`
	AllowNodePort             bool                `yaml:"allowNodePort,omitempty" json:"allowNodePort,omitempty"`
	AWSLoadBalancerController *bool               `yaml:"awsLoadBalancerController,omitempty" json:"awsLoadBalancerController,omitempty"`
	Latency                   *LatencyAssumptions `yaml:"latency,omitempty" json:"latency,omitempty"`
	Proxy                     *ProxySizing        `yaml:"proxy,omitempty" json:"proxy,omitempty"`
	// Mesh is the service mesh the pods are in: none (default), istio,
	// istio-ambient, linkerd or cilium; its sidecars add hops to every path.
	Mesh string `yaml:"mesh,omitempty" json:"mesh,omitempty"`
	// ExistingForwardingRules (GCP) counts the forwarding rules the project already has per scope.
	ExistingForwardingRules *ForwardingRules `yaml:"existingForwardingRules,omitempty" json:"existingForwardingRules,omitempty"`
	// ContainerNative (GCP, default true): GKE Ingress and Gateway send traffic straight to pods (NEGs).
	ContainerNative *bool `yaml:"containerNative,omitempty" json:"containerNative,omitempty"`
	// CrossZone says which hops send traffic to other availability zones,
	// billed per GB each way where the catalog prices it (AWS).
	CrossZone *CrossZone `yaml:"crossZone,omitempty" json:"crossZone,omitempty"`
	// ExistingLoadBalancerRules (Azure) counts the rules the cluster's load balancers already have.
	ExistingLoadBalancerRules *LoadBalancerRules `yaml:"existingLoadBalancerRules,omitempty" json:"existingLoadBalancerRules,omitempty"`
	// AppGateway (Azure) sizes the Application Gateway of the appgw strategy.
	AppGateway *AppGatewaySizing `yaml:"appGateway,omitempty" json:"appGateway,omitempty"`
	// AddressPool (bare metal) is the pool LoadBalancer Services take addresses from.
	AddressPool *AddressPool `yaml:"addressPool,omitempty" json:"addressPool,omitempty"`
	// LoadBalancer (bare metal) is what assigns the addresses: metallb (default), cilium or kube-vip.
	LoadBalancer string `yaml:"loadBalancer,omitempty" json:"loadBalancer,omitempty"`
	// NodeCost (bare metal) prices the in-cluster proxy's pods (default 0).
	NodeCost *NodeCost `yaml:"nodeCost,omitempty" json:"nodeCost,omitempty"`
	Services []Service `yaml:"services" json:"services"`

	strategiesDefaulted bool              // Strategies were not declared (while they hold the default): every strategy the region can price
	proxyNormalised     bool              // the nginx alias and the proxy's defaults are resolved
	warnings            []string          // what the plan must tell (an alias)
	proxyUnsized        string            // the proxy's pods are priced at 0: its chart requests nothing
	todayUnsized        map[string]string // as proxyUnsized, for the entries of proxy.today, by name
	todaysProxy         string            // the implementation of today's proxies, when a re-plan prices new ones as another (newProxiesMaintained)
}

// todaysImpl is the implementation of today's in-cluster proxies.
func (d *Declaration) todaysImpl() *proxyImpl {
	if d.todaysProxy != "" {
		return proxyImplNamed(d.todaysProxy)
	}
	return proxyImplNamed(d.Proxy.Implementation)
}

// StrategiesDefaulted reports whether the strategies were not declared (and
// so hold the cloud's default once validated).
func (d *Declaration) StrategiesDefaulted() bool { return d.Strategies == nil || d.strategiesDefaulted }

// ForwardingRules counts a GCP project's forwarding rules in the global scope
// and in the plan's region.
type ForwardingRules struct {
	Global   int `yaml:"global,omitempty" json:"global,omitempty"`
	Regional int `yaml:"regional,omitempty" json:"regional,omitempty"`
}

// LoadBalancerRules counts the rules of an AKS cluster's public and internal
// Standard load balancers (the public one has its outbound rule: default 1).
type LoadBalancerRules struct {
	Public   *int `yaml:"public,omitempty" json:"public,omitempty"`
	Internal *int `yaml:"internal,omitempty" json:"internal,omitempty"`
}

// AppGatewaySizing is the Application Gateway v2 autoscaling minimum.
type AppGatewaySizing struct {
	MinInstances *int `yaml:"minInstances,omitempty" json:"minInstances,omitempty"`
}

// AddressPool is a bare-metal cluster's pool of load-balancer addresses:
// how many it holds (nil: as many as needed) and what one costs a month.
type AddressPool struct {
	Size                  *int      `yaml:"size,omitempty" json:"size,omitempty"`
	MonthlyCostPerAddress *Quantity `yaml:"monthlyCostPerAddress,omitempty" json:"monthlyCostPerAddress,omitempty"`
}

// NodeCost is what a vCPU and a GiB of a bare-metal node cost per hour.
type NodeCost struct {
	VCPUHour *Quantity `yaml:"vCPUHour,omitempty" json:"vCPUHour,omitempty"`
	GiBHour  *Quantity `yaml:"gibHour,omitempty" json:"gibHour,omitempty"`
}

// LatencyAssumptions are the per-hop latencies the planner adds up.
type LatencyAssumptions struct {
	LoadBalancerMs *Quantity `yaml:"loadBalancerMs,omitempty" json:"loadBalancerMs,omitempty"`
	ProxyMs        *Quantity `yaml:"proxyMs,omitempty" json:"proxyMs,omitempty"`
	NodeHopMs      *Quantity `yaml:"nodeHopMs,omitempty" json:"nodeHopMs,omitempty"`
	// SidecarMs is one mesh sidecar's hop (default: the mesh's published figure).
	SidecarMs *Quantity `yaml:"sidecarMs,omitempty" json:"sidecarMs,omitempty"`
}

// ProxySizing names and sizes the in-cluster proxy of the proxy strategy:
// CPU and MemoryGiB default to its implementation's own pod requests.
type ProxySizing struct {
	Implementation string    `yaml:"implementation,omitempty" json:"implementation,omitempty"`
	Replicas       *int      `yaml:"replicas,omitempty" json:"replicas,omitempty"`
	CPU            *Quantity `yaml:"cpu,omitempty" json:"cpu,omitempty"`
	MemoryGiB      *Quantity `yaml:"memoryGiB,omitempty" json:"memoryGiB,omitempty"`
	// RedirectsHTTP says the proxy controller redirects every plain-HTTP
	// request to HTTPS before routing it (Traefik's entry-point
	// redirection): a service served over plain HTTP cannot go through it.
	RedirectsHTTP bool `yaml:"redirectsHTTP,omitempty" json:"redirectsHTTP,omitempty"`
	// ReplaceToday plans the services of today's in-cluster proxies anew, as
	// if those proxies were gone, the proxies the plan adds being the default
	// implementation's (envoy-gateway): the plan of the move off them (a
	// retired ingress-nginx), taken whatever it costs beside keeping them.
	ReplaceToday bool `yaml:"replaceToday,omitempty" json:"replaceToday,omitempty"`
	// Today sizes today's in-cluster proxies apart, by name (a service's
	// currentLoadBalancer of kind proxy): one of another implementation
	// than Implementation (ingress-nginx beside Envoy Gateway while a
	// cluster moves), or whose pods differ. A proxy the plan keeps is priced
	// with its entry, today and in the plan; the others with the fields above.
	Today []TodaysProxy `yaml:"today,omitempty" json:"today,omitempty"`
}

// TodaysProxy is one of today's in-cluster proxies and its pods: its
// implementation (default: proxy.implementation), replicas (default 2) and
// each pod's requests (default: the implementation's own).
type TodaysProxy struct {
	Name           string    `yaml:"name" json:"name"`
	Implementation string    `yaml:"implementation,omitempty" json:"implementation,omitempty"`
	Replicas       *int      `yaml:"replicas,omitempty" json:"replicas,omitempty"`
	CPU            *Quantity `yaml:"cpu,omitempty" json:"cpu,omitempty"`
	MemoryGiB      *Quantity `yaml:"memoryGiB,omitempty" json:"memoryGiB,omitempty"`
}

// PlainHTTP says whether an HTTPS service is served over plain HTTP too
// today, and whether by a redirect to HTTPS (CurrentLB.HTTPFrontend and
// HTTPRedirect, or a plain HTTP port beside the HTTPS one of a load balancer
// of its own): a plan keeps what plain HTTP gets of it.
func (s *Service) PlainHTTP() (plain, redirect bool) { return s.frontend() }

// frontend says whether an HTTPS service is served over plain HTTP too
// today (CurrentLB.HTTPFrontend, or on a load balancer of its own a plain
// HTTP port beside its HTTPS one: a Classic LB ending TLS on 443 that
// serves 80 too) and whether that is a redirect.
func (s *Service) frontend() (plain, redirect bool) {
	c := s.CurrentLoadBalancer
	if c == nil {
		c = s.frontendGone
	}
	if s.Protocol != ProtoHTTPS && (s.Protocol != ProtoGRPC || c == nil || !c.HTTPRedirect) { // gRPC: a Gateway's redirect of its host
		return false, false
	}
	if s.Protocol == ProtoHTTPS && s.Current == LoadBalancer && slices.ContainsFunc(s.Ports, func(p ServicePort) bool { return p.Protocol == ProtoHTTP }) {
		return true, false
	}
	if c == nil {
		return false, false
	}
	return c.HTTPFrontend, c.HTTPFrontend && c.HTTPRedirect
}

// Service is one declared Kubernetes service.
type Service struct {
	Name            string    `yaml:"name" json:"name"`
	Namespace       string    `yaml:"namespace,omitempty" json:"namespace,omitempty"`
	Protocol        string    `yaml:"protocol" json:"protocol"`
	Port            int       `yaml:"port" json:"port"`
	Audience        string    `yaml:"audience" json:"audience"`
	Hosts           []string  `yaml:"hosts,omitempty" json:"hosts,omitempty"`
	Paths           []string  `yaml:"paths,omitempty" json:"paths,omitempty"`
	Certificate     string    `yaml:"certificate,omitempty" json:"certificate,omitempty"`
	Traffic         Traffic   `yaml:"traffic,omitempty" json:"traffic,omitempty"`
	LatencyBudgetMs *Quantity `yaml:"latencyBudgetMs,omitempty" json:"latencyBudgetMs,omitempty"`
	// frontendGone holds today's plain-HTTP frontend of a service whose
	// load balancer a re-plan does not keep (newProxiesMaintained): what plain
	// HTTP gets of it is kept all the same
	frontendGone *CurrentLB
	Needs        []string `yaml:"needs,omitempty" json:"needs,omitempty"`
	Current      Exposure `yaml:"current,omitempty" json:"current,omitempty"`
	// CurrentLoadBalancer is the load balancer that serves the service today
	// (its kind and the IngressGroup, Ingress, Gateway or controller that owns
	// it): today's cost is priced per load balancer as billed, and a plan that
	// costs no less keeps it.
	CurrentLoadBalancer *CurrentLB `yaml:"currentLoadBalancer,omitempty" json:"currentLoadBalancer,omitempty"`
	// AlsoOn lists the other load balancers that route to it today (a second
	// Ingress, an internal entry beside a public one). The plan keeps them as
	// they are: they are priced today and in the plan alike.
	AlsoOn []CurrentLB `yaml:"alsoOn,omitempty" json:"alsoOn,omitempty"`
	// RoutedWith names the services (namespace/name) that one routing rule
	// splits traffic with (weighted backends of a canary, a mirror), or that
	// share its host and path where a rule takes some of their requests (a
	// header, query or method match, a canary Ingress): they are kept on one
	// load balancer and may route the same host and path.
	RoutedWith []string `yaml:"routedWith,omitempty" json:"routedWith,omitempty"`
	// Ports lists every port of a Service that has more than one (port is
	// then the first), each with its protocol: a load balancer of its own
	// gets a listener (AWS), a forwarding rule per protocol (GCP) or a rule
	// per port (Azure) for them, and a shared HTTP load balancer can take
	// the Service only if every port is HTTP, HTTPS or gRPC.
	Ports []ServicePort `yaml:"ports,omitempty" json:"ports,omitempty"`
	// Headless Services (clusterIP: None) cannot be of type LoadBalancer or NodePort.
	Headless bool `yaml:"headless,omitempty" json:"headless,omitempty"`
	// ClusterPorts are ports of the Service that only the cluster reaches
	// today (a Service routed by an Ingress or a route on another port):
	// made a LoadBalancer or NodePort Service, it would expose them too, so
	// it is not made one.
	ClusterPorts []int    `yaml:"clusterPorts,omitempty" json:"clusterPorts,omitempty"`
	Pin          Exposure `yaml:"pin,omitempty" json:"pin,omitempty"`
	// Calls lists the services (namespace/name) it calls while serving a
	// request: its chain latency follows them, and its latency budget then
	// applies to the whole chain.
	Calls []string `yaml:"calls,omitempty" json:"calls,omitempty"`
	// StaticAddresses are the addresses reserved for it (staticIP): AWS's
	// Elastic IP allocation ids (one per zone), GCP's reserved address name,
	// Azure's public IP name; written on its LoadBalancer Service.
	StaticAddresses []string          `yaml:"staticAddresses,omitempty" json:"staticAddresses,omitempty"`
	Labels          map[string]string `yaml:"labels,omitempty" json:"labels,omitempty"`
}

// ServicePort is one port of a multi-port Service.
type ServicePort struct {
	Port     int    `yaml:"port" json:"port"`
	Protocol string `yaml:"protocol" json:"protocol"`
}

// Kinds of load balancer that may serve a service today (CurrentLB.Kind).
const (
	CurrentALB     = "alb"     // aws: an ALB of an IngressGroup, an Ingress or a Gateway (AWS Load Balancer Controller)
	CurrentNLB     = "nlb"     // aws: an NLB of a LoadBalancer Service or of a layer-4 Gateway
	CurrentCLB     = "clb"     // aws: a Classic LB of the in-tree provider
	CurrentProxy   = "proxy"   // any cloud: an in-cluster proxy (ingress-nginx, Traefik, Istio, Envoy Gateway, ...) behind one L4 load balancer
	CurrentGCE     = "gce"     // gcp: a GKE Ingress, one load balancer per Ingress object
	CurrentGateway = "gateway" // gcp: a GKE Gateway
	CurrentLB4     = "lb"      // gcp, azure: a LoadBalancer Service's passthrough forwarding rule or AKS load-balancer rule
	CurrentAppGW   = "appgw"   // azure: an Application Gateway v2 (AGIC)
	CurrentAGC     = "agc"     // azure: an Application Gateway for Containers (name: the resource; frontend: its Gateway or Ingress)
	CurrentAddress = "address" // baremetal: a pool address (name: the sharing key of Services that share it)
)

// CurrentLBKinds lists the current load-balancer kinds each cloud knows.
var CurrentLBKinds = map[string][]string{
	"aws":       {CurrentALB, CurrentNLB, CurrentCLB, CurrentProxy},
	"gcp":       {CurrentGCE, CurrentGateway, CurrentLB4, CurrentProxy},
	"azure":     {CurrentAppGW, CurrentAGC, CurrentLB4, CurrentProxy},
	"baremetal": {CurrentAddress, CurrentProxy},
}

// CurrentLB is the load balancer serving a service today. Services naming
// the same kind, name and scheme share it.
type CurrentLB struct {
	Kind string `yaml:"kind" json:"kind"`
	// Name is the IngressGroup (alb), the Ingress or Gateway as namespace/name,
	// or the proxy controller; a LoadBalancer Service's own NLB needs none.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// Scheme today (internet or internal); default: from the service's audience.
	Scheme string `yaml:"scheme,omitempty" json:"scheme,omitempty"`
	// Frontend (Application Gateway for Containers) names the frontend the
	// service is reached through today: its Gateway, or its Ingress (or the
	// frontend Ingresses share). Each frontend is billed by the hour.
	Frontend string `yaml:"frontend,omitempty" json:"frontend,omitempty"`
	// HTTPFrontend says an HTTPS service is served over plain HTTP too: a GKE
	// Ingress with TLS whose kubernetes.io/ingress.allow-http is not "false",
	// an ALB Ingress listening on both ports, ingress-nginx with TLS, or a
	// route on a Gateway attached to its HTTP and HTTPS listeners alike. That is a forwarding rule (or load
	// balancer rule) of its own, which a plan keeps, for a client may use it;
	// an opportunity says what turning it off would save.
	HTTPFrontend bool `yaml:"httpFrontend,omitempty" json:"httpFrontend,omitempty"`
	// HTTPRedirect says that plain-HTTP frontend (HTTPFrontend) answers by
	// redirecting to HTTPS rather than serving: a Gateway's HTTP listener
	// whose route redirects the service's hosts, a GKE Ingress whose
	// FrontendConfig sets redirectToHttps, an ALB IngressGroup's ssl-redirect,
	// ingress-nginx's default for TLS hosts, AGIC's ssl-redirect, an Istio
	// Gateway's httpsRedirect. Priced as HTTPFrontend; a plan
	// that moves the service keeps the redirect.
	HTTPRedirect bool `yaml:"httpRedirect,omitempty" json:"httpRedirect,omitempty"`
	// RulePosition (an ALB's) is where the service's first rule sits among
	// today's rules of its load balancer as the AWS Load Balancer Controller
	// orders them: by the Ingress's group.order, then its namespace/name,
	// then within it Exact paths, the longest Prefix paths, the rest as
	// listed. When every service on an ALB gives one, today's rule
	// evaluations are counted in that order; else busiest rule first, the
	// order a plan gives them. lbplanner import and plan read it from the
	// manifests.
	RulePosition int `yaml:"rulePosition,omitempty" json:"rulePosition,omitempty"`
	// AccessPolicy names the access controls today's load balancer holds for
	// every service on it (an ALB IngressGroup's inbound-cidrs, security
	// groups or WAF ACL, merged by the controller across its Ingresses):
	// services on load balancers with different ones never share one, and a
	// service with one stays on a load balancer of today's kind (a Service's
	// own loadBalancerSourceRanges, "source-ranges=10.0.0.0/8", on any load
	// balancer of its own: each keeps them). lbplanner import reads it from
	// the manifests.
	AccessPolicy string `yaml:"accessPolicy,omitempty" json:"accessPolicy,omitempty"`
}

// Traffic is a service's expected steady load.
type Traffic struct {
	RequestsPerSecond       Quantity `yaml:"requestsPerSecond,omitempty" json:"requestsPerSecond,omitempty"`
	NewConnectionsPerSecond Quantity `yaml:"newConnectionsPerSecond,omitempty" json:"newConnectionsPerSecond,omitempty"`
	ActiveConnections       Quantity `yaml:"activeConnections,omitempty" json:"activeConnections,omitempty"`
	GBPerMonth              Quantity `yaml:"gbPerMonth,omitempty" json:"gbPerMonth,omitempty"`
}

// Has reports whether the service declares need n.
func (s *Service) Has(n string) bool {
	for _, x := range s.Needs {
		if x == n {
			return true
		}
	}
	return false
}

// Key is "namespace/name", unique within a declaration.
func (s *Service) Key() string { return s.NamespaceOrDefault() + "/" + s.Name }

// NamespaceOrDefault is the service's namespace, default when not declared.
func (s *Service) NamespaceOrDefault() string {
	if s.Namespace == "" {
		return "default"
	}
	return s.Namespace
}

// Protocols, Audiences, Needs and Exposures list the values a service's
// fields accept.
func Protocols() []string { return slices.Clone(knownProtocols) }

// Audiences lists the values audience accepts.
func Audiences() []string { return slices.Clone(knownAudiences) }

// Needs lists the values needs accepts.
func Needs() []string { return slices.Clone(knownNeeds) }

// Exposures lists the values current and pin accept.
func Exposures() []string { return slices.Clone(knownExposures) }

// AllStrategies lists every strategy some cloud accepts (and the nginx alias), sorted.
func AllStrategies() []string {
	out := []string{StrategyNginxAlias}
	for _, list := range CloudStrategies {
		for _, s := range list {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}

// AllCurrentKinds lists every CurrentLB kind some cloud knows, sorted.
func AllCurrentKinds() []string {
	var out []string
	for _, list := range CurrentLBKinds {
		for _, k := range list {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}
