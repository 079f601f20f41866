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
	for _, s := range r.services {
		for j := range s.routes {
			rt := &s.routes[j]
			if rt.lb == nil || rt.lb.Kind != planner.CurrentALB || rt.protocol != planner.ProtoHTTPS || !r.albRedirects[lbKey(rt.lb)] {
				continue
			}
			plain := *rt.lb
			plain.HTTPFrontend, plain.HTTPRedirect = true, true
			rt.lb = &plain
		}
	}
}
