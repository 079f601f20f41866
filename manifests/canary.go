package manifests

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"go.yaml.in/yaml/v3"
)

// ingress-nginx's canary annotations, as render translates them: a weight
// (out of a total, 100 by default), or a request header (a value, else
// "always").
const (
	annNginxCanaryWeight      = "nginx.ingress.kubernetes.io/canary-weight"
	annNginxCanaryWeightTotal = "nginx.ingress.kubernetes.io/canary-weight-total"
	annNginxCanaryHeader      = "nginx.ingress.kubernetes.io/canary-by-header"
	annNginxCanaryHeaderValue = "nginx.ingress.kubernetes.io/canary-by-header-value"
)

// nginxCanaryUntranslated are the canary annotations that match requests as
// only ingress-nginx does (a cookie, a header's regular expression): such a
// canary keeps its services on ingress-nginx (the rewrite need).
var nginxCanaryUntranslated = []string{"nginx.ingress.kubernetes.io/canary-by-cookie", "nginx.ingress.kubernetes.io/canary-by-header-pattern"}

// isCanaryAnnotation reports whether an annotation is one of ingress-nginx's
// canary annotations (canary, canary-weight, canary-by-header, ...).
func isCanaryAnnotation(k string) bool {
	return k == annNginxCanary || strings.HasPrefix(k, annNginxCanary+"-")
}

// untranslatedCanary reports whether an Ingress is an ingress-nginx canary
// that matches requests as only ingress-nginx does (nginxCanaryUntranslated).
func untranslatedCanary(a map[string]string) bool {
	if a[annNginxCanary] != "true" {
		return false
	}
	for _, k := range nginxCanaryUntranslated {
		if a[k] != "" {
			return true
		}
	}
	return false
}

// canarySplit is what an ingress-nginx canary Ingress takes of one host and
// path: its Service and port, and its requests (a weight out of total, a
// header and value).
type canarySplit struct {
	alb              bool // an ALB forward action's weights, not an ingress-nginx canary
	ingress, service string
	path, pathType   string
	port             *yaml.Node // its backend's port (number or name)
	weight, total    int
	header, value    string
}

// canaryAt names one host and path of a namespace.
type canaryAt struct{ ns, host, path string }

// isNginxCanary reports whether an Ingress is an ingress-nginx canary.
func isNginxCanary(ing *yaml.Node) bool {
	return scalar(ing, "metadata", "annotations", annNginxCanary) == "true"
}

// collectCanaries records, before render edits anything, the host and path
// splits of the ingress-nginx canary Ingresses in srcs.
func (r *renderer) collectCanaries(srcs []Source) {
	r.canaries, r.shadowed = map[canaryAt]canarySplit{}, map[canaryAt]string{}
	for _, src := range srcs {
		dec := yaml.NewDecoder(strings.NewReader(string(src.Data)))
		for {
			var doc yaml.Node
			if dec.Decode(&doc) != nil {
				break
			}
			if len(doc.Content) == 0 {
				continue
			}
			objs := []*yaml.Node{doc.Content[0]}
			if items := child(doc.Content[0], "items"); items != nil {
				objs = items.Content
			}
			for _, o := range objs {
				switch {
				case scalar(o, "kind") != "Ingress":
				case isNginxCanary(o):
					r.collectCanary(o)
				default:
					r.collectShadowed(o)
				}
			}
		}
	}
}

// collectCanary records one canary Ingress's splits.
func (r *renderer) collectCanary(ing *yaml.Node) {
	ns := r.namespaceOf(ing)
	a := func(k string) string { return scalar(ing, "metadata", "annotations", k) }
	split := canarySplit{ingress: ns + "/" + scalar(ing, "metadata", "name"), header: a(annNginxCanaryHeader), value: a(annNginxCanaryHeaderValue), total: 100}
	split.weight, _ = strconv.Atoi(a(annNginxCanaryWeight))
	if t, err := strconv.Atoi(a(annNginxCanaryWeightTotal)); err == nil && t > 0 {
		split.total = t
	}
	eachPath(child(ing, "spec"), func(rule, p *yaml.Node) {
		s := split
		s.service, s.port = scalar(p, "backend", "service", "name"), path(p, "backend", "service", "port")
		s.path, s.pathType = scalar(p, "path"), scalar(p, "pathType")
		if s.service != "" {
			r.canaries[canaryAt{ns, scalar(rule, "host"), scalar(p, "path")}] = s
		}
	})
}

// collectShadowed records the Service each host and path of an Ingress
// that is no canary routes to: the one a canary of that host and path
// shadows. An ALB forward action weighting two Services is recorded as the
// first and a canary of it (the second, its weight), so that a route render
// writes for them splits as the action did.
func (r *renderer) collectShadowed(ing *yaml.Node) {
	ns := r.namespaceOf(ing)
	eachPath(child(ing, "spec"), func(rule, p *yaml.Node) {
		svc := scalar(p, "backend", "service", "name")
		if svc == "" {
			return
		}
		at := canaryAt{ns, scalar(rule, "host"), scalar(p, "path")}
		r.shadowed[at] = ns + "/" + svc
		if scalar(p, "backend", "service", "port", "name") != albUseAnnotation {
			return
		}
		if main, c, ok := weightedPair(scalar(ing, "metadata", "annotations", annALBActionPrefix+svc)); ok {
			c.ingress, c.path, c.pathType = ns+"/"+scalar(ing, "metadata", "name"), scalar(p, "path"), scalar(p, "pathType")
			if t := c.pathType; t == "" || t == "ImplementationSpecific" { // the ALB's pattern: /x exact, /x/* the prefix /x
				body, prefix := strings.CutSuffix(c.path, "/*")
				switch {
				case strings.ContainsAny(body, "*?"):
					return // a wildcard no route writes (its service needs rewrite: it stays)
				case prefix:
					c.path, c.pathType = cmp.Or(body, "/"), "Prefix"
				default:
					c.pathType = "Exact"
				}
			}
			r.shadowed[at], r.canaries[at] = ns+"/"+main, c
		}
	})
}

// weightedPair reads an ALB forward action that weights two Services: the
// first, and the second as a canary split of its weight out of both's.
func weightedPair(annotation string) (string, canarySplit, bool) {
	var act albAction
	if json.Unmarshal([]byte(annotation), &act) != nil || !strings.EqualFold(act.Type, "forward") || act.ForwardConfig == nil {
		return "", canarySplit{}, false
	}
	tgs := act.ForwardConfig.TargetGroups
	if len(tgs) != 2 || tgs[0].Weight == nil || tgs[1].Weight == nil || *tgs[0].Weight <= 0 || *tgs[1].Weight <= 0 || tgs[0].ServiceName == "" || tgs[1].ServiceName == "" {
		return "", canarySplit{}, false
	}
	return tgs[0].ServiceName, canarySplit{alb: true, service: tgs[1].ServiceName, weight: *tgs[1].Weight, total: *tgs[0].Weight + *tgs[1].Weight}, true
}

// namespaceOf is an object's namespace, the default one where it names none.
func (r *renderer) namespaceOf(o *yaml.Node) string {
	if ns := scalar(o, "metadata", "namespace"); ns != "" {
		return ns
	}
	return r.ns
}

// canariesOf are the canary splits that shadow the paths of Service key and
// whose Services the plan puts on its load balancer, in host and path order.
func (r *renderer) canariesOf(key string) []canarySplit {
	ats := r.canaryAtsOf(key)
	out := make([]canarySplit, len(ats))
	for i, at := range ats {
		out[i] = r.canaries[at]
	}
	return out
}

// together reports whether the plan puts Services a and b on one load balancer.
func (r *renderer) together(a, b string) bool {
	ra, okA := r.rows[a]
	rb, okB := r.rows[b]
	return okA && okB && sameID(ra.LoadBalancer, rb.LoadBalancer)
}

// canaryRules puts, before the rules of a new HTTPRoute to Service key, the
// splits of the ingress-nginx canaries that shadow it: a header a rule of its
// own (its path and the header's value, else "always"), to the canary; a
// weight a rule of its path weighting both Services (the more specific
// match, and the earlier rule of equal ones, wins). A route's rules take
// every one of its hostnames, while a canary took only its own host: where
// the canaries shadow some of the route's hosts, each of those hosts gets a
// copy of the route of its own (name-host), with that host's splits, and
// leaves the route. It returns those copies.
func (r *renderer) canaryRules(route *yaml.Node, key string) []*yaml.Node {
	byHost := map[string][]canaryAt{}
	var hosts []string
	for _, at := range r.canaryAtsOf(key) {
		if byHost[at.host] == nil {
			hosts = append(hosts, at.host)
		}
		byHost[at.host] = append(byHost[at.host], at)
	}
	all := r.decl[key].Hosts
	if len(hosts) == 0 {
		return nil
	}
	if len(all) == 0 || len(hosts) == len(all) { // the splits take every host of the route (or any host)
		var ats []canaryAt
		for _, h := range hosts {
			ats = append(ats, byHost[h]...)
		}
		r.prependCanaries(route, key, ats)
		return nil
	}
	var copies []*yaml.Node
	names := path(route, "spec", "hostnames")
	for j, h := range hosts {
		c := cloneNode(route)
		name := scalar(route, "metadata", "name") + "-" + strings.ReplaceAll(strings.Replace(h, "*.", "wildcard.", 1), ".", "-")
		if len(name) > 253 { // an object's name is a DNS subdomain
			name = fmt.Sprintf("%s-host-%d", scalar(route, "metadata", "name"), j+1)
		}
		setScalar(path(c, "metadata"), "name", name)
		path(c, "spec", "hostnames").Content = []*yaml.Node{str(h)}
		r.prependCanaries(c, key, byHost[h])
		names.Content = slices.DeleteFunc(names.Content, func(n *yaml.Node) bool { return n.Value == h })
		ns, _, _ := strings.Cut(key, "/")
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: new, host %s of %s with its canaries' splits (a route's rules take all its hostnames)", scalar(c, "kind"), ns, name, h, key))
		copies = append(copies, c)
	}
	return copies
}

// canaryAtsOf are the hosts and paths canaries shadow of Service key
// (canariesOf), in host and path order.
func (r *renderer) canaryAtsOf(key string) []canaryAt {
	var ats []canaryAt
	for at, c := range r.canaries {
		if r.shadowed[at] == key && r.together(key, at.ns+"/"+c.service) {
			ats = append(ats, at)
		}
	}
	slices.SortFunc(ats, func(a, b canaryAt) int { return cmp.Or(cmp.Compare(a.host, b.host), cmp.Compare(a.path, b.path)) })
	return ats
}

// prependCanaries puts the splits of the canaries at ats before a route's rules.
func (r *renderer) prependCanaries(route *yaml.Node, key string, ats []canaryAt) {
	rules := path(route, "spec", "rules")
	ns, main, _ := strings.Cut(key, "/")
	var pre []*yaml.Node
	done := map[canarySplit]bool{} // (one split of several hosts: once)
	for _, at := range ats {
		c := r.canaries[at]
		once := c
		once.port = nil
		if done[once] {
			continue
		}
		done[once] = true
		kind := "PathPrefix"
		if c.pathType == "Exact" {
			kind = "Exact"
		}
		v := c.path
		if v == "" {
			v = "/"
		}
		match := func() *yaml.Node { return mapping("path", mapping("type", kind, "value", v)) }
		port := r.decl[ns+"/"+c.service].Port
		if c.header != "" {
			value := c.value
			if value == "" {
				value = "always"
			}
			m := match()
			m.Content = append(m.Content, str("headers"), seq(mapping("name", c.header, "value", value)))
			pre = append(pre, mapping("matches", seq(m), "backendRefs", seq(mapping("name", c.service, "port", port))))
			if c.value == "" && c.weight > 0 { // "never": never the canary, whatever the weight
				never := match()
				never.Content = append(never.Content, str("headers"), seq(mapping("name", c.header, "value", "never")))
				pre = append(pre, mapping("matches", seq(never), "backendRefs", seq(mapping("name", main, "port", r.decl[key].Port))))
			}
		}
		if c.weight > 0 {
			pre = append(pre, mapping("matches", seq(match()), "backendRefs", seq(
				mapping("name", main, "port", r.decl[key].Port, "weight", c.total-c.weight), mapping("name", c.service, "port", port, "weight", c.weight))))
		}
		who := "canary Ingress " + c.ingress
		if c.alb {
			who = "the ALB forward action of Ingress " + c.ingress
		}
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("HTTPRoute %s/%s: %s's split of path %s is a rule's %s", ns, main, who, v, canaryWords(c, "header match", "backend weights")))
	}
	if rules != nil && len(pre) > 0 {
		rules.Content = append(pre, rules.Content...)
	}
}

// canaryOntoALB reports whether a canary Ingress's Services are all planned
// on an ALB: its splits become forward actions and conditions of the
// Ingress it shadows (translateCanaries), and it goes.
func (r *renderer) canaryOntoALB(backends []string) bool {
	for _, k := range backends {
		if row, ok := r.rows[k]; !ok || row.Exposure != planner.Ingress || row.IngressClassName != "alb" || row.Gateway != "" {
			return false
		}
	}
	return len(backends) > 0
}

// translateCanaries rewrites the paths of an Ingress becoming an ALB's that
// an ingress-nginx canary shadows: a weight becomes a forward action over
// both Services, a header a path of its own before it, forwarding to the
// canary on that header's value (ALB conditions). It reports whether it
// changed anything.
func (r *renderer) translateCanaries(ing, spec *yaml.Node, ns string) bool {
	changed := false
	for _, rule := range seqItems(child(spec, "rules")) {
		paths := path(rule, "http", "paths")
		if paths == nil {
			continue
		}
		var out []*yaml.Node
		for _, p := range paths.Content {
			c, ok := r.canaries[canaryAt{ns, scalar(rule, "host"), scalar(p, "path")}]
			main := scalar(p, "backend", "service", "name")
			if !ok || main == "" || scalar(p, "backend", "service", "port", "name") == albUseAnnotation || !r.together(ns+"/"+main, ns+"/"+c.service) {
				out = append(out, p)
				continue
			}
			ann := ensureMap(ensureMap(ing, "metadata"), "annotations")
			if c.header != "" {
				value := c.value
				if value == "" {
					value = "always"
				}
				action := "canary-" + c.service
				conds, _ := json.Marshal([]map[string]any{{"field": "http-header", "httpHeaderConfig": map[string]any{"httpHeaderName": c.header, "values": []string{value}}}})
				setScalar(ann, annALBActionPrefix+action, forwardAction(c.service, c.port, 1, "", nil, 0))
				setScalar(ann, annALBConditionsPrefix+action, string(conds))
				hp := cloneNode(p)
				setUseAnnotation(hp, action)
				out = append(out, hp) // listed first: the controller keeps equal paths in order
			}
			if c.weight > 0 {
				action := "weighted-" + main
				setScalar(ann, annALBActionPrefix+action, forwardAction(main, path(p, "backend", "service", "port"), c.total-c.weight, c.service, c.port, c.weight))
				setUseAnnotation(p, action)
			}
			out = append(out, p)
			changed = true
			r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: canary Ingress %s's split of %s%s is an ALB %s", ns, scalar(ing, "metadata", "name"), c.ingress,
				scalar(rule, "host"), scalar(p, "path"), canaryWords(c, "header condition", "weighted forward")))
		}
		paths.Content = out
	}
	return changed
}

// canaryWords says how a canary's requests are taken: by header, in
// words of a header (an ALB's condition, a route's match), and by weight.
func canaryWords(c canarySplit, header, weight string) string {
	var parts []string
	if c.header != "" {
		parts = append(parts, header+" ("+c.header+")")
	}
	if c.weight > 0 {
		parts = append(parts, fmt.Sprintf("%s (%d of %d)", weight, c.weight, c.total))
	}
	return strings.Join(parts, " and ")
}

// forwardAction is an ALB forward action's JSON: to service a (port pa,
// weight wa) and, when b is not "", service b (port pb, weight wb).
func forwardAction(a string, pa *yaml.Node, wa int, b string, pb *yaml.Node, wb int) string {
	groups := []map[string]any{{"serviceName": a, "servicePort": portValue(pa), "weight": wa}}
	if b != "" {
		groups = append(groups, map[string]any{"serviceName": b, "servicePort": portValue(pb), "weight": wb})
	}
	js, _ := json.Marshal(map[string]any{"type": "forward", "forwardConfig": map[string]any{"targetGroups": groups}})
	return string(js)
}

// portValue is an Ingress backend port (number or name) as an action's servicePort.
func portValue(port *yaml.Node) string {
	if n := scalar(port, "number"); n != "" {
		return n
	}
	return scalar(port, "name")
}

// setUseAnnotation points an Ingress path at an ALB action.
func setUseAnnotation(p *yaml.Node, action string) {
	svc := ensureMap(ensureMap(p, "backend"), "service")
	setScalar(svc, "name", action)
	deleteKey(svc, "port")
	svc.Content = append(svc.Content, str("port"), mapping("name", albUseAnnotation))
}
