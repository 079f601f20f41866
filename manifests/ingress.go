package manifests

import (
	"encoding/json"
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
	if !ok {
		c = proxy("controller "+ic.Spec.Controller, "", false)
		r.warn("%s: IngressClass %s names controller %q, which lbplanner does not know: its Ingresses are priced as an in-cluster proxy", o.at(), ic.Name, ic.Spec.Controller)
	}
	r.ingressClass[ic.Name] = c
	if ic.Annotations[annIngressDefaultClass] == "true" {
		r.defaultClass = ic.Name
	}
}

// ingressController resolves an Ingress's class to the controller that serves it.
func (r *reader) ingressController(o object, ing *networkingv1.Ingress) (string, controller) {
	class := ing.Annotations[annIngressClass]
	if ing.Spec.IngressClassName != nil {
		class = *ing.Spec.IngressClassName
	}
	if class == "" {
		class = r.defaultClass
	}
	if c, ok := r.ingressClass[class]; ok {
		return class, c
	}
	if c, ok := ingressClasses[class]; ok {
		return class, c
	}
	if class == "" && r.opts.Cloud == "gcp" {
		return "gce", ctlGCE // GKE serves class-less Ingresses
	}
	what := "class " + class
	if class == "" {
		what, class = "no class", "(no class)"
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
	if c.cloud != "" {
		r.hints[c.cloud] = true
	}
	lb := ingressLB(&ing, class, c)
	r.res.lbOf["Ingress "+ing.Namespace+"/"+ing.Name] = lb
	a := ing.Annotations
	tls := map[string]bool{}
	anyTLS := false
	for _, t := range ing.Spec.TLS {
		anyTLS = true
		for _, h := range t.Hosts {
			tls[h] = true
		}
	}
	via := "Ingress " + ing.Namespace + "/" + ing.Name
	grpc := strings.EqualFold(a[annALBBackendVersion], "GRPC") || strings.EqualFold(a[annNginxBackendProto], "GRPC") || strings.EqualFold(a[annNginxBackendProto], "GRPCS")
	add := func(b *networkingv1.IngressBackend, host, path string, exact bool) {
		if b == nil || b.Service == nil {
			return
		}
		s := r.backend(o, via, "backend.service.name", ing.Namespace+"/"+b.Service.Name)
		if s == nil {
			return
		}
		proto := planner.ProtoHTTP
		if tls[host] || (host == "" && anyTLS) {
			proto = planner.ProtoHTTPS
		}
		if grpc {
			proto = planner.ProtoGRPC
		}
		rt := route{protocol: proto, internal: lb.Scheme == "internal", staticIP: a[annGCEStaticIP] != "",
			passthrough: a[annNginxSSLPassthrough] == "true", via: via, lb: lb,
			port: b.Service.Port.Number, portName: b.Service.Port.Name}
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
	add(ing.Spec.DefaultBackend, "", "", false)
	for _, rule := range ing.Spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			b := p.Backend
			add(&b, rule.Host, p.Path, p.PathType != nil && *p.PathType == networkingv1.PathTypeExact)
		}
	}
}
