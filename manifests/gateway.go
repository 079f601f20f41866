package manifests

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// gateway is a Gateway API Gateway: the load balancer its routes are on today.
type gateway struct {
	lb          *planner.CurrentLB
	http, https bool
	hostnames   []string
	// listenerHTTPS says, by listener name, whether it terminates TLS: a route
	// attached to one listener (sectionName) is HTTPS or not by it
	listenerHTTPS map[string]bool
	namespace     string
	class         string // its GatewayClass
	at            string // where it is read (file:line)
	addresses     bool   // it asks for addresses (spec.addresses: a reserved one, an IP): its services' staticIP
	// admit are its listeners' allowedRoutes.namespaces.from (Same when
	// unset: only routes of the Gateway's own namespace attach)
	admit []listenerAdmit
}

// listenerAdmit is one listener's name, port and the namespaces whose
// routes it takes (allowedRoutes.namespaces.from: Same, All or Selector).
type listenerAdmit struct {
	name     string
	port     int32
	from     string
	selector *metav1.LabelSelector
}

// nameLabel is the label every namespace has, its name
// (kubernetes.io/metadata.name): a selector on it alone says which
// namespaces it takes without their objects.
const nameLabel = "kubernetes.io/metadata.name"

// selects reports whether a namespace selector takes namespace ns, judged by
// its name label; a selector on other labels is read as taking it (the
// manifests may not hold the namespaces' labels).
func selects(sel *metav1.LabelSelector, ns string) bool {
	if sel == nil {
		return true
	}
	for k, v := range sel.MatchLabels {
		if k == nameLabel && v != ns {
			return false
		}
	}
	for _, e := range sel.MatchExpressions {
		if e.Key != nameLabel {
			continue
		}
		in := slices.Contains(e.Values, ns)
		if (e.Operator == metav1.LabelSelectorOpIn && !in) || (e.Operator == metav1.LabelSelectorOpNotIn && in) {
			return false
		}
	}
	return true
}

// admits reports whether a route of namespace ns attached by section or
// port (or neither: any listener) is taken by one of the Gateway's
// listeners (a Selector by the name label alone: selects).
func (gw *gateway) admits(ns string, section *gatewayv1.SectionName, port *gatewayv1.PortNumber) bool {
	if len(gw.admit) == 0 {
		return true
	}
	for _, l := range gw.admit {
		if (section != nil && string(*section) != l.name) || (port != nil && int32(*port) != l.port) {
			continue
		}
		switch l.from {
		case string(gatewayv1.NamespacesFromAll):
			return true
		case string(gatewayv1.NamespacesFromSelector):
			if selects(l.selector, ns) {
				return true
			}
		default:
			if ns == gw.namespace {
				return true
			}
		}
	}
	return false
}

// readLBConfiguration records the scheme of an AWS Load Balancer Controller
// LoadBalancerConfiguration, which Gateways name as their parameters.
func (r *reader) readLBConfiguration(o object) {
	if !strings.HasPrefix(o.api, "gateway.k8s.aws/") {
		return
	}
	var c struct {
		Metadata struct{ Name, Namespace string } `json:"metadata"`
		Spec     struct {
			Scheme string `json:"scheme"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(o.raw, &c); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "LoadBalancerConfiguration", Msg: err.Error()})
		return
	}
	r.lbConfigs[r.namespace(c.Metadata.Namespace)+"/"+c.Metadata.Name] = c.Spec.Scheme
}

// readGatewayClass records which controller a GatewayClass names.
func (r *reader) readGatewayClass(o object) {
	var gc gatewayv1.GatewayClass
	if err := json.Unmarshal(o.raw, &gc); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "GatewayClass", Msg: err.Error()})
		return
	}
	name := string(gc.Spec.ControllerName)
	c, ok := gatewayControllers[name]
	if !ok {
		c = proxy("controller "+name, "", true)
		r.warn("%s: GatewayClass %s names controller %q, which lbplanner does not know: its Gateways are priced as in-cluster proxies", o.at(), gc.Name, name)
	}
	r.gatewayClass[gc.Name] = c
}

// readGateway records a Gateway and the load balancer its controller creates
// for it: one per Gateway (an ALB for HTTP listeners or an NLB for layer-4
// ones with the AWS Load Balancer Controller, a Google load balancer, or an
// in-cluster proxy's own Service).
func (r *reader) readGateway(o object) {
	var g gatewayv1.Gateway
	if err := json.Unmarshal(o.raw, &g); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "Gateway", Msg: err.Error()})
		return
	}
	g.Namespace = r.namespace(g.Namespace)
	key := g.Namespace + "/" + g.Name
	class := string(g.Spec.GatewayClassName)
	c, ok := r.gatewayClass[class]
	if !ok {
		if c, ok = gatewayClasses[class]; !ok {
			c = proxy(class, "", true)
			r.warn("%s: Gateway %s has class %s, which lbplanner does not know: priced as an in-cluster proxy", o.at(), key, class)
		}
	}
	r.countProxy(c)
	if c.cloud != "" {
		r.hints[c.cloud] = true
	}
	gw := &gateway{lb: &planner.CurrentLB{Kind: c.kind, Name: planner.GatewayPrefix + key, Scheme: planner.AudienceInternet}}
	r.noteProxyLB(gw.lb.Name, c)
	if c.kind == planner.CurrentAGC {
		gw.lb.Name, gw.lb.Frontend = agcResource(g.Annotations, gw.lb.Name), planner.GatewayPrefix+key
	}
	if c.internal {
		gw.lb.Scheme = "internal"
	}
	l4 := false
	gw.listenerHTTPS, gw.namespace, gw.class, gw.at = map[string]bool{}, g.Namespace, class, o.at()
	gw.addresses = len(g.Spec.Addresses) > 0
	for _, l := range g.Spec.Listeners {
		admit := listenerAdmit{name: string(l.Name), port: int32(l.Port), from: string(gatewayv1.NamespacesFromSame)}
		if a := l.AllowedRoutes; a != nil && a.Namespaces != nil {
			if a.Namespaces.From != nil {
				admit.from = string(*a.Namespaces.From)
			}
			admit.selector = a.Namespaces.Selector
		}
		gw.admit = append(gw.admit, admit)
		r.res.listeners[key] = append(r.res.listeners[key], gatewayListener{name: string(l.Name), protocol: string(l.Protocol), port: int32(l.Port)})
		gw.listenerHTTPS[string(l.Name)] = l.Protocol == gatewayv1.HTTPSProtocolType
		r.noteListenerSecret(g.Namespace, gw.lb.Name, l)
		switch l.Protocol {
		case gatewayv1.HTTPSProtocolType:
			gw.https = true
		case gatewayv1.HTTPProtocolType:
			gw.http = true
		case gatewayv1.TCPProtocolType, gatewayv1.UDPProtocolType, gatewayv1.TLSProtocolType:
			l4 = true
		}
		if l.Hostname != nil {
			gw.hostnames = append(gw.hostnames, string(*l.Hostname))
		}
	}
	if c.kind == planner.CurrentProxy && g.Spec.Infrastructure != nil { // the annotations its proxy's Service gets
		a := map[string]string{}
		for k, v := range g.Spec.Infrastructure.Annotations {
			a[string(k)] = string(v)
		}
		if internalByAnnotation(a) {
			gw.lb.Scheme = "internal"
		}
	}
	if c.kind == planner.CurrentALB && l4 {
		gw.lb.Kind = planner.CurrentNLB // the AWS Load Balancer Controller puts layer-4 listeners on an NLB
	}
	if ref := g.Spec.Infrastructure; ref != nil && ref.ParametersRef != nil && ref.ParametersRef.Kind == "LoadBalancerConfiguration" {
		if scheme, ok := r.lbConfigs[g.Namespace+"/"+ref.ParametersRef.Name]; ok { // the AWS Load Balancer Controller's scheme
			gw.lb.Scheme = planner.AudienceInternet
			if scheme != "internet-facing" {
				gw.lb.Scheme = "internal"
			}
		}
	}
	r.gateways[key] = gw
}

// routeSpec is what the Gateway API route kinds have in common.
type routeSpec struct {
	parents   []gatewayv1.ParentReference
	hostnames []gatewayv1.Hostname
	rules     []routeRule
}

type routeRule struct {
	paths    []string
	backends []gatewayv1.BackendObjectReference
	split    bool // a match on headers, query parameters or method: some of its paths' requests
	rewrite  bool // a filter only a Gateway's route carries (routeRewrites), or a regular-expression match
	exact    bool // a match an ALB would test otherwise (httpMatchTests)
}

// routeRewrites are the HTTPRoute filters that change a request or its
// answer, or copy it elsewhere: a route keeps them only on a Gateway (an
// Ingress has none), so they set the rewrite need. RequestRedirect answers
// in place of a backend (read as a redirect); CORS is a header rule too.
var routeRewrites = map[gatewayv1.HTTPRouteFilterType]bool{
	gatewayv1.HTTPRouteFilterURLRewrite: true, gatewayv1.HTTPRouteFilterExtensionRef: true,
	gatewayv1.HTTPRouteFilterRequestHeaderModifier: true, gatewayv1.HTTPRouteFilterResponseHeaderModifier: true,
	gatewayv1.HTTPRouteFilterRequestMirror: true, gatewayv1.HTTPRouteFilterCORS: true,
}

// routeDecoders read each Gateway API route kind with its own types.
var routeDecoders = map[string]func([]byte) (metav1.ObjectMeta, routeSpec, error){
	"HTTPRoute": decodeAs(func(rt *gatewayv1.HTTPRoute) (metav1.ObjectMeta, routeSpec) {
		spec := routeSpec{parents: rt.Spec.ParentRefs, hostnames: rt.Spec.Hostnames}
		for _, rule := range rt.Spec.Rules {
			var paths []string
			split, rewrite, exact := false, false, false
			for _, m := range rule.Matches {
				paths = appendHTTPPath(paths, m.Path)
				split = split || len(m.Headers) > 0 || len(m.QueryParams) > 0 || m.Method != nil
				regex, folded := httpMatchTests(m, len(rt.Spec.Hostnames) > 0)
				rewrite, exact = rewrite || regex, exact || folded
			}
			for _, f := range rule.Filters {
				rewrite = rewrite || routeRewrites[f.Type]
			}
			// its timeouts, retries or session persistence: a route's alone (an Ingress has none)
			rewrite = rewrite || rule.Timeouts != nil || rule.Retry != nil || rule.SessionPersistence != nil
			for _, b := range rule.BackendRefs { // a backend's own filters too
				for _, f := range b.Filters {
					rewrite = rewrite || routeRewrites[f.Type]
				}
			}
			spec.rules = append(spec.rules, routeRule{paths: paths, split: split, rewrite: rewrite, exact: exact, backends: objectRefs(rule.BackendRefs,
				func(b gatewayv1.HTTPBackendRef) gatewayv1.BackendObjectReference { return b.BackendObjectReference })})
		}
		return rt.ObjectMeta, spec
	}),
	"GRPCRoute": decodeAs(func(rt *gatewayv1.GRPCRoute) (metav1.ObjectMeta, routeSpec) {
		spec := routeSpec{parents: rt.Spec.ParentRefs, hostnames: rt.Spec.Hostnames}
		for _, rule := range rt.Spec.Rules {
			var paths []string
			split, rewrite, exact := false, false, false
			for _, m := range rule.Matches {
				if p := grpcPath(m.Method); p != "" {
					paths = append(paths, p)
				}
				split = split || len(m.Headers) > 0
				regex, folded := grpcMatchTests(m)
				rewrite, exact = rewrite || regex, exact || folded
			}
			// a filter (every GRPCRoute filter changes or copies requests) or session persistence: a route's alone
			rewrite = rewrite || len(rule.Filters) > 0 || rule.SessionPersistence != nil
			for _, b := range rule.BackendRefs {
				rewrite = rewrite || len(b.Filters) > 0
			}
			spec.rules = append(spec.rules, routeRule{paths: paths, split: split, rewrite: rewrite, exact: exact, backends: objectRefs(rule.BackendRefs,
				func(b gatewayv1.GRPCBackendRef) gatewayv1.BackendObjectReference { return b.BackendObjectReference })})
		}
		return rt.ObjectMeta, spec
	}),
	"TLSRoute": decodeAs(func(rt *gatewayv1.TLSRoute) (metav1.ObjectMeta, routeSpec) {
		spec := routeSpec{parents: rt.Spec.ParentRefs, hostnames: rt.Spec.Hostnames}
		for _, rule := range rt.Spec.Rules {
			spec.rules = append(spec.rules, routeRule{backends: objectRefs(rule.BackendRefs, backendRef)})
		}
		return rt.ObjectMeta, spec
	}),
	"TCPRoute": decodeAs(func(rt *gatewayv1.TCPRoute) (metav1.ObjectMeta, routeSpec) {
		spec := routeSpec{parents: rt.Spec.ParentRefs}
		for _, rule := range rt.Spec.Rules {
			spec.rules = append(spec.rules, routeRule{backends: objectRefs(rule.BackendRefs, backendRef)})
		}
		return rt.ObjectMeta, spec
	}),
	"UDPRoute": decodeAs(func(rt *gatewayv1.UDPRoute) (metav1.ObjectMeta, routeSpec) {
		spec := routeSpec{parents: rt.Spec.ParentRefs}
		for _, rule := range rt.Spec.Rules {
			spec.rules = append(spec.rules, routeRule{backends: objectRefs(rule.BackendRefs, backendRef)})
		}
		return rt.ObjectMeta, spec
	}),
}

// decodeAs unmarshals a route of type T and reads it with read.
func decodeAs[T any](read func(*T) (metav1.ObjectMeta, routeSpec)) func([]byte) (metav1.ObjectMeta, routeSpec, error) {
	return func(raw []byte) (metav1.ObjectMeta, routeSpec, error) {
		var rt T
		if err := json.Unmarshal(raw, &rt); err != nil {
			return metav1.ObjectMeta{}, routeSpec{}, err
		}
		meta, spec := read(&rt)
		return meta, spec, nil
	}
}

// decodeRoute reads any Gateway API route kind with its own types.
func decodeRoute(o object) (name, ns string, spec routeSpec, err error) {
	decode, ok := routeDecoders[o.kind]
	if !ok {
		return "", "", routeSpec{}, fmt.Errorf("not a Gateway API route kind")
	}
	meta, spec, err := decode(o.raw)
	return meta.Name, meta.Namespace, spec, err
}

// appendHTTPPath adds an HTTPRoute path match as a declared path (=/x for Exact, none for /).
func appendHTTPPath(paths []string, m *gatewayv1.HTTPPathMatch) []string {
	switch {
	case m == nil || m.Value == nil || *m.Value == "":
	case m.Type != nil && *m.Type == gatewayv1.PathMatchExact:
		paths = append(paths, planner.ExactPrefix+*m.Value)
	case *m.Value != "/":
		paths = append(paths, *m.Value)
	}
	return paths
}

func backendRef(b gatewayv1.BackendRef) gatewayv1.BackendObjectReference {
	return b.BackendObjectReference
}

// objectRefs are the Service references of a rule's backends.
func objectRefs[B any](refs []B, ref func(B) gatewayv1.BackendObjectReference) []gatewayv1.BackendObjectReference {
	out := make([]gatewayv1.BackendObjectReference, len(refs))
	for i, b := range refs {
		out[i] = ref(b)
	}
	return out
}

// grpcPath is the HTTP/2 path a GRPCRoute method match routes: a method is
// one rule (/pkg.Service/Method), a whole service a prefix (/pkg.Service/).
func grpcPath(m *gatewayv1.GRPCMethodMatch) string {
	if m == nil || m.Service == nil || *m.Service == "" {
		return ""
	}
	if m.Method != nil && *m.Method != "" {
		return "/" + *m.Service + "/" + *m.Method
	}
	return "/" + *m.Service + "/*"
}

var routeProtocol = map[string]string{"HTTPRoute": planner.ProtoHTTP, "GRPCRoute": planner.ProtoGRPC, "TLSRoute": planner.ProtoTLS,
	"TCPRoute": planner.ProtoTCP, "UDPRoute": planner.ProtoUDP}

// readRoute records, for each backend Service, what a Gateway API route
// sends it through each Gateway it attaches to: the first one's load
// balancer is the Service's today, another's one it is also on (alsoOn).
func (r *reader) readRoute(o object) {
	name, ns, spec, err := decodeRoute(o)
	if err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: o.kind, Msg: err.Error()})
		return
	}
	ns = r.namespace(ns)
	via := o.kind + " " + ns + "/" + name
	hosts := make([]string, 0, len(spec.hostnames))
	for _, h := range spec.hostnames {
		hosts = append(hosts, string(h))
	}
	parents, refused := r.routeParents(o, via, ns, spec.parents, hosts)
	switch {
	case len(parents) == 0 && refused:
		return // its Gateways do not take it: it routes nothing
	case len(parents) == 0:
		parents = []routeParent{{proto: routeProtocol[o.kind], hosts: hosts}} // no Gateway in the manifests: routed by none
	}
	for _, rule := range spec.rules {
		keys, targets, ports := r.ruleBackends(o, via, ns, rule)
		for pi, p := range parents { // the first Gateway's is today's load balancer, another's one it is also on
			for j, s := range targets {
				rt := route{protocol: p.proto, hosts: p.hosts, paths: rule.paths, passthrough: o.kind == "TLSRoute", via: via, lb: p.lb, port: ports[j], parent: pi, staticIP: p.staticIP,
					internal: p.lb != nil && p.lb.Scheme == "internal", split: rule.split, rewrite: rule.rewrite, exact: rule.exact}
				for k, other := range keys {
					if k != j && other != keys[j] {
						rt.with = append(rt.with, other)
					}
				}
				sort.Strings(rt.with)
				s.routes = append(s.routes, rt)
			}
		}
	}
}

// routeParent is one Gateway a route attaches to: the load balancer it is
// on there, and the protocol and hosts its requests have there.
type routeParent struct {
	lb       *planner.CurrentLB
	proto    string
	hosts    []string
	staticIP bool // its Gateway asks for addresses of its own (spec.addresses)
}

// routeParents are the Gateways in the manifests a route attaches to, each
// once, in the order it names them; named twice or more with other
// listeners (sectionName http and https), a Gateway's every listener.
func (r *reader) routeParents(o object, via, ns string, refs []gatewayv1.ParentReference, hosts []string) (out []routeParent, refused bool) {
	kind := o.kind
	var keys []string
	byKey := map[string][]gatewayv1.ParentReference{}
	for _, p := range refs {
		if p.Kind != nil && *p.Kind != "Gateway" {
			continue
		}
		pns := ns
		if p.Namespace != nil {
			pns = string(*p.Namespace)
		}
		key := pns + "/" + string(p.Name)
		if r.gateways[key] == nil {
			continue
		}
		if byKey[key] == nil {
			keys = append(keys, key)
		}
		byKey[key] = append(byKey[key], p)
	}
	for _, key := range keys {
		p := byKey[key][0]
		section, port := p.SectionName, p.Port
		for _, q := range byKey[key][1:] {
			if !reflect.DeepEqual(q.SectionName, p.SectionName) || !reflect.DeepEqual(q.Port, p.Port) {
				section, port = nil, nil // on several of its listeners: read as on every one
			}
		}
		if !r.gateways[key].admits(ns, section, port) {
			r.warn("%s: %s names Gateway %s, whose listeners do not take routes of namespace %s (allowedRoutes): not attached there", o.at(), via, key, ns)
			refused = true
			continue
		}
		out = append(out, r.routeParent(kind, r.gateways[key], key, section, port, hosts))
	}
	return out, refused
}

// routeParent is what a route of kind gets on Gateway gw (key), attached to
// a listener by section or port, or to every one.
func (r *reader) routeParent(kind string, gw *gateway, gwKey string, section *gatewayv1.SectionName, port *gatewayv1.PortNumber, hosts []string) routeParent {
	proto, lb := routeProtocol[kind], gw.lb
	https, named := false, false
	switch {
	case section != nil:
		https, named = gw.listenerHTTPS[string(*section)]
	case port != nil: // attached to the listeners of that port
		https, named = r.listenerByPort(gwKey, int32(*port))
	}
	if kind == "HTTPRoute" && (https || (!named && gw.https)) { // its listener's, or any listener's
		proto = planner.ProtoHTTPS
	}
	if kind == "HTTPRoute" && !named && gw.https && gw.http && (lb.Kind == planner.CurrentGateway || lb.Kind == planner.CurrentProxy || lb.Kind == planner.CurrentALB || lb.Kind == planner.CurrentAGC) {
		// on every listener: served over plain HTTP too, which costs a rule
		plain := *lb
		plain.HTTPFrontend = true
		lb = &plain
	}
	if len(hosts) == 0 {
		hosts = gw.hostnames
	}
	if ((kind == "HTTPRoute" && proto == planner.ProtoHTTPS) || kind == "GRPCRoute") && (named || !gw.http) {
		lb = r.redirected(gwKey, lb, hosts) // (a gRPC host too: its plain-HTTP listener, a forwarding rule, redirects it)
	}
	return routeParent{lb: lb, proto: proto, hosts: hosts, staticIP: gw.addresses}
}

// ruleBackends are the Services a route rule sends requests to (those in the
// manifests), with their keys and the ports the rule names.
func (r *reader) ruleBackends(o object, via, ns string, rule routeRule) (keys []string, targets []*svc, ports []int32) {
	for _, b := range rule.backends {
		if (b.Kind != nil && *b.Kind != "Service") || (b.Group != nil && *b.Group != "") {
			continue
		}
		bns := ns
		if b.Namespace != nil {
			bns = string(*b.Namespace)
		}
		if !r.granted(o, via, o.kind, ns, bns, string(b.Name)) {
			continue
		}
		key := bns + "/" + string(b.Name)
		s := r.backend(o, via, "backendRefs.name", key)
		if s == nil {
			continue
		}
		var port int32
		if b.Port != nil {
			port = int32(*b.Port)
		}
		keys, targets, ports = append(keys, key), append(targets, s), append(ports, port)
	}
	return keys, targets, ports
}

// listenerByPort says whether Gateway key's listeners on port terminate TLS
// (https) and whether it has any there (found).
func (r *reader) listenerByPort(key string, port int32) (https, found bool) {
	for _, l := range r.res.listeners[key] {
		if l.port == port {
			https, found = https || l.protocol == string(gatewayv1.HTTPSProtocolType), true
		}
	}
	return https, found
}

// readBackendTLSPolicy marks the Services a Gateway API BackendTLSPolicy
// targets: their pods serve TLS, which the Gateways routing to them speak
// (the backendTLS need keeps them on a load balancer of today's kind).
func (r *reader) readBackendTLSPolicy(o object) {
	var p struct {
		Metadata struct{ Name, Namespace string } `json:"metadata"`
		Spec     struct {
			TargetRefs []struct{ Group, Kind, Name string } `json:"targetRefs"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(o.raw, &p); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "BackendTLSPolicy", Msg: err.Error()})
		return
	}
	ns := r.namespace(p.Metadata.Namespace)
	for _, t := range p.Spec.TargetRefs {
		if (t.Kind == "" || t.Kind == "Service") && t.Group == "" {
			if s := r.services[ns+"/"+t.Name]; s != nil {
				s.backendTLS = true
			}
		}
	}
}
