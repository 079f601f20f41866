package manifests

import (
	"encoding/json"
	"strconv"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// readIngressClass records which controller an IngressClass names.
func (r *reader) readIngressClass(o object) {
	var ic networkingv1.IngressClass
	if err := json.Unmarshal(o.raw, &ic); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "IngressClass", Msg: err.Error()})
		return
	}
	c, ok := ingressControllers[ic.Spec.Controller]
	if !ok && isIngressNginxController(ic.Spec.Controller) {
		c, ok = ingressControllers["k8s.io/ingress-nginx"], true
	}
	if ok && c.kind == planner.CurrentProxy && isInternalClassName(ic.Name) {
		c = internalProxy(c) // a second controller's class, for internal services
	}
	if !ok {
		c = proxy("controller "+ic.Spec.Controller, "", false)
		r.warn("%s: IngressClass %s names controller %q, which lbplanner does not know: its Ingresses are priced as an in-cluster proxy", o.at(), ic.Name, ic.Spec.Controller)
	}
	r.ingressClass[ic.Name] = c
	if r.classCtl == nil {
		r.classCtl = map[string]string{}
	}
	r.classCtl[ic.Name] = ic.Spec.Controller
	r.noteClassParams(&ic, c)
	if ic.Annotations[annIngressDefaultClass] == "true" {
		r.defaultClass = ic.Name
	}
}

// isIngressNginxController reports whether an IngressClass's controller is
// ingress-nginx installed a second time under a value of its own: the
// chart's controller.ingressClassResource.controllerValue, by convention
// k8s.io/ and a name with ingress-nginx in it (k8s.io/internal-ingress-nginx).
func isIngressNginxController(controller string) bool {
	name, ok := strings.CutPrefix(controller, "k8s.io/")
	return ok && strings.Contains(name, "ingress-nginx")
}

// isInternalClassName reports whether a class name says it is for internal
// services: name-internal, as render writes it, or internal-name.
func isInternalClassName(name string) bool {
	return strings.HasSuffix(name, planner.InternalClassSuffix) || strings.HasPrefix(name, "internal-")
}

// ingressClassName is the IngressClass an Ingress names (spec or the
// legacy annotation), else the default class.
func (r *reader) ingressClassName(ing *networkingv1.Ingress) string {
	class := ing.Annotations[annIngressClass]
	if ing.Spec.IngressClassName != nil {
		class = *ing.Spec.IngressClassName
	}
	if class == "" {
		class = r.defaultClass
	}
	return class
}

// classTLSHosts collects, by IngressClass, the hosts an Ingress of the class
// has TLS for. ingress-nginx configures one server per host: with a
// certificate from any of its Ingresses, every location on it is served over
// HTTPS and (ssl-redirect, on by default) redirects plain HTTP, whether its
// own Ingress lists the host under tls or not.
func (r *reader) classTLSHosts(objs []object) {
	r.tlsHosts = map[string]map[string]bool{}
	r.res.tlsHosts = r.tlsHosts
	for _, o := range objs {
		var ing networkingv1.Ingress
		if json.Unmarshal(o.raw, &ing) != nil {
			continue // readIngress says why
		}
		class := r.ingressClassName(&ing)
		r.noteIngressSecrets(&ing)
		for _, t := range ing.Spec.TLS {
			for _, h := range t.Hosts {
				if r.tlsHosts[class] == nil {
					r.tlsHosts[class] = map[string]bool{}
				}
				r.tlsHosts[class][h] = true
			}
		}
	}
}

// ingressController resolves an Ingress's class to the controller that serves it.
func (r *reader) ingressController(o object, ing *networkingv1.Ingress) (string, controller) {
	class := r.ingressClassName(ing)
	if c, ok := r.ingressClass[class]; ok {
		return class, c
	}
	if c, ok := ingressClasses[class]; ok {
		return class, c
	}
	if base, ok := strings.CutSuffix(class, planner.InternalClassSuffix); ok {
		if c, known := r.ingressClass[base]; known && c.kind == planner.CurrentProxy {
			return class, internalProxy(c)
		}
		if c, known := ingressClasses[base]; known && c.kind == planner.CurrentProxy {
			return class, internalProxy(c)
		}
	}
	if class == "" && r.opts.Cloud == "gcp" {
		return "gce", ctlGCE // GKE serves class-less Ingresses
	}
	what := "class " + class
	if class == "" { // the cluster's default IngressClass serves it, which the manifests do not hold
		what, class = "no class", planner.DefaultClassProxy
	}
	r.warn("%s: Ingress %s/%s has %s that lbplanner knows: priced as an in-cluster proxy", o.at(), ing.Namespace, ing.Name, what)
	return class, proxy(class, "", false)
}

// ingressLB is the load balancer an Ingress is on today, as its controller creates them.
func ingressLB(ing *networkingv1.Ingress, class string, c controller) *planner.CurrentLB {
	a := ing.Annotations
	lb := &planner.CurrentLB{Kind: c.kind, Name: class, Scheme: planner.AudienceInternet}
	internal := c.internal
	switch c.kind {
	case planner.CurrentALB:
		lb.Name = ing.Namespace + "/" + ing.Name
		if g := a[annALBGroup]; g != "" {
			lb.Name = g
		}
		if v := a[annALBScheme]; v != "" {
			internal = v == "internal"
		}
	case planner.CurrentGCE:
		lb.Name = ing.Namespace + "/" + ing.Name
		// with TLS, GKE serves HTTPS, and plain HTTP too unless told not to: a forwarding rule each
		lb.HTTPFrontend = len(ing.Spec.TLS) > 0 && a[annGCEAllowHTTP] != "false"
	case planner.CurrentAGC:
		key := ing.Namespace + "/" + ing.Name
		lb.Name, lb.Frontend = agcResource(a, key), key
		if f := a[annAGCFrontend]; f != "" {
			lb.Frontend = f // Ingresses sharing one frontend
		}
	case planner.CurrentAppGW:
		internal = a[annAppGWPrivate] == "true"
	}
	if internal {
		lb.Scheme = "internal"
	}
	return lb
}

// readIngress records, for each backend Service, the hosts, paths, port and
// protocol the Ingress routes to it, and the load balancer that serves it.
func (r *reader) readIngress(o object) {
	var ing networkingv1.Ingress
	if err := json.Unmarshal(o.raw, &ing); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "Ingress", Msg: err.Error()})
		return
	}
	ing.Namespace = r.namespace(ing.Namespace)
	noteHints(r.hints, ing.Annotations)
	class, c := r.ingressController(o, &ing)
	traefikRedirected := c.name == "Traefik" && r.traefikRedirect // plain HTTP redirected before routing
	if _, secure := traefikEntryPoints(splitList(ing.Annotations[annTraefikEntryPoints])); traefikRedirected && !secure {
		r.warn("%s: Ingress %s/%s is on Traefik's entry point web alone, which redirects every request to HTTPS: no request reaches its rules (not read)", o.at(), ing.Namespace, ing.Name)
		r.leftUnread("Ingress " + ing.Namespace + "/" + ing.Name)
		return
	}
	r.countProxy(c)
	if c.cloud != "" {
		r.hints[c.cloud] = true
	}
	if c.sslRedirect != "" {
		r.res.sslRedirect[class] = c.sslRedirect
	}
	r.res.classes[class] = true
	if c.pathPatterns {
		r.res.patternClasses[class] = true
	}
	lb := ingressLB(&ing, class, c)
	r.applyClassParams(lb, class)
	if fc := ing.Annotations[annGKEFrontendConfig]; lb.HTTPFrontend && fc != "" && r.redirectConfigs[ing.Namespace+"/"+fc] {
		lb.HTTPRedirect = true // GKE answers plain HTTP with a redirect to HTTPS
	}
	a := ing.Annotations
	forced := c.forceSSLRedirect != "" && a[c.forceSSLRedirect] == "true" // HTTPS on every host, plain HTTP redirected
	tls := map[string]bool{}
	anyTLS := false
	for _, t := range ing.Spec.TLS {
		anyTLS = true
		for _, h := range t.Hosts {
			tls[h] = true
		}
	}
	albTLS := false         // an ALB's: every rule on each of its listeners
	actionRedirect := false // its plain HTTP redirected by an action of its own (albHTTPSRedirect)
	if lb.Kind == planner.CurrentALB {
		http, https, odd, err := albListeners(&ing)
		if err != nil {
			r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "Ingress " + ing.Namespace + "/" + ing.Name, Field: "metadata.annotations." + annALBListenPorts, Msg: err.Error()})
			return
		}
		if len(odd) > 0 {
			r.warn("%s: Ingress %s/%s listens on %s; lbplanner plans HTTP on port 80 and HTTPS on 443, so a plan that moves its services moves their clients' port too",
				o.at(), ing.Namespace, ing.Name, strings.Join(odd, ", "))
		}
		albTLS = https
		r.countTargets(r.albIPTargets(&ing))
		lb.HTTPFrontend = http && https // its HTTPS rules served over plain HTTP too (or redirected: albPlainHTTP)
		if a[annALBSSLRedirect] != "" {
			r.albRedirects[lbKey(lb)] = true
		}
		actionRedirect = http && https && albHTTPSRedirect(&ing) // this Ingress's own redirect rule
		r.noteALBControls(lbKey(lb), a)
	}
	r.res.lbOf["Ingress "+ing.Namespace+"/"+ing.Name] = lb
	if lb.Kind == planner.CurrentProxy {
		r.res.proxyOf[lb.Name] = c.name
		r.noteProxyLB(lb.Name, c)
	}
	via := "Ingress " + ing.Namespace + "/" + ing.Name
	grpc := strings.EqualFold(a[annALBBackendVersion], "GRPC") || strings.EqualFold(a[annNginxBackendProto], "GRPC") || strings.EqualFold(a[annNginxBackendProto], "GRPCS")
	add := func(b *networkingv1.IngressBackend, host, path string, exact, wild bool) {
		if b == nil || b.Service == nil {
			return
		}
		targets := []networkingv1.IngressServiceBackend{*b.Service}
		if b.Service.Port.Name == albUseAnnotation { // an ALB action: a weighted forward, or no service at all
			targets = albForward(a[annALBActionPrefix+b.Service.Name])
		}
		var keys []string
		for _, t := range targets {
			keys = append(keys, ing.Namespace+"/"+t.Name)
		}
		// a canary Ingress, or an ALB rule with conditions, takes only some of the path's requests
		split := (c.canary != "" && a[c.canary] == "true") || (lb.Kind == planner.CurrentALB && a[annALBConditionsPrefix+b.Service.Name] != "")
		for j, t := range targets {
			// (a GKE Ingress whose FrontendConfig redirects answers every host's plain HTTP so, and its HTTPS)
			tlsHost, on := tls[host] || (host == "" && anyTLS) || (c.sslRedirect != "" && host != "" && r.tlsHosts[class][host]) || forced || (lb.Kind == planner.CurrentGCE && lb.HTTPRedirect), lb
			switch {
			case lb.Kind == planner.CurrentALB && actionRedirect:
				tlsHost = albTLS
				plain := *lb
				plain.HTTPFrontend, plain.HTTPRedirect = true, true
				on = &plain
			case lb.Kind == planner.CurrentALB:
				tlsHost = albTLS
			case lb.Kind == planner.CurrentAppGW && tlsHost && !grpc && a[annAppGWSSLRedirect] == "true": // AGIC's redirect on port 80
				plain := *lb
				plain.HTTPFrontend, plain.HTTPRedirect = true, true
				on = &plain
			case c.sslRedirect != "" && tlsHost && !grpc: // plain HTTP too, redirected to HTTPS unless turned off
				plain := *lb
				plain.HTTPFrontend, plain.HTTPRedirect = true, a[c.sslRedirect] != "false" || forced
				on = &plain
			case traefikRedirected && !grpc: // served on websecure, redirected on web
				tlsHost = true
				plain := *lb
				plain.HTTPFrontend, plain.HTTPRedirect = true, true
				on = &plain
			}
			r.addIngressRoute(o, via, &ing, on, t, keys, j, host, path, exact, tlsHost, grpc, split, wild)
		}
	}
	add(ing.Spec.DefaultBackend, "", "", false, false)
	for _, rule := range ing.Spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			b := p.Backend
			path, exact, wild := p.Path, p.PathType != nil && *p.PathType == networkingv1.PathTypeExact, false
			if c.pathPatterns && p.Path != "" && (p.PathType == nil || *p.PathType == networkingv1.PathTypeImplementationSpecific) {
				path, exact, wild = pathPattern(p.Path)
			}
			add(&b, rule.Host, path, exact, wild)
		}
	}
	if lb.Kind == planner.CurrentALB {
		r.albIngresses[lbKey(lb)] = append(r.albIngresses[lbKey(lb)], albIngress{order: groupOrder(a[annALBGroupOrder]),
			key: ing.Namespace + "/" + ing.Name, backends: ingressBackendOrder(&ing)})
	}
}

// ingressBackendOrder lists an ALB Ingress's Services in rule order
// (albBackendOrder); a rule's weighted forward action counts its Services.
func ingressBackendOrder(ing *networkingv1.Ingress) []string {
	keys := func(b *networkingv1.IngressBackend) []string {
		if b == nil || b.Service == nil {
			return nil
		}
		targets := []networkingv1.IngressServiceBackend{*b.Service}
		if b.Service.Port.Name == albUseAnnotation {
			targets = albForward(ing.Annotations[annALBActionPrefix+b.Service.Name])
		}
		var out []string
		for _, t := range targets {
			out = append(out, ing.Namespace+"/"+t.Name)
		}
		return out
	}
	var rules [][]albPath
	for _, rule := range ing.Spec.Rules {
		var paths []albPath
		if rule.HTTP != nil {
			for _, p := range rule.HTTP.Paths {
				t := ""
				if p.PathType != nil {
					t = string(*p.PathType)
				}
				paths = append(paths, albPath{pathType: t, path: p.Path, backends: keys(&p.Backend)})
			}
		}
		rules = append(rules, paths)
	}
	return albBackendOrder(rules, keys(ing.Spec.DefaultBackend))
}

// ALB actions: a backend port named use-annotation takes the action of the
// annotation actions.<service name>; a forward action's target groups are
// weighted Services (a canary).
const (
	albUseAnnotation   = "use-annotation"
	annALBActionPrefix = "alb.ingress.kubernetes.io/actions."
	// annALBConditionsPrefix + a backend's service (or action) name: the
	// conditions (http-header, query-string, http-request-method, ...) its
	// rule matches besides host and path
	annALBConditionsPrefix = "alb.ingress.kubernetes.io/conditions."
)

type albAction struct {
	Type          string `json:"type"`
	ForwardConfig *struct {
		TargetGroups []struct {
			ServiceName string          `json:"serviceName"`
			ServicePort json.RawMessage `json:"servicePort"`
			Weight      *int            `json:"weight"`
		} `json:"targetGroups"`
	} `json:"forwardConfig"`
	RedirectConfig *struct {
		Protocol string `json:"protocol"`
	} `json:"redirectConfig"`
}

// httpsRedirectAction reports whether an ALB action annotation redirects to HTTPS.
func httpsRedirectAction(annotation string) bool {
	var act albAction
	return json.Unmarshal([]byte(annotation), &act) == nil && strings.EqualFold(act.Type, "redirect") &&
		act.RedirectConfig != nil && strings.EqualFold(act.RedirectConfig.Protocol, "HTTPS")
}

// albHTTPSRedirect reports whether an ALB Ingress redirects every request of
// a rule to HTTPS by an action (the AWS Load Balancer Controller's older
// way, actions.ssl-redirect on path /*, before its ssl-redirect annotation):
// a redirect action to HTTPS on a path that takes every request.
func albHTTPSRedirect(ing *networkingv1.Ingress) bool {
	for _, rule := range ing.Spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			b := p.Backend.Service
			if b == nil || b.Port.Name != albUseAnnotation || (p.Path != "/*" && p.Path != "/" && p.Path != "") ||
				(p.Path == "/" && (p.PathType == nil || *p.PathType != networkingv1.PathTypePrefix)) {
				continue
			}
			if httpsRedirectAction(ing.Annotations[annALBActionPrefix+b.Name]) {
				return true
			}
		}
	}
	return false
}

// albForward reads the Services a forward action sends traffic to; none for
// other actions (redirects, fixed responses) or one that does not parse.
func albForward(annotation string) []networkingv1.IngressServiceBackend {
	var act albAction
	if json.Unmarshal([]byte(annotation), &act) != nil || !strings.EqualFold(act.Type, "forward") || act.ForwardConfig == nil {
		return nil
	}
	var out []networkingv1.IngressServiceBackend
	for _, tg := range act.ForwardConfig.TargetGroups {
		if tg.ServiceName == "" {
			continue
		}
		var port networkingv1.ServiceBackendPort
		var n int32
		if json.Unmarshal(tg.ServicePort, &n) == nil {
			port.Number = n
		} else {
			var s string
			if json.Unmarshal(tg.ServicePort, &s) == nil {
				if v, err := strconv.Atoi(s); err == nil {
					port.Number = int32(v)
				} else {
					port.Name = s
				}
			}
		}
		out = append(out, networkingv1.IngressServiceBackend{Name: tg.ServiceName, Port: port})
	}
	return out
}

// addIngressRoute records one Ingress path to one Service (with the others
// the same rule sends traffic to, for a weighted forward).
func (r *reader) addIngressRoute(o object, via string, ing *networkingv1.Ingress, lb *planner.CurrentLB, t networkingv1.IngressServiceBackend,
	keys []string, j int, host, path string, exact, tlsHost, grpc, split, wild bool) {
	s := r.backend(o, via, "backend.service.name", keys[j])
	if s == nil {
		return
	}
	a := ing.Annotations
	proto := planner.ProtoHTTP
	if tlsHost {
		proto = planner.ProtoHTTPS
	}
	if grpc {
		proto = planner.ProtoGRPC
	}
	passthrough := a[annNginxSSLPassthrough] == "true"
	if passthrough { // ingress-nginx passes TLS through by SNI: the host alone routes, no path
		proto, path, exact = planner.ProtoTLS, "", false
	}
	rt := route{protocol: proto, internal: lb.Scheme == "internal", staticIP: a[annGCEStaticIP] != "",
		passthrough: passthrough, via: via, lb: lb,
		port: t.Port.Number, portName: t.Port.Name, split: split, rewrite: rewrites(a) || sticks(a) || untranslatedCanary(a) || wild, backendTLS: speaksTLS(a), auth: controlsAccess(a),
		exact: lb.Kind == planner.CurrentProxy && canaryByHeader(a)}
	for k, other := range keys {
		if k != j && other != keys[j] {
			rt.with = append(rt.with, other)
		}
	}
	if host != "" {
		rt.hosts = []string{host}
	}
	switch {
	case exact && path != "":
		rt.paths = []string{planner.ExactPrefix + path}
	case path != "" && path != "/" && path != "/*":
		rt.paths = []string{path}
	}
	s.routes = append(s.routes, rt)
}
