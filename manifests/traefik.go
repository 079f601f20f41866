package manifests

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// isTraefikRoute reports whether an object's kind and apiVersion are a
// Traefik IngressRoute, IngressRouteTCP or IngressRouteUDP (traefik.io/v1alpha1,
// or the older traefik.containo.us/v1alpha1), served by the Traefik proxy as
// its Ingresses of class traefik are. A layer-4 route's Services may stay on
// the proxy (lbplanner does not write such routes anew).
func isTraefikRoute(kind, api string) bool {
	_, ok := traefikRouteProtocol[kind]
	return ok && (strings.HasPrefix(api, "traefik.io/") || strings.HasPrefix(api, "traefik.containo.us/"))
}

// traefikRouteProtocol is the protocol each Traefik route kind routes ("":
// HTTP, or HTTPS by its TLS or entry point).
var traefikRouteProtocol = map[string]string{"IngressRoute": "", "IngressRouteTCP": planner.ProtoTCP, "IngressRouteUDP": planner.ProtoUDP}

type traefikService struct {
	Name      string             `json:"name"`
	Namespace string             `json:"namespace"`
	Kind      string             `json:"kind"` // Service (default) or TraefikService
	Port      intstr.IntOrString `json:"port"`
	Scheme    string             `json:"scheme"` // https: Traefik speaks TLS to the pods
	Sticky    json.RawMessage    `json:"sticky"` // a cookie that keeps a client on one pod
}

type traefikRouteObj struct {
	Metadata struct{ Name, Namespace string } `json:"metadata"`
	Spec     struct {
		EntryPoints []string `json:"entryPoints"`
		Routes      []struct {
			Match       string            `json:"match"`
			Middlewares []json.RawMessage `json:"middlewares"`
			Services    []traefikService  `json:"services"`
		} `json:"routes"`
		TLS *struct {
			Passthrough bool `json:"passthrough"` // IngressRouteTCP: TLS reaches the pods as it is
		} `json:"tls"`
	} `json:"spec"`
}

// traefikMatcher is one matcher of a Traefik rule (Host(`a`, `b`)), and
// traefikArg one of its quoted arguments.
var (
	traefikMatcher = regexp.MustCompile(`([A-Za-z]+)\(([^)]*)\)`)
	traefikArg     = regexp.MustCompile("`([^`]*)`|\"([^\"]*)\"")
)

// traefikRule is what a rule's match tests: its hosts and paths, whether it
// takes only some of their requests (a header, query, method or client
// address matcher) and whether it matches paths as only Traefik does (a
// regular expression).
type traefikRule struct {
	hosts, paths   []string
	split, rewrite bool
}

// parseTraefikMatch reads a rule's matchers; an operator between them (&&,
// ||, !) is not weighed: every host and path it names is one it routes.
func parseTraefikMatch(match string) traefikRule {
	var tr traefikRule
	for _, m := range traefikMatcher.FindAllStringSubmatch(match, -1) {
		var args []string
		for _, a := range traefikArg.FindAllStringSubmatch(m[2], -1) {
			args = append(args, a[1]+a[2])
		}
		switch m[1] {
		case "Host", "HostSNI": // HostSNI: the server name of TLS (an IngressRouteTCP's)
			for _, h := range args {
				if h != "*" && h != "" {
					tr.hosts = append(tr.hosts, h)
				}
			}
		case "PathPrefix":
			for _, p := range args {
				if p != "/" && p != "" {
					tr.paths = append(tr.paths, p)
				}
			}
		case "Path":
			for _, p := range args {
				tr.paths = append(tr.paths, planner.ExactPrefix+p)
			}
		case "Header", "HeaderRegexp", "Headers", "HeadersRegexp", "Query", "QueryRegexp", "Method", "ClientIP":
			tr.split = true
		case "HostRegexp", "PathRegexp":
			tr.rewrite = true
		}
	}
	return tr
}

// readTraefikRoute records, for each Service a Traefik IngressRoute routes
// to, its hosts, paths and protocol on the Traefik proxy: HTTPS with a tls
// section or on the websecure entry point; a route's Services share its
// requests (weights), middlewares or regular-expression matchers rewrite
// them as only Traefik does (the rewrite need), and an https scheme has
// Traefik speak TLS to the pods (backendTLS).
func (r *reader) readTraefikRoute(o object) {
	var ir traefikRouteObj
	if err := json.Unmarshal(o.raw, &ir); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: o.kind, Msg: err.Error()})
		return
	}
	ns := r.namespace(ir.Metadata.Namespace)
	via := o.kind + " " + ns + "/" + ir.Metadata.Name
	c := ingressClasses["traefik"]
	lb := &planner.CurrentLB{Kind: c.kind, Name: "traefik", Scheme: planner.AudienceInternet}
	proto := planner.ProtoHTTP
	if ir.Spec.TLS != nil || slices.Contains(ir.Spec.EntryPoints, "websecure") {
		proto = planner.ProtoHTTPS
	}
	if _, secure := traefikEntryPoints(ir.Spec.EntryPoints); r.traefikRedirect && traefikRouteProtocol[o.kind] == "" {
		if !secure { // every request of its entry point redirected before routing
			r.warn("%s: %s is on Traefik's entry point web alone, which redirects every request to HTTPS: no request reaches its routes (not read)", o.at(), via)
			r.leftUnread(via)
			return
		}
		proto = planner.ProtoHTTPS // and plain HTTP redirected
		plain := *lb
		plain.HTTPFrontend, plain.HTTPRedirect = true, true
		lb = &plain
	}
	r.countProxy(c)
	r.res.proxyOf[lb.Name] = c.name
	r.noteProxyLB(lb.Name, c)
	passthrough := false
	if l4 := traefikRouteProtocol[o.kind]; l4 != "" { // TCP or UDP: no hosts or paths
		proto, passthrough = l4, ir.Spec.TLS != nil && ir.Spec.TLS.Passthrough
		if passthrough {
			proto = planner.ProtoTLS
		}
	}
	for _, rt := range ir.Spec.Routes {
		tr := parseTraefikMatch(rt.Match)
		if proto != planner.ProtoHTTP && proto != planner.ProtoHTTPS {
			tr = traefikRule{hosts: tr.hosts} // TLS's server names (HostSNI): no path
			if proto != planner.ProtoTLS {
				tr.hosts = nil
			}
		}
		var keys []string
		var targets []traefikService
		for _, s := range rt.Services {
			if s.Kind != "" && s.Kind != "Service" {
				continue // a TraefikService (weights, mirrors) names Services lbplanner does not follow
			}
			sns := ns
			if s.Namespace != "" {
				sns = s.Namespace
			}
			keys, targets = append(keys, sns+"/"+s.Name), append(targets, s)
		}
		for j, t := range targets {
			s := r.backend(o, via, "services.name", keys[j])
			if s == nil {
				continue
			}
			route := route{protocol: proto, hosts: tr.hosts, paths: tr.paths, via: via, lb: lb, split: tr.split, passthrough: passthrough,
				rewrite:    tr.rewrite || len(rt.Middlewares) > 0 || (len(t.Sticky) > 0 && string(t.Sticky) != "null"),
				backendTLS: strings.EqualFold(t.Scheme, "https") || strings.EqualFold(s.s.Annotations["traefik.ingress.kubernetes.io/service.serversscheme"], "https")}
			if t.Port.Type == intstr.String {
				route.portName = t.Port.StrVal
			} else {
				route.port = t.Port.IntVal
			}
			for k, other := range keys {
				if k != j && other != keys[j] {
					route.with = append(route.with, other)
				}
			}
			sort.Strings(route.with)
			s.routes = append(s.routes, route)
		}
	}
}

// traefikRoute takes the Services the plan moves off the Traefik proxy out of
// an IngressRoute (a route left with none goes; the IngressRoute goes with
// its last route); they get the plan's objects as Services leaving an
// Ingress do. It reports whether to keep the IngressRoute and whether it
// changed.
func (r *renderer) traefikRoute(n *yaml.Node, ns, name string) (keep, edited bool) {
	routes := child(child(n, "spec"), "routes")
	if routes == nil || routes.Kind != yaml.SequenceNode {
		return true, false
	}
	var moved []string
	kept := routes.Content[:0]
	for _, rt := range routes.Content {
		services := child(rt, "services")
		if services == nil || services.Kind != yaml.SequenceNode {
			kept = append(kept, rt)
			continue
		}
		stay := services.Content[:0]
		for _, s := range services.Content {
			key := ns + "/" + scalar(s, "name")
			if sns := scalar(s, "namespace"); sns != "" {
				key = sns + "/" + scalar(s, "name")
			}
			if k := scalar(s, "kind"); (k != "" && k != "Service") || !r.offTraefik(key) {
				stay = append(stay, s)
				continue
			}
			moved = append(moved, key)
		}
		services.Content = stay
		if len(stay) > 0 {
			kept = append(kept, rt)
		}
	}
	routes.Content = kept
	if len(moved) == 0 {
		return true, false
	}
	moved = r.movedOff(moved)
	kind := scalar(n, "kind")
	if len(kept) == 0 {
		r.out.Deleted = append(r.out.Deleted, kind+" "+ns+"/"+name)
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: delete (its services move off Traefik: %s)", kind, ns, name, strings.Join(moved, ", ")))
		return false, true
	}
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: %s taken out (they move off Traefik)", kind, ns, name, strings.Join(moved, ", ")))
	return true, true
}

// offTraefik reports whether the plan moves a service routed by an
// IngressRoute today off the Traefik proxy.
func (r *renderer) offTraefik(key string) bool {
	row, ok := r.rows[key]
	if !ok {
		return false
	}
	return row.Exposure != planner.Ingress || row.LoadBalancer == nil || *row.LoadBalancer != "traefik"
}
