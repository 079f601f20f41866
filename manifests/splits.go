package manifests

import (
	"sort"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// splitKey is one host and path on one load balancer of today.
type splitKey struct{ lb, host, path string }

// linkSplits links the Services that share one host and path on one load
// balancer where a rule takes only some of its requests (a header, query or
// method match, a canary Ingress, an ALB rule's conditions): the requests are
// split between them by what they carry, so they are routed together
// (routedWith) and may route the same host and path. Services that share a
// host and path with no such rule are left as they are (one of them wins).
func (r *reader) linkSplits(keys []string) {
	type member struct {
		svc   string
		split bool
		rt    *route
	}
	at := map[splitKey][]member{}
	var order []splitKey
	for _, k := range keys {
		for j := range r.services[k].routes {
			rt := &r.services[k].routes[j]
			if rt.lb == nil || !isL7(rt.protocol) { // a layer-4 route (a port, a server name) splits no request
				continue
			}
			for _, sk := range routeKeys(*rt) {
				if at[sk] == nil {
					order = append(order, sk)
				}
				at[sk] = append(at[sk], member{k, rt.split, rt})
			}
		}
	}
	// an ingress-nginx canary's requests take the location of the Ingress it
	// shadows, whose annotations (force-ssl-redirect) apply to them: they are
	// served over HTTPS, plain HTTP redirected, as the shadowed Ingress's
	for _, sk := range order {
		if sk.host == "" {
			continue // the default backends of several Ingresses meet here (not declared: catch-alls)
		}
		var forced *route
		for _, m := range at[sk] {
			if !m.split && m.rt.lb.Kind == planner.CurrentProxy && m.rt.protocol == planner.ProtoHTTPS && m.rt.lb.HTTPRedirect {
				forced = m.rt
			}
		}
		for _, m := range at[sk] {
			if forced != nil && m.split && m.rt.lb.Kind == planner.CurrentProxy && m.rt.protocol == planner.ProtoHTTP {
				m.rt.protocol, m.rt.lb = forced.protocol, forced.lb
			}
		}
	}
	with := map[string]map[string]bool{}
	for _, sk := range order {
		ms := at[sk]
		split, svcs, shadowed := false, map[string]bool{}, map[string]bool{}
		for _, m := range ms {
			split = split || m.split
			svcs[m.svc] = true
			if !m.split {
				shadowed[m.svc] = true
			}
		}
		// a split to a Service the path already goes to (a canary Ingress
		// naming the main one's Service) splits nothing off
		trivial := true
		for _, m := range ms {
			trivial = trivial && (!m.split || shadowed[m.svc])
		}
		if !split || trivial || len(svcs) < 2 {
			continue
		}
		for a := range svcs {
			for b := range svcs {
				if a != b {
					if with[a] == nil {
						with[a] = map[string]bool{}
					}
					with[a][b] = true
				}
			}
		}
	}
	for k, others := range with {
		s := r.services[k]
		s.routes[0].with = append(s.routes[0].with, sortedKeys(others)...)
		sort.Strings(s.routes[0].with)
	}
}

// routeKeys are the hosts and paths a route takes on its load balancer ("" for
// any host, "/" for every path).
func routeKeys(rt route) []splitKey {
	hosts, paths := rt.hosts, rt.paths
	if len(hosts) == 0 {
		hosts = []string{""}
	}
	if len(paths) == 0 {
		paths = []string{"/"}
	}
	out := make([]splitKey, 0, len(hosts)*len(paths))
	for _, h := range hosts {
		for _, p := range paths {
			out = append(out, splitKey{lbKey(rt.lb), h, p})
		}
	}
	return out
}
