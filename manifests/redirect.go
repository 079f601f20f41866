package manifests

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// annGKEFrontendConfig names the FrontendConfig of a GKE Ingress.
const annGKEFrontendConfig = "networking.gke.io/v1beta1.FrontendConfig"

// hostCover is the hosts an HTTP-to-HTTPS redirect answers for: every host,
// or those listed (a listed *.example.com covers every name under
// example.com, as Gateway API hostnames match).
type hostCover struct {
	all   bool
	hosts []string
}

// covers reports whether the redirect answers for every one of hosts (a
// route without hosts is covered by a redirect of every host only).
func (c hostCover) covers(hosts []string) bool {
	if c.all {
		return true
	}
	for _, h := range hosts {
		if !c.coversHost(h) {
			return false
		}
	}
	return len(hosts) > 0
}

func (c hostCover) coversHost(h string) bool {
	for _, x := range c.hosts {
		if x == h || (strings.HasPrefix(x, "*.") && strings.HasSuffix(h, x[1:]) && len(h) > len(x)-1) {
			return true
		}
	}
	return false
}

// readRedirect records an HTTPRoute that redirects a Gateway's plain-HTTP
// listener to HTTPS (every rule a RequestRedirect to scheme https, with no
// backends; one of them for every path), on each Gateway whose HTTP listener
// it attaches to by sectionName or port. The HTTPS routes of the hosts it
// covers are read as served over plain HTTP too, by that redirect
// (CurrentLB.HTTPRedirect). Errors in the route are readRoute's to report.
func (r *reader) readRedirect(o object) {
	var rt gatewayv1.HTTPRoute
	if json.Unmarshal(o.raw, &rt) != nil || !redirectsToHTTPS(rt.Spec.Rules) {
		return
	}
	ns := r.namespace(rt.Namespace)
	for _, p := range rt.Spec.ParentRefs {
		if p.Kind != nil && *p.Kind != "Gateway" {
			continue
		}
		pns := ns
		if p.Namespace != nil {
			pns = string(*p.Namespace)
		}
		key := pns + "/" + string(p.Name)
		gw := r.gateways[key]
		if gw == nil || !r.plainListener(key, p) {
			continue
		}
		c := r.res.redirects[key]
		c.all = c.all || len(rt.Spec.Hostnames) == 0
		for _, h := range rt.Spec.Hostnames {
			c.hosts = append(c.hosts, string(h))
		}
		r.res.redirects[key] = c
	}
}

// plainListener reports whether a parent reference picks, by its
// sectionName or its port, a plain-HTTP listener of Gateway key.
func (r *reader) plainListener(key string, p gatewayv1.ParentReference) bool {
	for _, l := range r.res.listeners[key] {
		if l.protocol != string(gatewayv1.HTTPProtocolType) {
			continue
		}
		if (p.SectionName != nil && string(*p.SectionName) == l.name) || (p.SectionName == nil && p.Port != nil && int32(*p.Port) == l.port) {
			return true
		}
	}
	return false
}

// redirectsToHTTPS reports whether an HTTPRoute only redirects to HTTPS, and
// for every path: each rule a RequestRedirect to scheme https without
// backends, one of them matching every request.
func redirectsToHTTPS(rules []gatewayv1.HTTPRouteRule) bool {
	catchAll := false
	for _, rule := range rules {
		if len(rule.BackendRefs) > 0 || !hasHTTPSRedirect(rule.Filters) {
			return false
		}
		catchAll = catchAll || matchesAll(rule.Matches)
	}
	return catchAll
}

func hasHTTPSRedirect(filters []gatewayv1.HTTPRouteFilter) bool {
	for _, f := range filters {
		if f.Type == gatewayv1.HTTPRouteFilterRequestRedirect && f.RequestRedirect != nil &&
			f.RequestRedirect.Scheme != nil && strings.EqualFold(*f.RequestRedirect.Scheme, "https") {
			return true
		}
	}
	return false
}

// matchesAll reports whether a rule's matches take every request: none, or
// one on the path prefix / alone.
func matchesAll(matches []gatewayv1.HTTPRouteMatch) bool {
	if len(matches) == 0 {
		return true
	}
	for _, m := range matches {
		if len(m.Headers) > 0 || len(m.QueryParams) > 0 || m.Method != nil {
			continue
		}
		p := m.Path
		if p == nil || p.Value == nil || (*p.Value == "/" && (p.Type == nil || *p.Type == gatewayv1.PathMatchPathPrefix)) {
			return true
		}
	}
	return false
}

// redirected is lb, served over plain HTTP too by a redirect to HTTPS, when
// an HTTPS route with hosts on Gateway key attaches to its HTTPS listener
// alone and a redirect of the Gateway's plain-HTTP listener covers them.
func (r *reader) redirected(key string, lb *planner.CurrentLB, hosts []string) *planner.CurrentLB {
	if lb.HTTPFrontend || (lb.Kind != planner.CurrentGateway && lb.Kind != planner.CurrentProxy && lb.Kind != planner.CurrentALB && lb.Kind != planner.CurrentAGC) || !r.res.redirects[key].covers(hosts) {
		return lb
	}
	plain := *lb
	plain.HTTPFrontend, plain.HTTPRedirect = true, true
	return &plain
}

// readFrontendConfig records whether a GKE FrontendConfig redirects plain
// HTTP to HTTPS (spec.redirectToHttps.enabled).
func (r *reader) readFrontendConfig(o object) {
	if !strings.HasPrefix(o.api, "networking.gke.io/") {
		return
	}
	var fc struct {
		Metadata struct{ Name, Namespace string } `json:"metadata"`
		Spec     struct {
			RedirectToHTTPS *struct {
				Enabled bool `json:"enabled"`
			} `json:"redirectToHttps"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(o.raw, &fc); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "FrontendConfig", Msg: err.Error()})
		return
	}
	if fc.Spec.RedirectToHTTPS != nil && fc.Spec.RedirectToHTTPS.Enabled {
		r.redirectConfigs[r.namespace(fc.Metadata.Namespace)+"/"+fc.Metadata.Name] = true
	}
}

// redirects reports whether an HTTPS service's plain HTTP is a redirect to
// HTTPS today (CurrentLB.HTTPRedirect), which the plan keeps.
func redirects(ds planner.Service) bool {
	_, redirect := ds.PlainHTTP()
	return redirect
}

// redirectNeed is the redirect a Gateway's plain-HTTP listener must add for
// the services the plan moves onto it.
type redirectNeed struct {
	section string
	cover   hostCover
}

// needRedirect notes that service ds, planned onto Gateway key (listener
// section its plain-HTTP one), needs its hosts redirected to HTTPS there,
// unless it is not redirected today or the Gateway redirects them already.
func (r *renderer) needRedirect(key, section string, ds planner.Service) {
	if !redirects(ds) || r.redirectsToday[key].covers(ds.Hosts) {
		return
	}
	n := r.redirectNeeds[key]
	if n == nil {
		n = &redirectNeed{section: section}
		r.redirectNeeds[key] = n
	}
	n.cover.all = n.cover.all || len(ds.Hosts) == 0
	n.cover.hosts = append(n.cover.hosts, ds.Hosts...)
}

// redirectRoutes are the HTTPRoutes that redirect plain HTTP to HTTPS on
// each Gateway that needs one (needRedirect), in the Gateway's namespace
// (which its listeners admit): one rule, a 301 to the same URL over HTTPS,
// for the hosts it needs (every host when a service has none).
func (r *renderer) redirectRoutes() []*yaml.Node {
	var out []*yaml.Node
	for _, key := range slices.Sorted(maps.Keys(r.redirectNeeds)) {
		n := r.redirectNeeds[key]
		ns, gw, _ := strings.Cut(key, "/")
		ref := mapping("name", gw)
		if n.section != "" {
			ref.Content = append(ref.Content, str("sectionName"), str(n.section))
		}
		spec := mapping("parentRefs", seq(ref))
		if !n.cover.all {
			hosts := seq()
			slices.Sort(n.cover.hosts)
			for _, h := range slices.Compact(n.cover.hosts) {
				hosts.Content = append(hosts.Content, str(h))
			}
			spec.Content = append(spec.Content, str("hostnames"), hosts)
		}
		redirect := mapping("type", "RequestRedirect", "requestRedirect", mapping("scheme", "https", "statusCode", 301))
		spec.Content = append(spec.Content, str("rules"), seq(mapping("filters", seq(redirect))))
		name := gw + "-https-redirect"
		out = append(out, mapping("apiVersion", "gateway.networking.k8s.io/v1", "kind", "HTTPRoute",
			"metadata", mapping("name", name, "namespace", ns), "spec", spec))
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("HTTPRoute %s/%s: new, redirects plain HTTP to HTTPS on Gateway %s for the services the plan moves there", ns, name, key))
	}
	return out
}

// frontendConfigs are the FrontendConfigs that make the GKE Ingresses render
// writes redirect plain HTTP to HTTPS, as their services' Ingresses did
// today: one per new Ingress with a redirected service, named after it and
// named by its annotation. A FrontendConfig redirects the whole Ingress, so
// one that also serves a service over plain HTTP gets none: render warns
// instead.
func (r *renderer) frontendConfigs() []*yaml.Node {
	var out []*yaml.Node
	for _, id := range slices.Sorted(maps.Keys(r.oneObject)) {
		ing := r.oneObject[id]
		redirected, served := r.plainOf(r.oneObjectKeys[id])
		if len(redirected) == 0 {
			continue
		}
		meta := child(ing, "metadata")
		ns, name := scalar(meta, "namespace"), scalar(meta, "name")
		if served {
			for _, key := range redirected {
				r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("Service %s: plain HTTP to it is redirected to HTTPS today; Ingress %s/%s, which the plan shares with services served over plain HTTP, serves it instead", key, ns, name))
			}
			continue
		}
		out = append(out, r.redirectingConfig(ing, ns, name))
	}
	return out
}

// plainOf sorts out what plain HTTP gets of services (keys) today: those
// redirected to HTTPS, and whether any is served over it.
func (r *renderer) plainOf(keys []string) (redirected []string, served bool) {
	for _, key := range keys {
		ds := r.decl[key]
		if redirects(ds) {
			redirected = append(redirected, key)
		}
		served = served || ds.Protocol == planner.ProtoHTTP || (plainToo(ds) && !redirects(ds))
	}
	return redirected, served
}

// redirectingConfig names on GKE Ingress ns/name (ing) a FrontendConfig of
// its name that redirects its plain HTTP to HTTPS, and is that FrontendConfig.
func (r *renderer) redirectingConfig(ing *yaml.Node, ns, name string) *yaml.Node {
	setScalar(ensureMap(ensureMap(ing, "metadata"), "annotations"), annGKEFrontendConfig, name)
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("FrontendConfig %s/%s: new, redirects plain HTTP to HTTPS on Ingress %s/%s", ns, name, ns, name))
	return mapping("apiVersion", "networking.gke.io/v1beta1", "kind", "FrontendConfig",
		"metadata", mapping("name", name, "namespace", ns), "spec", mapping("redirectToHttps", mapping("enabled", true)))
}

// keepPlainHTTP keeps, on an Ingress of class that render writes or moves
// services to, what plain HTTP got of them today: a controller that
// redirects TLS hosts by default (ingress-nginx) is told not to for services
// served over plain HTTP too; one that does not is named in a warning for
// services that were redirected. It reports whether it changed the Ingress.
// (An ALB's or a GKE Ingress's plan carries its own listener settings.)
func (r *renderer) keepPlainHTTP(ing *yaml.Node, class string, keys []string) bool {
	if class == "alb" || class == "azure-application-gateway" {
		return false // the plan's own annotations say it (listen-ports and ssl-redirect; AGIC's ssl-redirect)
	}
	off := r.sslRedirect[class]
	if off == "" {
		off = ingressClasses[class].sslRedirect
	}
	changed := false
	for _, key := range keys {
		ds := r.decl[key]
		switch {
		case redirects(ds) && off == "":
			meta := child(ing, "metadata")
			r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("Service %s: plain HTTP to it is redirected to HTTPS today; Ingress %s/%s (class %s) serves plain HTTP instead unless you add the redirect its controller offers",
				key, scalar(meta, "namespace"), scalar(meta, "name"), class))
		case plainToo(ds) && !redirects(ds) && off != "":
			changed = setScalar(ensureMap(ensureMap(ing, "metadata"), "annotations"), off, "false") || changed
		case ds.Protocol == planner.ProtoHTTP && off != "" && r.tlsHostOf(key):
			// a plain-HTTP service on a host another service of its load
			// balancer has TLS for: the controller would redirect it
			changed = setScalar(ensureMap(ensureMap(ing, "metadata"), "annotations"), off, "false") || changed
		}
	}
	return changed
}

// tlsHostOf reports whether a host of service key is one a service with
// TLS (HTTPS or gRPC) is planned to share its load balancer on: a
// controller with one server per host (ingress-nginx) then serves it over
// HTTPS and redirects its plain HTTP unless told not to.
func (r *renderer) tlsHostOf(key string) bool {
	row, ok := r.rows[key]
	if !ok || row.LoadBalancer == nil {
		return false
	}
	if r.tlsHostsOn == nil { // by load balancer, once
		r.tlsHostsOn = map[string]map[string]bool{}
		for k, o := range r.rows {
			if o.LoadBalancer == nil || !isTLS(r.decl[k].Protocol) {
				continue
			}
			if r.tlsHostsOn[*o.LoadBalancer] == nil {
				r.tlsHostsOn[*o.LoadBalancer] = map[string]bool{}
			}
			// a service that stays on today's proxy has TLS for the hosts its
			// Ingresses list (an HTTPS service's other hosts may be plain)
			c := r.decl[k].CurrentLoadBalancer
			stays := c != nil && c.Kind == planner.CurrentProxy && c.Name == *o.LoadBalancer
			for _, h := range r.decl[k].Hosts {
				if !stays || r.tlsToday[o.IngressClassName][h] {
					r.tlsHostsOn[*o.LoadBalancer][h] = true
				}
			}
		}
	}
	return slices.ContainsFunc(r.decl[key].Hosts, func(h string) bool { return r.tlsHostsOn[*row.LoadBalancer][h] })
}

func derefOr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// keepTLS gives an Ingress that moves to another class, for its HTTPS (and
// gRPC) services, the spec.tls that class needs to end TLS, when it has
// none: an ALB's certificate comes from ACM (certificate-arn, or found by
// host), which an in-cluster proxy, a GKE Ingress or an Application Gateway
// cannot use. Its hosts are the Ingress's; its Secret, name-tls, the user
// provides (render says so). It reports whether it changed the Ingress.
func (r *renderer) keepTLS(spec *yaml.Node, ns, name string, backends []string) bool {
	if child(spec, "tls") != nil {
		return false
	}
	needs := false
	for _, k := range backends {
		needs = needs || isTLS(r.decl[k].Protocol)
	}
	if !needs {
		return false
	}
	tls := mapping("secretName", name+"-tls")
	var hosts []string
	for _, rule := range seqItems(child(spec, "rules")) {
		if h := scalar(rule, "host"); h != "" {
			hosts = append(hosts, h)
		}
	}
	if len(hosts) > 0 {
		list := seq()
		for _, h := range dedupe(hosts) {
			list.Content = append(list.Content, str(h))
		}
		tls.Content = append([]*yaml.Node{str("hosts"), list}, tls.Content...)
	}
	spec.Content = append(spec.Content, str("tls"), seq(tls))
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: TLS now ends in the cluster, with the certificate of Secret %s/%s-tls, which you provide", ns, name, ns, name))
	return true
}

// dropIgnoredTLS removes the spec.tls of an Ingress that leaves an ALB
// which served its hosts over plain HTTP only (no HTTPS listener: its
// services were read as HTTP): the ALB ignores spec.tls, but the class it
// moves to would end TLS for those hosts and, like ingress-nginx, redirect
// their plain HTTP to HTTPS. It reports whether it changed the Ingress.
func (r *renderer) dropIgnoredTLS(spec *yaml.Node, ns, name, class string, backends []string) bool {
	if child(spec, "tls") == nil || len(backends) == 0 {
		return false
	}
	for _, k := range backends {
		if ds, ok := r.decl[k]; !ok || ds.Protocol != planner.ProtoHTTP {
			return false
		}
	}
	deleteKey(spec, "tls")
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: spec.tls removed: its ALB served its hosts over plain HTTP only (no HTTPS listener), which class %s would change", ns, name, class))
	return true
}

// coverTLSHosts extends the spec.tls of an Ingress that leaves an ALB whose
// services were served over HTTPS (its HTTPS listener ends TLS for every host
// of its rules, whatever spec.tls lists, which the ALB ignores) to the rules'
// hosts it leaves out: the class it moves to ends TLS only for the hosts
// spec.tls names and, like ingress-nginx, would serve the others over plain
// HTTP only. Leaving a GKE Ingress (tlsRulesOnly), whose HTTPS proxy ends TLS
// for every host too, it covers the hosts whose Services were read as served
// over HTTPS (a FrontendConfig's redirect). It reports whether it changed the
// Ingress.
func (r *renderer) coverTLSHosts(spec *yaml.Node, ns, name string, backends []string, tlsRulesOnly bool) bool {
	tls := child(spec, "tls")
	if tls == nil || !slices.ContainsFunc(backends, func(k string) bool { return isTLS(r.decl[k].Protocol) }) {
		return false
	}
	covered := map[string]bool{}
	for _, t := range seqItems(tls) {
		for _, h := range seqItems(child(t, "hosts")) {
			covered[h.Value] = true
		}
	}
	// (a GKE Ingress: hosts whose every Service was read as served over HTTPS, as its FrontendConfig's redirect has them)
	allTLS := func(rule *yaml.Node) bool {
		ok := true
		for _, p := range seqItems(path(rule, "http", "paths")) {
			for _, k := range backendServices(nil, child(p, "backend"), ns) {
				ok = ok && isTLS(r.decl[k].Protocol)
			}
		}
		return ok
	}
	var missing []string
	for _, rule := range seqItems(child(spec, "rules")) {
		if h := scalar(rule, "host"); h != "" && !covered[h] && (!tlsRulesOnly || allTLS(rule)) {
			covered[h] = true
			missing = append(missing, h)
		}
	}
	if len(missing) == 0 {
		return false
	}
	list := seq()
	for _, h := range missing {
		list.Content = append(list.Content, str(h))
	}
	tls.Content = append(tls.Content, mapping("hosts", list, "secretName", name+"-tls"))
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: TLS for %s too (its load balancer served them over HTTPS), with the certificate of Secret %s/%s-tls, which you provide",
		ns, name, strings.Join(missing, ", "), ns, name))
	return true
}

// dormantRedirect removes from an Ingress render moves from class from to a
// GKE class (to) the FrontendConfig annotation that class would read and from
// ignored, when that FrontendConfig would redirect the plain HTTP of a service
// the plan serves over plain HTTP (its redirectToHttps holds for the whole
// Ingress). It reports whether it changed the Ingress.
func (r *renderer) dormantRedirect(n *yaml.Node, ns, name, from, to string, backends []string) bool {
	if (to != "gce" && to != "gce-internal") || from == "gce" || from == "gce-internal" {
		return false
	}
	fc := scalar(n, "metadata", "annotations", annGKEFrontendConfig)
	served := slices.ContainsFunc(backends, func(k string) bool {
		ds := r.decl[k]
		return ds.Protocol == planner.ProtoHTTP || (plainToo(ds) && !redirects(ds))
	})
	if fc == "" || !served {
		return false
	}
	deleteKey(child(child(n, "metadata"), "annotations"), annGKEFrontendConfig)
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: FrontendConfig %s no longer named: class %s would have it redirect the plain HTTP of services it serves (class %s ignored it)",
		ns, name, fc, to, from))
	return true
}

// newProxyClasses warns of each internal in-cluster proxy class the plan
// routes services through that no Ingress has today (nginx-internal): a
// second controller of the proxy, its Service internal, must serve it;
// render writes routing objects, not controllers.
func (r *renderer) newProxyClasses(p *planner.Plan, today map[string]bool) {
	seen := map[string]bool{}
	for _, row := range p.Services {
		class := row.IngressClassName
		if !strings.HasSuffix(class, planner.InternalClassSuffix) || today[class] || seen[class] {
			continue
		}
		seen[class] = true
		r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("Ingress class %s: the plan's new internal in-cluster proxy; deploy a second controller of %s for this class, its Service internal (render writes the Ingresses, not the controller)",
			class, strings.TrimSuffix(class, planner.InternalClassSuffix)))
	}
}
