package manifests

import (
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// proxyAccess gives the auth need to the routes of an in-cluster proxy
// whose own Service restricts who reaches it (loadBalancerSourceRanges
// other than every address): the services behind it are reached from those
// addresses alone today, so they stay on that very proxy (moved onto a load
// balancer without the ranges, they were opened to everyone).
func (r *reader) proxyAccess(keys []string, proxyRoutes map[string]bool) {
	for _, k := range keys {
		s := r.services[k]
		ranges := s.s.Spec.LoadBalancerSourceRanges
		if s.s.Spec.Type != corev1.ServiceTypeLoadBalancer || len(ranges) == 0 || openCIDRs(strings.Join(ranges, ",")) ||
			!isProxyService(s.s.Labels) || !r.proxyServes(s, proxyRoutes) {
			continue
		}
		behind := r.proxyBehind(s)
		internal := internalByAnnotation(s.s.Annotations)
		for _, key := range keys {
			rts := r.services[key].routes
			for j := range rts {
				if lb := rts[j].lb; lb != nil && lb.Kind == planner.CurrentProxy && (lb.Scheme == "internal") == internal && behind(lb.Name) {
					rts[j].auth = true
				}
			}
		}
	}
}

// proxyBehind says, of a proxy's load balancer name (a route's CurrentLB
// Name), whether in-cluster proxy Service s is its own: the Gateway it was
// made for, else the controller its labels name.
func (r *reader) proxyBehind(s *svc) func(string) bool {
	if gw := proxyGatewayOf(s); gw != "" {
		return func(name string) bool { return name == planner.GatewayPrefix+gw }
	}
	l := s.s.Labels
	var ctls []string
	for _, k := range []string{"app.kubernetes.io/name", "app"} {
		if c, ok := proxyServiceControllers[l[k]]; ok {
			ctls = append(ctls, c)
		}
	}
	return func(name string) bool { return len(ctls) == 0 || slices.Contains(ctls, r.res.proxyOf[name]) }
}
