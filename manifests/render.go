package manifests

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// Rendering is the manifests that carry a plan out.
type Rendering struct {
	// Files are the input files holding an object the plan changes, whole:
	// every other document, and every field the plan does not decide, as it was.
	Files []RenderedFile
	// New holds the objects the plan creates (Ingresses, Gateways, routes), as YAML; nil when none.
	New []byte
	// Deleted names the objects the plan empties (an Ingress left with no
	// rule): they are left out of Files and must be deleted from the cluster.
	Deleted []string
	// Changes says, one line per object, what changed.
	Changes []string
	// Warnings say what the rendered manifests leave to the user: the
	// annotations of an Ingress (authentication, a firewall, health checks)
	// that do not follow a Service it no longer routes to its new object.
	Warnings []string
}

// RenderedFile is an input file with the plan's changes.
type RenderedFile struct {
	Name     string
	Original []byte
	Data     []byte
}

// NewFile is the name Render gives the file of new objects.
const NewFile = "lbplanner-new.yaml"

// Diff is a unified diff of every changed file against its input, and the new objects.
func (r *Rendering) Diff() string {
	var b strings.Builder
	for _, f := range r.Files {
		d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{A: difflib.SplitLines(string(f.Original)), B: difflib.SplitLines(string(f.Data)),
			FromFile: diffName("a", f.Name), ToFile: diffName("b", f.Name), Context: 3})
		b.WriteString(d)
	}
	if r.New != nil {
		d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{B: difflib.SplitLines(string(r.New)), FromFile: "/dev/null", ToFile: "b/" + NewFile, Context: 3})
		b.WriteString(d)
	}
	return b.String()
}

// diffName is a file's name in a unified diff: a/name, or a/abs/path.
func diffName(side, name string) string { return side + "/" + strings.TrimPrefix(name, "/") }

// Service annotations the plan decides; they go when a Service stops being a LoadBalancer.
var plannedServiceAnnotations = append([]string{
	"service.beta.kubernetes.io/aws-load-balancer-type", "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type",
	"service.beta.kubernetes.io/aws-load-balancer-scheme", "service.beta.kubernetes.io/aws-load-balancer-internal",
	"service.beta.kubernetes.io/aws-load-balancer-backend-protocol", annGKELBType, annAzureInternal,
}, planner.SharingAnnotations...)

// Service fields only a LoadBalancer (or NodePort) Service may have.
var (
	loadBalancerOnly = []string{"loadBalancerClass", "loadBalancerIP", "loadBalancerSourceRanges", "allocateLoadBalancerNodePorts", "healthCheckNodePort"}
	nodePortOnly     = []string{"externalTrafficPolicy"}
)

// renderer holds a plan while its manifests are rewritten.
type renderer struct {
	proxyOf    map[string]string // Result.proxyOf
	ns         string
	cloud      string
	rows       map[string]planner.ServicePlan
	decl       map[string]planner.Service
	lbKind     map[string]string
	lbScheme   map[string]string // each planned load balancer's scheme (internet-facing or internal)
	lbStrategy map[string]string // each planned load balancer's strategy
	// ordered lists the ALBs whose rule order the plan's cost depends on
	// (rules past the ten free ones)
	ordered map[string]bool
	// wantGateway lists the new Gateways (by planned load balancer, with
	// their class) that routes render re-points need
	wantGateway map[string]string
	ingresses   map[string]bool // namespace/name of Ingresses in the input
	// whether services are on an in-cluster proxy today, and in the plan
	proxyToday, proxyPlanned bool
	// Gateway API Gateways (namespace/name) services are on today, and in the plan
	gatewayToday, gatewayPlanned map[string]bool
	gatewayRows                  map[string][]string          // the services planned on each Gateway of today
	listeners                    map[string][]gatewayListener // each Gateway's listeners today (Result.listeners)
	lbOf                         map[string]*planner.CurrentLB
	lbMembers                    map[string][]string      // each planned load balancer's services
	oneObject                    map[string]*yaml.Node    // the new Ingress written for a planned GKE Ingress
	oneObjectKeys                map[string][]string      // the services it routes
	routed                       map[string]bool          // services an existing object routes where the plan puts them
	canaries                     map[canaryAt]canarySplit // the ingress-nginx canaries' splits, by namespace, host and path (collectCanaries)
	shadowed                     map[canaryAt]string      // the Service (namespace/name) each host and path of an Ingress that is no canary routes to
	extra                        []*yaml.Node             // new objects written while rewriting (weighted Ingresses)
	fresh                        map[string][]string      // namespace -> services that need a new Ingress or route
	// redirectsToday are the hosts each Gateway of today redirects to HTTPS
	// (Result.redirects); redirectNeeds those a Gateway must redirect for
	// the services the plan moves onto it
	redirectsToday map[string]hostCover
	redirectNeeds  map[string]*redirectNeed
	sslRedirect    map[string]string          // Result.sslRedirect
	patternClasses map[string]bool            // Result.patternClasses
	albClasses     map[string]classParams     // Result.albClasses
	classWarned    map[[2]string]bool         // schemes and groups no ALB class makes, warned of (albClassName)
	addresses      map[string]string          // Result.addresses
	pinWarned      map[string]bool            // the shared addresses whose address render could not pin, warned of
	tlsToday       map[string]map[string]bool // Result.tlsHosts
	tlsSecrets     []tlsSecret                // Result.tlsSecrets
	secretsNoted   map[string]bool            // the Secrets (namespace/name) new Ingresses end TLS with that render warned of
	unread         map[string]bool            // Result.unread
	tlsHostsOn     map[string]map[string]bool // hosts of TLS services, by planned load balancer (tlsHostOf)
	out            *Rendering
	// retiredPods are the objects running the pods of the in-cluster proxies
	// whose own Services render deletes ("Deployment ns/name"), with why
	retiredPods map[string]string
	// traefikGone: render deletes every Service of today's Traefik, and so
	// the routing objects only Traefik read (unread) with it
	traefikGone bool
	lbToday     map[string]bool // the names of today's load balancers (CurrentLoadBalancer, AlsoOn)
	// certARN are the ACM certificates (ARNs) a LoadBalancer Service's own
	// load balancer ends TLS with today, by service: an ALB the plan moves
	// it to takes them
	certARN map[string]string
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*(#.*)?$`)

// Render rewrites the manifests a declaration was read from so that they
// carry out its plan: each Service's type and load-balancer annotations,
// each Ingress's class, group and rule order, and new Ingresses, Gateways
// and routes for services that gain a shared load balancer.
func Render(srcs []Source, res *Result, p *planner.Plan, opts Options) (*Rendering, error) {
	d := res.Declaration
	r := &renderer{ns: opts.Namespace, lbOf: res.lbOf, listeners: res.listeners, rows: map[string]planner.ServicePlan{}, decl: map[string]planner.Service{},
		lbKind: map[string]string{}, lbScheme: map[string]string{}, lbStrategy: map[string]string{}, ordered: map[string]bool{}, wantGateway: map[string]string{}, ingresses: map[string]bool{}, fresh: map[string][]string{}, out: &Rendering{},
		gatewayToday: map[string]bool{}, gatewayPlanned: map[string]bool{}, routed: map[string]bool{}}
	if r.ns == "" {
		r.ns = "default"
	}
	r.cloud = d.Cloud
	r.lbMembers, r.oneObject, r.gatewayRows = map[string][]string{}, map[string]*yaml.Node{}, map[string][]string{}
	r.redirectsToday, r.redirectNeeds, r.oneObjectKeys, r.sslRedirect = res.redirects, map[string]*redirectNeed{}, map[string][]string{}, res.sslRedirect
	r.tlsToday, r.unread, r.tlsSecrets = res.tlsHosts, res.unread, res.tlsSecrets
	r.proxyOf, r.patternClasses, r.albClasses = res.proxyOf, res.patternClasses, res.albClasses
	r.addresses, r.pinWarned = res.addresses, map[string]bool{}
	for _, s := range p.Services {
		r.rows[s.Namespace+"/"+s.Name] = s
		if s.LoadBalancer != nil {
			r.lbMembers[*s.LoadBalancer] = append(r.lbMembers[*s.LoadBalancer], s.Namespace+"/"+s.Name)
		}
		if s.Gateway != "" {
			r.gatewayPlanned[s.Gateway] = true
			r.gatewayRows[s.Gateway] = append(r.gatewayRows[s.Gateway], s.Namespace+"/"+s.Name)
		}
	}
	r.classWarned = map[[2]string]bool{}
	if res.instanceTargets {
		r.targetInstances()
	}
	r.lbToday, r.certARN = map[string]bool{}, map[string]string{}
	for _, s := range d.Services {
		r.decl[s.Key()] = s
		if c := s.CurrentLoadBalancer; c != nil {
			r.lbToday[c.Name] = true
		}
		for _, c := range s.AlsoOn {
			r.lbToday[c.Name] = true
		}
		// a canary that moves to an Ingress keeps its route (see route), and so its Gateway
		if row, ok := r.rows[s.Key()]; ok && len(s.RoutedWith) > 0 && row.Exposure == planner.Ingress && row.Gateway == "" && row.GatewayClassName == "" && row.IngressClassName != "alb" &&
			s.CurrentLoadBalancer != nil && strings.HasPrefix(s.CurrentLoadBalancer.Name, planner.GatewayPrefix) {
			r.gatewayPlanned[strings.TrimPrefix(s.CurrentLoadBalancer.Name, planner.GatewayPrefix)] = true
		}
		if c := s.CurrentLoadBalancer; c != nil && c.Kind == planner.CurrentProxy {
			r.proxyToday = true
		}
		if c := s.CurrentLoadBalancer; c != nil && strings.HasPrefix(c.Name, planner.GatewayPrefix) {
			r.gatewayToday[strings.TrimPrefix(c.Name, planner.GatewayPrefix)] = true
		}
		if c := s.CurrentLoadBalancer; c != nil && c.Kind == planner.CurrentAGC && strings.HasPrefix(c.Frontend, planner.GatewayPrefix) {
			r.gatewayToday[strings.TrimPrefix(c.Frontend, planner.GatewayPrefix)] = true // a frontend billed while it exists
		}
	}
	for _, lb := range p.LoadBalancers {
		r.lbKind[lb.ID] = lb.Kind
		r.lbScheme[lb.ID] = lb.Scheme
		r.lbStrategy[lb.ID] = lb.Strategy
		if lb.RuleEvaluations != nil {
			r.ordered[lb.ID] = true
		}
		r.proxyPlanned = r.proxyPlanned || lb.Strategy == planner.StrategyProxy
	}
	r.collectCanaries(srcs)
	r.retiredPods = r.podsToRetire(res.proxyPods)
	r.traefikGone = r.controllerGone(res.proxyPods, planner.ProxyTraefik)
	for _, src := range srcs {
		if renderHint(src) != "" {
			continue
		}
		data, changed, err := r.file(src)
		if err != nil {
			return nil, err
		}
		if changed {
			r.out.Files = append(r.out.Files, RenderedFile{Name: src.Name, Original: src.Data, Data: data})
		}
	}
	for key, row := range r.rows {
		if ds, ok := r.decl[key]; ok && row.Exposure == planner.Ingress && ds.Current != planner.Ingress {
			r.fresh[row.Namespace] = append(r.fresh[row.Namespace], key)
		}
	}
	if err := r.newObjects(); err != nil {
		return nil, err
	}
	r.newProxyClasses(p, res.classes)
	sort.Strings(r.out.Changes)
	sort.Strings(r.out.Deleted)
	sort.Strings(r.out.Warnings)
	return r.out, nil
}

// file rewrites the documents of one file that the plan changes.
func (r *renderer) file(src Source) ([]byte, bool, error) {
	isJSON := bytes.HasPrefix(bytes.TrimSpace(src.Data), []byte("{")) || bytes.HasPrefix(bytes.TrimSpace(src.Data), []byte("["))
	text := string(src.Data)
	seps := docSeparator.FindAllStringIndex(text, -1)
	var chunks []string
	start := 0
	for _, s := range seps {
		chunks = append(chunks, text[start:s[0]])
		start = s[0]
	}
	chunks = append(chunks, text[start:])
	changed := false
	var out strings.Builder
	for _, c := range chunks {
		sep, body := "", c
		if loc := docSeparator.FindStringIndex(c); loc != nil && loc[0] == 0 {
			end := strings.IndexByte(c, '\n')
			if end < 0 {
				end = len(c) - 1
			}
			sep, body = c[:end+1], c[end+1:]
		}
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(body), &doc); err != nil || len(doc.Content) == 0 {
			out.WriteString(c)
			continue
		}
		keep, edited := r.document(doc.Content[0])
		if !edited {
			out.WriteString(c)
			continue
		}
		changed = true
		if !keep {
			continue
		}
		enc, err := encode(&doc, isJSON)
		if err != nil {
			return nil, false, fmt.Errorf("%s: render: %w", src.Name, err)
		}
		out.WriteString(sep)
		out.Write(enc)
	}
	return []byte(out.String()), changed, nil
}

func encode(doc *yaml.Node, asJSON bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if !asJSON {
		return buf.Bytes(), nil
	}
	j, err := sigsyaml.YAMLToJSON(buf.Bytes())
	if err != nil {
		return nil, err
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, j, "", "  "); err != nil {
		return nil, err
	}
	pretty.WriteByte('\n')
	return pretty.Bytes(), nil
}

// document edits one document (or the items of a List); keep is false when
// the document itself is to be deleted.
func (r *renderer) document(n *yaml.Node) (keep, edited bool) {
	if strings.HasSuffix(scalar(n, "kind"), "List") {
		items := child(n, "items")
		if items == nil || items.Kind != yaml.SequenceNode {
			return true, false
		}
		kept := items.Content[:0]
		for _, it := range items.Content {
			k, e := r.object(it)
			edited = edited || e
			if k {
				kept = append(kept, it)
			}
		}
		items.Content = kept
		return true, edited
	}
	return r.object(n)
}

func (r *renderer) object(n *yaml.Node) (keep, edited bool) {
	if n.Kind != yaml.MappingNode {
		return true, false
	}
	ns := scalar(n, "metadata", "namespace")
	if ns == "" {
		ns = r.ns
	}
	name := scalar(n, "metadata", "name")
	if scalar(n, "kind") == "Ingress" {
		r.ingresses[ns+"/"+name] = true
	}
	if obj := scalar(n, "kind") + " " + ns + "/" + name; r.unread[obj] {
		if !r.traefikGone {
			return true, false // it routes no request: left as it is
		}
		r.out.Deleted = append(r.out.Deleted, obj+" (it routed no request, and Traefik goes)")
		r.out.Changes = append(r.out.Changes, obj+": delete (on Traefik's redirected entry point it routed no request; Traefik, whose Service the plan deletes, read it)")
		return false, true
	}
	switch scalar(n, "kind") {
	case "Deployment", "DaemonSet", "HorizontalPodAutoscaler":
		if r.retiredWorkload(scalar(n, "kind"), ns+"/"+name) {
			return false, true
		}
	case "Service":
		if r.unusedProxy(n, ns+"/"+name) {
			return false, true
		}
		return true, r.service(n, ns+"/"+name)
	case "Ingress":
		return r.ingress(n, ns, name)
	case "HTTPRoute", "GRPCRoute":
		return r.route(n, scalar(n, "kind"), ns, name)
	case "TCPRoute", "UDPRoute", "TLSRoute":
		return r.l4Route(n, scalar(n, "kind"), ns, name)
	case "ConfigMap":
		if nginxL4Protocol(name) != "" {
			return true, r.nginxL4Map(n, ns, name)
		}
	case "VirtualService":
		if strings.HasPrefix(scalar(n, "apiVersion"), "networking.istio.io/") {
			return r.virtualService(n, ns, name)
		}
	case "IngressRoute", "IngressRouteTCP", "IngressRouteUDP":
		if isTraefikRoute(scalar(n, "kind"), scalar(n, "apiVersion")) {
			return r.traefikRoute(n, ns, name)
		}
	case "Gateway":
		if strings.HasPrefix(scalar(n, "apiVersion"), "gateway.networking.k8s.io/") && r.gatewayToday[ns+"/"+name] && !r.gatewayPlanned[ns+"/"+name] {
			r.out.Deleted = append(r.out.Deleted, "Gateway "+ns+"/"+name)
			r.out.Changes = append(r.out.Changes, fmt.Sprintf("Gateway %s/%s: delete (the plan routes no service through it)", ns, name))
			return false, true
		}
		return true, r.addListeners(n, ns+"/"+name)
	}
	return true, false
}

// retiredProxy reports whether a proxy Service's labels name a controller
// (proxyServiceControllers) that served services today and that the plan
// routes none through, while it keeps another proxy.
func (r *renderer) retiredProxy(labels map[string]string) bool {
	ctl := ""
	for _, k := range []string{"app.kubernetes.io/name", "app"} {
		if c, ok := proxyServiceControllers[labels[k]]; ok && ctl == "" {
			ctl = c
		}
	}
	if ctl == "" || r.controllerServes(ctl) {
		return false
	}
	today := false
	for _, c := range r.proxyOf {
		today = today || c == ctl
	}
	for lb, members := range r.lbMembers {
		if r.proxyOf[lb] == ctl && len(members) > 0 {
			return false
		}
	}
	return today
}

// controllerServes reports whether the plan routes a service on an in-cluster
// proxy through a class of controller ctl ("Traefik"): a new proxy of its
// implementation (a Gateway of class traefik) is served by its pods.
func (r *renderer) controllerServes(ctl string) bool {
	for _, row := range r.rows {
		if row.LoadBalancer == nil || r.lbStrategy[*row.LoadBalancer] != planner.StrategyProxy {
			continue
		}
		if c, ok := gatewayClasses[row.GatewayClassName]; ok && c.name == ctl {
			return true
		}
		if c, ok := ingressClasses[row.IngressClassName]; ok && c.name == ctl {
			return true
		}
	}
	return false
}

// unusedProxy reports whether a Service is the load balancer of an in-cluster
// proxy that served services today and serves none in the plan: it goes,
// with the proxy (the reader prices it with the proxy, not as a service).
func (r *renderer) unusedProxy(n *yaml.Node, key string) bool {
	if scalar(n, "spec", "type") != "LoadBalancer" {
		return false
	}
	labels := map[string]string{}
	if l := path(n, "metadata", "labels"); l != nil && l.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(l.Content); i += 2 {
			labels[l.Content[i].Value] = l.Content[i+1].Value
		}
	}
	if gw := owningGateway(labels, key); gw != "" && r.gatewayToday[gw] && !r.gatewayPlanned[gw] {
		r.out.Deleted = append(r.out.Deleted, "Service "+key+" (its Gateway "+gw+" goes, and its controller deletes the Service it made for it)")
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("Service %s: delete (the load balancer of Gateway %s, which the plan deletes)", key, gw))
		return true
	}
	if !r.proxyGoes(key, labels) {
		return false
	}
	if labels[labelManagedBy] == aksAppRoutingOperator { // the operator would make it again
		r.out.Deleted = append(r.out.Deleted, "Service "+key+" (and its proxy: delete the application routing add-on's NginxIngressController that made it, or turn the add-on off: az aks approuting disable; its operator makes it again otherwise)")
	} else {
		r.out.Deleted = append(r.out.Deleted, "Service "+key+" (and its proxy: no service is routed through it any more)")
	}
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("Service %s: delete (the in-cluster proxy's load balancer serves no service in the plan)", key))
	return true
}

// owningGateway is the Gateway (namespace/name) whose controller made the
// LoadBalancer Service key with labels: Envoy Gateway's owning-gateway
// labels, or Gateway API's gateway-name label (Istio, NGINX Gateway Fabric),
// the Gateway in the Service's namespace; "" for none.
func owningGateway(labels map[string]string, key string) string {
	if name := labels["gateway.envoyproxy.io/owning-gateway-name"]; name != "" {
		return labels["gateway.envoyproxy.io/owning-gateway-namespace"] + "/" + name
	}
	if name := labels["gateway.networking.k8s.io/gateway-name"]; name != "" {
		ns, _, _ := strings.Cut(key, "/")
		return ns + "/" + name
	}
	return ""
}

// proxyGoes reports whether the LoadBalancer Service key with labels is an
// in-cluster proxy's own that served services today and serves none in the
// plan.
func (r *renderer) proxyGoes(key string, labels map[string]string) bool {
	_, planned := r.rows[key]
	return !planned && r.proxyToday && isProxyService(labels) && (!r.proxyPlanned || r.retiredProxy(labels))
}

// podsToRetire are the objects that run the pods of the proxies whose own
// Services render deletes: a Deployment (or DaemonSet) and the autoscalers
// scaling it, unless a proxy Service that stays selects them too. They cost
// what the plan no longer pays for.
func (r *renderer) podsToRetire(pods map[string]proxyPods) map[string]string {
	retire, keep := map[string]string{}, map[string]bool{}
	for _, key := range slices.Sorted(maps.Keys(pods)) { // a workload two Services select is named by the first
		p := pods[key]
		for _, o := range p.objects {
			if r.proxyGoes(key, p.labels) {
				if _, named := retire[o]; !named {
					retire[o] = key
				}
			} else {
				keep[o] = true
			}
		}
	}
	for o := range keep {
		delete(retire, o)
	}
	return retire
}

// controllerGone reports whether render deletes the own Service of every
// in-cluster proxy of implementation impl (and there is one).
func (r *renderer) controllerGone(pods map[string]proxyPods, impl string) bool {
	gone := false
	for key, p := range pods {
		if proxyImplOf(p.labels) != impl {
			continue
		}
		if !r.proxyGoes(key, p.labels) {
			return false
		}
		gone = true
	}
	return gone
}

// retiredWorkload deletes a Deployment, DaemonSet or HorizontalPodAutoscaler
// that runs the pods of a proxy whose Service render deletes.
func (r *renderer) retiredWorkload(kind, key string) bool {
	svc, ok := r.retiredPods[kind+" "+key]
	if !ok {
		return false
	}
	r.out.Deleted = append(r.out.Deleted, fmt.Sprintf("%s %s (the pods of the proxy behind Service %s)", kind, key, svc))
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s: delete (it runs the pods of the in-cluster proxy whose load balancer, Service %s, goes)", kind, key, svc))
	return true
}

// sameLB reports whether a service stays on the kind of load balancer of its own it has today.
func (r *renderer) sameLB(ds planner.Service, row planner.ServicePlan) bool {
	if ds.Current != planner.LoadBalancer || row.Exposure != planner.LoadBalancer || row.LoadBalancer == nil {
		return false
	}
	if ds.CurrentLoadBalancer == nil {
		return true
	}
	want := map[string]string{"nlb": planner.CurrentNLB, "clb": planner.CurrentCLB, "passthrough-nlb": planner.CurrentLB4, "azure-lb": planner.CurrentLB4}
	return want[r.lbKind[*row.LoadBalancer]] == ds.CurrentLoadBalancer.Kind
}

// service sets a Service's type and load-balancer annotations as planned.
func (r *renderer) service(n *yaml.Node, key string) bool {
	if arn := scalar(n, "metadata", "annotations", annAWSLBSSLCert); arn != "" && scalar(n, "spec", "type") == "LoadBalancer" {
		r.certARN[key] = arn
	}
	row, ok := r.rows[key]
	ds := r.decl[key]
	old := scalar(n, "spec", "type")
	// a node port an ALB's or GKE Ingress's instance targets needed today, which the plan's load balancer does not
	nodePortLeft := old == "NodePort" && ds.Current == planner.Ingress && row.Exposure == planner.Ingress && !instanceTargets(row)
	nodePortWanted := row.ServiceType == "NodePort" && old != "NodePort" && row.Exposure == planner.Ingress // an ALB's instance targets (targetInstances)
	if !ok || r.sameLB(ds, row) || (ds.Current == row.Exposure && row.Exposure != planner.LoadBalancer && !nodePortLeft && !nodePortWanted) {
		return false
	}
	spec := ensureMap(n, "spec")
	if old == "" {
		old = "ClusterIP"
	}
	meta := ensureMap(n, "metadata")
	changed := false
	if row.ServiceType != old {
		changed = setScalar(spec, "type", row.ServiceType) || changed
	}
	if row.ExternalTrafficPolicy != "" && scalar(spec, "externalTrafficPolicy") != row.ExternalTrafficPolicy {
		changed = setScalar(spec, "externalTrafficPolicy", row.ExternalTrafficPolicy) || changed
	}
	switch row.ServiceType {
	case "LoadBalancer":
		for _, k := range sortedAnnotationKeys(row.Annotations) {
			ann := ensureMap(meta, "annotations")
			v := row.Annotations[k]
			if strings.HasSuffix(k, "-attributes") { // key=value lists: the plan's keys set, the others kept
				v = mergeAttributes(scalar(ann, k), v)
			}
			changed = setScalar(ann, k, v) || changed
		}
		if ann := child(meta, "annotations"); ann != nil {
			for _, k := range planner.SharingAnnotations { // an address of its own, or shared by another key
				if _, keep := row.Annotations[k]; !keep {
					changed = deleteKey(ann, k) || changed
				}
			}
		}
		changed = r.pinSharedAddress(meta, spec, key, ds, row) || changed
		changed = keepRouting(meta, ds) || changed
	default:
		if ann := child(meta, "annotations"); ann != nil {
			for _, k := range plannedServiceAnnotations {
				changed = deleteKey(ann, k) || changed
			}
		}
		for _, f := range loadBalancerOnly {
			changed = deleteKey(spec, f) || changed
		}
		if row.ServiceType == "ClusterIP" {
			for _, f := range nodePortOnly {
				changed = deleteKey(spec, f) || changed
			}
			if ports := child(spec, "ports"); ports != nil {
				for _, p := range ports.Content {
					changed = deleteKey(p, "nodePort") || changed
				}
			}
		}
	}
	if row.Exposure == planner.Ingress && ds.Audience == planner.AudienceVPC && row.IngressClassName != "alb" {
		// an in-cluster proxy's Ingress does not say it is internal: the Service keeps its audience
		changed = setScalar(ensureMap(meta, "annotations"), AnnAudience, planner.AudienceVPC) || changed
	}
	if changed {
		dropEmpty(meta, "annotations")
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("Service %s: %s -> %s", key, old, describe(row)))
	}
	return changed
}

// instanceTargets reports whether a row's load balancer may send requests to
// node ports (an ALB Ingress, a GKE Ingress): a NodePort Service today stays
// one there (nodePortForIngress).
func instanceTargets(row planner.ServicePlan) bool {
	class := row.Annotations[annIngressClass]
	return row.Gateway == "" && row.GatewayClassName == "" && (row.IngressClassName == "alb" || class == "gce" || class == "gce-internal")
}

// keepRouting records on a Service that leaves its routes (an Ingress's, a
// Gateway's, a TLS route's by server name) for a load balancer of its own
// what they said of it: its protocol, hosts and paths, which its port alone
// does not tell, so that the next plan sees the same service. It reports
// whether it wrote any.
func keepRouting(meta *yaml.Node, ds planner.Service) bool {
	sni := ds.Protocol == planner.ProtoTLS && len(ds.Hosts) > 0 // TLS routed by the name a client asks for
	if (!isL7(ds.Protocol) && !sni) || (ds.Protocol == planner.ProtoHTTP && len(ds.Hosts) == 0 && len(ds.Paths) == 0) {
		return false
	}
	ann := ensureMap(meta, "annotations")
	changed := setScalar(ann, AnnProtocol, ds.Protocol)
	if len(ds.Hosts) > 0 {
		changed = setScalar(ann, AnnHosts, strings.Join(ds.Hosts, ",")) || changed
	}
	if len(ds.Paths) > 0 {
		changed = setScalar(ann, AnnPaths, strings.Join(ds.Paths, ",")) || changed
	}
	return changed
}

func describe(row planner.ServicePlan) string {
	if row.LoadBalancer != nil {
		return fmt.Sprintf("%s on %s", row.Exposure, *row.LoadBalancer)
	}
	return string(row.Exposure)
}

func sortedAnnotationKeys(a map[string]string) []string {
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ingress keeps an Ingress's paths to services that stay on it (those the
// plan moves elsewhere are removed, and an Ingress left with none is
// deleted), and sets its class, group and rule order as planned.
func (r *renderer) ingress(n *yaml.Node, ns, name string) (keep, edited bool) {
	spec := child(n, "spec")
	if spec == nil {
		return true, false
	}
	var backends []string
	walkBackends(n, spec, ns, func(key string) { backends = append(backends, key) })
	sort.Strings(backends)
	if r.secondary(r.lbOf["Ingress "+ns+"/"+name], backends) {
		return true, false // a second entry the plan keeps as it is
	}
	if isNginxCanary(n) && r.canaryOntoALB(backends) {
		r.out.Deleted = append(r.out.Deleted, "Ingress "+ns+"/"+name)
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: delete (an ingress-nginx canary: its split is written on the Ingress it shadows, as the ALB's)", ns, name))
		return false, true
	}
	// the load balancer the Ingress's first backend is planned on decides for the Ingress
	var lead *planner.ServicePlan
	leadKey := ""
	for _, k := range backends {
		if row, ok := r.rows[k]; ok && row.Exposure == planner.Ingress {
			lead, leadKey = &row, k
			break
		}
	}
	// a GKE Ingress is its load balancer: this object stays it only when it
	// routes every service planned on it (else they all move to one new Ingress)
	own := lead != nil && lead.LoadBalancer != nil && r.isOneObject(*lead.LoadBalancer) && *lead.LoadBalancer == ns+"/"+name // the plan keeps this very Ingress
	whole := lead == nil || lead.LoadBalancer == nil || !r.isOneObject(*lead.LoadBalancer) || own || subset(r.lbMembers[*lead.LoadBalancer], backends)
	stays := func(key string) bool {
		row, ok := r.rows[key]
		if !ok {
			return true // not planned (a missing Service): leave the path alone
		}
		return lead != nil && whole && lead.Gateway == "" && !r.newGateway(*lead) && row.Exposure == planner.Ingress && sameID(row.LoadBalancer, lead.LoadBalancer)
	}
	if lead != nil && lead.LoadBalancer != nil {
		out := map[string]bool{}
		if cur := ingressClassOf(n); cur != "" && lead.IngressClassName == "alb" && r.ordered[*lead.LoadBalancer] && !r.readsPatterns(cur) {
			// paths the ALB will read as patterns, as the controller will order
			// them (portablePaths, which moving the class does anyway)
			edited = r.portablePaths(spec, cur, "alb") || edited
		}
		if r.ordered[*lead.LoadBalancer] {
			out = r.outOfOrder(n, spec, ns, stays)
		}
		if len(out) > 0 { // listed in the plan's order, the controller may order them so
			sorted := cloneNode(spec)
			r.sortPaths(n, sorted, ns)
			if fewer := r.outOfOrder(n, sorted, ns, stays); len(fewer) < len(out) {
				r.sortPaths(n, spec, ns)
				out, edited = fewer, true
				r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: paths listed in the plan's rule order", ns, name))
			}
		}
		for k := range r.otherListeners(n, spec, ns, lead, stays) {
			out[k] = true
		}
		same := stays
		stays = func(key string) bool { return same(key) && !out[key] }
		if len(out) > 0 && lead.Annotations[annALBGroup] == "" { // an Ingress's own ALB, now of several Ingresses: a group
			r.nameGroup(*lead.LoadBalancer)
			row := r.rows[leadKey]
			lead = &row
			r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("Ingress %s/%s becomes IngressGroup %s so that its ALB evaluates rules in the plan's order on the listeners planned: the AWS Load Balancer Controller creates the group's ALB anew and deletes the Ingress's own (a new DNS name; records external-dns keeps follow)",
				ns, name, row.Annotations[annALBGroup]))
		}
		split := map[string]bool{} // routed by a copy already: the Services of one forward action are one rule
		for _, k := range slices.Sorted(maps.Keys(out)) {
			if split[k] {
				continue
			}
			c := r.splitOff(n, ns, name, k)
			walkBackends(c, child(c, "spec"), ns, func(key string) { split[key], r.routed[key] = true, true })
			r.extra = append(r.extra, c)
		}
	}
	dflt := backendServices(n, child(spec, "defaultBackend"), ns)
	removed := pruneBackends(n, spec, ns, stays)
	if len(dflt) > 0 && child(spec, "defaultBackend") == nil {
		r.lostCatchAll(ns, name, dflt)
	}
	if own && r.takeOthers(n, ns, name, *lead.LoadBalancer, backends) {
		edited = true
	}
	var kept []string
	for _, k := range backends {
		if _, planned := r.rows[k]; planned && stays(k) {
			r.routed[k] = true // already routed where the plan puts it: no new Ingress
			kept = append(kept, k)
		}
	}
	for _, k := range removed {
		if row := r.rows[k]; row.Exposure == planner.Ingress {
			r.fresh[row.Namespace] = append(r.fresh[row.Namespace], k) // moved to another shared load balancer
			if !r.routed[k] {
				r.leftBehind(n, ns, name, k)
			}
		}
	}
	edited = edited || len(removed) > 0
	if edited && (emptyIngress(spec) || !routesAny(n, spec, ns)) { // (an ALB's redirect or fixed response left alone keeps a load balancer for nothing)
		r.out.Deleted = append(r.out.Deleted, "Ingress "+ns+"/"+name)
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: delete (no service is routed by it any more)", ns, name))
		return false, true
	}
	if lead == nil { // routes only to Services that are not planned (missing from the manifests)
		return true, edited
	}
	var plain []string // kept plain-HTTP services, whose host a newcomer may give TLS
	for _, k := range kept {
		if r.decl[k].Protocol == planner.ProtoHTTP {
			plain = append(plain, k)
		}
	}
	if len(plain) > 0 && lead.IngressClassName != "" && r.keepPlainHTTP(n, lead.IngressClassName, plain) {
		edited = true
	}
	if r.setIngressClass(n, spec, lead, ns, name, kept) {
		edited = true
		dropEmpty(child(n, "metadata"), "annotations")
	}
	if lead.IngressClassName == "alb" && len(r.canaries) > 0 && r.translateCanaries(n, spec, ns) {
		edited = true
	}
	if edited {
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: %s", ns, name, describe(*lead)))
	}
	return true, edited
}

// takeOthers adds to a GKE Ingress the plan keeps (its own load balancer,
// id) the rules of the services planned on it that it does not route
// (backends): their Ingresses lose them, and it keeps its address.
func (r *renderer) takeOthers(n *yaml.Node, ns, name, id string, backends []string) bool {
	added := false
	for _, k := range r.lbMembers[id] {
		if _, routes := slices.BinarySearch(backends, k); routes || r.routed[k] {
			continue
		}
		row, ds := r.rows[k], r.decl[k]
		addIngressRules(n, r.newIngress(ns, "", row, ds))
		r.routed[k], added = true, true
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: routes %s too", ns, name, k))
	}
	if added {
		r.keepRedirect(n, ns, name, r.lbMembers[id])
	}
	return added
}

// keepRedirect has a GKE Ingress that takes others' rules (takeOthers)
// redirect plain HTTP to HTTPS when its services (keys) were redirected
// today and none is served over plain HTTP (a FrontendConfig redirects the
// whole Ingress; the plan never mixes them): a FrontendConfig of its own
// unless it names one.
func (r *renderer) keepRedirect(n *yaml.Node, ns, name string, keys []string) {
	if redirected, served := r.plainOf(keys); len(redirected) == 0 || served || scalar(n, "metadata", "annotations", annGKEFrontendConfig) != "" {
		return
	}
	r.extra = append(r.extra, r.redirectingConfig(n, ns, name))
}

// gatewayHome is the namespace of the Gateway render adds for a planned
// load balancer: the first namespace of the services on it.
func (r *renderer) gatewayHome(id string) string {
	home := ""
	for _, row := range r.rows {
		if row.LoadBalancer != nil && *row.LoadBalancer == id && (home == "" || row.Namespace < home) {
			home = row.Namespace
		}
	}
	return home
}

// isOneObject reports whether a planned load balancer is one Ingress object
// (a GKE Ingress), not a group of them or a Gateway's.
func (r *renderer) isOneObject(id string) bool { return r.lbKind[id] == planner.KindGKEIngress }

// subset reports whether every one of keys is among sorted.
func subset(keys, sorted []string) bool {
	for _, k := range keys {
		if _, found := slices.BinarySearch(sorted, k); !found {
			return false
		}
	}
	return true
}

// addIngressRules adds the rules (and TLS hosts) of a new Ingress written for
// one more service to the Ingress that routes its load balancer's others.
func addIngressRules(into, from *yaml.Node) {
	spec, more := child(into, "spec"), child(from, "spec")
	for _, key := range []string{"rules", "tls"} {
		add := child(more, key)
		if add == nil {
			continue
		}
		if have := child(spec, key); have != nil {
			have.Content = append(have.Content, add.Content...)
		} else {
			spec.Content = append(spec.Content, str(key), add)
		}
	}
}

// newGateway reports whether a row is routed through a Gateway the plan
// adds (a cloud's shared Gateway, or one for an in-cluster proxy that reads
// Gateway API): its services leave today's Ingresses for HTTPRoutes and
// GRPCRoutes.
func (r *renderer) newGateway(row planner.ServicePlan) bool {
	if row.GatewayClassName == "" || row.Gateway != "" || row.LoadBalancer == nil {
		return false
	}
	switch r.lbStrategy[*row.LoadBalancer] {
	case planner.StrategyProxy, planner.StrategyGateway:
		return true
	case planner.StrategyAGC: // a new Application Gateway for Containers (today's, read through Ingress, keeps it)
		return !r.lbToday[*row.LoadBalancer]
	}
	return false
}

// route points an HTTPRoute or GRPCRoute at the Gateway its services are
// planned on; a route whose services the plan moves to an Ingress, or to
// load balancers of their own, is deleted (and Ingresses written for them).
// onGoneGateways reports whether a route (spec, in namespace ns) has
// parents and every one is a Gateway render deletes (one of today's that
// the plan routes no service through).
func (r *renderer) onGoneGateways(spec *yaml.Node, ns string) bool {
	refs := seqItems(child(spec, "parentRefs"))
	for _, ref := range refs {
		gns := scalar(ref, "namespace")
		if gns == "" {
			gns = ns
		}
		key := gns + "/" + scalar(ref, "name")
		if k := scalar(ref, "kind"); (k != "" && k != "Gateway") || !r.gatewayToday[key] || r.gatewayPlanned[key] {
			return false
		}
	}
	return len(refs) > 0
}

func (r *renderer) route(n *yaml.Node, kind, ns, name string) (keep, edited bool) {
	spec := child(n, "spec")
	var backends []string
	for _, k := range routeServices(spec, ns) {
		if _, ok := r.rows[k]; ok {
			backends = append(backends, k)
		}
	}
	if len(backends) == 0 {
		if r.onGoneGateways(spec, ns) { // a redirect route, say, on a Gateway render deletes
			obj := kind + " " + ns + "/" + name
			r.out.Deleted = append(r.out.Deleted, obj)
			r.out.Changes = append(r.out.Changes, obj+": delete (every Gateway it is attached to goes)")
			return false, true
		}
		return true, false
	}
	sort.Strings(backends)
	lead := r.rows[backends[0]]
	extra := r.alsoOnParents(spec, ns, backends) // parentRefs of the Gateways its services are also on: kept as they are
	if len(extra) > 0 && len(extra) == len(seqItems(child(spec, "parentRefs"))) {
		return true, false // only on Gateways its services are also on: a second entry the plan keeps as it is
	}
	if r.newGateway(lead) { // onto the Gateway the plan adds: the route stays, pointed at it
		id := *lead.LoadBalancer
		home, gw := r.gatewayHome(id), gatewayName(id)
		for _, k := range backends {
			r.routed[k] = true
			r.needRedirect(home+"/"+gw, "http", r.decl[k])
		}
		r.wantGateway[id] = lead.GatewayClassName
		ref := mapping("name", gw)
		if home != ns {
			ref.Content = append(ref.Content, str("namespace"), str(home))
		}
		// the listener of its protocol, as a route render writes: without one
		// it would attach to every listener, plain HTTP served as HTTPS too
		if section := listenerName(r.decl[backends[0]]); section != "" {
			ref.Content = append(ref.Content, str("sectionName"), str(section))
		}
		deleteKey(spec, "parentRefs")
		spec.Content = append([]*yaml.Node{str("parentRefs"), seq(append([]*yaml.Node{ref}, extra...)...)}, spec.Content...)
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: to Gateway %s/%s (new)", kind, ns, name, home, gw))
		return true, true
	}
	if lead.Exposure == planner.Ingress && lead.Gateway != "" {
		gns, gname, _ := strings.Cut(lead.Gateway, "/")
		refs := slices.DeleteFunc(slices.Clone(seqItems(child(spec, "parentRefs"))), func(n *yaml.Node) bool { return slices.Contains(extra, n) })
		onIt := len(refs) > 0 // every parentRef names the planned Gateway (one listener each, or all)
		for _, ref := range refs {
			cns := scalar(ref, "namespace")
			if cns == "" {
				cns = ns
			}
			onIt = onIt && cns+"/"+scalar(ref, "name") == lead.Gateway
		}
		for _, k := range backends {
			r.routed[k] = true
		}
		if onIt && len(refs) == 1 {
			return true, r.pinListener(refs[0], kind, ns, name, lead.Gateway, r.decl[backends[0]])
		}
		if onIt {
			return true, false // on several of its listeners, as the reader read it
		}
		for _, k := range backends {
			r.needRedirect(lead.Gateway, r.listenerNames(lead.Gateway)[0], r.decl[k])
		}
		ref := mapping("name", gname)
		if gns != ns {
			ref.Content = append(ref.Content, str("namespace"), str(gns))
		}
		if section := r.section(lead.Gateway, r.decl[backends[0]]); section != "" {
			ref.Content = append(ref.Content, str("sectionName"), str(section))
		}
		deleteKey(spec, "parentRefs")
		spec.Content = append([]*yaml.Node{str("parentRefs"), seq(append([]*yaml.Node{ref}, extra...)...)}, spec.Content...)
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: to Gateway %s", kind, ns, name, lead.Gateway))
		return true, true
	}
	for _, k := range backends {
		if len(r.decl[k].RoutedWith) > 0 && lead.Exposure == planner.Ingress && lead.IngressClassName == "alb" && kind == "HTTPRoute" && len(extra) == 0 {
			// weighted backends onto an ALB: one Ingress whose rules forward to them by weight
			if doc, ingName := r.weightedIngress(n, ns, name, &lead); doc != nil {
				for _, k := range backends {
					r.routed[k] = true
				}
				r.extra = append(r.extra, doc)
				r.out.Deleted = append(r.out.Deleted, kind+" "+ns+"/"+name)
				r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: replaced by Ingress %s/%s, a weighted forward on %s", kind, ns, name, ns, ingName, *lead.LoadBalancer))
				return false, true
			}
		}
		if len(r.decl[k].RoutedWith) > 0 && lead.Exposure == planner.Ingress {
			// weighted backends of one rule: separate Ingresses would route the same host
			// and path twice; the plan cannot be written for them, so the route stays
			for _, k := range backends {
				r.routed[k] = true
			}
			r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: left as it is: the requests it splits between %s (by weight or by header, query or method) cannot be written as Ingresses; move them to %s by hand",
				kind, ns, name, strings.Join(backends, ", "), describe(lead)))
			return true, false
		}
	}
	for _, k := range backends {
		if row := r.rows[k]; row.Exposure == planner.Ingress {
			r.fresh[row.Namespace] = append(r.fresh[row.Namespace], k)
		}
	}
	if len(extra) > 0 { // the Gateways its services are also on keep routing them
		deleteKey(spec, "parentRefs")
		spec.Content = append([]*yaml.Node{str("parentRefs"), seq(extra...)}, spec.Content...)
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: off Gateway %s (its services move to %s), on the others it names as it was", kind, ns, name,
			strings.TrimPrefix(r.decl[backends[0]].CurrentLoadBalancer.Name, planner.GatewayPrefix), describe(lead)))
		return true, true
	}
	r.out.Deleted = append(r.out.Deleted, kind+" "+ns+"/"+name)
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: delete (its services move to %s)", kind, ns, name, describe(lead)))
	return false, true
}

// alsoOnParents are the parentRefs of a route that name a Gateway its
// services are also on today (alsoOn), not the one they are on: the plan
// keeps those entries as they are.
func (r *renderer) alsoOnParents(spec *yaml.Node, ns string, backends []string) []*yaml.Node {
	also := map[string]bool{}
	for _, k := range backends {
		ds := r.decl[k]
		for _, c := range ds.AlsoOn {
			also[gatewayKeyOf(c)] = true
		}
		if c := ds.CurrentLoadBalancer; c != nil {
			delete(also, gatewayKeyOf(*c))
		}
	}
	delete(also, "")
	var out []*yaml.Node
	for _, ref := range seqItems(child(spec, "parentRefs")) {
		pns := scalar(ref, "namespace")
		if pns == "" {
			pns = ns
		}
		if k := scalar(ref, "kind"); (k == "" || k == "Gateway") && also[pns+"/"+scalar(ref, "name")] {
			out = append(out, ref)
		}
	}
	return out
}

// gatewayKeyOf is the Gateway (namespace/name) a load balancer of today is,
// or the frontend of (an Application Gateway for Containers'); "" for none.
func gatewayKeyOf(c planner.CurrentLB) string {
	for _, n := range []string{c.Name, c.Frontend} {
		if key, ok := strings.CutPrefix(n, planner.GatewayPrefix); ok {
			return key
		}
	}
	return ""
}

// routeServices are the Services (namespace/name) a Gateway API route's
// rules send requests to, in order (backendRefs of another kind left out).
func routeServices(spec *yaml.Node, ns string) []string {
	var keys []string
	for _, rule := range seqItems(child(spec, "rules")) {
		for _, b := range seqItems(child(rule, "backendRefs")) {
			if k := scalar(b, "kind"); k != "" && k != "Service" {
				continue
			}
			bns := scalar(b, "namespace")
			if bns == "" {
				bns = ns
			}
			keys = append(keys, bns+"/"+scalar(b, "name"))
		}
	}
	return keys
}

// movedOff lists, once each, the services a routing object no longer routes
// (the plan moves them elsewhere), queueing those planned on a shared load
// balancer for the objects render writes anew.
func (r *renderer) movedOff(keys []string) []string {
	keys = dedupe(keys)
	for _, k := range keys {
		if row := r.rows[k]; row.Exposure == planner.Ingress {
			r.fresh[row.Namespace] = append(r.fresh[row.Namespace], k)
		}
	}
	return keys
}

// l4Route deletes a TCPRoute, UDPRoute or TLSRoute whose services the plan
// moves off its Gateway (to a load balancer of their own, or onto a Gateway
// render writes their routes for): left, it would name a Gateway that no
// longer routes them, or none. A route with a service that stays is kept.
func (r *renderer) l4Route(n *yaml.Node, kind, ns, name string) (keep, edited bool) {
	spec := child(n, "spec")
	parent := ""
	if refs := seqItems(child(spec, "parentRefs")); len(refs) > 0 {
		pns := scalar(refs[0], "namespace")
		if pns == "" {
			pns = ns
		}
		parent = pns + "/" + scalar(refs[0], "name")
	}
	var lead *planner.ServicePlan
	for _, k := range routeServices(spec, ns) {
		row, ok := r.rows[k]
		if !ok || row.Gateway == parent {
			return true, false // not planned here, or it stays
		}
		if lead == nil {
			lead = &row
		}
	}
	if lead == nil {
		return true, false
	}
	keys := routeServices(spec, ns)
	if extra := r.alsoOnParents(spec, ns, keys); len(extra) > 0 { // the Gateways its services are also on keep routing them
		if len(extra) == len(seqItems(child(spec, "parentRefs"))) {
			return true, false
		}
		deleteKey(spec, "parentRefs")
		spec.Content = append([]*yaml.Node{str("parentRefs"), seq(extra...)}, spec.Content...)
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: off Gateway %s (its services move to %s), on the others it names as it was", kind, ns, name, parent, describe(*lead)))
		return true, true
	}
	for _, k := range keys { // onto another shared load balancer (an NLB Gateway): routed there anew
		if row := r.rows[k]; row.Exposure == planner.Ingress {
			r.fresh[row.Namespace] = append(r.fresh[row.Namespace], k)
		}
	}
	r.out.Deleted = append(r.out.Deleted, kind+" "+ns+"/"+name)
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: delete (its services move to %s)", kind, ns, name, describe(*lead)))
	return false, true
}

// secondary reports whether a routing object's load balancer is, for every
// planned service it routes to, one it is also on besides its own (alsoOn).
func (r *renderer) secondary(lb *planner.CurrentLB, backends []string) bool {
	if lb == nil {
		return false
	}
	any := false
	for _, k := range backends {
		ds, ok := r.decl[k]
		if !ok {
			continue
		}
		if c := ds.CurrentLoadBalancer; c != nil && sameCurrentLB(*c, *lb) && ds.Current == planner.Ingress {
			return false
		}
		any = true
	}
	return any
}

// weightedIngress writes an HTTPRoute's rules as one ALB Ingress: each rule's
// weighted backends become a forward action (actions.<name> annotation, the
// backend port use-annotation). nil when a rule cannot be written so.
func (r *renderer) weightedIngress(n *yaml.Node, ns, name string, lead *planner.ServicePlan) (*yaml.Node, string) {
	spec := child(n, "spec")
	ingName := name
	for r.ingresses[ns+"/"+ingName] {
		ingName += "-lb"
	}
	ann := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, k := range sortedAnnotationKeys(lead.Annotations) {
		ann.Content = append(ann.Content, str(k), str(lead.Annotations[k]))
	}
	httpPaths := seq()
	var paths []albMatchPath
	for i, rule := range seqItems(child(spec, "rules")) {
		action := fmt.Sprintf("%s-%d", ingName, i+1)
		var groups []map[string]any
		for _, b := range seqItems(child(rule, "backendRefs")) {
			if k := scalar(b, "kind"); (k != "" && k != "Service") || scalar(b, "namespace") != "" && scalar(b, "namespace") != ns {
				return nil, ""
			}
			w := 1
			if v := scalar(b, "weight"); v != "" {
				w = atoi(v)
			}
			groups = append(groups, map[string]any{"serviceName": scalar(b, "name"), "servicePort": scalar(b, "port"), "weight": w})
		}
		if len(groups) == 0 {
			return nil, ""
		}
		js, _ := json.Marshal(map[string]any{"type": "forward", "forwardConfig": map[string]any{"targetGroups": groups}})
		matches := seqItems(child(rule, "matches"))
		if len(matches) == 0 {
			matches = []*yaml.Node{mapping()}
		}
		ruleAction := false
		for mi, m := range matches {
			v, t := scalar(m, "path", "value"), "Prefix"
			if scalar(m, "path", "type") == "Exact" {
				t = "Exact"
			}
			if v == "" {
				v = "/"
			}
			conds, rank, ok := albConditions(m, len(seqItems(child(spec, "hostnames"))) > 0)
			if !ok {
				return nil, ""
			}
			name := action
			if conds != "" { // a match on more than host and path: an action (and conditions) of its own
				name = fmt.Sprintf("%s-%d", action, mi+1)
				ann.Content = append(ann.Content, str(annALBActionPrefix+name), str(string(js)), str(annALBConditionsPrefix+name), str(conds))
			} else if !ruleAction {
				ruleAction = true
				ann.Content = append(ann.Content, str(annALBActionPrefix+action), str(string(js)))
			}
			paths = append(paths, albMatchPath{rank: rank, node: mapping("path", v, "pathType", t,
				"backend", mapping("service", mapping("name", name, "port", mapping("name", albUseAnnotation))))})
		}
	}
	// the controller keeps the paths' order among equal paths: the more
	// specific matches first, as Gateway API's precedence has them
	slices.SortStableFunc(paths, func(a, b albMatchPath) int { return slices.Compare(b.rank[:], a.rank[:]) })
	for _, p := range paths {
		httpPaths.Content = append(httpPaths.Content, p.node)
	}
	rules := seq()
	hosts := seqItems(child(spec, "hostnames"))
	if len(hosts) == 0 {
		rules.Content = append(rules.Content, mapping("http", mapping("paths", httpPaths)))
	}
	for _, h := range hosts {
		rules.Content = append(rules.Content, mapping("host", h.Value, "http", mapping("paths", httpPaths)))
	}
	r.ingresses[ns+"/"+ingName] = true
	return mapping("apiVersion", "networking.k8s.io/v1", "kind", "Ingress",
		"metadata", mapping("name", ingName, "namespace", ns, "annotations", ann),
		"spec", mapping("ingressClassName", r.albClassName(*lead), "rules", rules)), ingName
}

// sameCurrentLB reports whether two entries name one load balancer of
// today (what a service's entry says of its own rules and listeners aside).
func sameCurrentLB(a, b planner.CurrentLB) bool {
	return a.Kind == b.Kind && a.Name == b.Name && a.Scheme == b.Scheme && a.Frontend == b.Frontend
}

func sameID(a, b *string) bool { return a != nil && b != nil && *a == *b }

// outOfOrder lists the backends that stay in an ALB Ingress (stays) but
// must leave it for an Ingress of their own so that the ALB evaluates rules
// in the plan's order (its cost counts on it): the controller puts an
// Ingress's rules together, at its group.order, and orders them itself
// (controllerOrder), so the object keeps its first backend in that order
// and those that follow it at the next positions of the plan's order.
func (r *renderer) outOfOrder(ing, spec *yaml.Node, ns string, stays func(string) bool) map[string]bool {
	out := map[string]bool{}
	last := -1
	mates := actionMates(ing, spec, ns)
	var kept []string // the backends so far that stay
	for _, k := range controllerOrder(ing, spec, ns) {
		if !stays(k) {
			continue
		}
		if l, ok := mates[k]; ok && stays(l) { // one rule with l (a forward action): it goes where l goes
			if out[l] {
				out[k] = true
			}
			continue
		}
		// routed with one before it (a canary's conditions and the rule it
		// shadows): the plan orders neither before the other, the Ingress
		// has them in the order routing needs, and they go together
		if j := slices.IndexFunc(kept, func(l string) bool { return slices.Contains(r.decl[k].RoutedWith, l) }); j >= 0 {
			if out[kept[j]] {
				out[k] = true
			}
			continue
		}
		kept = append(kept, k)
		pos, err := strconv.Atoi(r.rows[k].Annotations[annALBGroupOrder])
		switch {
		case err != nil: // not ordered by the plan
		case last < 0 || pos == last+1:
			last = pos
		default:
			out[k] = true
		}
	}
	return out
}

// otherListeners are the Services an ALB Ingress keeps (stays) whose
// planned listeners (listen-ports, ssl-redirect) are not lead's, which sets
// the Ingress's: its rules go on every listener it names, so a plain-HTTP
// Service kept beside an HTTPS one would get an HTTPS rule the plan does
// not have (and one redirected, a redirect it does not). They are split off
// (splitOff). The Services of one forward action go with its first.
func (r *renderer) otherListeners(ing, spec *yaml.Node, ns string, lead *planner.ServicePlan, stays func(string) bool) map[string]bool {
	listeners := func(row planner.ServicePlan) [2]string {
		return [2]string{row.Annotations[annALBListenPorts], row.Annotations[annALBSSLRedirect]}
	}
	out := map[string]bool{}
	if lead.IngressClassName != "alb" {
		return out
	}
	mateOf := actionMates(ing, spec, ns)
	mates := func(k string) bool { _, ok := mateOf[k]; return ok }
	walkBackends(ing, spec, ns, func(k string) {
		if row, planned := r.rows[k]; planned && !mates(k) && stays(k) && listeners(row) != listeners(*lead) {
			out[k] = true
		}
	})
	return out
}

// actionMates maps each Service a forward action of an Ingress sends
// requests to, but its first, to that first: the action is one rule, at the
// place of its first Service in the rule order.
func actionMates(ing, spec *yaml.Node, ns string) map[string]string {
	var mates map[string]string
	note := func(b *yaml.Node) {
		keys := backendServices(ing, b, ns)
		for _, k := range keys[min(1, len(keys)):] {
			if mates == nil {
				mates = map[string]string{}
			}
			mates[k] = keys[0]
		}
	}
	note(child(spec, "defaultBackend"))
	eachPath(spec, func(_, p *yaml.Node) { note(child(p, "backend")) })
	return mates
}

// sortPaths lists each rule's paths in the plan's rule order of their
// Services (group.order), stably; paths to Services without one keep their
// places after them.
func (r *renderer) sortPaths(ing, spec *yaml.Node, ns string) {
	pos := func(p *yaml.Node) int {
		for _, k := range backendServices(ing, child(p, "backend"), ns) {
			if n, err := strconv.Atoi(r.rows[k].Annotations[annALBGroupOrder]); err == nil {
				return n
			}
		}
		return math.MaxInt
	}
	for _, rule := range seqItems(child(spec, "rules")) {
		if paths := path(rule, "http", "paths"); paths != nil {
			slices.SortStableFunc(paths.Content, func(a, b *yaml.Node) int { return cmp.Compare(pos(a), pos(b)) })
		}
	}
}

// leftBehind warns that the annotations of an Ingress a Service leaves for
// a new object, other than those the plan writes there, stay behind.
func (r *renderer) leftBehind(n *yaml.Node, ns, name, key string) {
	row := r.rows[key]
	var left []string
	canary := isNginxCanary(n) // its split is written where the Service goes (canaryRules)
	for _, k := range mapKeys(path(n, "metadata", "annotations")) {
		if _, planned := row.Annotations[k]; !planned && !slices.Contains(unplannedIngressAnnotations, k) && !(canary && isCanaryAnnotation(k)) &&
			!(strings.HasPrefix(k, annALBActionPrefix) && httpsRedirectAction(scalar(n, "metadata", "annotations", k))) { // (read as its redirect: httpRedirect)
			left = append(left, k)
		}
	}
	if len(left) > 0 {
		r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("Service %s leaves Ingress %s/%s for a new object without its annotations %s: add those it needs (authentication, a firewall, health checks) there",
			key, ns, name, strings.Join(left, ", ")))
	}
}

// controllerPrefixes are the annotation prefixes of Ingress controllers, each
// with the classes whose controller reads it (nginx: every ingress-nginx class).
var controllerPrefixes = map[string][]string{
	"nginx.ingress.kubernetes.io/":   {"nginx"},
	"alb.ingress.kubernetes.io/":     {"alb"},
	"traefik.ingress.kubernetes.io/": {"traefik"},
	"appgw.ingress.kubernetes.io/":   {"azure-application-gateway"},
	"haproxy.org/":                   {"haproxy"},
	"konghq.com/":                    {"kong"},
	"networking.gke.io/":             {"gce", "gce-internal"},
	"alb.networking.azure.io/":       {"azure-alb-external"},
}

// ignoredAnnotations warns, for an Ingress render moves from class from to
// class to, of its annotations of another controller than to's (other than
// those the plan decides or render keeps): to ignores them, so what they
// did (timeouts, body sizes, health checks, headers) is for the user to
// give it again.
func (r *renderer) ignoredAnnotations(n *yaml.Node, ns, name, from, to string, lead *planner.ServicePlan) {
	reads := func(prefix string) bool {
		for _, c := range controllerPrefixes[prefix] {
			if c == to || (c == "nginx" && (r.sslRedirect[to] != "" || ingressClasses[to].sslRedirect != "")) || (c == "alb" && r.isALBClass(to)) {
				return true
			}
		}
		return false
	}
	var ignored []string
	for _, k := range mapKeys(path(n, "metadata", "annotations")) {
		if _, planned := lead.Annotations[k]; planned || slices.Contains(unplannedIngressAnnotations, k) || k == annALBCertificate { // (keepTLS)
			continue
		}
		for prefix := range controllerPrefixes {
			if strings.HasPrefix(k, prefix) && !reads(prefix) {
				ignored = append(ignored, k)
			}
		}
	}
	if len(ignored) > 0 {
		r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("Ingress %s/%s moves from class %s to %s, which ignores its annotations %s: give it what they did (timeouts, body sizes, health checks, headers) its own way",
			ns, name, from, to, strings.Join(ignored, ", ")))
	}
}

// unplannedIngressAnnotations are an Ingress's annotations that a Service
// leaving it does not need on its new object: the class, group and scheme
// the plan decides, the listeners and redirects render keeps by what plain
// HTTP got (httpFrontend, httpRedirect), and what tools keep for themselves.
var unplannedIngressAnnotations = []string{annIngressClass, annALBGroup, annALBGroupOrder, annALBScheme,
	annALBListenPorts, annALBSSLRedirect, annNginxSSLRedirect, annGCEAllowHTTP, annAppGWSSLRedirect,
	"alb.ingress.kubernetes.io/target-type", "kubectl.kubernetes.io/last-applied-configuration"}

// mapKeys lists a mapping node's keys, sorted.
func mapKeys(m *yaml.Node) []string {
	var keys []string
	if m != nil && m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			keys = append(keys, m.Content[i].Value)
		}
	}
	sort.Strings(keys)
	return keys
}

// splitOff is a copy of an ALB Ingress that routes one of its Services
// alone, at the Service's place in the plan's rule order (group.order) in
// the same group: its annotations (authentication, certificates, health
// checks), TLS and paths as they were.
func (r *renderer) splitOff(n *yaml.Node, ns, name, key string) *yaml.Node {
	c, row := cloneNode(n), r.rows[key]
	newName := name + "-" + row.Name
	for r.ingresses[ns+"/"+newName] {
		newName += "-lb"
	}
	r.ingresses[ns+"/"+newName] = true
	r.routed[key] = true // routed here: no new Ingress from scratch
	meta := ensureMap(c, "metadata")
	setScalar(meta, "name", newName)
	for _, k := range []string{"uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"} {
		deleteKey(meta, k)
	}
	deleteKey(c, "status")
	spec := child(c, "spec")
	pruneBackends(c, spec, ns, func(k string) bool { return k == key })
	pruneTLS(spec)
	r.setIngressClass(c, spec, &row, ns, newName, []string{key}) // the class, group, order and scheme planned, as on the original
	if len(r.canaries) > 0 {
		r.translateCanaries(c, spec, ns) // a canary of the path it routes: its split goes with it
	}
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: new, Service %s's rules from Ingress %s/%s at group.order %s, so that the ALB evaluates rules in the plan's order, on the listeners planned",
		ns, newName, key, ns, name, row.Annotations[annALBGroupOrder]))
	return c
}

// targetInstances has the plan's ALB Ingresses and NLBs send requests to
// node ports, as all of today's do (Result.instanceTargets): the plan's ip
// targets need pods the VPC reaches (the VPC CNI), which a cluster whose
// load balancers all use instance targets may not have. An ALB's Services
// are then NodePort.
func (r *renderer) targetInstances() {
	for _, k := range slices.Sorted(maps.Keys(r.rows)) {
		row := r.rows[k]
		alb := row.IngressClassName == "alb" && row.Gateway == "" && row.GatewayClassName == "" && row.Exposure == planner.Ingress
		nlb := row.Annotations[annNLBTargetType] == "ip"
		if !alb && !nlb {
			continue
		}
		row.Annotations = maps.Clone(row.Annotations) // the plan's own map stays as it is
		if alb {
			row.Annotations[annALBTargetType], row.ServiceType = "instance", "NodePort"
		} else {
			row.Annotations[annNLBTargetType] = "instance"
		}
		r.rows[k] = row
	}
}

// albClassName is the manifests' IngressClass that makes the ALB a row is
// planned on (albClassFor; rows name alb): one whose IngressClassParams fix
// another scheme or IngressGroup would put it on another ALB (an internal
// service behind an internet-facing one). With none, a warning (once for
// a scheme and group) says which class is wanted.
func (r *renderer) albClassName(row planner.ServicePlan) string {
	scheme, group := row.Annotations[annALBScheme], row.Annotations[annALBGroup]
	class, ok := albClassFor(r.albClasses, scheme, group)
	if w := [2]string{scheme, group}; !ok && !r.classWarned[w] {
		r.classWarned[w] = true
		r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("no ALB IngressClass of the manifests makes %s ALBs%s: their IngressClassParams fix another scheme or group; the Ingresses render writes name class alb: create it (its IngressClassParams, if any, with scheme %s)",
			scheme, map[bool]string{true: " of group " + group, false: ""}[group != ""], scheme))
	}
	return class
}

// newIngress is newIngress with an ALB row's class the manifests' (albClassName)
// and another class's TLS Secret today's (tlsSecretOf).
func (r *renderer) newIngress(ns, name string, row planner.ServicePlan, ds planner.Service) *yaml.Node {
	ing := newIngress(ns, name, row, ds)
	if row.IngressClassName == "alb" {
		setScalar(child(ing, "spec"), "ingressClassName", r.albClassName(row))
	}
	tls := path(ing, "spec", "tls")
	if items := seqItems(tls); len(items) == 1 && scalar(items[0], "secretName") != "" {
		tls.Content = r.tlsEntries(ns, scalar(items[0], "secretName"), ds)
	}
	return ing
}

// tlsEntries are the spec.tls of a new Ingress for service ds: its hosts
// grouped by the Secret that ends TLS for each today (tlsSecretOf, proposed
// for those none does), one entry a Secret, in host order.
func (r *renderer) tlsEntries(ns, proposed string, ds planner.Service) []*yaml.Node {
	what := "the new Ingress of " + ds.Key()
	if len(ds.Hosts) < 2 {
		return []*yaml.Node{tlsEntry(ds.Hosts, r.tlsSecretOf(ns, proposed, ds, what, "an Ingress"))}
	}
	bySecret := map[string][]string{}
	var order []string
	for _, h := range ds.Hosts {
		one := ds
		one.Hosts = []string{h}
		secret := r.tlsSecretOf(ns, proposed, one, what, "an Ingress")
		if bySecret[secret] == nil {
			order = append(order, secret)
		}
		bySecret[secret] = append(bySecret[secret], h)
	}
	var out []*yaml.Node
	for _, secret := range order {
		out = append(out, tlsEntry(bySecret[secret], secret))
	}
	return out
}

// tlsEntry is one entry of an Ingress's spec.tls.
func tlsEntry(hosts []string, secret string) *yaml.Node {
	e := mapping()
	if len(hosts) > 0 {
		list := seq()
		for _, h := range hosts {
			list.Content = append(list.Content, str(h))
		}
		e = mapping("hosts", list)
	}
	e.Content = append(e.Content, str("secretName"), str(secret))
	return e
}

// tlsSecretOf is the Secret a new object in namespace ns (what: an Ingress,
// a Gateway; reader, its kind) ends TLS for service ds's hosts with: the one
// that does so today, by its name (one of another namespace is to be copied:
// an Ingress reads Secrets of its own alone, a Gateway needs a
// ReferenceGrant for others), else proposed; render warns of each Secret the
// user provides, once, and where today's certificate is.
func (r *renderer) tlsSecretOf(ns, proposed string, ds planner.Service, what, reader string) string {
	lb := ""
	if ds.CurrentLoadBalancer != nil {
		lb = ds.CurrentLoadBalancer.Name
	}
	today, ok := secretFor(r.tlsSecrets, ds.Hosts, lb)
	if ok && today.namespace == ns {
		return today.name
	}
	name, where := proposed, "create it with their certificate (no Secret of the manifests ends TLS for them today: a cloud load balancer's certificate, in ACM, Google's or Key Vault, is none)"
	if ok {
		name, where = today.name, fmt.Sprintf("copy it from Secret %s/%s, today's certificate for them, which %s in %s cannot read", today.namespace, today.name, reader, ns)
	}
	if r.secretsNoted == nil {
		r.secretsNoted = map[string]bool{}
	}
	if key := ns + "/" + name; !r.secretsNoted[key] {
		r.secretsNoted[key] = true
		hosts := strings.Join(ds.Hosts, ", ")
		if hosts == "" {
			hosts = "any host"
		}
		r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("Secret %s, which %s ends TLS for %s with, is yours to provide: %s", key, what, hosts, where))
	}
	return name
}

// isALBClass reports whether an IngressClass is an ALB's: alb, or one of the
// manifests' ALB classes.
func (r *renderer) isALBClass(class string) bool {
	_, ok := r.albClasses[class]
	return ok || class == "alb"
}

// albClassFits reports whether an ALB IngressClass makes the ALB a row is
// planned on: its IngressClassParams fix neither another scheme nor another
// group.
func (r *renderer) albClassFits(class string, row planner.ServicePlan) bool {
	p := r.albClasses[class]
	return (p.scheme == "" || p.scheme == row.Annotations[annALBScheme]) && (p.group == "" || p.group == row.Annotations[annALBGroup])
}

// portablePaths rewrites the ImplementationSpecific paths of an Ingress
// moving from class from to class to, whose controllers read them
// otherwise (controller.pathPatterns), as the Exact or Prefix path they were
// read as: from one that matches patterns, /x/* the prefix /x (/* the
// prefix /) and /x the exact /x; from one that reads a prefix, the prefix.
// (An ALB moved /x as an exact path, nginx's /x/* as the literal prefix.)
func (r *renderer) portablePaths(spec *yaml.Node, from, to string) bool {
	fromPatterns := r.readsPatterns(from)
	if fromPatterns == r.readsPatterns(to) {
		return false
	}
	changed := false
	for _, rule := range seqItems(child(spec, "rules")) {
		for _, p := range seqItems(path(rule, "http", "paths")) {
			v := scalar(p, "path")
			if t := scalar(p, "pathType"); (t != "" && t != "ImplementationSpecific") || v == "" {
				continue
			}
			typ := "Prefix"
			if body, prefix := strings.CutSuffix(v, "/*"); !fromPatterns || !prefix {
				if fromPatterns {
					typ = "Exact"
				}
			} else if v = body; v == "" {
				v = "/"
			}
			changed = setScalar(p, "path", v) || changed
			changed = setScalar(p, "pathType", typ) || changed
		}
	}
	return changed
}

// ingressClassOf is an Ingress's class: spec.ingressClassName, else its
// kubernetes.io/ingress.class annotation.
func ingressClassOf(n *yaml.Node) string {
	if c := scalar(n, "spec", "ingressClassName"); c != "" {
		return c
	}
	return scalar(n, "metadata", "annotations", annIngressClass)
}

// readsPatterns reports whether an IngressClass's controller reads an
// ImplementationSpecific path as a pattern (controller.pathPatterns): a
// well-known class's, one of the manifests' whose Ingresses were read so,
// or one of their ALB classes (named as their owners like).
func (r *renderer) readsPatterns(class string) bool {
	return r.patternClasses[class] || ingressClasses[class].pathPatterns || r.isALBClass(class)
}

// pruneTLS drops from an Ingress's spec the TLS entries that name hosts, none
// of which its rules route (a copy splitOff makes routes one Service's), and
// the list when none is left.
func pruneTLS(spec *yaml.Node) {
	tls := child(spec, "tls")
	if tls == nil || tls.Kind != yaml.SequenceNode {
		return
	}
	routed := map[string]bool{}
	for _, rule := range seqItems(child(spec, "rules")) {
		routed[scalar(rule, "host")] = true
	}
	var keep []*yaml.Node
	for _, t := range tls.Content {
		hosts := seqItems(child(t, "hosts"))
		if len(hosts) == 0 || slices.ContainsFunc(hosts, func(h *yaml.Node) bool { return routed[h.Value] }) {
			keep = append(keep, t)
		}
	}
	tls.Content = keep
	if len(keep) == 0 {
		deleteKey(spec, "tls")
	}
}

// nameGroup makes a planned ALB that is one Ingress's own an IngressGroup
// named after it (namespace-name), so that the Ingresses render splits off
// for the rule order stay on it.
func (r *renderer) nameGroup(id string) {
	name := strings.ReplaceAll(id, "/", "-")
	for _, k := range r.lbMembers[id] {
		row := r.rows[k]
		row.Annotations = maps.Clone(row.Annotations) // the plan's own map stays as it is
		if row.Annotations == nil {
			row.Annotations = map[string]string{}
		}
		row.Annotations[annALBGroup] = name
		r.rows[k] = row
	}
}

// controllerOrder lists an Ingress's Services in the order the AWS Load
// Balancer Controller gives their rules (albBackendOrder).
func controllerOrder(ing, spec *yaml.Node, ns string) []string {
	var rules [][]albPath
	for _, rule := range seqItems(child(spec, "rules")) {
		var paths []albPath
		for _, p := range seqItems(path(rule, "http", "paths")) {
			paths = append(paths, albPath{pathType: scalar(p, "pathType"), path: scalar(p, "path"), backends: backendServices(ing, child(p, "backend"), ns)})
		}
		rules = append(rules, paths)
	}
	return albBackendOrder(rules, backendServices(ing, child(spec, "defaultBackend"), ns))
}

// setIngressClass sets the class, group and order annotations the plan decides.
func (r *renderer) setIngressClass(n, spec *yaml.Node, lead *planner.ServicePlan, ns, name string, backends []string) bool {
	meta := ensureMap(n, "metadata")
	changed := false
	cur := scalar(spec, "ingressClassName")
	if cur == "" {
		cur = scalar(meta, "annotations", annIngressClass)
	}
	want := lead.IngressClassName
	if want == "" {
		want = lead.Annotations[annIngressClass]
	}
	alb := lead.IngressClassName == "alb" // planned on an ALB: the class that makes it
	if alb && r.isALBClass(cur) && r.albClassFits(cur, *lead) {
		want = cur // the ALB class it has, which makes the ALB planned: kept
	} else if alb {
		want = r.albClassName(*lead)
	}
	// onto the proxy of the cluster's default IngressClass: an Ingress without a class
	toDefault := derefOr(lead.LoadBalancer) == planner.DefaultClassProxy && lead.Exposure == planner.Ingress
	classChanged := (want != "" && want != cur) || (toDefault && cur != "")
	if classChanged {
		if toDefault {
			changed = deleteKey(spec, "ingressClassName") || changed
			changed = deleteKey(child(meta, "annotations"), annIngressClass) || changed
		} else if lead.IngressClassName != "" {
			changed = setScalar(spec, "ingressClassName", want) || changed
			changed = deleteKey(child(meta, "annotations"), annIngressClass) || changed
		} else {
			deleteKey(spec, "ingressClassName")
			changed = setScalar(ensureMap(meta, "annotations"), annIngressClass, want) || changed
		}
	}
	ann := func() *yaml.Node { return ensureMap(meta, "annotations") }
	if v, ok := lead.Annotations[annGCEAllowHTTP]; ok && !classChanged { // a GKE Ingress kept, without its plain-HTTP frontend
		changed = setScalar(ann(), annGCEAllowHTTP, v) || changed
	} else if !classChanged && r.isOneObject(derefOr(lead.LoadBalancer)) { // or with it, for its planned services
		changed = deleteKey(child(meta, "annotations"), annGCEAllowHTTP) || changed
	}
	if classChanged && !r.isOneObject(derefOr(lead.LoadBalancer)) {
		changed = r.keepPlainHTTP(n, want, backends) || changed
	}
	if classChanged {
		changed = r.portablePaths(spec, cur, want) || changed
		r.ignoredAnnotations(n, ns, name, cur, want, lead)
		changed = r.dormantRedirect(n, ns, name, cur, want, backends) || changed
	}
	if classChanged && r.isALBClass(cur) && !alb {
		changed = r.dropIgnoredTLS(spec, ns, name, want, backends) || changed
		changed = r.coverTLSHosts(spec, ns, name, backends, false) || changed
	}
	if gke := func(c string) bool { return c == "gce" || c == "gce-internal" }; classChanged && gke(cur) && !gke(want) {
		changed = r.coverTLSHosts(spec, ns, name, backends, true) || changed
	}
	if classChanged && !alb {
		changed = r.keepTLS(spec, ns, name, backends) || changed
	}
	if classChanged {
		for _, k := range sortedAnnotationKeys(lead.Annotations) {
			if k != annALBGroupOrder {
				changed = setScalar(ann(), k, lead.Annotations[k]) || changed
			}
		}
	}
	if alb {
		if g := lead.Annotations[annALBGroup]; g != "" {
			changed = setScalar(ann(), annALBGroup, g) || changed
		} else {
			changed = deleteKey(child(meta, "annotations"), annALBGroup) || changed
		}
		order := ""
		for _, k := range backends {
			if o := r.rows[k].Annotations[annALBGroupOrder]; o != "" && sameID(r.rows[k].LoadBalancer, lead.LoadBalancer) {
				if order == "" || atoi(o) < atoi(order) {
					order = o
				}
			}
		}
		if order != "" {
			changed = setScalar(ann(), annALBGroupOrder, order) || changed
		}
		if s := lead.Annotations[annALBScheme]; s != "" && scalar(meta, "annotations", annALBScheme) != s {
			changed = setScalar(ann(), annALBScheme, s) || changed
		}
	}
	return changed
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// backendServices are the Services (namespace/name) an Ingress backend
// (backend or defaultBackend) sends requests to: its Service, or the target
// groups of an ALB forward action (port use-annotation, the Ingress's
// annotation actions.<name>); none for other actions.
func backendServices(ing, backend *yaml.Node, ns string) []string {
	name := scalar(backend, "service", "name")
	if name == "" {
		return nil
	}
	if scalar(backend, "service", "port", "name") != albUseAnnotation {
		return []string{ns + "/" + name}
	}
	var out []string
	for _, t := range albForward(scalar(ing, "metadata", "annotations", annALBActionPrefix+name)) {
		out = append(out, ns+"/"+t.Name)
	}
	return out
}

// eachPath calls f with each rule of an Ingress spec and each of its paths.
func eachPath(spec *yaml.Node, f func(rule, p *yaml.Node)) {
	for _, rule := range seqItems(child(spec, "rules")) {
		for _, p := range seqItems(path(rule, "http", "paths")) {
			f(rule, p)
		}
	}
}

// walkBackends calls f with namespace/name of every Service an Ingress
// (ing, its spec) routes to.
func walkBackends(ing, spec *yaml.Node, ns string, f func(string)) {
	for _, k := range backendServices(ing, child(spec, "defaultBackend"), ns) {
		f(k)
	}
	eachPath(spec, func(_, p *yaml.Node) {
		for _, k := range backendServices(ing, child(p, "backend"), ns) {
			f(k)
		}
	})
}

// lostCatchAll warns that the default backend of Ingress ns/name, the
// Services keys, leaves it for a shared load balancer where render writes
// their hosts and paths alone: the requests no rule matched, which the
// default backend took, find none there (the declaration has no catch-all).
func (r *renderer) lostCatchAll(ns, name string, keys []string) {
	for _, k := range keys {
		if row, ok := r.rows[k]; ok && row.Exposure == planner.Ingress {
			r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("Ingress %s/%s's default backend, Service %s, took every request no rule matched; where it moves render writes its hosts and paths alone: give it a catch-all there (an Ingress's defaultBackend, a route without hostnames) if clients rely on it",
				ns, name, k))
		}
	}
}

// pruneBackends removes the paths (and default backend) of an Ingress (ing,
// its spec) to Services for which stays is false, and returns those
// Services; a forward action's path goes when none of its Services stays
// (with the action's annotations, once nothing else names it).
func pruneBackends(ing, spec *yaml.Node, ns string, stays func(string) bool) []string {
	var removed, actions []string
	goes := func(b *yaml.Node) bool {
		keys := backendServices(ing, b, ns)
		if len(keys) == 0 || slices.ContainsFunc(keys, stays) {
			return false
		}
		removed = append(removed, keys...)
		if scalar(b, "service", "port", "name") == albUseAnnotation {
			actions = append(actions, scalar(b, "service", "name"))
		}
		return true
	}
	if b := child(spec, "defaultBackend"); b != nil && goes(b) {
		deleteKey(spec, "defaultBackend")
	}
	rules := child(spec, "rules")
	for _, rule := range seqItems(rules) {
		paths := path(rule, "http", "paths")
		if paths == nil {
			continue
		}
		kept := paths.Content[:0]
		for _, p := range paths.Content {
			if goes(child(p, "backend")) {
				continue
			}
			kept = append(kept, p)
		}
		paths.Content = kept
	}
	dropActions(ing, spec, actions)
	if rules != nil {
		kept := rules.Content[:0]
		for _, rule := range rules.Content {
			if p := path(rule, "http", "paths"); p != nil && len(p.Content) == 0 {
				continue
			}
			kept = append(kept, rule)
		}
		rules.Content = kept
	}
	sort.Strings(removed)
	return dedupe(removed)
}

// dropActions deletes the annotations (actions.<name>, conditions.<name>)
// of the ALB actions no backend of an Ingress names any more.
func dropActions(ing, spec *yaml.Node, actions []string) {
	named := map[string]bool{}
	if n := scalar(spec, "defaultBackend", "service", "name"); n != "" {
		named[n] = true
	}
	eachPath(spec, func(_, p *yaml.Node) { named[scalar(p, "backend", "service", "name")] = true })
	ann := path(ing, "metadata", "annotations")
	for _, a := range actions {
		if !named[a] && ann != nil {
			deleteKey(ann, annALBActionPrefix+a)
			deleteKey(ann, annALBConditionsPrefix+a)
		}
	}
}

// routesAny reports whether an Ingress still sends requests to a Service
// (not only redirects or fixed responses of ALB actions).
func routesAny(ing, spec *yaml.Node, ns string) bool {
	found := false
	walkBackends(ing, spec, ns, func(string) { found = true })
	return found
}

func emptyIngress(spec *yaml.Node) bool {
	return child(spec, "defaultBackend") == nil && len(seqItems(child(spec, "rules"))) == 0
}

func seqItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func dedupe(xs []string) []string {
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// newObjects writes an Ingress (or, for a Gateway class, a Gateway and an
// HTTPRoute) for each service that gains a shared load balancer with no
// route to it today.
func (r *renderer) newObjects() error {
	docs := append([]*yaml.Node(nil), r.extra...)
	gateways := map[string]bool{}          // planned load balancers whose new Gateway is written
	l4Listeners := map[string]*yaml.Node{} // a layer-4 Gateway's listeners, which its routes add to
	var nss []string
	for ns := range r.fresh {
		nss = append(nss, ns)
	}
	sort.Strings(nss)
	for _, ns := range nss { // a canary onto a route goes with the Service it shadows (canaryRules)
		for _, key := range r.fresh[ns] {
			if row := r.rows[key]; row.Gateway != "" || (row.GatewayClassName != "" && row.GatewayClassName != planner.NLBGatewayClass) {
				for _, c := range r.canariesOf(key) {
					r.routed[ns+"/"+c.service] = true
				}
			}
		}
	}
	for _, ns := range nss {
		keys := r.fresh[ns]
		sort.Strings(keys)
		for _, key := range dedupe(keys) {
			if r.routed[key] {
				continue
			}
			row, ds := r.rows[key], r.decl[key]
			if row.Gateway != "" && !isL7(ds.Protocol) { // onto today's NLB Gateway: its listeners added there (addListeners)
				gns, gname, _ := strings.Cut(row.Gateway, "/")
				routes := l4Routes(ns, gns, gname, ds, seq())
				docs = append(docs, routes...)
				r.out.Changes = append(r.out.Changes, fmt.Sprintf("Service %s: routed through Gateway %s (%d listener(s))", key, row.Gateway, len(routes)))
				continue
			}
			if row.Gateway != "" {
				gns, gname, _ := strings.Cut(row.Gateway, "/")
				route := newHTTPRoute(ns, gname, r.section(row.Gateway, ds), ds)
				r.needRedirect(row.Gateway, r.listenerNames(row.Gateway)[0], ds)
				if gns != ns {
					ref := path(route, "spec", "parentRefs").Content[0]
					ref.Content = append(ref.Content, str("namespace"), str(gns))
				}
				docs = append(append(docs, route), r.canaryRules(route, key)...)
				r.out.Changes = append(r.out.Changes, fmt.Sprintf("HTTPRoute %s/%s: new, to Gateway %s", ns, ds.Name, row.Gateway))
				continue
			}
			if row.GatewayClassName == planner.NLBGatewayClass {
				// one Gateway (one NLB) per planned load balancer, in the first
				// namespace of its services, as an HTTP one
				id := *row.LoadBalancer
				gw, home := gatewayName(id), r.gatewayHome(id)
				if l4Listeners[home+"/"+gw] == nil {
					listeners := seq()
					l4Listeners[home+"/"+gw] = listeners
					docs = append(docs, newL4Gateway(home, gw, row, r.lbScheme[id], listeners)...)
					r.out.Changes = append(r.out.Changes, fmt.Sprintf("Gateway %s/%s: new (%s)", home, gw, row.GatewayClassName))
				}
				routes := l4Routes(ns, home, gw, ds, l4Listeners[home+"/"+gw])
				docs = append(docs, routes...)
				r.out.Changes = append(r.out.Changes, fmt.Sprintf("Service %s: routed through Gateway %s/%s (%d listener(s))", key, home, gw, len(routes)))
				continue
			}
			if row.GatewayClassName != "" {
				// one Gateway per planned load balancer, in the first namespace
				// of its services; routes from other namespaces name its namespace
				id := *row.LoadBalancer
				gw, home := gatewayName(id), r.gatewayHome(id)
				if !gateways[id] {
					gateways[id] = true
					docs = append(docs, r.gatewayDocs(home, gw, row.GatewayClassName, id)...)
					r.out.Changes = append(r.out.Changes, fmt.Sprintf("Gateway %s/%s: new (%s)", home, gw, row.GatewayClassName))
				}
				route := newHTTPRoute(ns, gw, listenerName(ds), ds)
				r.needRedirect(home+"/"+gw, "http", ds)
				if home != ns {
					ref := path(route, "spec", "parentRefs").Content[0]
					ref.Content = append(ref.Content, str("namespace"), str(home))
				}
				docs = append(append(docs, route), r.canaryRules(route, key)...)
				r.out.Changes = append(r.out.Changes, fmt.Sprintf("HTTPRoute %s/%s: new, to Gateway %s/%s", ns, ds.Name, home, gw))
				continue
			}
			if id := *row.LoadBalancer; r.isOneObject(id) {
				r.oneObjectKeys[id] = append(r.oneObjectKeys[id], key)
			}
			if id := *row.LoadBalancer; r.isOneObject(id) && r.oneObject[id] != nil {
				addIngressRules(r.oneObject[id], r.newIngress(ns, "", row, ds))
				r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: routes %s too", ns, scalar(child(r.oneObject[id], "metadata"), "name"), key))
				continue
			}
			name := ds.Name
			for r.ingresses[ns+"/"+name] {
				name += "-lb"
			}
			r.ingresses[ns+"/"+name] = true
			row = r.albCertificate(ns, name, key, row, ds)
			ing := r.newIngress(ns, name, row, ds)
			if id := *row.LoadBalancer; r.isOneObject(id) {
				r.oneObject[id] = ing
			} else {
				r.keepPlainHTTP(ing, row.IngressClassName, []string{key})
			}
			docs = append(docs, ing)
			r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: new, %s", ns, name, describe(row)))
		}
	}
	var ids []string
	for id := range r.wantGateway {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids { // Gateways only re-pointed routes need
		if !gateways[id] {
			gw, home := gatewayName(id), r.gatewayHome(id)
			docs = append(docs, r.gatewayDocs(home, gw, r.wantGateway[id], id)...)
			r.out.Changes = append(r.out.Changes, fmt.Sprintf("Gateway %s/%s: new (%s)", home, gw, r.wantGateway[id]))
		}
	}
	docs = append(docs, r.redirectRoutes()...)
	docs = append(docs, r.frontendConfigs()...)
	if len(docs) == 0 {
		return nil
	}
	var buf bytes.Buffer
	buf.WriteString("# Written by lbplanner render: the shared load balancers the plan adds.\n")
	for i, d := range docs {
		if i > 0 {
			buf.WriteString("---\n")
		}
		enc, err := encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{d}}, false)
		if err != nil {
			return fmt.Errorf("render new objects: %w", err)
		}
		buf.Write(enc)
	}
	r.out.New = buf.Bytes()
	return nil
}

var nonName = regexp.MustCompile(`[^a-z0-9-]+`)

// gatewayName makes a load balancer id a valid object name.
func gatewayName(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		id = id[i+1:]
	}
	return strings.Trim(nonName.ReplaceAllString(strings.ToLower(id), "-"), "-")
}

func isTLS(protocol string) bool {
	return protocol == planner.ProtoHTTPS || protocol == planner.ProtoGRPC
}

// ingressPath is an Ingress path and its type for a declared path.
func ingressPath(p string) (string, string) {
	switch {
	case strings.HasPrefix(p, planner.ExactPrefix):
		return strings.TrimPrefix(p, planner.ExactPrefix), "Exact"
	case p == "" || p == "/*":
		return "/", "Prefix"
	case strings.HasSuffix(p, "/*"):
		return strings.TrimSuffix(p, "/*"), "Prefix"
	case strings.Contains(p, "*"):
		return p, "ImplementationSpecific"
	}
	return p, "Prefix"
}

// albCertificate gives the new ALB Ingress (ns/name) of a TLS service the
// certificates its own load balancer ends TLS with today (the Service's
// aws-load-balancer-ssl-cert) as certificate-arn; without them or a host,
// by which the controller finds one in ACM, render says one must be given.
func (r *renderer) albCertificate(ns, name, key string, row planner.ServicePlan, ds planner.Service) planner.ServicePlan {
	if row.IngressClassName != "alb" || !isTLS(ds.Protocol) {
		return row
	}
	arn := r.certARN[key]
	if arn == "" {
		if len(ds.Hosts) == 0 {
			r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("Ingress %s/%s ends TLS for %s on an ALB, which finds its certificate in ACM by the Ingress's TLS hosts, and it has none: add %s", ns, name, key, annALBCertificate))
		}
		return row
	}
	row.Annotations = maps.Clone(row.Annotations)
	row.Annotations[annALBCertificate] = arn
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("Ingress %s/%s: the certificate of Service %s's own load balancer (%s)", ns, name, key, annAWSLBSSLCert))
	return row
}

func newIngress(ns, name string, row planner.ServicePlan, ds planner.Service) *yaml.Node {
	ann := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, k := range sortedAnnotationKeys(row.Annotations) {
		ann.Content = append(ann.Content, str(k), str(row.Annotations[k]))
	}
	spec := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if row.IngressClassName != "" {
		spec.Content = append(spec.Content, str("ingressClassName"), str(row.IngressClassName))
	}
	if isTLS(ds.Protocol) {
		tls := mapping()
		if len(ds.Hosts) > 0 {
			hosts := seq()
			for _, h := range ds.Hosts {
				hosts.Content = append(hosts.Content, str(h))
			}
			tls = mapping("hosts", hosts)
		}
		if row.IngressClassName != "alb" { // an ALB finds its certificate in ACM by host; others end TLS with a Secret
			tls.Content = append(tls.Content, str("secretName"), str(ds.Name+"-tls"))
		}
		spec.Content = append(spec.Content, str("tls"), seq(tls))
	}
	paths := ds.Paths
	if len(paths) == 0 {
		paths = []string{""}
	}
	httpPaths := seq()
	for _, p := range paths {
		v, t := ingressPath(p)
		httpPaths.Content = append(httpPaths.Content, mapping("path", v, "pathType", t,
			"backend", mapping("service", mapping("name", ds.Name, "port", mapping("number", ds.Port)))))
	}
	rules := seq()
	hosts := ds.Hosts
	if len(hosts) == 0 {
		rules.Content = append(rules.Content, mapping("http", mapping("paths", httpPaths)))
	}
	for _, h := range hosts {
		rules.Content = append(rules.Content, mapping("host", h, "http", mapping("paths", httpPaths)))
	}
	spec.Content = append(spec.Content, str("rules"), rules)
	meta := mapping("name", name, "namespace", ns)
	if len(ann.Content) > 0 {
		meta.Content = append(meta.Content, str("annotations"), ann)
	}
	return mapping("apiVersion", "networking.k8s.io/v1", "kind", "Ingress", "metadata", meta, "spec", spec)
}

// newL4Gateway is an NLB Gateway of the AWS Load Balancer Controller and the
// LoadBalancerConfiguration that gives it its scheme.
func newL4Gateway(ns, name string, row planner.ServicePlan, scheme string, listeners *yaml.Node) []*yaml.Node {
	config := mapping("apiVersion", "gateway.k8s.aws/v1beta1", "kind", "LoadBalancerConfiguration",
		"metadata", mapping("name", name, "namespace", ns), "spec", mapping("scheme", scheme))
	gw := mapping("apiVersion", "gateway.networking.k8s.io/v1", "kind", "Gateway",
		"metadata", mapping("name", name, "namespace", ns),
		"spec", mapping("gatewayClassName", row.GatewayClassName,
			"infrastructure", mapping("parametersRef", mapping("group", "gateway.k8s.aws", "kind", "LoadBalancerConfiguration", "name", name)),
			"listeners", listeners))
	return []*yaml.Node{config, gw}
}

// l4Routes adds a listener per port of a layer-4 service of namespace ns to
// its Gateway (in namespace home) and returns a TCPRoute, UDPRoute or
// TLSRoute per port, each bound to its listener: a listener for a route of
// another namespace takes it (allowedRoutes) and is named with it.
func l4Routes(ns, home, gateway string, ds planner.Service, listeners *yaml.Node) []*yaml.Node {
	ports := ds.Ports
	if len(ports) == 0 {
		ports = []planner.ServicePort{{Port: ds.Port, Protocol: ds.Protocol}}
	}
	var out []*yaml.Node
	for _, p := range ports {
		kind, proto := "TCPRoute", "TCP"
		switch p.Protocol {
		case planner.ProtoUDP:
			kind, proto = "UDPRoute", "UDP"
		case planner.ProtoTLS:
			kind, proto = "TLSRoute", "TLS"
		}
		listener := fmt.Sprintf("%s-%s-%d", ds.Name, strings.ToLower(proto), p.Port)
		ref := mapping("name", gateway, "sectionName", listener)
		if ns != home {
			listener = ns + "-" + listener
			ref = mapping("name", gateway, "namespace", home, "sectionName", listener)
		}
		l := mapping("name", listener, "protocol", proto, "port", p.Port)
		if proto == "TLS" {
			l.Content = append(l.Content, str("tls"), mapping("mode", "Passthrough"))
		}
		if ns != home {
			l.Content = append(l.Content, str("allowedRoutes"), mapping("namespaces", mapping("from", "Selector",
				"selector", mapping("matchLabels", mapping("kubernetes.io/metadata.name", ns)))))
		}
		listeners.Content = append(listeners.Content, l)
		name := ds.Name
		if len(ports) > 1 {
			name = fmt.Sprintf("%s-%s-%d", ds.Name, strings.ToLower(proto), p.Port)
		}
		spec := mapping("parentRefs", seq(ref))
		if kind == "TLSRoute" && len(ds.Hosts) > 0 { // the server names it is routed by
			hosts := seq()
			for _, h := range ds.Hosts {
				hosts.Content = append(hosts.Content, str(h))
			}
			spec.Content = append(spec.Content, str("hostnames"), hosts)
		}
		spec.Content = append(spec.Content, str("rules"), seq(mapping("backendRefs", seq(mapping("name", ds.Name, "port", p.Port)))))
		out = append(out, mapping("apiVersion", "gateway.networking.k8s.io/v1", "kind", kind,
			"metadata", mapping("name", name, "namespace", ns), "spec", spec))
	}
	return out
}

// newGateway is a shared Gateway whose listeners take routes from every
// namespace (the plan shares it across namespaces).
func newGateway(ns, name, class string, http, https bool, annotations *yaml.Node) *yaml.Node {
	all := mapping("namespaces", mapping("from", "All"))
	listeners := seq()
	if http {
		listeners.Content = append(listeners.Content, mapping("name", "http", "protocol", "HTTP", "port", 80, "allowedRoutes", all))
	}
	if https {
		listeners.Content = append(listeners.Content, mapping("name", "https", "protocol", "HTTPS", "port", 443, "allowedRoutes", all,
			"tls", mapping("mode", "Terminate", "certificateRefs", seq(mapping("name", name+"-tls")))))
	}
	meta := mapping("name", name, "namespace", ns)
	if annotations != nil {
		meta.Content = append(meta.Content, str("annotations"), annotations)
	}
	return mapping("apiVersion", "gateway.networking.k8s.io/v1", "kind", "Gateway",
		"metadata", meta, "spec", mapping("gatewayClassName", class, "listeners", listeners))
}

// gatewayDocs are the objects of a new shared Gateway for planned load
// balancer id: an ALB Gateway of the AWS Load Balancer Controller gets the
// LoadBalancerConfiguration that gives its scheme, a Gateway of Application
// Gateway for Containers the annotations of the gateway resource it joins.
func (r *renderer) gatewayDocs(ns, name, class, id string) []*yaml.Node {
	http, https := r.listenersOf(id)
	gw := newGateway(ns, name, class, http, https, agcAnnotations(class, id))
	if https && class != planner.ALBGatewayClass { // (the ALB's certificates are in ACM)
		for _, l := range seqItems(path(gw, "spec", "listeners")) {
			if refs := path(l, "tls", "certificateRefs"); refs != nil {
				refs.Content = r.gatewaySecrets(ns, name, r.lbMembers[id])
			}
		}
	}
	if a, ok := internalAnnotation[r.cloud]; ok && r.lbStrategy[id] == planner.StrategyProxy && r.lbScheme[id] == "internal" {
		// an internal proxy: its Service gets the cloud's internal annotation from the Gateway
		spec := path(gw, "spec")
		spec.Content = append(spec.Content, str("infrastructure"), mapping("annotations", mapping(a[0], a[1])))
	}
	if class != planner.ALBGatewayClass {
		return []*yaml.Node{gw}
	}
	config := mapping("apiVersion", "gateway.k8s.aws/v1beta1", "kind", "LoadBalancerConfiguration",
		"metadata", mapping("name", name, "namespace", ns), "spec", mapping("scheme", r.lbScheme[id]))
	spec := path(gw, "spec")
	spec.Content = append(spec.Content, str("infrastructure"),
		mapping("parametersRef", mapping("group", "gateway.k8s.aws", "kind", "LoadBalancerConfiguration", "name", name)))
	return []*yaml.Node{config, gw}
}

// gatewaySecrets are the certificateRefs of the HTTPS listener render
// writes on Gateway ns/name for services keys: the Secrets that end TLS
// today for their TLS services' hosts (tlsSecretOf: by their names, to be
// copied into ns from another namespace), and name-tls for hosts none does.
func (r *renderer) gatewaySecrets(ns, name string, keys []string) []*yaml.Node {
	var refs []*yaml.Node
	seen := map[string]bool{}
	for _, key := range keys {
		ds := r.decl[key]
		if !isTLS(ds.Protocol) {
			continue
		}
		if secret := r.tlsSecretOf(ns, name+"-tls", ds, "Gateway "+ns+"/"+name, "a Gateway"); !seen[secret] {
			seen[secret] = true
			refs = append(refs, mapping("name", secret))
		}
	}
	if len(refs) == 0 {
		refs = append(refs, mapping("name", name+"-tls"))
	}
	return refs
}

// addListeners gives a Gateway of today the plan keeps the HTTP and HTTPS
// listeners its planned services need and it lacks (the plan prices them:
// a plain HTTP service moved onto a Gateway with an HTTPS listener alone
// would otherwise be served over HTTPS, an HTTPS one over plain HTTP). It
// reports whether it added any.
func (r *renderer) addListeners(n *yaml.Node, key string) bool {
	rows, listeners := r.gatewayRows[key], child(child(n, "spec"), "listeners")
	if len(rows) == 0 || listeners == nil || listeners.Kind != yaml.SequenceNode || !strings.HasPrefix(scalar(n, "apiVersion"), "gateway.networking.k8s.io/") {
		return false
	}
	var need, has [2]bool // HTTP, HTTPS
	need[0], need[1] = r.needListeners(rows)
	for _, l := range r.listeners[key] {
		has[0], has[1] = has[0] || l.protocol == "HTTP", has[1] || l.protocol == "HTTPS"
	}
	ns, name, _ := strings.Cut(key, "/")
	named, added := r.listenerNames(key), false
	for _, k := range rows { // a layer-4 service the plan moves onto it: a listener a port (l4Routes)
		if ds := r.decl[k]; !isL7(ds.Protocol) && (ds.CurrentLoadBalancer == nil || ds.CurrentLoadBalancer.Name != planner.GatewayPrefix+key) {
			before := len(listeners.Content)
			l4Routes(ds.Namespace, ns, name, ds, listeners)
			r.out.Changes = append(r.out.Changes, fmt.Sprintf("Gateway %s: %d listener(s) added for Service %s", key, len(listeners.Content)-before, k))
			added = true
		}
	}
	for j, proto := range []string{"HTTP", "HTTPS"} {
		if !need[j] || has[j] {
			continue
		}
		item := path(newGateway(ns, name, "", j == 0, j == 1, nil), "spec", "listeners").Content[0]
		setScalar(item, "name", named[j])
		listeners.Content = append(listeners.Content, item)
		what := "its planned plain-HTTP services need it"
		if j == 1 {
			if lead := r.rows[rows[0]]; r.cloud != "aws" || (lead.LoadBalancer != nil && r.lbStrategy[*lead.LoadBalancer] == planner.StrategyProxy) { // (an ALB's certificates are in ACM)
				path(item, "tls", "certificateRefs").Content = r.gatewaySecrets(ns, name, rows)
			}
			var certs []string
			for _, ref := range seqItems(path(item, "tls", "certificateRefs")) {
				certs = append(certs, scalar(ref, "name"))
			}
			what = "its planned HTTPS services need it; TLS ends with Secret " + strings.Join(certs, ", ")
		}
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("Gateway %s: %s listener %s added (%s)", key, proto, named[j], what))
		added = true
	}
	return r.admitNamespaces(listeners, key, rows) || added
}

// admitNamespaces has the HTTP and HTTPS listeners of Gateway key take the
// routes render writes (or keeps) for its planned services (rows) from
// namespaces they do not take (allowedRoutes): a listener of its own
// namespace alone gets a selector of those namespaces by name (the label
// every namespace has), one selecting by name gets theirs added; one that
// takes every namespace, or selects by other labels, stays. It reports
// whether it changed any.
func (r *renderer) admitNamespaces(listeners *yaml.Node, key string, rows []string) bool {
	gwNS, _, _ := strings.Cut(key, "/")
	var want []string
	for _, k := range rows {
		if ns, _, _ := strings.Cut(k, "/"); ns != gwNS && !slices.Contains(want, ns) {
			want = append(want, ns)
		}
	}
	if len(want) == 0 {
		return false
	}
	slices.Sort(want)
	changed := false
	for _, l := range listeners.Content {
		if p := scalar(l, "protocol"); p != "HTTP" && p != "HTTPS" {
			continue
		}
		names, ok := admittedNames(l, gwNS)
		if !ok {
			if scalar(l, "allowedRoutes", "namespaces", "from") == "Selector" { // by labels the manifests may not hold
				r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("Gateway %s: listener %s takes routes of the namespaces its selector picks by label: namespaces %s need those labels for the routes render writes there to attach",
					key, scalar(l, "name"), strings.Join(want, ", ")))
			}
			continue // every namespace, or a selector lbplanner cannot read by name
		}
		missing := slices.DeleteFunc(slices.Clone(want), func(ns string) bool { return slices.Contains(names, ns) })
		if len(missing) == 0 {
			continue
		}
		all := slices.Sorted(slices.Values(append(names, missing...)))
		values := seq()
		for _, ns := range all {
			values.Content = append(values.Content, str(ns))
		}
		allowed := ensureMap(l, "allowedRoutes")
		deleteKey(allowed, "namespaces")
		allowed.Content = append(allowed.Content, str("namespaces"), mapping("from", "Selector", "selector",
			mapping("matchExpressions", seq(mapping("key", "kubernetes.io/metadata.name", "operator", "In", "values", values)))))
		r.out.Changes = append(r.out.Changes, fmt.Sprintf("Gateway %s: listener %s takes routes of namespaces %s (its planned services' routes)", key, scalar(l, "name"), strings.Join(all, ", ")))
		changed = true
	}
	return changed
}

// admittedNames lists the namespaces a Gateway listener takes routes of by
// name: its Gateway's own (from Same, the default) or those its selector
// names by the name label alone; ok is false when it takes every namespace
// or selects by other labels.
func admittedNames(l *yaml.Node, gwNS string) (names []string, ok bool) {
	ns := path(l, "allowedRoutes", "namespaces")
	switch scalar(ns, "from") {
	case "", "Same":
		return []string{gwNS}, true
	case "Selector":
		sel := child(ns, "selector")
		if len(mapKeys(child(sel, "matchLabels"))) > 0 {
			return nil, false
		}
		exprs := seqItems(child(sel, "matchExpressions"))
		if len(exprs) != 1 || scalar(exprs[0], "key") != "kubernetes.io/metadata.name" || scalar(exprs[0], "operator") != "In" {
			return nil, false
		}
		for _, v := range seqItems(child(exprs[0], "values")) {
			names = append(names, v.Value)
		}
		return names, true
	}
	return nil, false
}

// pinListener attaches a route that stays on Gateway key through parentRef
// ref to its protocol's listener (section) when the route names none and
// render adds the Gateway a listener of the other protocol: attached to every
// listener, a plain-HTTP service would be served over HTTPS too, an HTTPS one
// over plain HTTP. It reports whether it changed the route.
func (r *renderer) pinListener(ref *yaml.Node, kind, ns, name, key string, ds planner.Service) bool {
	if scalar(ref, "sectionName") != "" || scalar(ref, "port") != "" || !r.addsListener(key) {
		return false
	}
	section := r.section(key, ds)
	if section == "" {
		return false
	}
	setScalar(ref, "sectionName", section)
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("%s %s/%s: attached to listener %s of Gateway %s alone (the Gateway gets a listener of the other protocol)", kind, ns, name, section, key))
	return true
}

// addsListener reports whether addListeners gives Gateway key (one of
// today's) a listener it lacks.
func (r *renderer) addsListener(key string) bool {
	rows := r.gatewayRows[key]
	if _, known := r.listeners[key]; !known || len(rows) == 0 {
		return false
	}
	var need, has [2]bool
	need[0], need[1] = r.needListeners(rows)
	for _, l := range r.listeners[key] {
		has[0], has[1] = has[0] || l.protocol == "HTTP", has[1] || l.protocol == "HTTPS"
	}
	return (need[0] && !has[0]) || (need[1] && !has[1])
}

// section is the listener of Gateway key (one of today's) that a route of
// service ds attaches to: its protocol's (HTTP for plain HTTP, HTTPS for
// HTTPS and gRPC), named as today or as addListeners names the one it adds;
// "" (every listener) for a service served over plain HTTP too, or for a
// Gateway the manifests do not hold.
func (r *renderer) section(key string, ds planner.Service) string {
	if _, known := r.listeners[key]; !known || (plainToo(ds) && !redirects(ds)) {
		return ""
	}
	if ds.Protocol == planner.ProtoHTTP {
		return r.listenerNames(key)[0]
	}
	return r.listenerNames(key)[1]
}

// listenerNames are the names of Gateway key's HTTP and HTTPS listeners:
// today's first of each protocol, or the name addListeners gives the one it
// adds (http, https, or prefixed by lbplanner- while the name is taken).
func (r *renderer) listenerNames(key string) [2]string {
	var out [2]string
	taken := map[string]bool{}
	for _, l := range r.listeners[key] {
		taken[l.name] = true
		switch {
		case l.protocol == "HTTP" && out[0] == "":
			out[0] = l.name
		case l.protocol == "HTTPS" && out[1] == "":
			out[1] = l.name
		}
	}
	for j, name := range []string{"http", "https"} {
		for out[j] == "" && taken[name] {
			name = "lbplanner-" + name
		}
		if out[j] == "" {
			out[j] = name
		}
	}
	return out
}

// listenerName is the listener of a Gateway render writes that a service's
// route attaches to: https for HTTPS and gRPC, http for plain HTTP, and ""
// (every listener) for an HTTPS service served over plain HTTP too today
// (https when that plain HTTP is a redirect: redirectRoutes writes it).
func listenerName(ds planner.Service) string {
	switch {
	case ds.Protocol == planner.ProtoHTTP:
		return "http"
	case plainToo(ds) && !redirects(ds):
		return ""
	}
	return "https"
}

// plainToo reports whether an HTTPS service is served over plain HTTP too
// today (CurrentLB.HTTPFrontend), which the plan keeps.
func plainToo(ds planner.Service) bool {
	plain, _ := ds.PlainHTTP()
	return plain
}

// listenersOf says which listeners a planned load balancer's services need,
// as the plan prices them: HTTP for plain HTTP, HTTPS for HTTPS and gRPC
// (each a forwarding rule on GCP); both when it cannot tell.
func (r *renderer) listenersOf(id string) (http, https bool) {
	if http, https = r.needListeners(r.lbMembers[id]); !http && !https {
		return true, true
	}
	return http, https
}

// needListeners says which listeners services need: HTTP for plain HTTP (and
// for HTTPS served over plain HTTP too), HTTPS for HTTPS and gRPC.
func (r *renderer) needListeners(keys []string) (http, https bool) {
	for _, key := range keys {
		if ds := r.decl[key]; ds.Protocol == planner.ProtoHTTP {
			http = true
		} else if isL7(ds.Protocol) {
			https, http = true, http || plainToo(ds)
		}
	}
	return http, https
}

// agcAnnotations attach a new Gateway of Application Gateway for Containers
// to today's gateway resource the plan keeps (its namespace/name, or its
// Azure resource ID); nil for another class or a gateway of its own.
func agcAnnotations(class, id string) *yaml.Node {
	if class != "azure-alb-external" || !strings.Contains(id, "/") || strings.HasPrefix(id, planner.GatewayPrefix) {
		return nil
	}
	if strings.HasPrefix(id, "/subscriptions/") {
		return mapping(annAGCID, id)
	}
	ns, name, _ := strings.Cut(id, "/")
	return mapping(annAGCNamespace, ns, annAGCName, name)
}

// newHTTPRoute routes a service through a Gateway; section names the listener
// it attaches to ("" for every listener of a Gateway render did not write).
func newHTTPRoute(ns, gateway, section string, ds planner.Service) *yaml.Node {
	ref := mapping("name", gateway)
	if section != "" {
		ref.Content = append(ref.Content, str("sectionName"), str(section))
	}
	spec := mapping("parentRefs", seq(ref))
	if len(ds.Hosts) > 0 {
		hosts := seq()
		for _, h := range ds.Hosts {
			hosts.Content = append(hosts.Content, str(h))
		}
		spec.Content = append(spec.Content, str("hostnames"), hosts)
	}
	rule := mapping()
	grpc := ds.Protocol == planner.ProtoGRPC
	if len(ds.Paths) > 0 {
		matches := seq()
		for _, p := range ds.Paths {
			v, t := ingressPath(p)
			if grpc { // "/pkg.Service/Method" or "/pkg.Service/*"
				svc, method, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
				m := mapping("service", svc)
				if method != "" && method != "*" {
					m.Content = append(m.Content, str("method"), str(method))
				}
				matches.Content = append(matches.Content, mapping("method", m))
				continue
			}
			kind := "PathPrefix"
			if t == "Exact" {
				kind = "Exact"
			}
			matches.Content = append(matches.Content, mapping("path", mapping("type", kind, "value", v)))
		}
		rule.Content = append(rule.Content, str("matches"), matches)
	}
	rule.Content = append(rule.Content, str("backendRefs"), seq(mapping("name", ds.Name, "port", ds.Port)))
	spec.Content = append(spec.Content, str("rules"), seq(rule))
	kind := "HTTPRoute"
	if grpc {
		kind = "GRPCRoute"
	}
	return mapping("apiVersion", "gateway.networking.k8s.io/v1", "kind", kind,
		"metadata", mapping("name", ds.Name, "namespace", ns), "spec", spec)
}

// mergeAttributes sets the planned key=value pairs of an AWS attributes
// annotation in today's list, keeping today's other pairs in their order.
func mergeAttributes(today, planned string) string {
	var keys []string
	vals := map[string]string{}
	add := func(list string) {
		for _, kv := range strings.Split(list, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
			if k == "" {
				continue
			}
			if _, ok := vals[k]; !ok {
				keys = append(keys, k)
			}
			vals[k] = v
		}
	}
	add(today)
	add(planned)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + vals[k]
	}
	return strings.Join(out, ",")
}
