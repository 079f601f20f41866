// Package manifests reads Kubernetes manifests — Services, Ingresses and
// Gateway API routes, in multi-document YAML or JSON files and List objects —
// into a planner declaration: one declared service per Kubernetes Service,
// its protocol, hosts and paths from the routes that reach it, its audience
// and current exposure from its type and annotations, and its traffic and
// needs from lbplanner.io annotations.
package manifests

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// Annotations lbplanner reads from Services (traffic, needs, overrides).
const (
	AnnotationPrefix        = "lbplanner.io/"
	AnnRequestsPerSecond    = AnnotationPrefix + "requests-per-second"
	AnnNewConnectionsPerSec = AnnotationPrefix + "new-connections-per-second"
	AnnActiveConnections    = AnnotationPrefix + "active-connections"
	AnnGBPerMonth           = AnnotationPrefix + "gb-per-month"
	AnnLatencyBudgetMs      = AnnotationPrefix + "latency-budget-ms"
	AnnNeeds                = AnnotationPrefix + "needs"
	AnnAudience             = AnnotationPrefix + "audience"
	AnnPin                  = AnnotationPrefix + "pin"
	AnnProtocol             = AnnotationPrefix + "protocol"
	AnnCertificate          = AnnotationPrefix + "certificate"
	annAWSLBScheme          = "service.beta.kubernetes.io/aws-load-balancer-scheme"
	annAWSLBInternal        = "service.beta.kubernetes.io/aws-load-balancer-internal"
	annAWSLBType            = "service.beta.kubernetes.io/aws-load-balancer-type"
	annAWSEIPs              = "service.beta.kubernetes.io/aws-load-balancer-eip-allocations"
	annAzureInternal        = "service.beta.kubernetes.io/azure-load-balancer-internal"
	annAzurePIP             = "service.beta.kubernetes.io/azure-pip-name"
	annGKELBType            = "networking.gke.io/load-balancer-type"
	annGKEInternalLegacy    = "cloud.google.com/load-balancer-type"
	annIngressClass         = "kubernetes.io/ingress.class"
	annALBScheme            = "alb.ingress.kubernetes.io/scheme"
	annALBBackendVersion    = "alb.ingress.kubernetes.io/backend-protocol-version"
	annNginxBackendProto    = "nginx.ingress.kubernetes.io/backend-protocol"
	annGCEStaticIP          = "kubernetes.io/ingress.global-static-ip-name"
	annAppGWPrivate         = "appgw.ingress.kubernetes.io/use-private-ip"
	annNginxSSLPassthrough  = "nginx.ingress.kubernetes.io/ssl-passthrough"
	annCloudHintAWS         = "service.beta.kubernetes.io/aws-"
	annCloudHintAzure       = "service.beta.kubernetes.io/azure-"
	annCloudHintGCP         = "networking.gke.io/"
	annCloudHintGCPIngress  = "cloud.google.com/"
	annCloudHintALB         = "alb.ingress.kubernetes.io/"
	annCloudHintAppGW       = "appgw.ingress.kubernetes.io/"
)

// Source is one manifest file.
type Source struct {
	Name string
	Data []byte
}

// Looks reports whether data looks like Kubernetes manifests rather than a
// declaration: its first document has apiVersion and kind.
func Looks(data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var probe struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
	}
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			return false
		}
		if len(n.Content) == 0 || n.Content[0].Tag == "!!null" {
			continue // an empty document, e.g. a leading ---
		}
		if n.Decode(&probe) != nil {
			return false
		}
		return probe.APIVersion != "" && probe.Kind != ""
	}
}

// Error is a problem with one manifest, located by file, line and object.
type Error struct {
	File   string
	Line   int
	Object string // "Service shop/checkout"
	Field  string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Object != "" {
		b.WriteString(e.Object + ": ")
	}
	if e.Field != "" {
		b.WriteString("field " + e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// object is one decoded document with where it came from.
type object struct {
	file string
	line int
	kind string
	raw  []byte // JSON
}

type typeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Items      []json.RawMessage
}

// documents splits the sources into objects, expanding List kinds.
func documents(srcs []Source) ([]object, error) {
	var out []object
	var errs []error
	for _, src := range srcs {
		dec := yaml.NewDecoder(bytes.NewReader(src.Data))
		for {
			var n yaml.Node
			err := dec.Decode(&n)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				errs = append(errs, &Error{File: src.Name, Msg: strings.TrimPrefix(err.Error(), "yaml: ")})
				break
			}
			if len(n.Content) == 0 || n.Content[0].Tag == "!!null" {
				continue
			}
			line := n.Content[0].Line
			doc, err := yaml.Marshal(&n)
			if err == nil {
				doc, err = sigsyaml.YAMLToJSON(doc)
			}
			if err != nil {
				errs = append(errs, &Error{File: src.Name, Line: line, Msg: err.Error()})
				continue
			}
			objs, err := expand(src.Name, line, doc)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, objs...)
		}
	}
	return out, errors.Join(errs...)
}

func expand(file string, line int, doc []byte) ([]object, error) {
	var tm typeMeta
	if err := json.Unmarshal(doc, &tm); err != nil {
		return nil, &Error{File: file, Line: line, Msg: "not a Kubernetes object: " + err.Error()}
	}
	if tm.Kind == "" || tm.APIVersion == "" {
		return nil, &Error{File: file, Line: line, Msg: "not a Kubernetes object: apiVersion and kind are required"}
	}
	if strings.HasSuffix(tm.Kind, "List") {
		var out []object
		for _, item := range tm.Items {
			objs, err := expand(file, line, item)
			if err != nil {
				return nil, err
			}
			out = append(out, objs...)
		}
		return out, nil
	}
	return []object{{file: file, line: line, kind: tm.Kind, raw: doc}}, nil
}

// Options complete what manifests do not say.
type Options struct {
	// Cloud and Region of the plan; Cloud may be left empty to infer it from provider-specific annotations.
	Cloud, Region string
	// Namespace for objects without one (default "default").
	Namespace string
}

// Result is the declaration read from manifests, with what the reader noticed.
type Result struct {
	Declaration *planner.Declaration
	// Warnings are facts the user should know: skipped objects, missing traffic.
	Warnings []string
}

// route is what an Ingress or Gateway API route says about one backend Service.
type route struct {
	protocol    string // HTTP, HTTPS, GRPC, TLS, TCP, UDP
	hosts       []string
	paths       []string
	internal    bool
	staticIP    bool
	passthrough bool
	via         string // "Ingress shop/web"
}

// svc is a Service being turned into a declared service.
type svc struct {
	obj    object
	s      corev1.Service
	routes []route
}

// Read turns manifests into a declaration. Objects lbplanner has no use for
// (Deployments, ConfigMaps, ...) are skipped silently; Services of type
// ExternalName are skipped with a warning.
func Read(srcs []Source, opts Options) (*Result, error) {
	objs, err := documents(srcs)
	if err != nil {
		return nil, err
	}
	ns := opts.Namespace
	if ns == "" {
		ns = "default"
	}
	res := &Result{}
	services := map[string]*svc{}
	var order []string
	var errs []error
	hints := map[string]bool{}
	gateways := map[string]bool{} // namespace/name -> has an HTTPS listener
	var ingresses, routes []object
	for _, o := range objs {
		switch o.kind {
		case "Service":
			var s corev1.Service
			if err := json.Unmarshal(o.raw, &s); err != nil {
				errs = append(errs, &Error{File: o.file, Line: o.line, Object: "Service", Msg: err.Error()})
				continue
			}
			if s.Namespace == "" {
				s.Namespace = ns
			}
			key := s.Namespace + "/" + s.Name
			if s.Name == "" {
				errs = append(errs, &Error{File: o.file, Line: o.line, Object: "Service", Field: "metadata.name", Msg: "required"})
				continue
			}
			if _, dup := services[key]; dup {
				errs = append(errs, &Error{File: o.file, Line: o.line, Object: "Service " + key, Msg: "declared twice"})
				continue
			}
			if s.Spec.Type == corev1.ServiceTypeExternalName {
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s:%d: Service %s is an ExternalName alias: skipped", o.file, o.line, key))
				continue
			}
			noteHints(hints, s.Annotations)
			services[key] = &svc{obj: o, s: s}
			order = append(order, key)
		case "Ingress":
			ingresses = append(ingresses, o)
		case "Gateway":
			var g gatewayObj
			if err := json.Unmarshal(o.raw, &g); err == nil {
				gns := g.Metadata.Namespace
				if gns == "" {
					gns = ns
				}
				https := false
				for _, l := range g.Spec.Listeners {
					https = https || l.Protocol == "HTTPS"
				}
				gateways[gns+"/"+g.Metadata.Name] = https
				if strings.HasPrefix(g.Spec.GatewayClassName, "gke-") {
					hints["gcp"] = true
				}
			}
		case "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute":
			routes = append(routes, o)
		}
	}
	for _, o := range ingresses {
		if err := readIngress(o, ns, services, hints); err != nil {
			errs = append(errs, err)
		}
	}
	for _, o := range routes {
		if err := readRoute(o, ns, services, gateways); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	d := &planner.Declaration{Cloud: opts.Cloud, Region: opts.Region}
	if d.Cloud == "" {
		var clouds []string
		for c := range hints {
			clouds = append(clouds, c)
		}
		sort.Strings(clouds)
		if len(clouds) != 1 {
			return nil, fmt.Errorf("manifests do not say which cloud they run on (provider annotations found for: %s): pass --cloud", orNone(clouds))
		}
		d.Cloud = clouds[0]
	}
	if d.Region == "" {
		return nil, fmt.Errorf("manifests do not say which region they run in: pass --region")
	}
	sort.Strings(order)
	noTraffic := 0
	for _, key := range order {
		s := services[key]
		ds, err := s.declare()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ds.Audience != planner.AudienceCluster && ds.Traffic == (planner.Traffic{}) {
			noTraffic++
		}
		d.Services = append(d.Services, ds)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(d.Services) == 0 {
		return nil, fmt.Errorf("no Service found in %s", names(srcs))
	}
	if noTraffic > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d reachable service(s) have no %s* traffic annotations: their usage-based costs count as 0", noTraffic, AnnotationPrefix))
	}
	res.Declaration = d
	return res, nil
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

func names(srcs []Source) string {
	var n []string
	for _, s := range srcs {
		n = append(n, s.Name)
	}
	return strings.Join(n, ", ")
}

func noteHints(hints map[string]bool, ann map[string]string) {
	for k := range ann {
		switch {
		case strings.HasPrefix(k, annCloudHintAWS), strings.HasPrefix(k, annCloudHintALB):
			hints["aws"] = true
		case strings.HasPrefix(k, annCloudHintAzure), strings.HasPrefix(k, annCloudHintAppGW):
			hints["azure"] = true
		case strings.HasPrefix(k, annCloudHintGCP), strings.HasPrefix(k, annCloudHintGCPIngress):
			hints["gcp"] = true
		}
	}
}

// readIngress records, for each backend Service, the hosts, paths and protocol the Ingress routes to it.
func readIngress(o object, ns string, services map[string]*svc, hints map[string]bool) error {
	var ing networkingv1.Ingress
	if err := json.Unmarshal(o.raw, &ing); err != nil {
		return &Error{File: o.file, Line: o.line, Object: "Ingress", Msg: err.Error()}
	}
	if ing.Namespace == "" {
		ing.Namespace = ns
	}
	noteHints(hints, ing.Annotations)
	class := ing.Annotations[annIngressClass]
	if ing.Spec.IngressClassName != nil {
		class = *ing.Spec.IngressClassName
	}
	switch {
	case class == "alb":
		hints["aws"] = true
	case strings.HasPrefix(class, "gce"):
		hints["gcp"] = true
	case class == "azure-application-gateway":
		hints["azure"] = true
	}
	a := ing.Annotations
	internal := a[annALBScheme] == "internal" || class == "gce-internal" || a[annAppGWPrivate] == "true"
	tls := map[string]bool{}
	anyTLS := false
	for _, t := range ing.Spec.TLS {
		anyTLS = true
		for _, h := range t.Hosts {
			tls[h] = true
		}
	}
	via := "Ingress " + ing.Namespace + "/" + ing.Name
	add := func(backend *networkingv1.IngressBackend, host, path string) error {
		if backend == nil || backend.Service == nil {
			return nil
		}
		key := ing.Namespace + "/" + backend.Service.Name
		s, ok := services[key]
		if !ok {
			return &Error{File: o.file, Line: o.line, Object: via, Field: "backend.service.name", Msg: fmt.Sprintf("Service %s is not in the manifests", key)}
		}
		proto := planner.ProtoHTTP
		if tls[host] || (host == "" && anyTLS) {
			proto = planner.ProtoHTTPS
		}
		if strings.EqualFold(a[annALBBackendVersion], "GRPC") || strings.EqualFold(a[annNginxBackendProto], "GRPC") || strings.EqualFold(a[annNginxBackendProto], "GRPCS") {
			proto = planner.ProtoGRPC
		}
		r := route{protocol: proto, internal: internal, staticIP: a[annGCEStaticIP] != "", passthrough: a[annNginxSSLPassthrough] == "true", via: via}
		if host != "" {
			r.hosts = []string{host}
		}
		if path != "" && path != "/" && path != "/*" {
			r.paths = []string{path}
		}
		s.routes = append(s.routes, r)
		return nil
	}
	if err := add(ing.Spec.DefaultBackend, "", ""); err != nil {
		return err
	}
	for _, rule := range ing.Spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			b := p.Backend
			if err := add(&b, rule.Host, p.Path); err != nil {
				return err
			}
		}
	}
	return nil
}

// gatewayObj is the part of a Gateway API Gateway lbplanner reads.
type gatewayObj struct {
	Metadata struct{ Name, Namespace string } `json:"metadata"`
	Spec     struct {
		GatewayClassName string `json:"gatewayClassName"`
		Listeners        []struct {
			Protocol string `json:"protocol"`
		} `json:"listeners"`
	} `json:"spec"`
}

// routeObj is the part of a Gateway API route lbplanner reads.
type routeObj struct {
	Kind     string                           `json:"kind"`
	Metadata struct{ Name, Namespace string } `json:"metadata"`
	Spec     struct {
		ParentRefs []struct{ Name, Namespace string } `json:"parentRefs"`
		Hostnames  []string                           `json:"hostnames"`
		Rules      []struct {
			Matches []struct {
				Path *struct{ Value string } `json:"path"`
			} `json:"matches"`
			BackendRefs []struct {
				Name, Namespace, Kind string
			} `json:"backendRefs"`
		} `json:"rules"`
	} `json:"spec"`
}

func readRoute(o object, ns string, services map[string]*svc, gateways map[string]bool) error {
	var rt routeObj
	if err := json.Unmarshal(o.raw, &rt); err != nil {
		return &Error{File: o.file, Line: o.line, Object: o.kind, Msg: err.Error()}
	}
	rns := rt.Metadata.Namespace
	if rns == "" {
		rns = ns
	}
	via := rt.Kind + " " + rns + "/" + rt.Metadata.Name
	proto := map[string]string{"HTTPRoute": planner.ProtoHTTP, "GRPCRoute": planner.ProtoGRPC, "TLSRoute": planner.ProtoTLS,
		"TCPRoute": planner.ProtoTCP, "UDPRoute": planner.ProtoUDP}[rt.Kind]
	if rt.Kind == "HTTPRoute" {
		for _, p := range rt.Spec.ParentRefs {
			pns := p.Namespace
			if pns == "" {
				pns = rns
			}
			if gateways[pns+"/"+p.Name] {
				proto = planner.ProtoHTTPS
			}
		}
	}
	for _, rule := range rt.Spec.Rules {
		var paths []string
		for _, m := range rule.Matches {
			if m.Path != nil && m.Path.Value != "" && m.Path.Value != "/" {
				paths = append(paths, m.Path.Value)
			}
		}
		for _, b := range rule.BackendRefs {
			if b.Kind != "" && b.Kind != "Service" {
				continue
			}
			bns := b.Namespace
			if bns == "" {
				bns = rns
			}
			s, ok := services[bns+"/"+b.Name]
			if !ok {
				return &Error{File: o.file, Line: o.line, Object: via, Field: "backendRefs.name", Msg: fmt.Sprintf("Service %s/%s is not in the manifests", bns, b.Name)}
			}
			s.routes = append(s.routes, route{protocol: proto, hosts: rt.Spec.Hostnames, paths: paths, passthrough: rt.Kind == "TLSRoute", via: via})
		}
	}
	return nil
}

// declare turns a Service and the routes to it into a declared service.
func (s *svc) declare() (planner.Service, error) {
	k := s.s
	key := k.Namespace + "/" + k.Name
	obj := "Service " + key
	bad := func(field, format string, args ...any) error {
		return &Error{File: s.obj.file, Line: s.obj.line, Object: obj, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	a := k.Annotations
	d := planner.Service{Name: k.Name, Namespace: k.Namespace, Labels: k.Labels}
	if len(d.Labels) == 0 {
		d.Labels = nil
	}
	if len(k.Spec.Ports) == 0 {
		return d, bad("spec.ports", "a Service needs at least one port")
	}
	d.Port = int(k.Spec.Ports[0].Port)
	// protocol: from the routes to it, else from its ports
	hosts, paths := map[string]bool{}, map[string]bool{}
	for _, r := range s.routes {
		d.Protocol = strongerL7(d.Protocol, r.protocol)
		for _, h := range r.hosts {
			hosts[h] = true
		}
		for _, p := range r.paths {
			paths[p] = true
		}
	}
	if d.Protocol == "" {
		d.Protocol = portsProtocol(k.Spec.Ports)
	}
	if p := a[AnnProtocol]; p != "" {
		d.Protocol = p
	}
	d.Hosts, d.Paths = sortedKeys(hosts), sortedKeys(paths)
	if len(d.Paths) > 0 && len(d.Hosts) == 0 && !isL7(d.Protocol) {
		d.Paths = nil
	}
	if !isL7(d.Protocol) {
		d.Hosts, d.Paths = nil, nil
	}
	d.Certificate = a[AnnCertificate]
	// audience and today's exposure
	internalLB := a[annAWSLBScheme] == "internal" || a[annAWSLBInternal] == "true" || strings.EqualFold(a[annGKELBType], "Internal") ||
		strings.EqualFold(a[annGKEInternalLegacy], "Internal") || a[annAzureInternal] == "true"
	switch {
	case k.Spec.Type == corev1.ServiceTypeLoadBalancer:
		d.Current = planner.LoadBalancer
		d.Audience = planner.AudienceInternet
		if internalLB {
			d.Audience = planner.AudienceVPC
		}
	case k.Spec.Type == corev1.ServiceTypeNodePort:
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
	if v := a[AnnAudience]; v != "" {
		d.Audience = v
	}
	// needs
	needs := map[string]bool{}
	if k.Spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal {
		needs[planner.NeedClientIP] = true
	}
	if k.Spec.LoadBalancerIP != "" || a[annAWSEIPs] != "" || a[annAzurePIP] != "" {
		needs[planner.NeedStaticIP] = true
	}
	for _, r := range s.routes {
		if r.staticIP {
			needs[planner.NeedStaticIP] = true
		}
		if r.passthrough && (d.Protocol == planner.ProtoHTTPS || d.Protocol == planner.ProtoTLS) {
			needs[planner.NeedTLSPassthrough] = true
		}
	}
	if v := a[AnnNeeds]; v != "" {
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				needs[n] = true
			}
		}
	}
	d.Needs = sortedKeys(needs)
	if v := a[AnnPin]; v != "" {
		d.Pin = planner.Exposure(v)
	}
	// traffic
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
				return d, bad("metadata.annotations["+q.ann+"]", "%v", err)
			}
			*q.dst = n
		}
	}
	if v, ok := a[AnnLatencyBudgetMs]; ok {
		n, err := planner.ParseQuantity(v)
		if err != nil {
			return d, bad("metadata.annotations["+AnnLatencyBudgetMs+"]", "%v", err)
		}
		d.LatencyBudgetMs = &n
	}
	return d, nil
}

func isL7(p string) bool {
	return p == planner.ProtoHTTP || p == planner.ProtoHTTPS || p == planner.ProtoGRPC
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

// portsProtocol guesses a Service's protocol from its ports: any UDP port
// makes it UDP; a single port named or marked (appProtocol) http, https,
// grpc or h2c makes it that; anything else is TCP.
func portsProtocol(ports []corev1.ServicePort) string {
	for _, p := range ports {
		if p.Protocol == corev1.ProtocolUDP {
			return planner.ProtoUDP
		}
	}
	if len(ports) != 1 {
		return planner.ProtoTCP
	}
	p := ports[0]
	hint := strings.ToLower(p.Name)
	if p.AppProtocol != nil {
		hint = strings.ToLower(*p.AppProtocol)
	}
	switch {
	case strings.HasPrefix(hint, "grpc") || hint == "kubernetes.io/h2c" || hint == "h2c":
		return planner.ProtoGRPC
	case strings.HasPrefix(hint, "https") || hint == "kubernetes.io/wss":
		return planner.ProtoHTTPS
	case strings.HasPrefix(hint, "http") || hint == "kubernetes.io/ws" || hint == "web":
		return planner.ProtoHTTP
	case strings.HasPrefix(hint, "tls"):
		return planner.ProtoTLS
	}
	return planner.ProtoTCP
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
