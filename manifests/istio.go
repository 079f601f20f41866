package manifests

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// istioGateway is an Istio networking.istio.io Gateway: servers on the
// ingress gateway pods its selector picks (an in-cluster proxy behind the
// ingress gateway's one load balancer).
type istioGateway struct {
	lb          *planner.CurrentLB
	https       bool
	passthrough bool
	// plain is today's load balancer as its HTTPS routes are on it when an
	// HTTP server sits beside the HTTPS one: served over plain HTTP too, or
	// redirected when every HTTP server says tls.httpsRedirect (nil: none)
	plain *planner.CurrentLB
}

type istioGatewayObj struct {
	Metadata struct{ Name, Namespace string } `json:"metadata"`
	Spec     struct {
		Selector map[string]string `json:"selector"`
		Servers  []struct {
			Port struct {
				Protocol string `json:"protocol"`
			} `json:"port"`
			TLS *struct {
				Mode          string `json:"mode"`
				HTTPSRedirect bool   `json:"httpsRedirect"`
			} `json:"tls"`
		} `json:"servers"`
	} `json:"spec"`
}

type istioDestination struct {
	Destination struct {
		Host string `json:"host"`
		Port *struct {
			Number int32 `json:"number"`
		} `json:"port"`
	} `json:"destination"`
}

type virtualServiceObj struct {
	Metadata struct{ Name, Namespace string } `json:"metadata"`
	Spec     struct {
		Hosts    []string `json:"hosts"`
		Gateways []string `json:"gateways"`
		HTTP     []struct {
			Match []struct {
				URI map[string]string `json:"uri"`
				// what else a match may test: some of its path's requests (a split)
				Headers        map[string]json.RawMessage `json:"headers"`
				WithoutHeaders map[string]json.RawMessage `json:"withoutHeaders"`
				QueryParams    map[string]json.RawMessage `json:"queryParams"`
				Method         map[string]string          `json:"method"`
			} `json:"match"`
			Route  []istioDestination `json:"route"`
			Mirror *struct {
				Host string `json:"host"`
			} `json:"mirror"`
		} `json:"http"`
		TLS []struct {
			Route []istioDestination `json:"route"`
		} `json:"tls"`
		TCP []struct {
			Route []istioDestination `json:"route"`
		} `json:"tcp"`
	} `json:"spec"`
}

// readIstioGateway records an Istio Gateway and the ingress gateway it runs on.
func (r *reader) readIstioGateway(o object) {
	var g istioGatewayObj
	if err := json.Unmarshal(o.raw, &g); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "Gateway (Istio)", Msg: err.Error()})
		return
	}
	ns := r.namespace(g.Metadata.Namespace)
	var sel []string
	for k, v := range g.Spec.Selector {
		sel = append(sel, k+"="+v)
	}
	sort.Strings(sel)
	name := "istio" // the default ingress gateway, which Ingresses of class istio use too
	if len(sel) > 0 && strings.Join(sel, ",") != "istio=ingressgateway" {
		name = "istio:" + strings.Join(sel, ",")
	}
	r.countProxy(proxy("Istio", "", false))
	r.noteProxyLB(name, proxy("Istio", "", false))
	gw := &istioGateway{lb: &planner.CurrentLB{Kind: planner.CurrentProxy, Name: name, Scheme: planner.AudienceInternet}}
	http, redirect := false, true
	for _, s := range g.Spec.Servers {
		switch strings.ToUpper(s.Port.Protocol) {
		case "HTTPS":
			gw.https = true
		case "HTTP":
			http, redirect = true, redirect && s.TLS != nil && s.TLS.HTTPSRedirect
		}
		if s.TLS != nil && strings.EqualFold(s.TLS.Mode, "PASSTHROUGH") {
			gw.passthrough = true
		}
	}
	if http && gw.https {
		plain := *gw.lb
		plain.HTTPFrontend, plain.HTTPRedirect = true, redirect
		gw.plain = &plain
	}
	r.istioGWs[ns+"/"+g.Metadata.Name] = gw
}

// istioHost turns a destination host (name, name.namespace, or the cluster FQDN) into namespace/name.
func istioHost(host, ns string) string {
	parts := strings.Split(host, ".")
	if len(parts) >= 2 {
		return parts[1] + "/" + parts[0]
	}
	return ns + "/" + host
}

// readVirtualService records the routes an Istio VirtualService bound to an
// ingress Gateway sends to Services; one bound only to the mesh is not an
// entry from outside and is skipped.
func (r *reader) readVirtualService(o object) {
	var vs virtualServiceObj
	if err := json.Unmarshal(o.raw, &vs); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "VirtualService", Msg: err.Error()})
		return
	}
	ns := r.namespace(vs.Metadata.Namespace)
	via := "VirtualService " + ns + "/" + vs.Metadata.Name
	var gw *istioGateway
	for _, g := range vs.Spec.Gateways {
		key := g
		if !strings.Contains(g, "/") {
			key = ns + "/" + g
		}
		if x := r.istioGWs[key]; x != nil {
			gw = x
			break
		}
	}
	if gw == nil {
		return
	}
	r.res.lbOf[via] = gw.lb // for render: what its routes stay on
	var hosts []string
	for _, h := range vs.Spec.Hosts {
		if h != "*" {
			hosts = append(hosts, h)
		}
	}
	add := func(dests []istioDestination, proto string, paths []string, mirror string, split bool) {
		var keys []string
		for _, d := range dests {
			keys = append(keys, istioHost(d.Destination.Host, ns))
		}
		if mirror != "" {
			keys = append(keys, istioHost(mirror, ns))
		}
		for j, key := range keys {
			s := r.backend(o, via, "route.destination.host", key)
			if s == nil {
				continue
			}
			lb := gw.lb
			if proto == planner.ProtoHTTPS && gw.plain != nil {
				lb = gw.plain
			}
			rt := route{protocol: proto, hosts: hosts, paths: paths, via: via, lb: lb, passthrough: proto == planner.ProtoTLS, split: split}
			if j < len(dests) && dests[j].Destination.Port != nil {
				rt.port = dests[j].Destination.Port.Number
			}
			for k, other := range keys {
				if k != j && other != key {
					rt.with = append(rt.with, other)
				}
			}
			sort.Strings(rt.with)
			s.routes = append(s.routes, rt)
		}
	}
	proto := planner.ProtoHTTP
	if gw.https {
		proto = planner.ProtoHTTPS
	}
	for _, h := range vs.Spec.HTTP {
		var paths []string
		split := false
		for _, m := range h.Match {
			split = split || len(m.Headers) > 0 || len(m.WithoutHeaders) > 0 || len(m.QueryParams) > 0 || len(m.Method) > 0
			if p := m.URI["prefix"]; p != "" && p != "/" {
				paths = append(paths, p)
			}
			if p := m.URI["exact"]; p != "" {
				paths = append(paths, planner.ExactPrefix+p)
			}
		}
		mirror := ""
		if h.Mirror != nil {
			mirror = h.Mirror.Host
		}
		add(h.Route, proto, paths, mirror, split)
	}
	for _, t := range vs.Spec.TLS {
		add(t.Route, planner.ProtoTLS, nil, "", false)
	}
	for _, t := range vs.Spec.TCP {
		add(t.Route, planner.ProtoTCP, nil, "", false)
	}
}

// virtualService takes the Services the plan moves off the Istio ingress
// gateway out of a VirtualService bound to it: a route whose destinations
// (and mirror) all move goes, and the VirtualService with its last route; they
// get the plan's objects as Services leaving an Ingress do. Left, a route
// would still send them requests through the gateway, which render may
// delete. It reports whether to keep the VirtualService and whether it
// changed.
func (r *renderer) virtualService(n *yaml.Node, ns, name string) (keep, edited bool) {
	lb := r.lbOf["VirtualService "+ns+"/"+name]
	if lb == nil {
		return true, false // bound to the mesh only, or to no gateway read
	}
	spec := child(n, "spec")
	var moved []string
	left := 0
	for _, section := range []string{"http", "tls", "tcp"} {
		routes := child(spec, section)
		if routes == nil || routes.Kind != yaml.SequenceNode {
			continue
		}
		kept := routes.Content[:0]
		for _, rt := range routes.Content {
			keys := istioRouteKeys(rt, ns)
			off := len(keys) > 0
			for _, k := range keys {
				off = off && r.offProxy(k, lb.Name)
			}
			if !off {
				kept = append(kept, rt)
				continue
			}
			moved = append(moved, keys...)
		}
		routes.Content = kept
		left += len(kept)
	}
	if len(moved) == 0 {
		return true, false
	}
	moved = r.movedOff(moved)
	if left == 0 {
		r.out.Deleted = append(r.out.Deleted, "VirtualService "+ns+"/"+name)
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("VirtualService %s/%s: delete (its services move off the Istio gateway: %s)", ns, name, strings.Join(moved, ", ")))
		return false, true
	}
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("VirtualService %s/%s: the routes of %s taken out (they move off the Istio gateway)", ns, name, strings.Join(moved, ", ")))
	return true, true
}

// istioRouteKeys are the Services (namespace/name) one route of a
// VirtualService sends requests to: its destinations and its mirror.
func istioRouteKeys(rt *yaml.Node, ns string) []string {
	var keys []string
	for _, d := range seqItems(child(rt, "route")) {
		if h := scalar(d, "destination", "host"); h != "" {
			keys = append(keys, istioHost(h, ns))
		}
	}
	if h := scalar(rt, "mirror", "host"); h != "" {
		keys = append(keys, istioHost(h, ns))
	}
	return keys
}

// offProxy reports whether the plan moves a service routed through today's
// in-cluster proxy lb (by its name) off it; a service it does not plan stays.
func (r *renderer) offProxy(key, lb string) bool {
	row, ok := r.rows[key]
	if !ok {
		return false
	}
	return row.Exposure != planner.Ingress || row.LoadBalancer == nil || *row.LoadBalancer != lb
}
