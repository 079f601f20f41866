package manifests

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// The AWS Load Balancer Controller's listener annotations (its Ingress
// annotations page): an Ingress's rules go on each listener listen-ports
// names, by default HTTP:80, or HTTPS:443 when certificate-arn is given
// (certificates it discovers from TLS hosts need listen-ports to name
// HTTPS: its certificate discovery page);
// ssl-redirect makes every HTTP listener of the ALB redirect to HTTPS, with
// no other rules there (Exclusive: it holds for the whole IngressGroup).
const (
	annALBListenPorts  = "alb.ingress.kubernetes.io/listen-ports"
	annALBCertificate  = "alb.ingress.kubernetes.io/certificate-arn"
	annALBSSLRedirect  = "alb.ingress.kubernetes.io/ssl-redirect"
	albListenPortsHint = `want a JSON list such as [{"HTTP": 80}, {"HTTPS": 443}]`
)

// albListeners says whether an ALB Ingress's rules are on a plain-HTTP
// listener, an HTTPS one, or both (listen-ports, or its default), and names
// the listeners on other ports than 80 and 443 ("HTTPS:8443").
func albListeners(ing *networkingv1.Ingress) (http, https bool, odd []string, err error) {
	v, ok := ing.Annotations[annALBListenPorts]
	if !ok {
		https = ing.Annotations[annALBCertificate] != ""
		return !https, https, nil, nil
	}
	var ports []map[string]int
	if err := json.Unmarshal([]byte(v), &ports); err != nil || len(ports) == 0 {
		return false, false, nil, fmt.Errorf("%s", albListenPortsHint)
	}
	for _, p := range ports {
		for _, proto := range slices.Sorted(maps.Keys(p)) {
			switch strings.ToUpper(proto) {
			case "HTTP":
				http = true
			case "HTTPS":
				https = true
			default:
				return false, false, nil, fmt.Errorf("protocol %q: %s", proto, albListenPortsHint)
			}
			if standard := map[string]int{"HTTP": 80, "HTTPS": 443}[strings.ToUpper(proto)]; p[proto] != standard {
				odd = append(odd, fmt.Sprintf("%s:%d", strings.ToUpper(proto), p[proto]))
			}
		}
	}
	return http, https, odd, nil
}

// albPlainHTTP marks, after every Ingress is read, the HTTPS routes of ALBs
// whose IngressGroup has ssl-redirect as served over plain HTTP by a
// redirect (CurrentLB.HTTPFrontend and HTTPRedirect): the HTTP listener of
// such an ALB redirects every request.
func (r *reader) albPlainHTTP() {
	if len(r.albRedirects) == 0 {
		return
	}
	var plainOnly []string // Ingresses of such an ALB with plain-HTTP routes: the redirect takes them too
	for _, s := range r.services {
		for j := range s.routes {
			rt := &s.routes[j]
			if rt.lb != nil && rt.lb.Kind == planner.CurrentALB && rt.protocol == planner.ProtoHTTP && r.albRedirects[lbKey(rt.lb)] &&
				!slices.Contains(plainOnly, rt.via) {
				plainOnly = append(plainOnly, rt.via)
			}
			if rt.lb == nil || rt.lb.Kind != planner.CurrentALB || rt.protocol != planner.ProtoHTTPS || !r.albRedirects[lbKey(rt.lb)] {
				continue
			}
			plain := *rt.lb
			plain.HTTPFrontend, plain.HTTPRedirect = true, true
			rt.lb = &plain
		}
	}
	slices.Sort(plainOnly)
	for _, via := range plainOnly {
		r.warn("%s serves plain HTTP alone, on an ALB whose IngressGroup redirects plain HTTP to HTTPS (ssl-redirect holds for the whole group): its requests are redirected today, to an HTTPS listener without its rules; read as served over plain HTTP, as it asks, it cannot stay in that group", via)
	}
}

// albAccessControls are the Ingress annotations by which an ALB restricts who
// reaches it: the AWS Load Balancer Controller applies them to the whole load
// balancer, merged across its IngressGroup's Ingresses.
var albAccessControls = []string{albInboundCIDRs, "alb.ingress.kubernetes.io/security-groups",
	"alb.ingress.kubernetes.io/wafv2-acl-arn", "alb.ingress.kubernetes.io/waf-acl-id"}

const albInboundCIDRs = "alb.ingress.kubernetes.io/inbound-cidrs"

// openCIDRs reports whether an inbound-cidrs list lets every address in
// (0.0.0.0/0, ::/0: the controller's default), which restricts nothing.
func openCIDRs(list string) bool {
	for _, c := range strings.Split(list, ",") {
		if c = strings.TrimSpace(c); c != "0.0.0.0/0" && c != "::/0" && c != "" {
			return false
		}
	}
	return true
}

// noteALBControls records an ALB Ingress's access controls for its load balancer (key).
func (r *reader) noteALBControls(key string, a map[string]string) {
	for _, k := range albAccessControls {
		v := strings.TrimSpace(a[k])
		if v == "" || (k == albInboundCIDRs && openCIDRs(v)) {
			continue
		}
		if r.albControls[key] == nil {
			r.albControls[key] = map[string][]string{}
		}
		if !slices.Contains(r.albControls[key][k], v) {
			r.albControls[key][k] = append(r.albControls[key][k], v)
		}
	}
}

// albAccessPolicies gives every route on an ALB with access controls the
// load balancer's AccessPolicy: its controls, "name=value; ..." in a fixed order.
func (r *reader) albAccessPolicies() {
	if len(r.albControls) == 0 {
		return
	}
	policy := map[string]string{}
	for key, controls := range r.albControls {
		var parts []string
		for _, k := range albAccessControls {
			if vs := controls[k]; len(vs) > 0 {
				slices.Sort(vs)
				parts = append(parts, strings.TrimPrefix(k, "alb.ingress.kubernetes.io/")+"="+strings.Join(vs, ","))
			}
		}
		policy[key] = strings.Join(parts, "; ")
	}
	for _, s := range r.services {
		for j := range s.routes {
			rt := &s.routes[j]
			if rt.lb == nil || rt.lb.Kind != planner.CurrentALB || policy[lbKey(rt.lb)] == "" {
				continue
			}
			c := *rt.lb
			c.AccessPolicy = policy[lbKey(rt.lb)]
			rt.lb = &c
		}
	}
}
