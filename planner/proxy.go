package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// In-cluster proxy implementations (strategy proxy): each described once,
// with the pod sizing its own chart or API defaults give (sourced below),
// how a plan routes to it (Gateway API or Ingress) and what its first
// load balancer is called. The strategy's old name, nginx, is an alias that
// also picks ingress-nginx when no implementation is declared.

// Proxy implementations a declaration may name (proxy.implementation).
const (
	ProxyEnvoyGateway       = "envoy-gateway"
	ProxyNginxGatewayFabric = "nginx-gateway-fabric"
	ProxyTraefik            = "traefik"
	ProxyHAProxy            = "haproxy"
	ProxyIstio              = "istio"
	ProxyContour            = "contour"
	ProxyIngressNginx       = "ingress-nginx"
)

// DefaultProxyImplementation is the proxy a plan adds when neither the
// declaration nor today's cluster names one: Envoy Gateway, a Gateway API
// implementation (ingress-nginx is retired).
const DefaultProxyImplementation = ProxyEnvoyGateway

// IngressNginxRetired is the warning a plan carries when it would run ingress-nginx.
const IngressNginxRetired = "ingress-nginx is retired (Kubernetes SIG Network: best-effort maintenance ended in March 2026, no releases or security fixes since); " +
	"the proxy strategy's maintained implementations replace it: envoy-gateway, nginx-gateway-fabric, traefik, haproxy, istio, contour (set proxy.implementation)"

// proxyImpl describes one in-cluster proxy implementation.
type proxyImpl struct {
	name string
	// gatewayClass is the GatewayClass its Gateways use when the plan routes
	// to it through Gateway API; "" when it is routed through Ingress.
	gatewayClass string
	// ingressClass is its IngressClass, for an implementation routed through Ingress.
	ingressClass string
	// short names its first internet-facing load balancer in a plan, and
	// prefixes the others ("nginx", "nginx-internal-1").
	short string
	// cpu and memGiB are one pod's default requests (0 where its chart sets none).
	cpu, memGiB Quantity
	// sizing says where those defaults come from.
	sizing string
	// retired, when set, is the warning a plan that runs it carries.
	retired string
	// canary: routed through Ingress, it splits one host and path's requests
	// between Services by a canary Ingress (ingress-nginx's canary annotations)
	canary bool
	// redirects: routed through Ingress, it redirects a TLS host's plain HTTP
	// to HTTPS as render writes it (ingress-nginx, by default)
	redirects bool
	// bothPorts: its chart's Service listens on 80 and 443 whatever it
	// routes (ingress-nginx's controller.service.enableHttp and enableHttps,
	// Traefik's web and websecure, HAProxy's http and https, all on by
	// default), a load-balancer rule each on Azure; a Gateway implementation's
	// Service has its Gateway's listeners
	bothPorts bool
}

var proxyImpls = []proxyImpl{
	{name: ProxyEnvoyGateway, gatewayClass: "eg", short: "envoy", cpu: QuantityScale / 10, memGiB: QuantityScale / 2,
		sizing: `Envoy Gateway v1.9.1 api/v1alpha1/shared_types.go: the Envoy proxy pods request DefaultDeploymentCPUResourceRequests "100m" and DefaultDeploymentMemoryResourceRequests "512Mi" (the controller, once per cluster, is not counted)`},
	{name: ProxyNginxGatewayFabric, gatewayClass: "nginx", short: "ngf",
		sizing: "the NGINX Gateway Fabric chart sets no resource requests: declare proxy.cpu and proxy.memoryGiB to price its pods"},
	{name: ProxyTraefik, gatewayClass: "traefik", short: "traefik", bothPorts: true,
		sizing: "the Traefik chart sets no resource requests: declare proxy.cpu and proxy.memoryGiB to price its pods"},
	{name: ProxyHAProxy, ingressClass: "haproxy", short: "haproxy", cpu: QuantityScale / 4, memGiB: 390_625, bothPorts: true,
		sizing: "haproxytech/helm-charts kubernetes-ingress values.yaml: controller.resources.requests cpu 250m, memory 400Mi"},
	{name: ProxyIstio, gatewayClass: "istio", short: "istio", cpu: QuantityScale / 10, memGiB: QuantityScale / 8,
		sizing: "Istio 1.31.1 charts: gateway pods (global.proxy.resources) request 100m and 128Mi (istiod, once per cluster, is not counted)"},
	{name: ProxyContour, gatewayClass: "contour", short: "contour",
		sizing: "Contour's Envoy pods have no sourced default requests: declare proxy.cpu and proxy.memoryGiB to price them"},
	{name: ProxyIngressNginx, ingressClass: "nginx", short: "nginx", cpu: QuantityScale / 10, memGiB: QuantityScale / 100 * 9,
		sizing:  "kubernetes/ingress-nginx chart values.yaml: controller.resources.requests cpu 100m, memory 90Mi (0.09 GiB, rounded up)",
		retired: IngressNginxRetired, canary: true, redirects: true, bothPorts: true},
}

// ProxyImplementations lists the implementations proxy.implementation accepts.
func ProxyImplementations() []string {
	out := make([]string, len(proxyImpls))
	for i, p := range proxyImpls {
		out[i] = p.name
	}
	return out
}

// proxyImplNamed is the implementation of that name (nil if unknown).
func proxyImplNamed(name string) *proxyImpl {
	for i := range proxyImpls {
		if proxyImpls[i].name == name {
			return &proxyImpls[i]
		}
	}
	return nil
}

// impl is the declaration's proxy implementation (validated).
func (m *model) impl() *proxyImpl {
	if p := proxyImplNamed(m.d.Proxy.Implementation); p != nil {
		return p
	}
	return proxyImplNamed(DefaultProxyImplementation)
}

// normaliseProxy resolves the nginx alias in the strategies and fills in
// the implementation and its pod sizing; it returns the warnings to show.
func normaliseProxy(d *Declaration) []string {
	var warnings []string
	alias := false
	for i, s := range d.Strategies {
		if s == StrategyNginxAlias && !slices.Contains(d.Strategies, StrategyProxy) {
			d.Strategies[i], alias = StrategyProxy, true
		}
	}
	if d.Proxy == nil {
		d.Proxy = &ProxySizing{}
	}
	if d.Proxy.Implementation == "" {
		switch {
		case alias:
			d.Proxy.Implementation = ProxyIngressNginx
		case d.Mesh == MeshIstio || d.Mesh == MeshIstioAmbient:
			d.Proxy.Implementation = ProxyIstio // the mesh's ingress gateway is the proxy
		default:
			d.Proxy.Implementation = DefaultProxyImplementation
		}
	}
	p := proxyImplNamed(d.Proxy.Implementation)
	if p == nil {
		return nil // reported by Validate
	}
	if alias {
		warnings = append(warnings, `strategy "nginx" is an alias of "proxy" (implementation `+p.name+`)`)
	}
	if p.cpu == 0 && p.memGiB == 0 && (d.Proxy.CPU == nil || d.Proxy.MemoryGiB == nil) {
		d.proxyUnsized = p.name + ": " + p.sizing + " (priced at 0 until then)"
	}
	defaultQ(&d.Proxy.CPU, p.cpu)
	defaultQ(&d.Proxy.MemoryGiB, p.memGiB)
	return warnings
}

// validateTodaysProxies checks proxy.today and fills in each entry's
// defaults: proxy.implementation, two replicas, the implementation's pod
// requests (an implementation without sourced ones priced at 0, warned of
// where the plan keeps that proxy). An entry names a proxy that serves a
// service today, once.
func validateTodaysProxies(d *Declaration, top func(field, format string, args ...any)) {
	if len(d.Proxy.Today) == 0 {
		return
	}
	today := map[string]bool{}
	for i := range d.Services {
		s := &d.Services[i]
		if c := s.CurrentLoadBalancer; c != nil && c.Kind == CurrentProxy {
			today[c.Name] = true
		}
		for _, c := range s.AlsoOn {
			if c.Kind == CurrentProxy {
				today[c.Name] = true
			}
		}
	}
	seen := map[string]bool{}
	for j := range d.Proxy.Today {
		t := &d.Proxy.Today[j]
		field := fmt.Sprintf("proxy.today[%d]", j)
		switch {
		case t.Name == "":
			top(field+".name", "required: the currentLoadBalancer name of today's proxy")
		case seen[t.Name]:
			top(field+".name", "%q is sized twice", t.Name)
		case !today[t.Name]:
			top(field+".name", "no service is on an in-cluster proxy %q today (currentLoadBalancer kind proxy)", t.Name)
		}
		seen[t.Name] = true
		if t.Implementation == "" {
			t.Implementation = d.Proxy.Implementation
		}
		p := proxyImplNamed(t.Implementation)
		if p == nil {
			top(field+".implementation", "unknown implementation %q (want one of %s)", t.Implementation, oneOf(ProxyImplementations()))
			continue
		}
		if t.Replicas == nil {
			r := DefaultProxyReplicas
			t.Replicas = &r
		} else if *t.Replicas < 1 || *t.Replicas > MaxProxyReplica {
			top(field+".replicas", "want 1 to %d, got %d", MaxProxyReplica, *t.Replicas)
		}
		if p.cpu == 0 && p.memGiB == 0 && (t.CPU == nil || t.MemoryGiB == nil) {
			if d.todayUnsized == nil {
				d.todayUnsized = map[string]string{}
			}
			d.todayUnsized[t.Name] = t.Name + ", " + p.name + ": " + strings.Replace(p.sizing, "proxy.cpu and proxy.memoryGiB", fmt.Sprintf("%s.cpu and .memoryGiB", field), 1) + " (priced at 0 until then)"
		}
		defaultQ(&t.CPU, p.cpu)
		defaultQ(&t.MemoryGiB, p.memGiB)
	}
}

// todaysProxyEntry is the entry of proxy.today that sizes today's proxy name, nil if none.
func (d *Declaration) todaysProxyEntry(name string) *TodaysProxy {
	for j := range d.Proxy.Today {
		if d.Proxy.Today[j].Name == name {
			return &d.Proxy.Today[j]
		}
	}
	return nil
}

// proxyWarnings are the warnings of a plan that runs an in-cluster proxy,
// today or planned: a retired implementation the plan runs, pods it cannot
// price.
func (m *model) proxyWarnings(p *Plan) []string {
	uses, runs := m.d.usesProxyToday(), false
	for _, lb := range p.LoadBalancers {
		uses = uses || lb.Strategy == StrategyProxy
		if t := m.d.todaysProxyEntry(lb.ID); lb.Strategy == StrategyProxy && (t == nil || t.Implementation == m.impl().name) {
			runs = true // one of the plan's implementation, kept or added
		}
	}
	var out []string
	if runs && m.impl().retired != "" {
		out = append(out, m.impl().retired)
	}
	if uses && m.d.proxyUnsized != "" {
		out = append(out, m.d.proxyUnsized)
	}
	for _, t := range m.d.Proxy.Today { // those the plan keeps running
		if !slices.ContainsFunc(p.LoadBalancers, func(lb LoadBalancerPlan) bool { return lb.Strategy == StrategyProxy && lb.ID == t.Name }) {
			continue
		}
		if r := proxyImplNamed(t.Implementation).retired; r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
		if w := m.d.todayUnsized[t.Name]; w != "" {
			out = append(out, w)
		}
	}
	return out
}

// newProxiesMaintained re-plans a declaration whose plan p keeps no service
// on today's in-cluster proxies, of an implementation other than the
// default, with the default (a maintained Gateway API implementation) for
// the proxies it adds: today's implementation binds only the proxies a plan
// keeps (once they are gone, so is their controller, and a plan of the
// applied manifests would choose the default). It returns that plan, and its
// model, when it keeps no service on today's proxies either and costs less;
// today's cost stays the one priced with today's implementation. Else nil;
// a plan that keeps today's proxies of a retired implementation (it keeps
// what exists) says what it would cost without them.
func (m *model) newProxiesMaintained(p *Plan, cat *pricing.Catalog) (*Plan, *model) {
	d := m.d
	kept, replace := keepsTodaysProxy(d, p), d.Proxy.ReplaceToday
	if !d.usesProxyToday() || m.impl().name == DefaultProxyImplementation || (kept && m.impl().retired == "" && !replace) {
		return nil, nil
	}
	p2, m2, err := m.withoutTodaysProxies(cat)
	if err != nil || keepsTodaysProxy(d, p2) {
		return nil, nil
	}
	if replace { // asked for (proxy.replaceToday): the move off them, whatever it costs beside keeping them
		return m.movedOff(p, p2, fmt.Sprintf("the plan moves every service off today's %s proxies (proxy.replaceToday): the proxies it adds are %s, %s with %s",
			m.impl().name, DefaultProxyImplementation, comparedTo(p2.Totals.MonthlyCost-p.Totals.MonthlyCost), m.impl().name), "proxy.replaceToday: today's "+m.impl().name+" proxies replaced"), m2
	}
	if kept { // the cost of the move off a retired implementation, for the record: the plan keeps what exists
		if !m.keepsRetired(p) {
			return nil, nil // it keeps only today's proxies of a maintained implementation
		}
		addresses := "" // where addresses are what is scarce, how many
		if clouds[d.Cloud].addressesFirst {
			addresses = fmt.Sprintf(" and take %d pool addresses (this plan %d)", len(p2.LoadBalancers), len(p.LoadBalancers))
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("off %s (retired): planned without today's %s proxies (the proxies it adds %s), the services would cost %s a month, %s this plan%s",
			m.impl().name, m.impl().name, DefaultProxyImplementation, p2.Totals.MonthlyCost.Dollars(), comparedTo(p2.Totals.MonthlyCost-p.Totals.MonthlyCost), addresses))
		return nil, nil
	}
	if p2.Totals.MonthlyCost >= p.Totals.MonthlyCost {
		return nil, nil
	}
	return m.movedOff(p, p2, fmt.Sprintf("the plan keeps no service on today's %s proxies: the proxies it adds are %s, %s less than with %s",
		m.impl().name, DefaultProxyImplementation, (p.Totals.MonthlyCost-p2.Totals.MonthlyCost).Dollars(), m.impl().name), p.Totals.IncreaseForcedBy), m2
}

// comparedTo says how an amount diff more than another compares to it:
// "$x more than", "$x less than", "the same as".
func comparedTo(diff money.Cents) string {
	switch {
	case diff > 0:
		return diff.Dollars() + " more than"
	case diff < 0:
		return (-diff).Dollars() + " less than"
	}
	return "the same as"
}

// movedOff is plan p2, planned without today's proxies, with today's cost
// and the baseline of plan p (priced with today's implementation), the
// declaration's warnings and why; forced says what forces it to cost more
// than today, where it does.
func (m *model) movedOff(p, p2 *Plan, why, forced string) *Plan {
	t := p.Totals
	t.MonthlyCost = p2.Totals.MonthlyCost
	t.SavingsVsBaseline = t.BaselineMonthlyCost - t.MonthlyCost
	t.IncreaseForcedBy = ""
	if t.CurrentMonthlyCost != nil {
		s := *t.CurrentMonthlyCost - t.MonthlyCost
		t.SavingsVsCurrent = &s
		if s < 0 {
			t.IncreaseForcedBy = forced
		}
	}
	p2.Totals = t
	p2.Warnings = append(slices.Clone(m.d.warnings), p2.Warnings...)
	p2.Warnings = append(p2.Warnings, why)
	return p2
}

// withoutTodaysProxies plans the declaration as if today's in-cluster
// proxies were gone (nothing stays on them; their split, plain-HTTP frontends
// and host ties kept as they are) and the proxies it adds were the default
// implementation's.
func (m *model) withoutTodaysProxies(cat *pricing.Catalog) (*Plan, *model, error) {
	d := m.d
	alt := *d
	alt.Proxy = &ProxySizing{Implementation: DefaultProxyImplementation}
	alt.proxyNormalised, alt.warnings, alt.proxyUnsized, alt.todaysProxy = false, nil, "", m.impl().name
	alt.Services = slices.Clone(d.Services)
	for i := range alt.Services { // today's proxies are gone: nothing stays on them
		if c := alt.Services[i].CurrentLoadBalancer; c != nil && c.Kind == CurrentProxy {
			alt.Services[i].Current, alt.Services[i].CurrentLoadBalancer, alt.Services[i].frontendGone = "", nil, c
		}
	}
	return computeOnce(&alt, cat)
}

// keepsTodaysProxy reports whether plan p keeps one of the in-cluster
// proxies that serve services of d today.
func keepsTodaysProxy(d *Declaration, p *Plan) bool {
	today := map[string]bool{}
	for i := range d.Services {
		if c := d.Services[i].CurrentLoadBalancer; c != nil && c.Kind == CurrentProxy {
			today[c.Name] = true
		}
	}
	return slices.ContainsFunc(p.LoadBalancers, func(lb LoadBalancerPlan) bool { return lb.Strategy == StrategyProxy && today[lb.ID] })
}

// usesProxyToday reports whether a service is on an in-cluster proxy today.
func (d *Declaration) usesProxyToday() bool {
	for i := range d.Services {
		if c := d.Services[i].CurrentLoadBalancer; c != nil && c.Kind == CurrentProxy {
			return true
		}
	}
	return false
}

// proxyClass is the IngressClass of an in-cluster proxy the plan keeps from
// today (its load balancer's name).
func proxyClass(id string) string {
	switch {
	case id == DefaultClassProxy:
		return "" // class-less, as today: the cluster's default IngressClass
	case id == "istio" || strings.HasPrefix(id, "istio:"):
		return "istio"
	case id == "nginx"+InternalClassSuffix:
		return id
	case id == "" || strings.ContainsAny(id, "/:") || strings.HasPrefix(id, "nginx-"):
		return "nginx"
	}
	return id
}

// proxyRedirects reports whether an in-cluster proxy the plan names (today's
// load balancer, kept; "" for a new one) can redirect plain HTTP to HTTPS as
// render writes its services: a Gateway's route can; through Ingress, only
// an implementation whose Ingress says it (ingress-nginx's class).
func (m *model) proxyRedirects(name string) bool {
	switch {
	case strings.HasPrefix(name, GatewayPrefix):
		return true
	case name == "":
		p := m.impl()
		return p.gatewayClass != "" || p.redirects
	}
	class := strings.TrimSuffix(proxyClass(name), InternalClassSuffix)
	for i := range proxyImpls {
		if p := &proxyImpls[i]; p.ingressClass == class && p.redirects {
			return true
		}
	}
	return false
}

// proxyRedirectConflict says why members cannot share an in-cluster proxy:
// one whose plain HTTP beside HTTPS is redirected or served today
// (plainBeside), not on that proxy today, would lose it on a proxy whose
// Ingress cannot say it (proxyRedirects: the same proxies say both); "" when
// they can.
func (m *model) proxyRedirectConflict(k kind, scheme, name string, members []int) string {
	if k != kProxy || m.proxyRedirects(name) {
		return ""
	}
	for _, i := range members {
		if m.plainBeside(i) && !m.onCurrent(i, k, scheme, name) {
			return m.svcs[i].key + " answers plain HTTP beside HTTPS today (redirected or served), which this in-cluster proxy's Ingress cannot say"
		}
	}
	return ""
}

// plainBeside reports whether service i answers plain HTTP beside HTTPS today,
// by a redirect or by serving it too.
func (m *model) plainBeside(i int) bool {
	si := &m.svcs[i]
	return si.plain == plainRedirected || (si.plain == plainServed && si.plainToo)
}

// DefaultClassProxy names the in-cluster proxy that serves Ingresses without
// a class today (the cluster's default IngressClass, which the manifests do
// not hold): Ingresses a plan puts on it have no class either.
const DefaultClassProxy = "(default)"

// InternalClassSuffix marks the IngressClass of a new internal in-cluster
// proxy that reads Ingress alone (nginx-internal): a second controller, its
// Service internal, beside the internet-facing one of the plain class.
const InternalClassSuffix = "-internal"

func keeps(_ string, ok bool) bool { return ok }

// renderProxy routes a service to the proxy: today's, through the class it
// has today; a new one, through Gateway API or Ingress as its implementation reads.
func renderProxy(m *model, g *group, si *svcInfo, id string, row *ServicePlan) {
	p := m.impl()
	switch {
	case keeps(m.keptToday(g)):
		row.IngressClassName = proxyClass(id)
	case p.gatewayClass != "":
		row.GatewayClassName = p.gatewayClass
		return
	default:
		row.IngressClassName = p.ingressClass
		if g.scheme == schemeInternal {
			row.IngressClassName += InternalClassSuffix
		}
	}
	if si.s.Protocol == ProtoGRPC && strings.HasPrefix(row.IngressClassName, "nginx") {
		row.Annotations["nginx.ingress.kubernetes.io/backend-protocol"] = "GRPC"
	}
}

// retiredToday reports whether today's in-cluster proxy name (a
// currentLoadBalancer of kind proxy) runs a retired implementation: its
// proxy.today entry's, else today's implementation (a Gateway's never: the
// retired one is routed through Ingress).
func (m *model) retiredToday(name string) bool {
	if t := m.d.todaysProxyEntry(name); t != nil {
		p := proxyImplNamed(t.Implementation)
		return p != nil && p.retired != ""
	}
	p := m.d.todaysImpl()
	return p != nil && p.retired != "" && !strings.HasPrefix(name, GatewayPrefix)
}

// prepareRetired notes whether a service is on a retired implementation's
// proxy today (m.onRetired): then such proxies take no newcomer
// (retiredConflict). It lists them by scheme for the reasons (retiredOf).
func (m *model) prepareRetired() {
	for i := range m.d.Services {
		c := m.d.Services[i].CurrentLoadBalancer
		if c == nil || c.Kind != CurrentProxy || !m.retiredToday(c.Name) {
			continue
		}
		m.onRetired = true
		if m.retiredNames == nil {
			m.retiredNames = map[string][]string{}
		}
		if sc := m.svcs[i].curScheme; !slices.Contains(m.retiredNames[sc], c.Name) && m.svcs[i].cur == kProxy {
			m.retiredNames[sc] = append(m.retiredNames[sc], c.Name)
			slices.Sort(m.retiredNames[sc])
		}
	}
}

// retiredConflict says why members cannot share an in-cluster proxy of a
// retired implementation (ingress-nginx: no security fixes since March
// 2026) while the cluster runs one today: today's proxy, kept, serves only
// the services it serves today, and a plan gathers no services on a new one
// (the proxies it adds are the plan's implementation's: where that is the
// retired one, the move off it is costed apart, newProxiesMaintained); ""
// when they can.
func (m *model) retiredConflict(k kind, scheme, name string, members []int) string {
	if k != kProxy || !m.onRetired {
		return ""
	}
	if name == "" { // a new proxy: of one service, as good as its own load balancer (one controller a scheme: extraController)
		if r := m.impl(); r.retired != "" && len(members) > 1 && !allFunc(members, m.proxyOnly) { // (proxyOnly: no other way)
			return fmt.Sprintf("%s is retired: a plan gathers no services on a new proxy of it, and today's serve only their own services", r.name)
		}
		return ""
	}
	if !m.retiredToday(name) {
		return ""
	}
	for _, i := range members {
		if !m.onCurrent(i, k, scheme, name) && !m.proxyOnly(i) {
			return fmt.Sprintf("today's %s runs a retired implementation, which takes no service it does not serve today (%s)", name, m.svcs[i].key)
		}
	}
	return ""
}

// proxyOnly reports whether an in-cluster proxy is the only exposure service
// i may take: then today's, retired, may take it (else no plan could).
func (m *model) proxyOnly(i int) bool {
	si := &m.svcs[i]
	return !slices.ContainsFunc(m.kinds, func(k kind) bool { return k != kProxy && si.feasible[k] })
}

// offRetired reports whether today's proxy name runs a retired
// implementation and a member is not on it today (retiredConflict): kept,
// it could not take the group.
func (m *model) offRetired(k kind, scheme, name string, members []int) bool {
	return k == kProxy && m.onRetired && m.retiredToday(name) && slices.ContainsFunc(members, func(i int) bool { return !m.onCurrent(i, k, scheme, name) && !m.proxyOnly(i) })
}

// keepsRetired reports whether plan p keeps one of today's proxies of a
// retired implementation (retiredToday).
func (m *model) keepsRetired(p *Plan) bool {
	return slices.ContainsFunc(p.LoadBalancers, func(lb LoadBalancerPlan) bool {
		return lb.Strategy == StrategyProxy && m.retiredToday(lb.ID) && slices.ContainsFunc(m.d.Services, func(s Service) bool {
			return s.CurrentLoadBalancer != nil && s.CurrentLoadBalancer.Kind == CurrentProxy && s.CurrentLoadBalancer.Name == lb.ID
		})
	})
}

// allFunc reports whether f holds for every member.
func allFunc(members []int, f func(int) bool) bool {
	return !slices.ContainsFunc(members, func(i int) bool { return !f(i) })
}

// catchAllRedirectConflict says why members cannot share today's Gateway
// name: plain HTTP is redirected to HTTPS there today, by a route lbplanner
// reads only as the redirect of its members' hosts, and often written
// without hostnames, for every host; a newcomer serving plain HTTP for every
// host (no hosts) would tie with it, and the older route (the redirect)
// takes the requests. "" when they can.
func (m *model) catchAllRedirectConflict(k kind, scheme, name string, members []int) string {
	if !m.gatewayRedirect || !strings.HasPrefix(name, GatewayPrefix) {
		return ""
	}
	redirected := slices.ContainsFunc(members, func(i int) bool { return m.redirectedOnGateway(i) && m.onCurrent(i, k, scheme, name) })
	if !redirected {
		return ""
	}
	for _, i := range members {
		if m.catchAllPlain(i) && !m.onCurrent(i, k, scheme, name) {
			return fmt.Sprintf("%s serves plain HTTP for every host, which today's %s redirects to HTTPS (a redirect route of every host would take its requests)", m.svcs[i].key, name)
		}
	}
	return ""
}

// catchAllPlain reports whether service i serves plain HTTP for every host (no hosts).
func (m *model) catchAllPlain(i int) bool {
	si := &m.svcs[i]
	return len(si.s.Hosts) == 0 && isL7(si.s.Protocol) && si.plain == plainServed
}

// redirectedOnGateway reports whether service i's plain HTTP is redirected
// to HTTPS by today's Gateway.
func (m *model) redirectedOnGateway(i int) bool {
	c := m.svcs[i].s.CurrentLoadBalancer
	return c != nil && c.HTTPRedirect && strings.HasPrefix(c.Name, GatewayPrefix)
}

// retiredOf lists, sorted, today's proxies of a retired implementation
// (retiredToday) that serve services of scheme today.
func (m *model) retiredOf(scheme string) []string { return m.retiredNames[scheme] }
