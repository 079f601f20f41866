package manifests

import (
	"maps"
	"slices"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// Traefik's entry points as its chart names them: plain HTTP on web, HTTPS
// on websecure.
const (
	traefikWeb       = "web"
	traefikWebSecure = "websecure"
)

// annTraefikEntryPoints lists the entry points a Traefik Ingress's routers
// attach to (all of them when unset).
const annTraefikEntryPoints = "traefik.ingress.kubernetes.io/router.entrypoints"

// readTraefikRedirect notes whether today's Traefik redirects every request
// on its plain-HTTP entry point to HTTPS before routing it: its Deployment
// (the one its own Service selects) says so in its static configuration,
// --entrypoints.web.http.redirections.entrypoint.to (what the chart's
// ports.web.redirections, or redirectTo, renders).
func (r *reader) readTraefikRedirect() {
	for _, key := range slices.Sorted(maps.Keys(r.services)) {
		s := r.services[key]
		if proxyImplOf(s.s.Labels) != planner.ProxyTraefik {
			continue
		}
		if w := r.workloadOf(s); w != nil && redirectsPlainHTTP(w.args) {
			r.traefikRedirect = true
			return
		}
	}
}

// leftUnread notes a routing object ("Kind namespace/name") the reader left
// out as routing no request: render leaves it as it is.
func (r *reader) leftUnread(obj string) {
	if r.res.unread == nil {
		r.res.unread = map[string]bool{}
	}
	r.res.unread[obj] = true
}

// redirectsPlainHTTP reports whether Traefik's static configuration flags
// redirect its web entry point to another (by default to scheme https).
func redirectsPlainHTTP(args []string) bool {
	const prefix = "--entrypoints." + traefikWeb + ".http.redirections.entrypoint."
	to, scheme := "", "https"
	for _, a := range args {
		k, v, _ := strings.Cut(a, "=")
		switch strings.ToLower(k) {
		case prefix + "to":
			to = v
		case prefix + "scheme":
			scheme = strings.ToLower(v)
		}
	}
	return to != "" && scheme == "https"
}

// traefikEntryPoints reports whether Traefik routers attached to the entry
// points eps (all of them when none is named) take requests on its
// plain-HTTP entry point and on its HTTPS one.
func traefikEntryPoints(eps []string) (web, secure bool) {
	if len(eps) == 0 {
		return true, true
	}
	return slices.Contains(eps, traefikWeb), slices.Contains(eps, traefikWebSecure)
}
