package planner

import (
	"math/big"
	"slices"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// kindSpec describes a load-balancer kind once; the planner reads it instead
// of switching on the kind. Each cloud registers its kinds from its own file
// (aws.go, gcp.go, azure.go, azure_agc.go); ClusterIP, NodePort and the
// in-cluster proxy, which every cloud offers, are registered here.
type kindSpec struct {
	label    string   // for people: "ALB", "Application Gateway"
	strategy string   // the shared-exposure strategy that offers it; "" for an exposure of its own
	family   string   // a shared kind's family, for comparing clouds: familyL7, familyProxy or familyL4
	ruleWord string   // what its rules quota counts ("rules", "listeners"); default rules
	exposure Exposure // how the service is declared in Kubernetes
	lbs      int      // load balancers a group of it adds (the tie-break counts them)
	limits   kindLimits
	current  string // the CurrentLB kind that names it today, if any
	// currentNamed claims today's load balancer of that kind by its name
	// too (an NLB Gateway among NLBs), when the plan may use it
	currentNamed func(name string) bool
	items        []string // optional catalog items it needs: offered only where they are priced
	// crossZoneHops counts its hops that send traffic to other zones (the
	// declaration's crossZone settings), each billed as data transfer where
	// the catalog prices it
	crossZoneHops func(m *model) int
	// nodeTargets: its load balancer sends traffic to nodes, so that the
	// clientIP need sets externalTrafficPolicy: Local
	nodeTargets bool
	// staticAddress is the Service annotation that gives its load balancer
	// the service's reserved addresses (staticAddresses), comma-separated
	staticAddress string
	// etpNodeHop: the node hop in its path is kube-proxy's forwarding under
	// externalTrafficPolicy: Cluster, which Local (the clientIP need) saves
	etpNodeHop bool
	// firstMatch: its rules are evaluated in order, the first match wins
	// (an ALB): the order must keep routing and is priced
	firstMatch bool
	// precedence: its rules are evaluated in an order its controller sets
	// by Gateway API precedence (an ALB Gateway's: exact paths, then the
	// longest prefix first), priced in that order, not chosen
	precedence bool
	// writesCanary says whether render writes an ingress-nginx canary
	// Ingress's split (a weight, a header) on it (an ALB's forward action and
	// conditions, a route's weights and header match), so that such a split
	// may move onto it from ingress-nginx (splitStays); nil: it cannot
	writesCanary func(m *model) bool
	// foldsCase: it tests a header's or query's value ignoring case, with *
	// and ? as wildcards (an ALB's rule conditions), so a split matched
	// exactly (NeedExactMatch) is not planned onto it
	foldsCase bool
	// routesSNI: it routes TLS it passes through by the server name a client
	// asks for (an in-cluster proxy: ingress-nginx's ssl-passthrough, a
	// TLSRoute, Traefik's HostSNI), so that TLS services of different hosts
	// share a port; elsewhere a port is one service's (sniPortConflict)
	routesSNI bool
	// oneNamespace: its load balancer is one namespaced object (a GKE
	// Ingress), which routes only to Services of its own namespace
	oneNamespace bool
	// wholeRedirect: a redirect of plain HTTP to HTTPS is the whole load
	// balancer's (a GKE Ingress's FrontendConfig), so services redirected
	// today and services served over plain HTTP cannot share one
	wholeRedirect bool
	// weighted says whether it can split one rule's requests between
	// services by weight, as render writes it (an ALB's weighted forward, a
	// Gateway route's backends): services routedWith one another need it.
	// nil: it cannot (a GKE Ingress, an Application Gateway Ingress)
	weighted func(m *model) bool
	// alternative names the setting that rules it out as a whole when its
	// infeasibility need not be reported service by service (an NLB without
	// the AWS Load Balancer Controller)
	alternative func(m *model) bool

	// id names its load balancer's kind in the plan (LoadBalancerPlan.Kind).
	id func(m *model) string
	// path is the hops a request takes, for people.
	path func(m *model, scheme string) string
	// latency is the added latency, from the declared per-hop figures.
	latency func(m *model, lb, proxy, node Quantity) Quantity
	// infeasible says why a service cannot take it, "" if it can.
	infeasible func(m *model, si *svcInfo) string
	// cost adds its cost lines (and returns a shared ALB's rule order).
	cost func(m *model, g *group, b *bill) []ruleSlot
	// render sets the Kubernetes fields (Service type, classes, annotations).
	render func(m *model, g *group, si *svcInfo, id string, row *ServicePlan)
	// finish gives its load balancer's entry its last touches, if any.
	finish func(m *model, g *group, lb *LoadBalancerPlan, slots []ruleSlot)
	// tierRules counts the rules a group adds to the cloud's tiered scopes
	// (GCP forwarding rules, Azure load-balancer rules), given the scope of
	// its scheme and its HTTP listeners; nil where rules are not tiered.
	tierRules func(m *model, scope int, listeners int32) rv
	// name names a load balancer of its own (nil: a shared one, named by
	// strategy, or as it is today when kept; "" for no load balancer).
	name func(m *model, g *group, counter map[string]int) string
}

// Families of shared kinds: a cloud's own layer-7 load balancer, the
// in-cluster proxy, layer-4 consolidation.
const (
	familyL7    = "l7"
	familyProxy = "proxy"
	familyL4    = "l4"
)

// StrategyFamilies are the families of a cloud's strategy's kinds (AWS's
// gateway is both: an ALB or an NLB per Gateway); none if unknown.
func StrategyFamilies(cloud, strategy string) []string {
	if strategy == StrategyNginxAlias {
		strategy = StrategyProxy
	}
	var out []string
	for _, k := range clouds[cloud].kinds {
		if s := k.spec(); s.strategy == strategy && !slices.Contains(out, s.family) {
			out = append(out, s.family)
		}
	}
	return out
}

// proxyFront is the layer-4 load balancer a cloud puts in front of an
// in-cluster proxy (the nginx strategy), described once per cloud.
type proxyFront struct {
	tierRules func(m *model, scope int, listeners int32) rv // as kindSpec's
	id        func(m *model) string
	path      func(m *model) string // the hops before the proxy pod: "client -> NLB"
	nodeHop   func(m *model) bool   // it targets nodes (a hop more)
	staticIP  func(m *model) string // why it has no static address, "" if it has
	noLB      bool                  // no load-balancer hop: an address a node announces (bare metal)
	cost      func(m *model, g *group, b *bill)
	// l4Rules are the tiered rules the layer-4 ports the proxy routes add
	// (TCP and UDP apart), in scope; nil where they add none
	l4Rules func(scope int, ports map[ServicePort]bool) rv
	// crossZoneHops counts the front's own hops to proxy pods in other zones
	crossZoneHops func(m *model) int
}

// cloudSpec describes a cloud once: the kinds a reachable service may take
// there (standalone first) and the load balancer in front of its proxies.
type cloudSpec struct {
	kinds []kind
	proxy proxyFront
	// dedicated is a LoadBalancer Service of its own; ingress is how
	// today's Ingresses are assumed to be served when the manifests do not say.
	dedicated, ingress func(m *model) kind
	// fixed sets the cloud's fixed cost lines (hourly prices, addresses).
	fixed func(m *model)
	// tiers, when its rules are billed per scope (the first five flat),
	// describes the two scopes, and tierKind and tierSchemes name them in the plan.
	tiers       func(m *model) [2]tier
	tierKind    string
	tierSchemes [2]string
	// portsByProtocol: two services clash on a shared address only on one
	// port of one protocol (bare metal); elsewhere on one port
	portsByProtocol bool
	// addressesFirst: the plan minimises load balancers (addresses) before
	// cost; its load balancers span no zones (addresses nodes announce)
	addressesFirst bool
	// declaredPrices, when set, prices the cloud from the declaration instead of a catalog
	declaredPrices func(d *Declaration, date string) (*pricing.RegionPrices, error)
	// crossZone is how the cloud bills data sent to another zone of the
	// region; none (item "") where it is not modelled
	crossZone crossZoneBilling
}

// crossZoneBilling is a cloud's charge for data crossing zones: its catalog
// item, how many times a byte that crosses is billed (AWS: out of one zone
// and into the other; GCP: once, to the sender), the factor from the
// declaration's GB to the item's unit (nil: GB), and how the line says so.
type crossZoneBilling struct {
	item   string
	times  int64
	toUnit *big.Rat
	billed string
}

var (
	kindSpecs [numKinds]kindSpec
	clouds    = map[string]cloudSpec{}
)

func registerKind(k kind, s kindSpec) { kindSpecs[k] = s }

func registerCloud(name string, c cloudSpec) { clouds[name] = c }

func init() {
	registerKind(kClusterIP, kindSpec{label: "ClusterIP", exposure: ClusterIP, id: fixedID(""), path: fixedPath("client pod -> pod"),
		latency: func(*model, Quantity, Quantity, Quantity) Quantity { return 0 }, name: noName})
	registerKind(kNodePort, kindSpec{label: "NodePort", exposure: NodePort, nodeTargets: true, id: fixedID(""), name: noName,
		path:    fixedPath("client -> node -> pod"),
		latency: func(_ *model, _, _, node Quantity) Quantity { return node },
		infeasible: func(m *model, si *svcInfo) string {
			s := si.s
			switch {
			case !m.d.AllowNodePort && s.Current != NodePort:
				return "NodePort is not allowed (allowNodePort: false)"
			case s.Headless:
				return "a headless Service cannot be of type NodePort"
			case len(s.ClusterPorts) > 0:
				return clusterPortsReason(s, "NodePort")
			case s.Has(NeedStaticIP):
				return "staticIP: node addresses are not stable"
			case s.Has(NeedDedicated):
				return "dedicated: NodePort has no load balancer of its own"
			}
			return ""
		},
		render: func(_ *model, _ *group, _ *svcInfo, _ string, row *ServicePlan) { row.ServiceType = "NodePort" },
	})
	// the in-cluster proxy: its pods behind the cloud's layer-4 load balancer
	registerKind(kProxy, kindSpec{label: "proxy", strategy: StrategyProxy, family: familyProxy, exposure: Ingress, lbs: 1, current: CurrentProxy, routesSNI: true,
		weighted:     func(m *model) bool { return m.impl().gatewayClass != "" || m.impl().canary }, // routes on its Gateway, or a canary Ingress
		writesCanary: func(m *model) bool { return m.impl().gatewayClass != "" },                    // a new proxy's routes
		id:           func(m *model) string { return clouds[m.d.Cloud].proxy.id(m) },
		path:         func(m *model, _ string) string { return clouds[m.d.Cloud].proxy.path(m) + " -> ingress pod -> pod" },
		latency: func(m *model, lb, proxy, node Quantity) Quantity {
			front := clouds[m.d.Cloud].proxy
			if front.noLB {
				lb = 0
			}
			if front.nodeHop(m) {
				return lb + proxy + node
			}
			return lb + proxy
		},
		infeasible: func(m *model, si *svcInfo) string {
			s := si.s
			switch {
			case !isL7(s.Protocol) && !onProxyToday(s):
				return s.Protocol + " goes through an in-cluster proxy only where one routes it today"
			case !isL7(s.Protocol): // today's layer-4 route, passthrough or not, as it is
			case s.Has(NeedTLSPassthrough):
				return "tlsPassthrough: the in-cluster proxy terminates TLS"
			case s.Has(NeedStaticIP):
				return clouds[m.d.Cloud].proxy.staticIP(m)
			case m.d.Proxy.RedirectsHTTP && servedPlain(s):
				return "plain HTTP: the proxy redirects every plain-HTTP request to HTTPS (proxy.redirectsHTTP)"
			}
			return ""
		},
		cost: func(m *model, g *group, b *bill) []ruleSlot {
			clouds[m.d.Cloud].proxy.cost(m, g, b)
			m.proxyLines(g, b)
			return nil
		},
		tierRules: func(m *model, scope int, listeners int32) rv {
			if f := clouds[m.d.Cloud].proxy.tierRules; f != nil {
				return f(m, scope, listeners)
			}
			return rv{}
		},
		crossZoneHops: func(m *model) int {
			n := 0
			if *m.d.CrossZone.Proxy { // the proxy pod to backend pods in every zone
				n++
			}
			if f := clouds[m.d.Cloud].proxy.crossZoneHops; f != nil {
				n += f(m)
			}
			return n
		},
		render: renderProxy,
	})
}

// servedPlain reports whether a service is served over plain HTTP (a plain
// HTTP one, or an HTTPS one whose plain-HTTP frontend serves it), not only
// redirected to HTTPS.
func servedPlain(s *Service) bool {
	plain, redirect := s.frontend()
	return s.Protocol == ProtoHTTP || (plain && !redirect)
}

// onProxyToday reports whether a service is routed by an in-cluster proxy
// today (a layer-4 one: a TCPRoute or UDPRoute on its Gateway, a Traefik
// IngressRouteTCP, an ingress-nginx tcp-services entry): it may stay there.
func onProxyToday(s *Service) bool {
	return s.CurrentLoadBalancer != nil && s.CurrentLoadBalancer.Kind == CurrentProxy
}

// fixedID and fixedPath are hooks for a kind whose entry or path never varies.
func fixedID(id string) func(*model) string { return func(*model) string { return id } }

func fixedPath(path string) func(*model, string) string {
	return func(*model, string) string { return path }
}

// noName is the name of an exposure without a load balancer.
func noName(*model, *group, map[string]int) string { return "" }

// ownName names a load balancer of a service's own: prefix-namespace-name.
func ownName(prefix string) func(*model, *group, map[string]int) string {
	return func(m *model, g *group, _ map[string]int) string {
		s := m.svcs[g.members[0]].s
		return prefix + "-" + s.Namespace + "-" + s.Name
	}
}

// lbOnly is the latency of a load balancer that reaches pods directly.
func lbOnly(_ *model, lb, _, _ Quantity) Quantity { return lb }

// lbAndNode is the latency of a load balancer that targets nodes.
func lbAndNode(_ *model, lb, _, node Quantity) Quantity { return lb + node }

// always is a hook that gives one answer whatever the model.
func always(why string) func(*model) string { return func(*model) string { return why } }

// yes is a kind setting that holds everywhere.
func yes(*model) bool { return true }

func (k kind) spec() *kindSpec { return &kindSpecs[k] }

// label names the kind for people.
func (k kind) label() string { return kindSpecs[k].label }

func (k kind) exposure() Exposure { return kindSpecs[k].exposure }

func (k kind) shared() bool { return kindSpecs[k].strategy != "" }

// lbCount is how many load balancers a group of a kind adds (for the tie-break).
func lbCount(k kind) int { return kindSpecs[k].lbs }

// HasZones reports whether a cloud's load balancers span zones (not bare
// metal's addresses, which nodes announce).
func HasZones(cloud string) bool { return !clouds[cloud].addressesFirst }

// kindOfCurrent is the kind a CurrentLB kind names on a cloud, if any.
func kindOfCurrent(cloud, current string) (kind, bool) {
	for _, k := range clouds[cloud].kinds {
		if kindSpecs[k].current == current && kindSpecs[k].currentNamed == nil {
			return k, true
		}
	}
	return 0, false
}

// PricedStrategies lists the strategies of a cloud whose load balancers the
// catalog prices in a region (some kinds are priced in some regions only).
func PricedStrategies(cat *pricing.Catalog, cloud, region string) []string {
	var out []string
	if clouds[cloud].declaredPrices != nil { // priced by the declaration: every strategy
		return slices.Clone(CloudStrategies[cloud])
	}
	rp, err := cat.Region(cloud, region)
	if err != nil {
		return nil
	}
	r, err := loadRates(rp)
	if err != nil {
		return nil
	}
	for _, k := range offered(cloud, r) {
		if s := k.spec().strategy; s != "" {
			out = append(out, s)
		}
	}
	return out
}
