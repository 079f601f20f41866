package planner

import "strings"

// The Kubernetes side of a plan: the Service type, classes and annotations
// that carry each service's exposure out.

func (m *model) serviceRow(g *group, i int, id string) ServicePlan {
	si := &m.svcs[i]
	s := si.s
	row := ServicePlan{Name: s.Name, Namespace: s.Namespace, Exposure: g.kind.exposure(), Path: m.servicePath(g.kind, g.scheme, si),
		AddedLatencyMs: si.latency[g.kind], Annotations: map[string]string{}}
	if id != "" {
		lbID := id
		row.LoadBalancer = &lbID
	}
	a := row.Annotations
	row.ServiceType = "ClusterIP"
	if f := g.kind.spec().render; f != nil {
		f(m, g, si, id, &row)
	}
	if gw, ok := strings.CutPrefix(id, GatewayPrefix); ok {
		row.Gateway = gw // a Gateway API Gateway kept from today: attach routes to it
		row.IngressClassName = ""
		delete(a, "alb.ingress.kubernetes.io/group.name")
		if row.Exposure == LoadBalancer { // a layer-4 Gateway's load balancer (an NLB), kept: its routes, not a Service of its own
			row.Exposure, row.ServiceType, row.GatewayClassName = Ingress, "ClusterIP", ""
			clear(a)
		}
	}
	if s.Has(NeedClientIP) && g.kind.spec().nodeTargets {
		row.ExternalTrafficPolicy = "Local" // keeps the client address
	}
	if key := g.kind.spec().staticAddress; key != "" && len(s.StaticAddresses) > 0 {
		a[key] = strings.Join(s.StaticAddresses, ",")
	}
	return row
}
