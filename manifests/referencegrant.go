package manifests

import (
	"encoding/json"
	"strings"

	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// A route's backendRef to a Service of another namespace resolves only
// where a ReferenceGrant of that namespace allows it (Gateway API): from
// the route's kind and namespace, to Services (all, or the one named).

// readReferenceGrant records a ReferenceGrant (v1 or v1beta1) by its namespace.
func (r *reader) readReferenceGrant(o object) {
	if !strings.HasPrefix(o.api, "gateway.networking.k8s.io/") {
		return
	}
	var g gatewayv1.ReferenceGrant
	if err := json.Unmarshal(o.raw, &g); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "ReferenceGrant", Msg: err.Error()})
		return
	}
	ns := r.namespace(g.Namespace)
	r.grants[ns] = append(r.grants[ns], g.Spec)
	r.anyGrant = true
}

// granted reports whether a route of kind in namespace from may send
// requests to Service name of namespace to. With no ReferenceGrant in the
// manifests at all, it is read as granted (they may not hold them) and a
// warning says so once.
func (r *reader) granted(o object, via, kind, from, to, name string) bool {
	if from == to {
		return true
	}
	if !r.anyGrant {
		if !r.grantWarned {
			r.grantWarned = true
			r.warn("%s: %s sends requests to Service %s/%s of another namespace, read as allowed: the manifests hold no ReferenceGrant", o.at(), via, to, name)
		}
		return true
	}
	for _, spec := range r.grants[to] {
		fromOK, toOK := false, false
		for _, f := range spec.From {
			fromOK = fromOK || (string(f.Group) == gatewayv1.GroupName && string(f.Kind) == kind && string(f.Namespace) == from)
		}
		for _, t := range spec.To {
			toOK = toOK || (string(t.Group) == "" && string(t.Kind) == "Service" && (t.Name == nil || string(*t.Name) == name))
		}
		if fromOK && toOK {
			return true
		}
	}
	r.warn("%s: %s sends requests to Service %s/%s, which no ReferenceGrant of namespace %s allows: not routed there", o.at(), via, to, name, to)
	return false
}
