// Package manifests reads Kubernetes manifests — Services, Ingresses,
// IngressClasses, Gateway API Gateways, GatewayClasses and routes, Istio
// Gateways and VirtualServices, in multi-document YAML or JSON files and List
// objects — into a planner declaration: one declared service per Kubernetes
// Service, its protocol, ports, hosts and paths from the routes that reach
// it, its audience and the load balancer that serves it today (as its
// controller creates them), and its traffic and needs from lbplanner.io
// annotations.
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
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
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
	// AnnCalls lists the Services a Service calls (name, or namespace/name), comma-separated.
	AnnCalls               = AnnotationPrefix + "calls"
	AnnProtocol            = AnnotationPrefix + "protocol"
	AnnCertificate         = AnnotationPrefix + "certificate"
	AnnHosts               = AnnotationPrefix + "hosts"   // comma-separated hosts a Service may be routed by
	AnnPaths               = AnnotationPrefix + "paths"   // comma-separated paths
	AnnTraffic             = AnnotationPrefix + "traffic" // e.g. rps=200,gbPerMonth=50
	annALBGroup            = "alb.ingress.kubernetes.io/group.name"
	annALBGroupOrder       = "alb.ingress.kubernetes.io/group.order"
	annAGCName             = "alb.networking.azure.io/alb-name"
	annAGCNamespace        = "alb.networking.azure.io/alb-namespace"
	annAGCID               = "alb.networking.azure.io/alb-id"
	annAGCFrontend         = "alb.networking.azure.io/alb-frontend"
	annIngressDefaultClass = "ingressclass.kubernetes.io/is-default-class"
	annAWSLBScheme         = "service.beta.kubernetes.io/aws-load-balancer-scheme"
	annAWSLBInternal       = "service.beta.kubernetes.io/aws-load-balancer-internal"
	annAWSLBType           = "service.beta.kubernetes.io/aws-load-balancer-type"
	annAWSLBSSLCert        = "service.beta.kubernetes.io/aws-load-balancer-ssl-cert"
	annAWSLBAttributes     = "service.beta.kubernetes.io/aws-load-balancer-attributes"
	annTopologyMode        = "service.kubernetes.io/topology-mode"
	annAWSEIPs             = "service.beta.kubernetes.io/aws-load-balancer-eip-allocations"
	annAzureInternal       = "service.beta.kubernetes.io/azure-load-balancer-internal"
	annAzurePIP            = "service.beta.kubernetes.io/azure-pip-name"
	annGKEIPAddresses      = "networking.gke.io/load-balancer-ip-addresses"
	annGKELBType           = "networking.gke.io/load-balancer-type"
	annGKEInternalLegacy   = "cloud.google.com/load-balancer-type"
	annIngressClass        = "kubernetes.io/ingress.class"
	annALBScheme           = "alb.ingress.kubernetes.io/scheme"
	annALBBackendVersion   = "alb.ingress.kubernetes.io/backend-protocol-version"
	annNginxBackendProto   = "nginx.ingress.kubernetes.io/backend-protocol"
	annGCEStaticIP         = "kubernetes.io/ingress.global-static-ip-name"
	annGCEAllowHTTP        = "kubernetes.io/ingress.allow-http"
	annAppGWPrivate        = "appgw.ingress.kubernetes.io/use-private-ip"
	annAppGWSSLRedirect    = "appgw.ingress.kubernetes.io/ssl-redirect"
	annNginxSSLPassthrough = "nginx.ingress.kubernetes.io/ssl-passthrough"
	annCloudHintAWS        = "service.beta.kubernetes.io/aws-"
	annCloudHintAzure      = "service.beta.kubernetes.io/azure-"
	annCloudHintGCP        = "networking.gke.io/"
	annCloudHintGCPIngress = "cloud.google.com/"
	annCloudHintALB        = "alb.ingress.kubernetes.io/"
	annCloudHintAppGW      = "appgw.ingress.kubernetes.io/"
)

// Source is one manifest file.
type Source struct {
	Name string
	Data []byte
}

// jsonTopKeys are the keys of a JSON document's top-level object (of its
// first element, for an array), found without decoding any value: a
// declaration's services may be megabytes. whole is false when the object
// does not close (not JSON, or cut short). It stops early, whole, when stop
// says the keys so far settle the question.
func jsonTopKeys(data []byte, stop func(keys map[string]bool, last string) bool) (keys map[string]bool, whole bool) {
	keys = map[string]bool{}
	target := 1
	if data[0] == '[' {
		target = 2
	}
	depth, expectKey := 0, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			j := i + 1
			for j < len(data) && data[j] != '"' {
				if data[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(data) {
				return keys, false
			}
			if depth == target && expectKey {
				key := string(data[i+1 : j])
				keys[key] = true
				expectKey = false
				if stop(keys, key) {
					return keys, true
				}
			}
			i = j
		case '{':
			depth++
			expectKey = depth == target
		case '[':
			depth++
		case '}', ']':
			if depth == target {
				return keys, c == '}'
			}
			depth--
		case ',':
			expectKey = depth == target
		}
	}
	return keys, false
}

// Looks reports whether data looks like Kubernetes manifests rather than a
// declaration: its first document has apiVersion and kind at the top level.
// It reads only the top-level keys (a declaration may be large).
func Looks(data []byte) bool {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		settled := func(keys map[string]bool, last string) bool {
			// both manifest keys, or a declaration's own (services may be megabytes)
			return keys["apiVersion"] && keys["kind"] || last == "services" || last == "cloud"
		}
		if keys, whole := jsonTopKeys(trimmed, settled); whole {
			return keys["apiVersion"] && keys["kind"]
		}
	}
	keys := map[string]bool{}
	seen := false
	for _, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		switch {
		case bytes.HasPrefix(line, []byte("---")):
			if seen {
				return keys["apiVersion"] && keys["kind"]
			}
			continue
		case len(line) == 0 || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-':
			continue
		}
		seen = true
		if k, _, ok := bytes.Cut(line, []byte(":")); ok {
			keys[string(bytes.Trim(k, `"' `))] = true
		}
	}
	return keys["apiVersion"] && keys["kind"]
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
	api  string
	raw  []byte // JSON
}

func (o object) at() string { return fmt.Sprintf("%s:%d", o.file, o.line) }

type typeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Items      []json.RawMessage
}

// scan is what reading the documents found besides objects.
type scan struct {
	skipped  int      // documents that are not Kubernetes objects
	skipFile []string // files skipped whole, with the reason
}

// documents splits the sources into objects, expanding List kinds. YAML
// documents without apiVersion and kind (CI workflows, Helm values) are
// skipped and counted; a file that does not parse is an error unless it is a
// Helm template or a chart's or kustomize's own file, which is skipped with
// a hint to render it first.
func documents(srcs []Source) ([]object, scan, error) {
	var out []object
	var sc scan
	var errs []error
	for _, src := range srcs {
		if hint := renderHint(src); hint != "" {
			sc.skipFile = append(sc.skipFile, src.Name+": "+hint)
			continue
		}
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
			if n.Content[0].Kind != yaml.MappingNode {
				sc.skipped++
				continue
			}
			doc, err := yaml.Marshal(&n)
			if err == nil {
				doc, err = sigsyaml.YAMLToJSON(doc)
			}
			if err != nil {
				errs = append(errs, &Error{File: src.Name, Line: line, Msg: err.Error()})
				continue
			}
			objs, skipped, err := expand(src.Name, line, doc)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			sc.skipped += skipped
			out = append(out, objs...)
		}
	}
	return out, sc, errors.Join(errs...)
}

// renderHint says why a file is a template or a tool's own file rather than
// manifests, or "".
func renderHint(src Source) string {
	base := strings.ToLower(src.Name[strings.LastIndexAny(src.Name, `/\`)+1:])
	switch {
	case base == "chart.yaml" || base == "values.yaml" || base == "chart.lock":
		return "a Helm chart's own file: render the chart first (helm template)"
	case base == "kustomization.yaml" || base == "kustomization.yml":
		return "a kustomization: render it first (kustomize build)"
	case bytes.Contains(src.Data, []byte("{{")) && bytes.Contains(src.Data, []byte("}}")):
		return "a Helm template: render the chart first (helm template)"
	}
	return ""
}

// expand returns the objects of a document (the items of a List), and how
// many documents in it are not Kubernetes objects.
func expand(file string, line int, doc []byte) ([]object, int, error) {
	var tm typeMeta
	if err := json.Unmarshal(doc, &tm); err != nil {
		return nil, 1, nil
	}
	if tm.Kind == "" || tm.APIVersion == "" {
		return nil, 1, nil
	}
	if strings.HasSuffix(tm.Kind, "List") {
		var out []object
		skipped := 0
		for _, item := range tm.Items {
			objs, n, err := expand(file, line, item)
			if err != nil {
				return nil, 0, err
			}
			out = append(out, objs...)
			skipped += n
		}
		return out, skipped, nil
	}
	return []object{{file: file, line: line, kind: tm.Kind, api: tm.APIVersion, raw: doc}}, 0, nil
}

// Options complete what manifests do not say.
type Options struct {
	// Cloud and Region of the plan; Cloud may be left empty to infer it from provider-specific annotations.
	Cloud, Region string
	// Namespace for objects without one (default "default").
	Namespace string
	// Strict makes a route to a Service that is not in the manifests an error (default: a warning).
	Strict bool
	// Traffic overrides the traffic of services by namespace/name (lbplanner plan --traffic FILE).
	Traffic map[string]planner.Traffic
}

// Result is the declaration read from manifests, with what the reader noticed.
type Result struct {
	Declaration *planner.Declaration
	// Warnings are facts the user should know: skipped objects, missing traffic, guesses.
	Warnings []string
	// lbOf is the load balancer each routing object ("Ingress ns/name") is on today.
	lbOf map[string]*planner.CurrentLB
	// listeners are each Gateway's (namespace/name) listeners today: name and protocol
	listeners map[string][]gatewayListener
	// redirects are the hosts each Gateway (namespace/name) redirects from
	// plain HTTP to HTTPS today
	redirects map[string]hostCover
	// addresses are the addresses LoadBalancer Services have today, where
	// the manifests say them (poolAddress), by namespace/name
	addresses map[string]string
	// sslRedirect names, by Ingress class, the annotation that turns off its
	// controller's default redirect of TLS hosts to HTTPS (ingress-nginx's)
	sslRedirect map[string]string
	// tlsHosts are, by IngressClass, the hosts an Ingress of the class has
	// TLS for today (reader.tlsHosts)
	tlsHosts map[string]map[string]bool
	// tlsSecrets are the Secrets that end TLS today (Ingresses' spec.tls,
	// Gateways' HTTPS listeners), in the order read
	tlsSecrets []tlsSecret
	// unread are the routing objects ("Kind namespace/name") the reader left
	// out as routing no request (a Traefik route on an entry point that
	// redirects all): render leaves them as they are
	unread map[string]bool
	// classes are the Ingress classes of today's Ingresses
	classes map[string]bool
	// patternClasses are those whose controller matches an
	// ImplementationSpecific path as a pattern (controller.pathPatterns)
	patternClasses map[string]bool
	// instanceTargets: today's ALB Ingresses and AWS Load Balancer
	// Controller NLBs all send requests to node ports (target-type
	// instance, the controller's default): render's new ones do too
	instanceTargets bool
	// albClasses are the manifests' ALB IngressClasses, each with the scheme
	// and IngressGroup its IngressClassParams fix for its Ingresses
	albClasses map[string]classParams
	// proxyOf names, by the load balancer of an in-cluster proxy today
	// ("nginx", "traefik"), the controller behind it ("ingress-nginx",
	// "Traefik"): render retires a proxy whose load balancers the plan
	// routes nothing through
	proxyOf map[string]string
	// proxyPods are, by the key of each in-cluster proxy's own Service, the
	// objects that run its pods: render deletes them with the Service
	proxyPods map[string]proxyPods
}

// proxyPods are the objects that run the pods an in-cluster proxy's own
// Service (with labels) selects: "Deployment ns/name" (or DaemonSet) and the
// "HorizontalPodAutoscaler ns/name" scaling it.
type proxyPods struct {
	labels  map[string]string
	objects []string
}

// gatewayListener is one listener of a Gateway of today.
type gatewayListener struct {
	name, protocol string
	port           int32
}

// route is what an Ingress, Gateway API route or VirtualService says about one backend Service.
type route struct {
	protocol    string // HTTP, HTTPS, GRPC, TLS, TCP, UDP
	port        int32  // the Service port it targets, 0 when it does not say
	portName    string // or its name
	hosts       []string
	paths       []string
	internal    bool
	staticIP    bool
	passthrough bool
	via         string             // "Ingress shop/web"
	lb          *planner.CurrentLB // the load balancer that serves it today
	parent      int                // which of its route's Gateways lb is (0: the first it names, its own)
	with        []string           // the other Services the same rule sends traffic to (weights, mirrors)
	// split: the rule takes only some of its host and path's requests (a
	// header, query or method match, a canary Ingress, ALB conditions), the
	// others going to the Services other rules route there (linkSplits)
	split bool
	// rewrite: its controller rewrites or matches its requests in a way only
	// it does (requestRewrites, a route's URLRewrite or extension filter)
	rewrite bool
	// backendTLS: its controller speaks TLS to the pods (backendTLSAnnotations)
	backendTLS bool
	// auth: its controller authenticates or restricts its requests (accessControls)
	auth bool
	// exact: its rule splits requests by a value an ALB would test
	// otherwise (httpMatchTests, canaryByHeader): the exactMatch need
	exact bool
}

// svc is a Service being turned into a declared service.
type svc struct {
	obj    object
	s      corev1.Service
	routes []route
	// backendTLS: a Gateway API BackendTLSPolicy targets it (its pods serve TLS)
	backendTLS bool
	// auth: a GKE BackendConfig or GCPBackendPolicy puts IAP or a Cloud Armor
	// policy in front of it
	auth bool
}

// reader holds what is read across objects.
type reader struct {
	opts         Options
	ns           string
	res          *Result
	services     map[string]*svc
	hints        map[string]bool
	errs         []error
	ingressClass map[string]controller  // IngressClass objects by name
	classCtl     map[string]string      // each IngressClass's spec.controller, by name
	params       map[string]classParams // IngressClassParams by API group/name
	// targets counts today's AWS Load Balancer Controller load balancers by
	// target type: instance (node ports) and ip (pods)
	targets [2]int
	// grants are the ReferenceGrants by namespace (anyGrant: the manifests
	// hold one; grantWarned: reading without them was warned of)
	grants                map[string][]gatewayv1.ReferenceGrantSpec
	anyGrant, grantWarned bool
	classParams           map[string]classParams // those of ALB IngressClasses, by class name
	defaultClass          string                 // the IngressClass marked default
	// tlsHosts are, by IngressClass, the hosts some Ingress of the class
	// has TLS for (classTLSHosts): ingress-nginx serves such a host over
	// HTTPS for every Ingress that routes it, redirecting plain HTTP
	tlsHosts map[string]map[string]bool
	// workloads are the Deployments and DaemonSets read, and hpaMin the
	// minReplicas of the HorizontalPodAutoscalers, by the Deployment they
	// scale: the proxies' pods are priced from them (proxySizing)
	workloads []*workload
	hpaMin    map[string]int32
	hpaOf     map[string][]string // the HorizontalPodAutoscalers ("HorizontalPodAutoscaler ns/name") scaling a Deployment, by its key
	// traefikRedirect: today's Traefik redirects its plain-HTTP entry point
	// to HTTPS (readTraefikRedirect)
	traefikRedirect bool
	gatewayClass    map[string]controller // GatewayClass objects by name
	gateways        map[string]*gateway   // Gateway API Gateways by namespace/name
	lbConfigs       map[string]string     // AWS Load Balancer Controller LoadBalancerConfigurations: scheme by namespace/name
	istioGWs        map[string]*istioGateway
	externalName    map[string]bool // ExternalName Services (namespace/name)
	missing         []string        // routes to Services not in the manifests
	unknown         map[string]int
	proxies         map[string]int          // in-cluster proxy implementations today: routing objects each serves
	proxyImplOfLB   map[string]string       // the implementation of each in-cluster proxy today, by its load balancer's name
	pools           *addressPools           // bare metal: the address pools the manifests define
	albIngresses    map[string][]albIngress // each ALB's Ingresses (by lbKey), for its rule order
	// proxyObjects counts, by controller name, the routing objects each in-cluster proxy serves today
	proxyObjects map[string]int
	// redirectConfigs are the GKE FrontendConfigs (namespace/name) that redirect plain HTTP to HTTPS
	redirectConfigs map[string]bool
	// albRedirects are the ALBs (by lbKey) whose IngressGroup has ssl-redirect
	albRedirects map[string]bool
	// albControls are, by ALB (lbKey), the access controls its Ingresses set
	// for the whole load balancer (albAccessControls), annotation -> values
	albControls map[string]map[string][]string
}

func (r *reader) warn(format string, args ...any) {
	r.res.Warnings = append(r.res.Warnings, fmt.Sprintf(format, args...))
}

func (r *reader) namespace(ns string) string {
	if ns == "" {
		return r.ns
	}
	return ns
}

// backend finds the Service a route sends traffic to; a missing one is a
// warning naming the route (an error with Strict), and an ExternalName or
// skipped Service is not planned.
func (r *reader) backend(o object, via, field, key string) *svc {
	if s, ok := r.services[key]; ok {
		return s
	}
	if r.externalName[key] {
		r.missing = append(r.missing, fmt.Sprintf("%s: %s: Service %s is an ExternalName alias, outside the cluster: not planned", o.at(), via, key))
		return nil
	}
	msg := fmt.Sprintf("Service %s is not in the manifests", key)
	if r.opts.Strict {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: via, Field: field, Msg: msg})
	} else {
		r.missing = append(r.missing, fmt.Sprintf("%s: %s: %s", o.at(), via, msg))
	}
	return nil
}

// Read turns manifests into a declaration. Objects lbplanner has no use for
// (Deployments, ConfigMaps, ...) are skipped silently; documents that are not
// Kubernetes objects, ExternalName Services, routing kinds it does not read
// and routes to missing Services are skipped with a warning.
func Read(srcs []Source, opts Options) (*Result, error) {
	objs, sc, err := documents(srcs)
	if err != nil {
		return nil, err
	}
	r := &reader{opts: opts, ns: opts.Namespace, res: &Result{lbOf: map[string]*planner.CurrentLB{}, listeners: map[string][]gatewayListener{}, redirects: map[string]hostCover{}, sslRedirect: map[string]string{}, classes: map[string]bool{}, patternClasses: map[string]bool{}, albClasses: map[string]classParams{}, proxyOf: map[string]string{}}, services: map[string]*svc{}, hints: map[string]bool{},
		ingressClass: map[string]controller{}, params: map[string]classParams{}, grants: map[string][]gatewayv1.ReferenceGrantSpec{}, classParams: map[string]classParams{}, gatewayClass: map[string]controller{}, gateways: map[string]*gateway{}, lbConfigs: map[string]string{},
		istioGWs: map[string]*istioGateway{}, unknown: map[string]int{}, externalName: map[string]bool{}, albIngresses: map[string][]albIngress{}, redirectConfigs: map[string]bool{}, proxyObjects: map[string]int{}, albRedirects: map[string]bool{}, albControls: map[string]map[string][]string{}}
	if r.ns == "" {
		r.ns = "default"
	}
	for _, f := range sc.skipFile {
		r.warn("skipped %s", f)
	}
	if sc.skipped > 0 {
		r.warn("skipped %d YAML document(s) that are not Kubernetes objects (no apiVersion and kind)", sc.skipped)
	}
	byKind := map[string][]object{}
	for _, o := range objs {
		byKind[o.kind] = append(byKind[o.kind], o)
	}
	for _, o := range byKind["Service"] {
		r.readService(o)
	}
	for _, kind := range []string{"Deployment", "DaemonSet"} {
		for _, o := range byKind[kind] {
			r.readWorkload(o)
		}
	}
	for _, o := range byKind["HorizontalPodAutoscaler"] {
		r.readHPA(o)
	}
	r.readTraefikRedirect()
	for _, o := range byKind["IngressClassParams"] {
		r.readIngressClassParams(o)
	}
	for _, o := range byKind["IngressClass"] {
		r.readIngressClass(o)
	}
	for _, o := range byKind["GatewayClass"] {
		r.readGatewayClass(o)
	}
	for _, o := range byKind["LoadBalancerConfiguration"] {
		r.readLBConfiguration(o)
	}
	for _, o := range byKind["Gateway"] {
		if strings.HasPrefix(o.api, "networking.istio.io/") {
			r.readIstioGateway(o)
		} else {
			r.readGateway(o)
		}
	}
	for _, o := range byKind["FrontendConfig"] {
		r.readFrontendConfig(o)
	}
	r.classTLSHosts(byKind["Ingress"])
	for _, o := range byKind["Ingress"] {
		r.readIngress(o)
	}
	r.albPlainHTTP()
	r.albAccessPolicies()
	for _, o := range byKind["ReferenceGrant"] {
		r.readReferenceGrant(o)
	}
	for _, o := range byKind["HTTPRoute"] {
		r.readRedirect(o)
	}
	for _, kind := range []string{"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"} {
		for _, o := range byKind[kind] {
			r.readRoute(o)
		}
	}
	for _, o := range byKind["IPAddressPool"] {
		r.readAddressPool(o, LBMetalLBPool)
	}
	for _, o := range byKind["CiliumLoadBalancerIPPool"] {
		r.readAddressPool(o, LBCiliumPool)
	}
	for _, o := range byKind["VirtualService"] {
		r.readVirtualService(o)
	}
	for _, o := range byKind["BackendTLSPolicy"] {
		r.readBackendTLSPolicy(o)
	}
	r.readGKEBackendPolicies(byKind["BackendConfig"], byKind["GCPBackendPolicy"])
	for _, o := range objs {
		if isTraefikRoute(o.kind, o.api) {
			r.readTraefikRoute(o)
		}
	}
	for _, o := range byKind["ConfigMap"] {
		r.readNginxL4(o)
	}

	for _, o := range objs {
		if unknownRoutingKind(o.kind) && !isTraefikRoute(o.kind, o.api) {
			r.unknown[o.kind+" ("+o.api+")"]++
		}
	}
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	d, err := r.declaration(srcs)
	if err != nil {
		return nil, err
	}
	r.res.Declaration = d
	return r.res, nil
}

// declaration turns the Services read into declared services.
func (r *reader) declaration(srcs []Source) (*planner.Declaration, error) {
	d := &planner.Declaration{Cloud: r.opts.Cloud, Region: r.opts.Region}
	if d.Cloud == "" {
		var clouds []string
		for c := range r.hints {
			clouds = append(clouds, c)
		}
		sort.Strings(clouds)
		if len(clouds) != 1 {
			return nil, fmt.Errorf("manifests do not say which cloud they run on (provider annotations found for: %s): pass --cloud", orNone(clouds))
		}
		d.Cloud = clouds[0]
	}
	if d.Region == "" && d.Cloud != planner.CloudBareMetal {
		return nil, fmt.Errorf("manifests do not say which region they run in: pass --region")
	}
	keys := make([]string, 0, len(r.services))
	for k := range r.services {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	proxyRoutes := map[string]bool{} // the in-cluster proxies routes are on today
	for _, k := range keys {
		for _, rt := range r.services[k].routes {
			if rt.lb != nil && rt.lb.Kind == planner.CurrentProxy {
				proxyRoutes[rt.lb.Name] = true
			}
		}
	}
	r.linkSplits(keys)
	r.proxyAccess(keys, proxyRoutes)
	noTraffic, foreign := 0, 0
	var errs []error
	var proxySvcs []*svc // in-cluster proxies' own Services, in key order
	albPos := map[string]map[string]int{}
	positions := func(lb string) map[string]int {
		if albPos[lb] == nil {
			albPos[lb] = albPositions(r.albIngresses[lb])
		}
		return albPos[lb]
	}
	for _, key := range keys {
		s := r.services[key]
		idleProxy := s.s.Spec.Type == corev1.ServiceTypeLoadBalancer && len(s.routes) == 0 && isProxyService(s.s.Labels)
		if idleProxy && r.proxyServes(s, proxyRoutes) {
			r.warn("%s: Service %s is an in-cluster proxy's own load balancer: priced with the proxy, not planned", s.obj.at(), key)
			proxySvcs = append(proxySvcs, s)
			continue
		}
		if d.Cloud == "aws" && s.s.Spec.Type == corev1.ServiceTypeLoadBalancer {
			if a := s.s.Annotations; a[annAWSLBType] == annAWSLBTypeExternal || a[annAWSLBType] == "nlb-ip" || lbClass(s.s) == awsNLBClass {
				r.countTargets(a[annAWSLBType] == "nlb-ip" || a[annNLBTargetType] == "ip")
			}
		}
		if foreignLBClass(d.Cloud, s.s) {
			foreign++
			r.warn("%s: Service %s has loadBalancerClass %s, which %s's load-balancer controllers do not serve (another controller gives it an address): not planned, no load balancer priced", s.obj.at(), key, lbClass(s.s), d.Cloud)
			continue
		}
		ds, notes, err := s.declare(d.Cloud, r.opts.Traffic[key])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if c := ds.CurrentLoadBalancer; c != nil && c.Kind == planner.CurrentALB {
			c.RulePosition = positions(lbKey(c))[key] // where its first rule is today
		}
		for j := range ds.AlsoOn {
			if c := &ds.AlsoOn[j]; c.Kind == planner.CurrentALB {
				c.RulePosition = positions(lbKey(c))[key]
			}
		}
		r.res.Warnings = append(r.res.Warnings, notes...)
		if idleProxy && ds.Pin == "" && ds.Audience != planner.AudienceCluster { // a proxy behind a shared load balancer is no plan
			ds.Pin = planner.LoadBalancer
			r.warn("%s: Service %s is an in-cluster proxy's own load balancer, and the proxy routes nothing lbplanner reads: kept on a load balancer of its own (pin: LoadBalancer); delete it if it routes nothing", s.obj.at(), key)
		}
		if ds.Audience != planner.AudienceCluster && ds.Traffic == (planner.Traffic{}) {
			noTraffic++
		}
		d.Services = append(d.Services, ds)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	r.knownCalls(d)
	if len(d.Services) == 0 && len(r.externalName) > 0 {
		return nil, fmt.Errorf("no Service to plan in %s: the %d found are ExternalName aliases, outside the cluster", names(srcs), len(r.externalName))
	}
	if len(d.Services) == 0 && foreign > 0 {
		return nil, fmt.Errorf("no Service to plan in %s: the %d LoadBalancer Service(s) found name a loadBalancerClass %s's controllers do not serve", names(srcs), foreign, d.Cloud)
	}
	if len(d.Services) == 0 {
		return nil, fmt.Errorf("no Service found in %s", names(srcs))
	}
	sort.Strings(r.missing)
	for _, m := range r.missing {
		if strings.Contains(m, "ExternalName") {
			r.warn("%s", m)
			continue
		}
		r.warn("%s (route skipped; --strict makes this an error)", m)
	}
	var kinds []string
	for k := range r.unknown {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		r.warn("%d %s object(s) not read: lbplanner reads Ingress, Gateway API and Istio routing; the services they route are planned without them", r.unknown[k], k)
	}
	if d.Cloud == "aws" {
		d.CrossZone = r.crossZone(keys)
	}
	r.idleGateways(d)
	r.res.instanceTargets = r.targets[0] > 0 && r.targets[1] == 0
	if d.Cloud == planner.CloudBareMetal && r.pools != nil {
		size := r.pools.size
		if size > 1<<24 {
			size = 1 << 24
		}
		d.AddressPool = &planner.AddressPool{Size: &size}
		d.LoadBalancer = r.pools.lb
	}
	if impl := r.proxyImplementation(); impl != "" {
		d.Proxy = r.proxySizing(impl, proxySvcs, todaysProxyNames(d))
	}
	r.recordProxyPods(proxySvcs)
	if noTraffic > 0 {
		r.warn("%d reachable service(s) have no %s* traffic annotations: their usage-based costs count as 0", noTraffic, AnnotationPrefix)
	}
	return d, nil
}

// readService records a Service; ExternalName aliases are skipped.
func (r *reader) readService(o object) {
	var s corev1.Service
	if err := json.Unmarshal(o.raw, &s); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "Service", Msg: err.Error()})
		return
	}
	s.Namespace = r.namespace(s.Namespace)
	key := s.Namespace + "/" + s.Name
	switch {
	case s.Name == "":
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "Service", Field: "metadata.name", Msg: "required"})
	case r.services[key] != nil:
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "Service " + key, Msg: "declared twice"})
	case s.Spec.Type == corev1.ServiceTypeExternalName:
		r.externalName[key] = true
		r.warn("%s: Service %s is an ExternalName alias: skipped (routes to it are not planned)", o.at(), key)
	default:
		noteHints(r.hints, s.Annotations)
		r.services[key] = &svc{obj: o, s: s}
		if ip := poolAddress(s); ip != "" && s.Spec.Type == corev1.ServiceTypeLoadBalancer {
			if r.res.addresses == nil {
				r.res.addresses = map[string]string{}
			}
			r.res.addresses[key] = ip
		}
	}
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
		case strings.HasPrefix(k, "metallb."), strings.HasPrefix(k, "lbipam.cilium.io/"), strings.HasPrefix(k, "kube-vip.io/"):
			hints[planner.CloudBareMetal] = true
		}
	}
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

func isL7(p string) bool {
	return p == planner.ProtoHTTP || p == planner.ProtoHTTPS || p == planner.ProtoGRPC
}

// ParseTraffic reads a traffic file: a YAML (or JSON) mapping from
// namespace/name to traffic, strictly (an unknown field is an error).
func ParseTraffic(data []byte, file string) (map[string]planner.Traffic, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	out := map[string]planner.Traffic{}
	if err := dec.Decode(&out); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	for k := range out {
		if ns, name, ok := strings.Cut(k, "/"); !ok || ns == "" || name == "" {
			return nil, fmt.Errorf("%s: key %q: want namespace/name", file, k)
		}
	}
	return out, nil
}

// crossZone reads which hops cross zones today (AWS): NLBs whose
// load_balancing.cross_zone.enabled attribute is on, and whether the
// Services behind an in-cluster proxy keep traffic in its zone
// (trafficDistribution PreferClose or topology-mode Auto). The declaration
// has one setting for all: a mix is read as crossing, and said.
func (r *reader) crossZone(keys []string) *planner.CrossZone {
	var on, off, close, spread []string
	for _, key := range keys {
		s := r.services[key]
		if s.s.Spec.Type == corev1.ServiceTypeLoadBalancer && s.currentOwnLB("aws").Kind == planner.CurrentNLB {
			if nlbCrossZoneOn(s.s.Annotations[annAWSLBAttributes]) {
				on = append(on, key)
			} else {
				off = append(off, key)
			}
		}
		behindProxy := false
		for _, rt := range s.routes {
			behindProxy = behindProxy || (rt.lb != nil && rt.lb.Kind == planner.CurrentProxy)
		}
		if behindProxy {
			if td := s.s.Spec.TrafficDistribution; (td != nil && *td == corev1.ServiceTrafficDistributionPreferClose) || s.s.Annotations[annTopologyMode] == "Auto" {
				close = append(close, key)
			} else {
				spread = append(spread, key)
			}
		}
	}
	cz := &planner.CrossZone{}
	if len(on) > 0 {
		t := true
		cz.NLB = &t
		if len(off) > 0 {
			r.warn("cross-zone load balancing is on for the NLBs of %s but not of %s: planned as on for every NLB", strings.Join(on, ", "), strings.Join(off, ", "))
		}
	}
	if len(close) > 0 && len(spread) == 0 {
		f := false
		cz.Proxy = &f
	} else if len(close) > 0 {
		r.warn("the in-cluster proxy's backends %s keep traffic in their zone, %s do not: planned as crossing zones", strings.Join(close, ", "), strings.Join(spread, ", "))
	}
	return cz
}

// nlbCrossZoneOn reads an NLB's attributes annotation (key=value pairs).
func nlbCrossZoneOn(attrs string) bool {
	for _, kv := range strings.Split(attrs, ",") {
		if k, v, _ := strings.Cut(strings.TrimSpace(kv), "="); k == "load_balancing.cross_zone.enabled" && strings.TrimSpace(v) == "true" {
			return true
		}
	}
	return false
}
