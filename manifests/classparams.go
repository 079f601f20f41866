package manifests

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// EKS Auto Mode's load balancing: an IngressClass of controller
// eks.amazonaws.com/alb makes ALBs, a LoadBalancer Service of class
// eks.amazonaws.com/nlb an NLB (its default scheme internal, as the AWS Load
// Balancer Controller's), both priced as the controller's.
const (
	eksAutoALBController = "eks.amazonaws.com/alb"
	eksAutoNLBClass      = "eks.amazonaws.com/nlb"
)

// classParamsGroups are the API groups of the IngressClassParams an ALB
// IngressClass may name (spec.parameters): the AWS Load Balancer
// Controller's and EKS Auto Mode's.
var classParamsGroups = map[string]bool{"elbv2.k8s.aws": true, "eks.amazonaws.com": true}

// classParams is what an IngressClassParams sets for every Ingress of the
// classes that name it: the ALB's scheme and IngressGroup, which the
// Ingresses' own annotations do not then change.
type classParams struct {
	scheme string // internet-facing or internal; "" when it does not say
	group  string // spec.group.name
}

// readIngressClassParams records an IngressClassParams by its API group and
// name (it is cluster-scoped).
func (r *reader) readIngressClassParams(o object) {
	group, _, _ := strings.Cut(o.api, "/")
	if !classParamsGroups[group] {
		return
	}
	var p struct {
		Metadata struct{ Name string } `json:"metadata"`
		Spec     struct {
			Scheme string `json:"scheme"`
			Group  struct {
				Name string `json:"name"`
			} `json:"group"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(o.raw, &p); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "IngressClassParams", Msg: err.Error()})
		return
	}
	if p.Spec.Scheme != "" && p.Spec.Scheme != "internet-facing" && p.Spec.Scheme != "internal" {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "IngressClassParams " + p.Metadata.Name, Field: "spec.scheme",
			Msg: "want internet-facing or internal, got " + p.Spec.Scheme})
		return
	}
	r.params[group+"/"+p.Metadata.Name] = classParams{scheme: p.Spec.Scheme, group: p.Spec.Group.Name}
}

// noteClassParams records an ALB IngressClass (Result.albClasses) and the
// IngressClassParams it names.
func (r *reader) noteClassParams(ic *networkingv1.IngressClass, c controller) {
	if c.kind != planner.CurrentALB {
		return
	}
	var p classParams
	if ref := ic.Spec.Parameters; ref != nil && ref.Kind == "IngressClassParams" && ref.APIGroup != nil && classParamsGroups[*ref.APIGroup] {
		p = r.params[*ref.APIGroup+"/"+ref.Name]
	}
	r.classParams[ic.Name] = p
	r.res.albClasses[ic.Name] = p
}

// albClassFor is the IngressClass render gives an ALB Ingress of the given
// scheme (internet-facing or internal) and IngressGroup: alb (the AWS Load
// Balancer Controller's chart's) unless the manifests' ALB classes say
// otherwise; then the first by name whose IngressClassParams fix neither
// another scheme nor another group (the controller would put the Ingress
// there), "alb" before the others. ok is false when none fits.
func albClassFor(classes map[string]classParams, scheme, group string) (class string, ok bool) {
	if len(classes) == 0 {
		return "alb", true
	}
	names := slices.Sorted(maps.Keys(classes))
	if _, has := classes["alb"]; has {
		names = append([]string{"alb"}, slices.DeleteFunc(names, func(n string) bool { return n == "alb" })...)
	}
	for _, n := range names {
		p := classes[n]
		if (p.scheme == "" || p.scheme == scheme) && (p.group == "" || p.group == group) {
			return n, true
		}
	}
	return "alb", false
}

// applyClassParams sets the scheme and IngressGroup an ALB Ingress of class
// gets from its IngressClassParams.
func (r *reader) applyClassParams(lb *planner.CurrentLB, class string) {
	p, ok := r.classParams[class]
	if !ok || lb.Kind != planner.CurrentALB {
		return
	}
	switch p.scheme {
	case "internal":
		lb.Scheme = "internal"
	case "internet-facing":
		lb.Scheme = planner.AudienceInternet
	}
	if p.group != "" {
		lb.Name = p.group
	}
}
