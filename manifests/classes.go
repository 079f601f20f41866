package manifests

import (
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// controller is what serves an IngressClass or a GatewayClass, and so what
// load balancer its Ingresses or Gateways are billed as.
type controller struct {
	name  string // for people: "AWS Load Balancer Controller"
	kind  string // planner.Current* kind
	cloud string // the cloud it implies, "" for any
	// perObject: each Ingress or Gateway is a load balancer of its own (ALB
	// without a group, GKE, every Gateway API implementation); otherwise
	// every object of the class shares the controller's one (in-cluster
	// proxies behind one Service, AGIC's one Application Gateway).
	perObject bool
	internal  bool // internal unless said otherwise (the AWS Load Balancer Controller's default scheme)
	// sslRedirect is the annotation that turns off the controller's default
	// redirect of a TLS host's plain HTTP to HTTPS (ingress-nginx's
	// ssl-redirect, "false" to serve plain HTTP too); "" for a controller
	// that does not redirect by default
	sslRedirect string
	// forceSSLRedirect is the annotation that has the controller redirect
	// plain HTTP to HTTPS on every host of an Ingress, with TLS or without
	// (ingress-nginx's force-ssl-redirect, "true": a host without a
	// certificate of its own is served with the controller's default one)
	forceSSLRedirect string
	// canary is the annotation that makes an Ingress a canary of the
	// Ingress routing its host and path (ingress-nginx's canary, "true"):
	// it takes some of their requests, by weight, header or cookie
	canary string
	// pathPatterns: an ImplementationSpecific path is a pattern its load
	// balancer matches as written (an ALB's path pattern, a GKE Ingress's or
	// an Application Gateway's path): /x matches /x alone, /x/* the prefix,
	// and * or ? elsewhere are wildcards; other controllers (in-cluster
	// proxies) read it as a prefix (pathPattern)
	pathPatterns bool
}

var (
	ctlALB   = controller{name: "AWS Load Balancer Controller", kind: planner.CurrentALB, cloud: "aws", perObject: true, internal: true, pathPatterns: true}
	ctlNLB   = controller{name: "AWS Load Balancer Controller (NLB)", kind: planner.CurrentNLB, cloud: "aws", perObject: true, internal: true}
	ctlGCE   = controller{name: "GKE Ingress", kind: planner.CurrentGCE, cloud: "gcp", perObject: true, pathPatterns: true}
	ctlGCEi  = controller{name: "GKE internal Ingress", kind: planner.CurrentGCE, cloud: "gcp", perObject: true, internal: true, pathPatterns: true}
	ctlGKEGW = controller{name: "GKE Gateway", kind: planner.CurrentGateway, cloud: "gcp", perObject: true}
	ctlGKEGi = controller{name: "GKE internal Gateway", kind: planner.CurrentGateway, cloud: "gcp", perObject: true, internal: true}
	ctlAGIC  = controller{name: "Application Gateway Ingress Controller", kind: planner.CurrentAppGW, cloud: "azure", pathPatterns: true}
	// the ALB Controller: each Gateway (or Ingress) is a frontend of the
	// Application Gateway for Containers its annotations name, or of its own
	ctlAGC = controller{name: "Application Gateway for Containers", kind: planner.CurrentAGC, cloud: "azure", perObject: true}
)

// pathPattern reads an Ingress path of type ImplementationSpecific on a
// controller that matches it as a pattern (controller.pathPatterns): /x/*
// is the prefix /x, /* every path, /x (no wildcard) /x alone (exact); wild
// when it has a wildcard elsewhere (/x*, /a/*/b, ?), which only such a
// controller tests (the rewrite need).
func pathPattern(p string) (path string, exact, wild bool) {
	body, prefix := strings.CutSuffix(p, "/*")
	switch {
	case strings.ContainsAny(body, "*?"):
		return p, false, true
	case prefix:
		return p, false, false
	}
	return p, true, false
}

// proxy is an in-cluster proxy controller: its pods plus one L4 load balancer.
func proxy(name string, cloud string, perObject bool) controller {
	return controller{name: name, kind: planner.CurrentProxy, cloud: cloud, perObject: perObject}
}

// annNginxSSLRedirect turns off ingress-nginx's redirect of a TLS host's
// plain HTTP to HTTPS (its default) when "false".
const annNginxSSLRedirect = "nginx.ingress.kubernetes.io/ssl-redirect"

// annNginxForceSSLRedirect ("true") has ingress-nginx redirect plain HTTP to
// HTTPS on the Ingress's hosts whether they have TLS or not.
const annNginxForceSSLRedirect = "nginx.ingress.kubernetes.io/force-ssl-redirect"

// annNginxCanary ("true") makes an Ingress a canary of another: ingress-nginx
// sends it some of that Ingress's requests for the same host and path
// (canary-weight, canary-by-header, canary-by-cookie).
const annNginxCanary = "nginx.ingress.kubernetes.io/canary"

// internalProxy is an in-cluster proxy whose Service is internal: the class
// name-internal of a known proxy class (render writes it for a new internal
// proxy, planner.InternalClassSuffix).
func internalProxy(c controller) controller {
	c.internal = true
	return c
}

// ingressNginx is ingress-nginx (or a distribution of it): an in-cluster
// proxy that redirects a TLS host's plain HTTP to HTTPS by default.
func ingressNginx(name, cloud string) controller {
	c := proxy(name, cloud, false)
	c.sslRedirect, c.forceSSLRedirect, c.canary = annNginxSSLRedirect, annNginxForceSSLRedirect, annNginxCanary
	return c
}

// requestRewrites are the Ingress annotations by which a controller rewrites
// or matches requests in a way only it does: a path rewrite, a regular
// expression for paths, a redirect, a snippet of its own configuration, a
// middleware. A service routed by an Ingress that has one needs rewrite:
// it stays on a load balancer of today's kind, which keeps the Ingress.
var requestRewrites = []string{
	"nginx.ingress.kubernetes.io/rewrite-target", "nginx.ingress.kubernetes.io/use-regex", "nginx.ingress.kubernetes.io/app-root",
	"nginx.ingress.kubernetes.io/configuration-snippet", "nginx.ingress.kubernetes.io/server-snippet",
	"nginx.ingress.kubernetes.io/permanent-redirect", "nginx.ingress.kubernetes.io/temporal-redirect",
	"nginx.ingress.kubernetes.io/upstream-vhost", "nginx.ingress.kubernetes.io/x-forwarded-prefix",
	"nginx.ingress.kubernetes.io/from-to-www-redirect", "nginx.ingress.kubernetes.io/enable-cors",
	"nginx.ingress.kubernetes.io/mirror-target", "nginx.ingress.kubernetes.io/mirror-uri",
	"nginx.org/rewrites", "nginx.org/location-snippets", "nginx.org/server-snippets",
	"traefik.ingress.kubernetes.io/router.middlewares",
	"haproxy.org/path-rewrite", "haproxy-ingress.github.io/rewrite-target", "haproxy.org/cors-enable", "haproxy.org/request-set-header",
	"konghq.com/strip-path", "konghq.com/rewrite", "konghq.com/plugins",
	"appgw.ingress.kubernetes.io/backend-path-prefix", "appgw.ingress.kubernetes.io/rewrite-rule-set",
}

// sessionAffinities are the annotations by which a controller keeps a
// client's requests on one pod (a cookie it sets, a hash of the request),
// each with the value that turns it on ("": any value): another controller
// would spread them over the pods, so a service routed by an Ingress (or
// itself annotated) that has one needs rewrite, as a route's
// sessionPersistence does, and stays on a load balancer of today's kind.
var sessionAffinities = map[string]string{
	"nginx.ingress.kubernetes.io/affinity":                "cookie",
	"nginx.ingress.kubernetes.io/upstream-hash-by":        "",
	"nginx.com/sticky-cookie-services":                    "",
	"haproxy.org/cookie-persistence":                      "",
	"appgw.ingress.kubernetes.io/cookie-based-affinity":   "true",
	"alb.ingress.kubernetes.io/target-group-attributes":   "stickiness.enabled=true",
	"traefik.ingress.kubernetes.io/service.sticky.cookie": "true",
}

// sticks reports whether annotations keep a client's requests on one pod
// (sessionAffinities; the ALB's among its other target group attributes).
func sticks(a map[string]string) bool {
	for k, on := range sessionAffinities {
		v, ok := a[k]
		v = strings.ToLower(strings.Join(strings.Fields(v), ""))
		switch {
		case !ok || v == "" || v == "false":
		case on == "" || v == on || strings.Contains(","+v+",", ","+on+","):
			return true
		}
	}
	return false
}

// backendTLSAnnotations are the Ingress annotations (and the values) by
// which a controller speaks TLS to a Service's pods: a service routed so
// needs backendTLS, and stays on a load balancer of today's kind.
var backendTLSAnnotations = map[string][]string{
	"nginx.ingress.kubernetes.io/backend-protocol": {"HTTPS", "GRPCS"},
	"alb.ingress.kubernetes.io/backend-protocol":   {"HTTPS"},
	"appgw.ingress.kubernetes.io/backend-protocol": {"HTTPS"},
}

// speaksTLS reports whether an Ingress's annotations have its controller
// speak TLS to the pods (backendTLSAnnotations).
func speaksTLS(a map[string]string) bool {
	for k, values := range backendTLSAnnotations {
		for _, v := range values {
			if strings.EqualFold(a[k], v) {
				return true
			}
		}
	}
	return false
}

// accessControls are the Ingress annotations by which a controller
// authenticates a rule's requests or restricts who reaches it: a service
// routed by an Ingress that has one needs auth, and stays on a load
// balancer of today's kind (another controller would ignore them).
var accessControls = []string{
	"alb.ingress.kubernetes.io/auth-type",
	"nginx.ingress.kubernetes.io/auth-url", "nginx.ingress.kubernetes.io/auth-type", "nginx.ingress.kubernetes.io/auth-tls-verify-client",
	"nginx.ingress.kubernetes.io/whitelist-source-range", "nginx.ingress.kubernetes.io/allowlist-source-range",
	"nginx.ingress.kubernetes.io/denylist-source-range", "nginx.ingress.kubernetes.io/enable-modsecurity",
	"haproxy.org/auth-type", "haproxy.org/allow-list", "appgw.ingress.kubernetes.io/waf-policy-for-path",
}

// controlsAccess reports whether an Ingress's annotations authenticate or
// restrict its requests (accessControls; "none" or "off" does not).
func controlsAccess(a map[string]string) bool {
	for _, k := range accessControls {
		if v := strings.ToLower(a[k]); v != "" && v != "none" && v != "off" && v != "false" {
			return true
		}
	}
	return false
}

// rewrites reports whether an Ingress's annotations rewrite its requests (requestRewrites).
func rewrites(a map[string]string) bool {
	for _, k := range requestRewrites {
		if v, ok := a[k]; ok && v != "" && v != "false" {
			return true
		}
	}
	return false
}

// ingressClasses maps well-known IngressClass names (and kubernetes.io/ingress.class values).
var ingressClasses = map[string]controller{
	"alb":                                ctlALB,
	"gce":                                ctlGCE,
	"gce-internal":                       ctlGCEi,
	"azure-application-gateway":          ctlAGIC,
	"azure-alb-external":                 ctlAGC,
	"nginx":                              ingressNginx("ingress-nginx", ""),
	"nginx-internal":                     internalProxy(ingressNginx("ingress-nginx", "")),
	"public-nginx":                       ingressNginx("ingress-nginx", ""),
	"webapprouting.kubernetes.azure.com": ingressNginx("AKS application routing (NGINX)", "azure"),
	"traefik":                            proxy("Traefik", "", false),
	"haproxy":                            proxy("HAProxy Ingress", "", false),
	"contour":                            proxy("Contour", "", false),
	"kong":                               proxy("Kong", "", false),
	"istio":                              proxy("Istio ingress gateway", "", false),
	"cilium":                             proxy("Cilium", "", false),
	"nginx-plus":                         proxy("F5 NGINX Ingress Controller", "", false),
}

// ingressControllers maps IngressClass spec.controller values.
var ingressControllers = map[string]controller{
	"ingress.k8s.aws/alb":                              ctlALB,
	eksAutoALBController:                               ctlALB, // EKS Auto Mode's
	"k8s.io/ingress-nginx":                             ingressNginx("ingress-nginx", ""),
	"nginx.org/ingress-controller":                     proxy("F5 NGINX Ingress Controller", "", false),
	"webapprouting.kubernetes.azure.com/nginx":         ingressNginx("AKS application routing (NGINX)", "azure"),
	"traefik.io/ingress-controller":                    proxy("Traefik", "", false),
	"haproxy.org/ingress-controller/haproxy":           proxy("HAProxy Ingress", "", false),
	"projectcontour.io/contour":                        proxy("Contour", "", false),
	"ingress-controllers.konghq.com/kong":              proxy("Kong", "", false),
	"istio.io/ingress-controller":                      proxy("Istio ingress gateway", "", false),
	"cilium.io/ingress-controller":                     proxy("Cilium", "", false),
	"azure/application-gateway":                        ctlAGIC,
	"networking.gke.io/ingress-gce":                    ctlGCE,
	"k8s-ingress-gce":                                  ctlGCE,
	"networking.gke.io/ingress-gce-internal":           ctlGCEi,
	"appgw.ingress.k8s.io/application-gateway-ingress": ctlAGIC,
	"alb.networking.azure.io/alb-controller":           ctlAGC,
}

// gatewayControllers maps GatewayClass spec.controllerName values.
var gatewayControllers = map[string]controller{
	"gateway.k8s.aws/alb":                           ctlALB,
	"gateway.k8s.aws/nlb":                           ctlNLB,
	"networking.gke.io/gateway":                     ctlGKEGW,
	"istio.io/gateway-controller":                   proxy("Istio", "", true),
	"gateway.envoyproxy.io/gatewayclass-controller": proxy("Envoy Gateway", "", true),
	"io.cilium/gateway-controller":                  proxy("Cilium", "", true),
	"gateway.nginx.org/nginx-gateway-controller":    proxy("NGINX Gateway Fabric", "", true),
	"kgateway.dev/kgateway":                         proxy("kgateway", "", true),
	"traefik.io/gateway-controller":                 proxy("Traefik", "", true),
	"projectcontour.io/gateway-controller":          proxy("Contour", "", true),
	"konghq.com/kic-gateway-controller":             proxy("Kong", "", true),
	"haproxy.org/gateway-controller":                proxy("HAProxy", "", true),
	"alb.networking.azure.io/alb-controller":        ctlAGC,
}

// gatewayClasses maps well-known GatewayClass names, for manifests without the GatewayClass object.
var gatewayClasses = map[string]controller{
	"gke-l7-global-external-managed":         ctlGKEGW,
	"gke-l7-regional-external-managed":       ctlGKEGW,
	"gke-l7-gxlb":                            ctlGKEGW,
	"gke-l7-rilb":                            ctlGKEGi,
	"gke-l7-cross-regional-internal-managed": ctlGKEGi,
	"istio":                                  proxy("Istio", "", true),
	"eg":                                     proxy("Envoy Gateway", "", true),
	"envoy-gateway":                          proxy("Envoy Gateway", "", true),
	"cilium":                                 proxy("Cilium", "", true),
	"nginx":                                  proxy("NGINX Gateway Fabric", "", true),
	"kgateway":                               proxy("kgateway", "", true),
	"traefik":                                proxy("Traefik", "", true),
	"azure-alb-external":                     ctlAGC,
	"amazon-alb":                             ctlALB,
	"amazon-nlb":                             ctlNLB,
	"aws-alb":                                ctlALB,
	"aws-nlb":                                ctlNLB,
}

// proxyServiceNames are the app.kubernetes.io/name (or app) labels of the
// Services in-cluster proxies put in front of their pods.
var proxyServiceNames = map[string]bool{
	"ingress-nginx": true, "nginx-ingress": true, "traefik": true, "haproxy-ingress": true, "kubernetes-ingress": true,
	"kong": true, "contour": true, "envoy": true, "istio-ingressgateway": true, "nginx-gateway": true,
	"nginx-gateway-fabric": true, "cilium-envoy": true, "gateway-proxy": true,
}

// proxyServiceControllers names, by a proxy Service's app.kubernetes.io/name
// (or app) label, the controller whose load balancer it is, where the label
// tells.
var proxyServiceControllers = map[string]string{
	"ingress-nginx": "ingress-nginx", "nginx-ingress": "ingress-nginx", "traefik": "Traefik",
	"haproxy-ingress": "HAProxy Ingress", "kubernetes-ingress": "HAProxy Ingress", "kong": "Kong", "contour": "Contour",
	"nginx-gateway": "NGINX Gateway Fabric", "nginx-gateway-fabric": "NGINX Gateway Fabric",
	"cilium-envoy": "Cilium", "gateway-proxy": "kgateway",
}

// proxyServes reports whether an in-cluster proxy's own Service serves a
// routing object today, so that it is priced with that proxy: a Gateway's
// generated Service when its Gateway has routes (routed holds the load
// balancers routes are on), a controller's when an Ingress or Gateway of
// that controller exists; else (an idle proxy) it is a load balancer billed
// like any other. Where the labels do not say which proxy, any proxy with
// routes counts.
func (r *reader) proxyServes(s *svc, routed map[string]bool) bool {
	l := s.s.Labels
	if gw := proxyGatewayOf(s); gw != "" {
		return routed[planner.GatewayPrefix+gw]
	}
	if l["istio"] == "ingressgateway" || l["app"] == "istio-ingressgateway" || l["app.kubernetes.io/name"] == "istio-ingressgateway" {
		return r.proxyObjects["Istio"]+r.proxyObjects["Istio ingress gateway"] > 0 // an Istio Gateway's, or an Ingress of class istio
	}
	for _, k := range []string{"app.kubernetes.io/name", "app"} {
		if name, ok := proxyServiceControllers[l[k]]; ok {
			return r.proxyObjects[name] > 0
		}
	}
	return len(routed) > 0
}

// proxyGatewayOf is the Gateway (namespace/name) an in-cluster proxy's own
// Service was made for, by its labels (Gateway API's gateway-name, Envoy
// Gateway's owning-gateway); "" for a controller's Service.
func proxyGatewayOf(s *svc) string {
	l := s.s.Labels
	if gw := l["gateway.networking.k8s.io/gateway-name"]; gw != "" {
		return s.s.Namespace + "/" + gw
	}
	if gw := l["gateway.envoyproxy.io/owning-gateway-name"]; gw != "" {
		ns := l["gateway.envoyproxy.io/owning-gateway-namespace"]
		if ns == "" {
			ns = s.s.Namespace
		}
		return ns + "/" + gw
	}
	return ""
}

// isProxyService reports whether a Service is an in-cluster proxy's own load balancer.
func isProxyService(labels map[string]string) bool {
	for _, k := range []string{"app.kubernetes.io/name", "app"} {
		if proxyServiceNames[labels[k]] {
			return true
		}
	}
	return labels["istio"] == "ingressgateway" || labels["gateway.networking.k8s.io/gateway-name"] != "" ||
		labels["gateway.envoyproxy.io/owning-gateway-name"] != "" || labels[labelManagedBy] == aksAppRoutingOperator
}

// The AKS application routing add-on's operator labels the NGINX controller
// Services it makes (app.kubernetes.io/name: nginx, which names many an
// application's too, says nothing alone).
const (
	labelManagedBy        = "app.kubernetes.io/managed-by"
	aksAppRoutingOperator = "aks-app-routing-operator"
)

// otherRoutingKinds are routing objects lbplanner does not read: reported by name.
var otherRoutingKinds = map[string]bool{
	"IngressRoute": true, "IngressRouteTCP": true, "IngressRouteUDP": true, "HTTPProxy": true, "VirtualServer": true,
	"VirtualServerRoute": true, "TransportServer": true, "Route": true, "TCPIngress": true, "UDPIngress": true,
	"Mapping": true, "TCPMapping": true, "ApisixRoute": true, "HTTPRoutePolicy": true, "ListenerSet": true,
}

func unknownRoutingKind(kind string) bool {
	return otherRoutingKinds[kind] || (strings.HasSuffix(kind, "Route") && !routeKinds[kind])
}

var routeKinds = map[string]bool{"HTTPRoute": true, "GRPCRoute": true, "TLSRoute": true, "TCPRoute": true, "UDPRoute": true}

// agcResource names the Application Gateway for Containers an Ingress or
// Gateway is a frontend of: the ALB resource its annotations name (managed
// by the ALB Controller, or brought by its Azure resource ID), else one of
// its own.
func agcResource(a map[string]string, own string) string {
	switch {
	case a[annAGCName] != "":
		ns := a[annAGCNamespace]
		if ns == "" {
			ns = "default"
		}
		return ns + "/" + a[annAGCName]
	case a[annAGCID] != "":
		return a[annAGCID]
	}
	return own
}

// proxyImplementations maps in-cluster proxy controllers to the planner's
// proxy implementations (the others are priced with the declared sizing).
var proxyImplementations = map[string]string{
	"ingress-nginx": planner.ProxyIngressNginx, "AKS application routing (NGINX)": planner.ProxyIngressNginx,
	"Traefik": planner.ProxyTraefik, "HAProxy Ingress": planner.ProxyHAProxy, "HAProxy": planner.ProxyHAProxy,
	"Contour": planner.ProxyContour, "Istio ingress gateway": planner.ProxyIstio, "Istio": planner.ProxyIstio,
	"Envoy Gateway": planner.ProxyEnvoyGateway, "NGINX Gateway Fabric": planner.ProxyNginxGatewayFabric,
}

// countProxy notes a routing object served by an in-cluster proxy today.
func (r *reader) countProxy(c controller) {
	if c.kind == planner.CurrentProxy {
		r.proxyObjects[c.name]++
	}
	if impl := proxyImplementations[c.name]; c.kind == planner.CurrentProxy && impl != "" {
		if r.proxies == nil {
			r.proxies = map[string]int{}
		}
		r.proxies[impl]++
	}
}

// noteProxyLB records the implementation of in-cluster proxy controller c
// (where the planner knows it) as that of today's proxy load balancer name.
func (r *reader) noteProxyLB(name string, c controller) {
	if impl := proxyImplementations[c.name]; c.kind == planner.CurrentProxy && impl != "" {
		if r.proxyImplOfLB == nil {
			r.proxyImplOfLB = map[string]string{}
		}
		r.proxyImplOfLB[name] = impl
	}
}

// proxyImplementation is the implementation of today's proxies a plan
// keeps running, "" when none is known: of several, the one most routing
// objects are on (ties: the first in the planner's order, maintained
// Gateway API implementations first, ingress-nginx, retired, last). The
// plan keeps today's proxy its services are most on and prices it as this
// implementation, so the two agree; a plan moves routes onto it, so it stays
// the one once applied.
func (r *reader) proxyImplementation() string {
	best, n := "", 0
	for _, impl := range planner.ProxyImplementations() {
		if r.proxies[impl] > n {
			best, n = impl, r.proxies[impl]
		}
	}
	return best
}
