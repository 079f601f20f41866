package planner

import (
	"fmt"
	"slices"
	"strings"
)

// Limits on a declaration's shape.
const (
	MaxZones        = 6
	MaxHosts        = 100
	MaxPaths        = 100
	MaxProxyReplica = 1000
)

// Validate checks a declaration and fills in the documented defaults. It
// returns Errors listing every problem, each naming the service and field.
func Validate(d *Declaration) error {
	var es Errors
	top := func(field, format string, args ...any) {
		es = append(es, &FieldError{Index: -1, Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	switch {
	case d.Cloud == "":
		top("cloud", "required (aws, gcp, azure or baremetal)")
	case CloudStrategies[d.Cloud] == nil:
		top("cloud", "unknown cloud %q (want aws, gcp, azure or baremetal)", d.Cloud)
	}
	validateBareMetal(d, top)
	if d.Region == "" {
		top("region", "required, e.g. us-east-1")
	}
	if d.Zones == 0 {
		d.Zones = DefaultZones
	} else if d.Zones < 1 || d.Zones > MaxZones {
		top("zones", "want 1 to %d, got %d", MaxZones, d.Zones)
	}
	if d.HoursPerMonth == nil {
		h := Q(DefaultHoursPerMonth)
		d.HoursPerMonth = &h
	} else if *d.HoursPerMonth <= 0 || *d.HoursPerMonth > Q(744) {
		top("hoursPerMonth", "want more than 0 and at most 744, got %s", *d.HoursPerMonth)
	}
	if d.Strategies == nil {
		d.Strategies, d.strategiesDefaulted = DefaultStrategies(d.Cloud), true
	} else {
		seen := map[string]bool{}
		for i, s := range d.Strategies {
			field := fmt.Sprintf("strategies[%d]", i)
			if s == StrategyNginxAlias {
				s = StrategyProxy
			}
			if known := CloudStrategies[d.Cloud]; known != nil && !slices.Contains(known, s) {
				top(field, "unknown strategy %q for %s (want one of %s)", s, d.Cloud, strings.Join(known, ", "))
			}
			if seen[s] {
				top(field, "strategy %q listed twice", s)
			}
			seen[s] = true
		}
	}
	if d.AWSLoadBalancerController == nil {
		t := true
		d.AWSLoadBalancerController = &t
	}
	if d.Latency == nil {
		d.Latency = &LatencyAssumptions{}
	}
	defaultQ(&d.Latency.LoadBalancerMs, DefaultLoadBalancerMs)
	defaultQ(&d.Latency.ProxyMs, DefaultProxyMs)
	defaultQ(&d.Latency.NodeHopMs, DefaultNodeHopMs)
	validateMesh(d, top)
	if d.Proxy == nil {
		d.Proxy = &ProxySizing{}
	}
	if d.Proxy.Implementation != "" && proxyImplNamed(d.Proxy.Implementation) == nil {
		top("proxy.implementation", "unknown implementation %q (want one of %s)", d.Proxy.Implementation, oneOf(ProxyImplementations()))
	}
	if !d.proxyNormalised {
		d.warnings, d.proxyNormalised = normaliseProxy(d), true
	}
	if d.Proxy.Replicas == nil {
		r := DefaultProxyReplicas
		d.Proxy.Replicas = &r
	} else if *d.Proxy.Replicas < 1 || *d.Proxy.Replicas > MaxProxyReplica {
		top("proxy.replicas", "want 1 to %d, got %d", MaxProxyReplica, *d.Proxy.Replicas)
	}
	validateTodaysProxies(d, top)
	if d.ExistingForwardingRules == nil {
		d.ExistingForwardingRules = &ForwardingRules{}
	}
	if d.ExistingForwardingRules.Global < 0 || d.ExistingForwardingRules.Global > 100000 {
		top("existingForwardingRules.global", "want 0 to 100000, got %d", d.ExistingForwardingRules.Global)
	}
	if d.ExistingForwardingRules.Regional < 0 || d.ExistingForwardingRules.Regional > 100000 {
		top("existingForwardingRules.regional", "want 0 to 100000, got %d", d.ExistingForwardingRules.Regional)
	}
	if d.ContainerNative == nil {
		t := true
		d.ContainerNative = &t
	}
	if d.CrossZone == nil {
		d.CrossZone = &CrossZone{}
	}
	defaultBool(&d.CrossZone.NLB, false)
	defaultBool(&d.CrossZone.Proxy, true)
	if d.ExistingLoadBalancerRules == nil {
		d.ExistingLoadBalancerRules = &LoadBalancerRules{}
	}
	defaultInt(&d.ExistingLoadBalancerRules.Public, 1)
	defaultInt(&d.ExistingLoadBalancerRules.Internal, 0)
	if v := *d.ExistingLoadBalancerRules.Public; v < 0 || v > 100000 {
		top("existingLoadBalancerRules.public", "want 0 to 100000, got %d", v)
	}
	if v := *d.ExistingLoadBalancerRules.Internal; v < 0 || v > 100000 {
		top("existingLoadBalancerRules.internal", "want 0 to 100000, got %d", v)
	}
	if d.AppGateway == nil {
		d.AppGateway = &AppGatewaySizing{}
	}
	defaultInt(&d.AppGateway.MinInstances, 0)
	if v := *d.AppGateway.MinInstances; v < 0 || v > 125 {
		top("appGateway.minInstances", "want 0 to 125, got %d", v)
	}
	if len(d.Services) == 0 {
		top("services", "at least one service is required")
	}
	if len(d.Services) > MaxServices {
		top("services", "at most %d services, got %d", MaxServices, len(d.Services))
		return es
	}
	seen := make(map[string]int, len(d.Services))
	for i := range d.Services {
		s := &d.Services[i]
		if s.Namespace == "" {
			s.Namespace = "default"
		}
		key := s.Key()
		if s.Name == "" {
			key = ""
		}
		bad := func(field, format string, args ...any) {
			es = append(es, &FieldError{Index: i, Service: key, Field: field, Msg: fmt.Sprintf(format, args...)})
		}
		validateService(s, d.Cloud, bad)
		if s.Name != "" {
			if j, dup := seen[key]; dup {
				bad("name", "%s is declared twice (also services[%d])", key, j)
			} else {
				seen[key] = i
			}
		}
	}
	for i := range d.Services {
		if s := &d.Services[i]; len(s.StaticAddresses) > 0 && !s.Has(NeedStaticIP) {
			es = append(es, &FieldError{Index: i, Service: s.Key(), Field: "staticAddresses", Msg: "reserved addresses come with the staticIP need: add it to needs"})
		}
	}
	validateCalls(d, seen, func(i int, field, msg string) {
		es = append(es, &FieldError{Index: i, Service: d.Services[i].Key(), Field: field, Msg: msg})
	})
	for i := range d.Services {
		for j, k := range d.Services[i].RoutedWith {
			if _, ok := seen[k]; !ok && strings.Contains(k, "/") {
				es = append(es, &FieldError{Index: i, Service: d.Services[i].Key(), Field: fmt.Sprintf("routedWith[%d]", j), Msg: fmt.Sprintf("service %s is not declared", k)})
			}
		}
	}
	return es.orNil()
}

func defaultBool(p **bool, v bool) {
	if *p == nil {
		*p = &v
	}
}

func defaultInt(p **int, v int) {
	if *p == nil {
		*p = &v
	}
}

// DefaultStrategies are a cloud's strategies but the opt-in ones.
func DefaultStrategies(cloud string) []string {
	return slices.DeleteFunc(slices.Clone(CloudStrategies[cloud]), func(s string) bool { return slices.Contains(OptInStrategies[cloud], s) })
}

func defaultQ(p **Quantity, v Quantity) {
	if *p == nil {
		*p = &v
	}
}

func oneOf(list []string) string { return strings.Join(list, ", ") }

// dnsLabel reports whether s is a DNS label: lower-case letters, digits and
// '-', neither starting nor ending with '-', and starting with a letter
// unless digitFirst (RFC 1123 rather than RFC 1035). Length is the caller's.
func dnsLabel(s string, digitFirst bool) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9':
			if i == 0 && !digitFirst {
				return false
			}
		case c == '-':
			if i == 0 || i == len(s)-1 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// hostName reports whether h is a host name: RFC 1123 labels joined by dots,
// optionally after a leading "*." wildcard.
func hostName(h string) bool {
	h = strings.TrimPrefix(h, "*.")
	for {
		label, rest, more := strings.Cut(h, ".")
		if !dnsLabel(label, true) {
			return false
		}
		if !more {
			return true
		}
		h = rest
	}
}

func validateService(s *Service, cloud string, bad func(field, format string, args ...any)) {
	switch {
	case s.Name == "":
		bad("name", "required")
	case len(s.Name) > 63 || !dnsLabel(s.Name, false):
		bad("name", "%q is not a valid Service name (lower-case letters, digits and '-', starting with a letter, at most 63)", s.Name)
	}
	if len(s.Namespace) > 63 || !dnsLabel(s.Namespace, true) {
		bad("namespace", "%q is not a valid namespace name", s.Namespace)
	}
	if !slices.Contains(knownProtocols, s.Protocol) {
		if s.Protocol == "" {
			bad("protocol", "required (one of %s)", oneOf(knownProtocols))
		} else {
			bad("protocol", "unknown protocol %q (want one of %s)", s.Protocol, oneOf(knownProtocols))
		}
	}
	if s.Port < 1 || s.Port > 65535 {
		bad("port", "want 1 to 65535, got %d", s.Port)
	}
	if !slices.Contains(knownAudiences, s.Audience) {
		if s.Audience == "" {
			bad("audience", "required (one of %s)", oneOf(knownAudiences))
		} else {
			bad("audience", "unknown audience %q (want one of %s)", s.Audience, oneOf(knownAudiences))
		}
	}
	l7 := isL7(s.Protocol)
	if len(s.Hosts) > MaxHosts {
		bad("hosts", "at most %d hosts, got %d", MaxHosts, len(s.Hosts))
	}
	for j, h := range s.Hosts {
		if len(h) > 253 || !hostName(h) {
			bad(fmt.Sprintf("hosts[%d]", j), "%q is not a valid host name", h)
		}
		if slices.Contains(s.Hosts[:j], h) {
			bad(fmt.Sprintf("hosts[%d]", j), "host %q listed twice", h)
		}
	}
	if len(s.Paths) > 0 && !l7 && slices.Contains(knownProtocols, s.Protocol) {
		bad("paths", "paths route HTTP requests; protocol %s has none", s.Protocol)
	}
	if len(s.Paths) > MaxPaths {
		bad("paths", "at most %d paths, got %d", MaxPaths, len(s.Paths))
	}
	seenPath := map[string]bool{}
	for j, p := range s.Paths {
		f := fmt.Sprintf("paths[%d]", j)
		if !strings.HasPrefix(strings.TrimPrefix(p, ExactPrefix), "/") || strings.ContainsAny(p, " \t\n") {
			bad(f, "%q is not a path: it must start with / (or =/ for an exact match) and have no spaces", p)
		}
		if seenPath[p] {
			bad(f, "path %q listed twice", p)
		}
		seenPath[p] = true
	}
	if s.Certificate != "" && (s.Protocol == ProtoHTTP || s.Protocol == ProtoTCP || s.Protocol == ProtoUDP) {
		bad("certificate", "protocol %s terminates no TLS, so it takes no certificate", s.Protocol)
	}
	seenNeed := map[string]bool{}
	for j, n := range s.Needs {
		f := fmt.Sprintf("needs[%d]", j)
		if !slices.Contains(knownNeeds, n) {
			bad(f, "unknown need %q (want one of %s)", n, oneOf(knownNeeds))
		}
		if seenNeed[n] {
			bad(f, "need %q listed twice", n)
		}
		seenNeed[n] = true
	}
	for _, n := range todaysKindNeeds {
		if seenNeed[n.need] && s.CurrentLoadBalancer == nil {
			bad("needs", "%s needs currentLoadBalancer: the load balancer of today whose kind it stays on", n.need)
		}
	}
	if seenNeed[NeedTLSPassthrough] && s.Protocol != ProtoHTTPS && s.Protocol != ProtoTLS && s.Protocol != "" {
		bad("needs", "tlsPassthrough needs protocol HTTPS or TLS, got %s", s.Protocol)
	}
	for _, f := range []struct {
		name string
		v    Exposure
	}{{"current", s.Current}, {"pin", s.Pin}} {
		if f.v != "" && !slices.Contains(knownExposures, string(f.v)) {
			bad(f.name, "unknown exposure %q (want one of %s)", f.v, oneOf(knownExposures))
		}
	}
	if s.Current == Ingress && s.CurrentLoadBalancer == nil && s.Protocol != "" && !isL7(s.Protocol) {
		bad("current", "a %s service is not routed by an Ingress: name the proxy or Gateway that routes it today (currentLoadBalancer), or its exposure (LoadBalancer, NodePort, ClusterIP)", s.Protocol)
	}
	seenPort := map[ServicePort]bool{}
	for j, p := range s.Ports {
		f := fmt.Sprintf("ports[%d]", j)
		if p.Port < 1 || p.Port > 65535 {
			bad(f+".port", "want 1 to 65535, got %d", p.Port)
		}
		if !slices.Contains(knownProtocols, p.Protocol) {
			bad(f+".protocol", "unknown protocol %q (want one of %s)", p.Protocol, oneOf(knownProtocols))
		}
		if seenPort[p] {
			bad(f, "port %d/%s listed twice", p.Port, p.Protocol)
		}
		seenPort[p] = true
	}
	if c := s.CurrentLoadBalancer; c != nil {
		validateCurrentLB(s, c, cloud, "currentLoadBalancer", bad)
	}
	for j := range s.AlsoOn {
		validateCurrentLB(s, &s.AlsoOn[j], cloud, fmt.Sprintf("alsoOn[%d]", j), bad)
	}
	for j, k := range s.RoutedWith {
		if k == s.Key() || !strings.Contains(k, "/") {
			bad(fmt.Sprintf("routedWith[%d]", j), "want another service as namespace/name, got %q", k)
		}
	}
	if s.Headless && (s.Pin == LoadBalancer || s.Pin == NodePort) {
		bad("pin", "a headless Service cannot be of type %s", s.Pin)
	}
	for j, p := range s.ClusterPorts {
		if p < 1 || p > 65535 {
			bad(fmt.Sprintf("clusterPorts[%d]", j), "port must be 1 to 65535, got %d", p)
		}
	}
	if len(s.ClusterPorts) > 0 && (s.Pin == LoadBalancer || s.Pin == NodePort) {
		bad("pin", "a %s Service would expose its clusterPorts %v too, which only the cluster reaches today", s.Pin, s.ClusterPorts)
	}
	if s.Pin != "" && slices.Contains(knownAudiences, s.Audience) {
		switch {
		case s.Audience == AudienceCluster && s.Pin != ClusterIP:
			bad("pin", "%s contradicts audience cluster, which is served by ClusterIP", s.Pin)
		case s.Audience != AudienceCluster && s.Pin == ClusterIP:
			bad("pin", "ClusterIP cannot serve audience %s", s.Audience)
		case seenNeed[NeedDedicated] && (s.Pin == NodePort):
			bad("pin", "NodePort contradicts need dedicated, which asks for a load balancer of its own")
		}
	}
}

// maxRulePosition bounds CurrentLB.RulePosition: far past the rules of any
// ALB (100 a listener, 50 listeners).
const maxRulePosition = 1_000_000

// validateCurrentLB checks the load balancer a service names as today's.
func validateCurrentLB(s *Service, c *CurrentLB, cloud, field string, bad func(field, format string, args ...any)) {
	// another cloud's kind is ignored, like other clouds' settings, so that
	// one declaration can be compared across clouds
	if known := CurrentLBKinds[cloud]; known != nil && !slices.Contains(known, c.Kind) && !anyCloudKnows(c.Kind) {
		bad(field+".kind", "unknown kind %q for %s (want one of %s)", c.Kind, cloud, oneOf(known))
	}
	if c.Scheme != "" && c.Scheme != AudienceInternet && c.Scheme != "internal" {
		bad(field+".scheme", "want internet or internal, got %q", c.Scheme)
	}
	if len(c.Name) > 253 || strings.ContainsAny(c.Name, " \t\n") {
		bad(field+".name", "%q is not a load balancer name", c.Name)
	}
	switch {
	case c.HTTPFrontend && c.Kind == CurrentAppGW && !c.HTTPRedirect:
		bad(field+".httpFrontend", "an Application Gateway (kind %s) answers plain HTTP beside HTTPS only by a redirect (AGIC's ssl-redirect): set httpRedirect too", CurrentAppGW)
	case c.HTTPFrontend && c.Kind != CurrentGCE && c.Kind != CurrentGateway && c.Kind != CurrentProxy && c.Kind != CurrentALB && c.Kind != CurrentAppGW && c.Kind != CurrentAGC:
		bad(field+".httpFrontend", "only a GKE Ingress, a GKE Gateway, an ALB, an Application Gateway, an Application Gateway for Containers or an in-cluster proxy (kind %s, %s, %s, %s, %s or %s) serves plain HTTP beside HTTPS", CurrentGCE, CurrentGateway, CurrentALB, CurrentAppGW, CurrentAGC, CurrentProxy)
	}
	if c.HTTPRedirect && !c.HTTPFrontend {
		bad(field+".httpRedirect", "a redirect to HTTPS is a plain-HTTP frontend's: set httpFrontend too")
	}
	switch {
	case c.RulePosition < 0 || c.RulePosition > maxRulePosition:
		bad(field+".rulePosition", "want 1 to %d (or none), got %d", maxRulePosition, c.RulePosition)
	case c.RulePosition > 0 && c.Kind != CurrentALB:
		bad(field+".rulePosition", "only an ALB (kind %s) orders rules by position", CurrentALB)
	}
	switch {
	case c.Frontend != "" && c.Kind != CurrentAGC:
		bad(field+".frontend", "only an Application Gateway for Containers (kind %s) has frontends", CurrentAGC)
	case len(c.Frontend) > 253 || strings.ContainsAny(c.Frontend, " \t\n"):
		bad(field+".frontend", "%q is not a frontend name", c.Frontend)
	}
	if field == "currentLoadBalancer" && (s.Current == ClusterIP || s.Current == NodePort) {
		bad(field, "current exposure %s has no load balancer", s.Current)
	}
}

func anyCloudKnows(kind string) bool {
	for _, kinds := range CurrentLBKinds {
		if slices.Contains(kinds, kind) {
			return true
		}
	}
	return false
}

func isL7(protocol string) bool {
	return protocol == ProtoHTTP || protocol == ProtoHTTPS || protocol == ProtoGRPC
}
