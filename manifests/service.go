package manifests

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// Service annotations and classes of the AWS Load Balancer Controller.
const (
	annAWSLBTypeExternal = "external"
	awsNLBClass          = "service.k8s.aws/nlb"
	gkeL4ExternalClass   = "networking.gke.io/l4-regional-external"
	gkeL4InternalClass   = "networking.gke.io/l4-regional-internal"
)

// portProtocol reads one Service port's protocol: UDP; else its appProtocol,
// else its name (http, https, grpc, h2c, tls, with Istio's "http-web" style
// prefixes); else the well-known numbers 80 and 8080 (HTTP), 443 and 8443
// (HTTPS), which are guesses; else TCP.
func portProtocol(p corev1.ServicePort) (proto string, guessed bool) {
	if p.Protocol == corev1.ProtocolUDP {
		return planner.ProtoUDP, false
	}
	for _, hint := range []string{appProtocol(p), strings.ToLower(p.Name)} {
		switch {
		case hint == "":
		case strings.HasPrefix(hint, "grpc") || hint == "kubernetes.io/h2c" || strings.HasPrefix(hint, "h2c") || strings.HasPrefix(hint, "http2"):
			return planner.ProtoGRPC, false
		case strings.HasPrefix(hint, "https") || hint == "kubernetes.io/wss":
			return planner.ProtoHTTPS, false
		case strings.HasPrefix(hint, "http") || hint == "kubernetes.io/ws" || hint == "web":
			return planner.ProtoHTTP, false
		case strings.HasPrefix(hint, "tls"):
			return planner.ProtoTLS, false
		case strings.HasPrefix(hint, "tcp") || strings.HasPrefix(hint, "mongo") || strings.HasPrefix(hint, "mysql") || strings.HasPrefix(hint, "redis"):
			return planner.ProtoTCP, false
		}
	}
	switch p.Port {
	case 80, 8080:
		return planner.ProtoHTTP, true
	case 443, 8443:
		return planner.ProtoHTTPS, true
	}
	return planner.ProtoTCP, false
}

func appProtocol(p corev1.ServicePort) string {
	if p.AppProtocol == nil {
		return ""
	}
	return strings.ToLower(*p.AppProtocol)
}

// targetPort is the Service port the routes to it name, else its first.
func (s *svc) targetPort() corev1.ServicePort {
	ports := s.s.Spec.Ports
	for _, rt := range s.routes {
		for _, p := range ports {
			if (rt.port != 0 && p.Port == rt.port) || (rt.portName != "" && p.Name == rt.portName) {
				return p
			}
		}
	}
	return ports[0]
}

// clusterPorts are the port numbers of a Service its routes do not reach
// (target is the one they do when none names one): only the cluster reaches
// them today, and a LoadBalancer or NodePort Service would expose them.
func (s *svc) clusterPorts(target corev1.ServicePort) []int {
	routed := func(p corev1.ServicePort) bool {
		for _, rt := range s.routes {
			if (rt.port != 0 && p.Port == rt.port) || (rt.portName != "" && p.Name == rt.portName) {
				return true
			}
		}
		return p.Port == target.Port
	}
	var out []int
	for _, p := range s.s.Spec.Ports {
		if !routed(p) && !slices.Contains(out, int(p.Port)) {
			out = append(out, int(p.Port))
		}
	}
	return out
}

// cloudLBClasses are, by cloud, the loadBalancerClass values its own
// controllers serve (a LoadBalancer Service without one is theirs too): the
// AWS Load Balancer Controller's NLB, GKE's regional passthrough load
// balancers (GKE 1.33.1 and later); the Azure cloud provider serves none.
// On bare metal every class is an address pool's controller's (MetalLB,
// Cilium, kube-vip).
var cloudLBClasses = map[string]map[string]bool{
	"aws":   {awsNLBClass: true, eksAutoNLBClass: true},
	"gcp":   {gkeL4ExternalClass: true, gkeL4InternalClass: true},
	"azure": {},
}

// lbClass is a Service's spec.loadBalancerClass, "" when unset.
func lbClass(s corev1.Service) string {
	if s.Spec.LoadBalancerClass == nil {
		return ""
	}
	return *s.Spec.LoadBalancerClass
}

// foreignLBClass reports whether a LoadBalancer Service names a
// loadBalancerClass that the cloud's controllers do not serve: another
// controller (Tailscale's operator, MetalLB, Cilium) gives it an address,
// and the cloud bills no load balancer for it.
func foreignLBClass(cloud string, s corev1.Service) bool {
	classes, known := cloudLBClasses[cloud]
	c := lbClass(s)
	return known && s.Spec.Type == corev1.ServiceTypeLoadBalancer && c != "" && !classes[c]
}

// currentOwnLB is the load balancer a LoadBalancer Service has today, as its
// cloud's controller creates it.
func (s *svc) currentOwnLB(cloud string) *planner.CurrentLB {
	a := s.s.Annotations
	lb := &planner.CurrentLB{Kind: planner.CurrentLB4, Scheme: planner.AudienceInternet}
	internal := internalByAnnotation(a) || lbClass(s.s) == gkeL4InternalClass
	if cloud == planner.CloudBareMetal {
		lb.Kind = planner.CurrentAddress
		for _, k := range planner.SharingAnnotations {
			if v := a[k]; v != "" {
				lb.Name = v // Services with one sharing key share one address
			}
		}
	}
	if cloud == "aws" {
		lbc := a[annAWSLBType] == annAWSLBTypeExternal || a[annAWSLBType] == "nlb-ip" ||
			lbClass(s.s) == awsNLBClass || lbClass(s.s) == eksAutoNLBClass
		switch {
		case lbc:
			lb.Kind = planner.CurrentNLB
			internal = a[annAWSLBScheme] != "internet-facing" // the controller's default scheme is internal
		case a[annAWSLBType] == "nlb":
			lb.Kind = planner.CurrentNLB // the in-tree provider's NLB
		default:
			lb.Kind = planner.CurrentCLB
		}
		if a[annAWSLBScheme] == "internal" {
			internal = true
		}
	}
	if internal {
		lb.Scheme = "internal"
	}
	if r := s.s.Spec.LoadBalancerSourceRanges; len(r) > 0 && !openCIDRs(strings.Join(r, ",")) { // who may reach it: its own
		ranges := slices.Clone(r)
		slices.Sort(ranges)
		lb.AccessPolicy = planner.SourceRangesPolicy + strings.Join(ranges, ",")
	}
	return lb
}

// internalByAnnotation reports whether a load balancer Service's annotations
// (or those a Gateway gives the Service of its in-cluster proxy) make it
// internal on any cloud.
func internalByAnnotation(a map[string]string) bool {
	return a[annAWSLBInternal] == "true" || a[annAWSLBScheme] == "internal" || strings.EqualFold(a[annGKELBType], "Internal") ||
		strings.EqualFold(a[annGKEInternalLegacy], "Internal") || a[annAzureInternal] == "true"
}

// internalAnnotation is, by cloud, the annotation render gives an internal
// in-cluster proxy's Service (through its Gateway's infrastructure).
var internalAnnotation = map[string][2]string{
	"aws":   {annAWSLBScheme, "internal"},
	"gcp":   {annGKELBType, "Internal"},
	"azure": {annAzureInternal, "true"},
}

// declare turns a Service and the routes to it into a declared service, with
// notes on what it guessed.
func (s *svc) declare(cloud string, traffic planner.Traffic) (planner.Service, []string, error) {
	k := s.s
	key := k.Namespace + "/" + k.Name
	bad := func(field, format string, args ...any) error {
		return &Error{File: s.obj.file, Line: s.obj.line, Object: "Service " + key, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	a := k.Annotations
	d := planner.Service{Name: k.Name, Namespace: k.Namespace, Labels: k.Labels, Headless: k.Spec.ClusterIP == corev1.ClusterIPNone}
	if len(d.Labels) == 0 {
		d.Labels = nil
	}
	if len(k.Spec.Ports) == 0 {
		return d, nil, bad("spec.ports", "a Service needs at least one port")
	}
	var notes []string
	target := s.targetPort()
	d.Port = int(target.Port)
	hosts, paths, with := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range s.routes {
		d.Protocol = strongerL7(d.Protocol, r.protocol)
		for _, h := range r.hosts {
			hosts[h] = true
		}
		for _, p := range r.paths {
			paths[p] = true
		}
		for _, w := range r.with {
			with[w] = true
		}
	}
	portProto, guessed := portProtocol(target)
	if (d.Protocol == planner.ProtoHTTP || d.Protocol == planner.ProtoHTTPS) && portProto == planner.ProtoGRPC {
		d.Protocol = planner.ProtoGRPC // its port speaks gRPC (a name, an appProtocol), however it is routed
	}
	exposed := k.Spec.Type == corev1.ServiceTypeLoadBalancer || (k.Spec.Type == corev1.ServiceTypeNodePort && !s.nodePortForIngress())
	if d.Protocol == "" {
		d.Protocol = portProto
		if guessed && exposed {
			notes = append(notes, fmt.Sprintf("%s: Service %s port %d has no name or appProtocol: read as %s from its number", s.obj.at(), key, target.Port, portProto))
		}
	}
	if !exposed && len(s.routes) > 0 {
		d.ClusterPorts = s.clusterPorts(target)
	}
	if exposed && len(k.Spec.Ports) > 1 {
		seen := map[planner.ServicePort]bool{}
		for _, p := range k.Spec.Ports {
			proto, _ := portProtocol(p)
			sp := planner.ServicePort{Port: int(p.Port), Protocol: proto}
			if !seen[sp] {
				seen[sp] = true
				d.Ports = append(d.Ports, sp)
			}
		}
		if len(d.Ports) < 2 {
			d.Ports = nil
		}
	}
	for _, v := range splitList(a[AnnHosts]) {
		hosts[v] = true
	}
	for _, v := range splitList(a[AnnPaths]) {
		paths[v] = true
	}
	if p := a[AnnProtocol]; p != "" {
		d.Protocol = p
	}
	d.Hosts, d.Paths, d.RoutedWith = sortedKeys(hosts), sortedKeys(paths), sortedKeys(with)
	if !isL7(d.Protocol) { // TLS keeps its hosts: the server names a proxy routes it by
		d.Paths = nil
		if d.Protocol != planner.ProtoTLS {
			d.Hosts = nil
		}
	}
	d.Certificate = a[AnnCertificate]
	s.current(&d, cloud)
	if v := a[AnnAudience]; v != "" {
		d.Audience = v
	}
	d.Needs = s.needs(&d)
	for _, k := range []string{annAWSEIPs, annAzurePIP, annGKEIPAddresses} {
		d.StaticAddresses = append(d.StaticAddresses, splitList(a[k])...)
	}
	if v := a[AnnPin]; v != "" {
		d.Pin = planner.Exposure(v)
	}
	for _, c := range splitList(a[AnnCalls]) {
		if !strings.Contains(c, "/") {
			c = k.Namespace + "/" + c // a name alone is in the Service's namespace
		}
		d.Calls = append(d.Calls, c)
	}
	if err := s.traffic(&d, bad); err != nil {
		return d, nil, err
	}
	if traffic != (planner.Traffic{}) {
		d.Traffic = traffic
	}
	return d, notes, nil
}

// nodePortForIngress reports whether a NodePort Service is routed by an ALB
// or a GKE Ingress, whose instance targets (the ALB's default target type,
// GKE's Ingress without network endpoint groups) need a node port: it is
// exposed by that Ingress, its type a means to it (render leaves it), not
// an exposure of its own that would keep every such Ingress as it is.
func (s *svc) nodePortForIngress() bool {
	for _, r := range s.routes {
		if r.lb != nil && (r.lb.Kind == planner.CurrentALB || r.lb.Kind == planner.CurrentGCE) && strings.HasPrefix(r.via, "Ingress ") {
			return true
		}
	}
	return false
}

// current sets a service's audience and how it is exposed today.
func (s *svc) current(d *planner.Service, cloud string) {
	k := s.s
	switch {
	case k.Spec.Type == corev1.ServiceTypeLoadBalancer:
		d.Current = planner.LoadBalancer
		d.CurrentLoadBalancer = s.currentOwnLB(cloud)
		d.Audience = planner.AudienceInternet
		if d.CurrentLoadBalancer.Scheme == "internal" {
			d.Audience = planner.AudienceVPC
		}
	case k.Spec.Type == corev1.ServiceTypeNodePort && !s.nodePortForIngress():
		d.Current = planner.NodePort
		d.Audience = planner.AudienceInternet
	case len(s.routes) > 0:
		d.Current = planner.Ingress
		d.Audience = planner.AudienceVPC
		for _, r := range s.routes {
			if !r.internal {
				d.Audience = planner.AudienceInternet
			}
		}
	default:
		d.Current = planner.ClusterIP
		d.Audience = planner.AudienceCluster
	}
	// the load balancers of the routes to it: the first is today's (unless it
	// has one of its own), the others it is also on
	// (one whose scheme matches the audience first, then a route's first Gateway)
	routes := append([]route(nil), s.routes...)
	want := planner.AudienceInternet
	if d.Audience == planner.AudienceVPC {
		want = "internal"
	}
	sort.SliceStable(routes, func(i, j int) bool {
		mi, mj := routes[i].lb != nil && routes[i].lb.Scheme == want, routes[j].lb != nil && routes[j].lb.Scheme == want
		if mi != mj {
			return mi
		}
		if routes[i].parent != routes[j].parent { // a route's first Gateway before the others it names
			return routes[i].parent < routes[j].parent
		}
		return lbKey(routes[i].lb) < lbKey(routes[j].lb)
	})
	seen := map[string]bool{}
	for _, r := range routes {
		if r.lb == nil || seen[lbKey(r.lb)] {
			continue
		}
		seen[lbKey(r.lb)] = true
		if d.Current == planner.Ingress && d.CurrentLoadBalancer == nil {
			lb := *r.lb
			d.CurrentLoadBalancer = &lb
			continue
		}
		d.AlsoOn = append(d.AlsoOn, *r.lb)
	}
	s.plainFrontend(d)
}

// plainFrontend sets today's load balancer's plain-HTTP frontend of an HTTPS
// service from every route to it there, not the first alone: a route over
// plain HTTP (a default backend, a host without TLS, ingress-nginx's
// ssl-redirect "false") serves it so, which a redirect elsewhere does not undo.
// On an in-cluster proxy or a Gateway (an AGC's too), whose routes each say it; an ALB's and
// an Application Gateway's listeners say it for the whole load balancer.
func (s *svc) plainFrontend(d *planner.Service) {
	cur := d.CurrentLoadBalancer
	if d.Protocol != planner.ProtoHTTPS || cur == nil || (cur.Kind != planner.CurrentProxy && cur.Kind != planner.CurrentGateway && cur.Kind != planner.CurrentAGC) {
		return
	}
	key := lbKey(cur)
	served, redirected := false, false
	for _, r := range s.routes {
		if r.lb == nil || lbKey(r.lb) != key {
			continue
		}
		switch {
		case r.protocol == planner.ProtoHTTP || (r.lb.HTTPFrontend && !r.lb.HTTPRedirect):
			served = true
		case r.lb.HTTPFrontend:
			redirected = true
		}
	}
	if served || redirected {
		cur.HTTPFrontend, cur.HTTPRedirect = true, !served
	}
}

// podsEndTLS reports whether an HTTPS LoadBalancer Service's own load
// balancer passes TLS through to its pods today, which end it: its port says
// HTTPS (by name, appProtocol or number) and the load balancer terminates
// no TLS (any but an AWS Classic LB or NLB given a certificate by
// aws-load-balancer-ssl-cert). A plan keeps it on one that passes TLS
// through: one that ended it would speak plain HTTP to pods that expect TLS,
// with a certificate the cluster does not hold.
func (s *svc) podsEndTLS(d *planner.Service) bool {
	k := s.s
	if k.Spec.Type != corev1.ServiceTypeLoadBalancer || d.Current != planner.LoadBalancer || d.Protocol != planner.ProtoHTTPS || k.Annotations[annAWSLBSSLCert] != "" {
		return false
	}
	proto, _ := portProtocol(s.targetPort())
	return proto == planner.ProtoHTTPS
}

func lbKey(lb *planner.CurrentLB) string {
	if lb == nil {
		return "\xff"
	}
	return lb.Kind + "|" + lb.Scheme + "|" + lb.Name
}

// needs reads clientIP, staticIP and tlsPassthrough, and lbplanner.io/needs.
func (s *svc) needs(d *planner.Service) []string {
	k := s.s
	a := k.Annotations
	needs := map[string]bool{}
	if k.Spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal {
		needs[planner.NeedClientIP] = true
	}
	if k.Spec.LoadBalancerIP != "" || a[annAWSEIPs] != "" || a[annAzurePIP] != "" || a[annGKEIPAddresses] != "" {
		needs[planner.NeedStaticIP] = true
	}
	for _, r := range s.routes {
		if r.staticIP {
			needs[planner.NeedStaticIP] = true
		}
		if r.passthrough && (d.Protocol == planner.ProtoHTTPS || d.Protocol == planner.ProtoTLS) {
			needs[planner.NeedTLSPassthrough] = true
		}
		if r.rewrite && d.CurrentLoadBalancer != nil {
			needs[planner.NeedRewrite] = true
		}
		if r.backendTLS && d.CurrentLoadBalancer != nil {
			needs[planner.NeedBackendTLS] = true
		}
		if r.auth && d.CurrentLoadBalancer != nil {
			needs[planner.NeedAuth] = true
		}
		if r.exact && (r.lb == nil || r.lb.Kind != planner.CurrentALB) { // (on an ALB today, its values are tested so already)
			needs[planner.NeedExactMatch] = true
		}
	}
	if d.CurrentLoadBalancer != nil && (s.backendTLS || gkeBackendTLS(a)) {
		needs[planner.NeedBackendTLS] = true
	}
	if s.podsEndTLS(d) {
		needs[planner.NeedTLSPassthrough] = true
	}
	if d.CurrentLoadBalancer != nil && sticks(a) { // its own affinity (Traefik's sticky cookie, an NLB's target group stickiness)
		needs[planner.NeedRewrite] = true
	}
	if d.CurrentLoadBalancer != nil && s.auth {
		needs[planner.NeedAuth] = true
	}
	for _, n := range splitList(a[AnnNeeds]) {
		needs[n] = true
	}
	return sortedKeys(needs)
}

// gkeBackendTLS reports whether a Service's app-protocols annotation has GKE
// speak TLS to its pods (HTTPS, or HTTP2, which is over TLS).
func gkeBackendTLS(a map[string]string) bool {
	for _, k := range []string{"cloud.google.com/app-protocols", "service.alpha.kubernetes.io/app-protocols"} {
		var byPort map[string]string
		if json.Unmarshal([]byte(a[k]), &byPort) != nil {
			continue
		}
		for _, v := range byPort {
			if strings.EqualFold(v, "HTTPS") || strings.EqualFold(v, "HTTP2") {
				return true
			}
		}
	}
	return false
}

// trafficKeys are the keys of lbplanner.io/traffic (rps=200,gbPerMonth=50).
var trafficKeys = map[string]func(*planner.Traffic) *planner.Quantity{
	"rps":                     func(t *planner.Traffic) *planner.Quantity { return &t.RequestsPerSecond },
	"requestsPerSecond":       func(t *planner.Traffic) *planner.Quantity { return &t.RequestsPerSecond },
	"newConnectionsPerSecond": func(t *planner.Traffic) *planner.Quantity { return &t.NewConnectionsPerSecond },
	"cps":                     func(t *planner.Traffic) *planner.Quantity { return &t.NewConnectionsPerSecond },
	"activeConnections":       func(t *planner.Traffic) *planner.Quantity { return &t.ActiveConnections },
	"active":                  func(t *planner.Traffic) *planner.Quantity { return &t.ActiveConnections },
	"gbPerMonth":              func(t *planner.Traffic) *planner.Quantity { return &t.GBPerMonth },
	"gb":                      func(t *planner.Traffic) *planner.Quantity { return &t.GBPerMonth },
}

// traffic reads the traffic and latency-budget annotations.
func (s *svc) traffic(d *planner.Service, bad func(field, format string, args ...any) error) error {
	a := s.s.Annotations
	if v := a[AnnTraffic]; v != "" {
		for _, kv := range splitList(v) {
			key, val, ok := strings.Cut(kv, "=")
			f := trafficKeys[strings.TrimSpace(key)]
			if !ok || f == nil {
				return bad("metadata.annotations["+AnnTraffic+"]", "want key=value pairs with keys rps, newConnectionsPerSecond, activeConnections, gbPerMonth; got %q", kv)
			}
			n, err := planner.ParseQuantity(strings.TrimSpace(val))
			if err != nil {
				return bad("metadata.annotations["+AnnTraffic+"]", "%s: %v", key, err)
			}
			*f(&d.Traffic) = n
		}
	}
	for _, q := range []struct {
		ann string
		dst *planner.Quantity
	}{
		{AnnRequestsPerSecond, &d.Traffic.RequestsPerSecond}, {AnnNewConnectionsPerSec, &d.Traffic.NewConnectionsPerSecond},
		{AnnActiveConnections, &d.Traffic.ActiveConnections}, {AnnGBPerMonth, &d.Traffic.GBPerMonth},
	} {
		if v, ok := a[q.ann]; ok {
			n, err := planner.ParseQuantity(v)
			if err != nil {
				return bad("metadata.annotations["+q.ann+"]", "%v", err)
			}
			*q.dst = n
		}
	}
	if v, ok := a[AnnLatencyBudgetMs]; ok {
		n, err := planner.ParseQuantity(v)
		if err != nil {
			return bad("metadata.annotations["+AnnLatencyBudgetMs+"]", "%v", err)
		}
		d.LatencyBudgetMs = &n
	}
	return nil
}

func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// strongerL7 merges the protocols of several routes to one Service: gRPC and
// HTTPS win over HTTP; a layer-4 route wins over layer 7.
func strongerL7(have, add string) string {
	rank := map[string]int{"": 0, planner.ProtoHTTP: 1, planner.ProtoHTTPS: 2, planner.ProtoGRPC: 3, planner.ProtoTLS: 4, planner.ProtoTCP: 5, planner.ProtoUDP: 6}
	if rank[add] > rank[have] {
		return add
	}
	return have
}

// knownCalls keeps the calls (lbplanner.io/calls) to Services the manifests
// hold; a call to any other is left out of the chain, with a warning.
func (r *reader) knownCalls(d *planner.Declaration) {
	known := map[string]bool{}
	for _, s := range d.Services {
		known[s.Key()] = true
	}
	for i := range d.Services {
		s := &d.Services[i]
		kept := s.Calls[:0]
		for _, c := range s.Calls {
			if known[c] && c != s.Key() {
				kept = append(kept, c)
				continue
			}
			r.warn("Service %s calls %s (%s), which is not a Service of these manifests: left out of its chain", s.Key(), c, AnnCalls)
		}
		s.Calls = kept
		if len(kept) == 0 {
			s.Calls = nil
		}
	}
}
