package manifests

import (
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// The AWS Load Balancer Controller's target-type annotations: instance (its
// default: node ports) or ip (pods, which needs the VPC CNI).
const (
	annALBTargetType = "alb.ingress.kubernetes.io/target-type"
	annNLBTargetType = "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"
)

// albIPTargets reports whether an ALB Ingress sends requests to pods: its
// target-type says ip, or says nothing and it routes a Service that is
// neither NodePort nor LoadBalancer (instance targets need node ports: EKS
// Auto Mode's default, or the controller's ip).
func (r *reader) albIPTargets(ing *networkingv1.Ingress) bool {
	switch ing.Annotations[annALBTargetType] {
	case "ip":
		return true
	case "instance":
		return false
	}
	ip := false
	eachIngressBackend(ing, func(name string) {
		if s := r.services[ing.Namespace+"/"+name]; s != nil && s.s.Spec.Type != corev1.ServiceTypeNodePort && s.s.Spec.Type != corev1.ServiceTypeLoadBalancer {
			ip = true
		}
	})
	return ip
}

// eachIngressBackend calls f with the name of each Service an Ingress's
// rules and default backend send requests to (an ALB forward action's
// Services for its name).
func eachIngressBackend(ing *networkingv1.Ingress, f func(string)) {
	backend := func(b *networkingv1.IngressBackend) {
		if b == nil || b.Service == nil {
			return
		}
		if b.Service.Port.Name != albUseAnnotation {
			f(b.Service.Name)
			return
		}
		for _, t := range albForward(ing.Annotations[annALBActionPrefix+b.Service.Name]) {
			f(t.Name)
		}
	}
	backend(ing.Spec.DefaultBackend)
	for _, rule := range ing.Spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			backend(&p.Backend)
		}
	}
}

// countTargets counts one of today's controller load balancers by target type.
func (r *reader) countTargets(ip bool) {
	if ip {
		r.targets[1]++
	} else {
		r.targets[0]++
	}
}
