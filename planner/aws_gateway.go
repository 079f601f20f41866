package planner

import (
	"strconv"
	"strings"
)

// Layer-4 consolidation on AWS (strategy gateway, opt-in): with the AWS Load
// Balancer Controller v3 and Gateway API, TCP, UDP and TLS services share an
// NLB through a Gateway of an NLB class, one listener per port (at most
// NLBMaxListeners; two services cannot listen on one port, and TCP and UDP
// on one port of a service are one TCP_UDP listener), each reached through a
// TCPRoute, UDPRoute or TLSRoute. It is billed as an NLB: its hours, its
// NLCUs (measured per protocol, summed) and its public addresses.

// l4Route prefixes a layer-4 service's port in its routes: two services with
// one port cannot share an NLB.
const l4Route = "L4|"

// sniRoute follows a TLS service's port in its routes, before each of its
// hosts: a load balancer that routes TLS by server name (routesSNI) takes
// two such services of different hosts on one port.
const sniRoute = "|sni:"

// ALBGatewayClass is the GatewayClass of the plan's layer-7 Gateways (its
// controllerName is gateway.k8s.aws/alb); lbplanner reads it back as an ALB.
const ALBGatewayClass = "aws-alb"

// NLBGatewayClass is the GatewayClass the plan's layer-4 Gateways use (its
// controllerName is gateway.k8s.aws/nlb); lbplanner reads it back as an NLB.
const NLBGatewayClass = "aws-nlb"

func init() {
	// HTTP, HTTPS and gRPC routes share an ALB per Gateway, as an IngressGroup
	// does, billed alike; the controller orders its rules by Gateway API
	// precedence, so no order needs keeping (and none is written), and its
	// rule evaluations are priced in that order
	registerKind(kALBGW, kindSpec{label: "ALB Gateway", strategy: StrategyGateway, family: familyL7, exposure: Ingress, lbs: 1, weighted: yes, writesCanary: yes, precedence: true, foldsCase: true,
		current: CurrentALB, currentNamed: func(name string) bool { return strings.HasPrefix(name, GatewayPrefix) },
		limits: kindLimits{rules: ALBMaxRules, targets: ALBMaxTargetGroups, certs: ALBMaxCertificates, listeners: ALBMaxListeners},
		id:     fixedID("alb"), path: fixedPath("client -> ALB -> pod"), latency: lbOnly,
		infeasible: func(m *model, si *svcInfo) string {
			if why := albGatewayConflict(si); why != "" {
				return why
			}
			if why := albInfeasible(m, si); why != "" {
				return strings.Replace(why, "an ALB Ingress", "an ALB Gateway", 1)
			}
			return ""
		},
		cost: (*model).albCost,
		render: func(_ *model, _ *group, _ *svcInfo, _ string, row *ServicePlan) {
			row.GatewayClassName = ALBGatewayClass // an HTTPRoute or GRPCRoute on the Gateway
		},
	})
	registerKind(kNLBGW, kindSpec{label: "NLB Gateway", strategy: StrategyGateway, family: familyL4, exposure: Ingress, lbs: 1, weighted: yes,
		current: CurrentNLB, currentNamed: func(name string) bool { return strings.HasPrefix(name, GatewayPrefix) },
		limits: kindLimits{rules: NLBMaxListeners}, ruleWord: "listeners",
		id: fixedID("nlb"), path: fixedPath("client -> NLB -> pod"), latency: lbOnly,
		infeasible: func(m *model, si *svcInfo) string {
			switch {
			case !m.controller:
				return "an NLB Gateway needs the AWS Load Balancer Controller"
			case isL7(si.s.Protocol):
				return "an NLB Gateway carries TCP, UDP and TLS routes; HTTP goes through an ALB"
			case si.s.CurrentLoadBalancer != nil && serviceLevelPolicy(si.s.CurrentLoadBalancer.AccessPolicy):
				return "accessPolicy: the Service's loadBalancerSourceRanges restrict only a load balancer of its own, not an NLB Gateway's routes"
			case si.s.Has(NeedClientIP):
				return "clientIP: the Service's externalTrafficPolicy: Local keeps the client's address on a load balancer of its own, not through an NLB Gateway's routes"
			case si.notL7Port == "" && len(si.s.Ports) > 0 && si.rules > NLBMaxListeners:
				return strconv.Itoa(si.rules) + " ports exceed the listeners of one NLB"
			}
			return ""
		},
		cost: func(m *model, g *group, b *bill) []ruleSlot {
			b.add(m.fixed[fixNLBHour])
			for _, proto := range []string{ProtoTCP, ProtoUDP, ProtoTLS} { // NLCUs are measured per protocol
				var d dims
				for _, i := range g.members {
					if m.svcs[i].l4 == proto {
						d.add(&m.svcs[i])
					}
				}
				if d != (dims{}) || (proto == ProtoTCP && !m.anyL4(g, ProtoUDP, ProtoTLS)) {
					b.add(m.nlcuLine(d, proto))
				}
			}
			m.awsIPv4(g, b)
			return nil
		},
		render: func(_ *model, _ *group, _ *svcInfo, _ string, row *ServicePlan) {
			row.GatewayClassName = NLBGatewayClass // a TCPRoute, UDPRoute or TLSRoute on the Gateway
		},
	})
}

// anyL4 reports whether a member's layer-4 protocol is one of protos.
func (m *model) anyL4(g *group, protos ...string) bool {
	for _, i := range g.members {
		for _, p := range protos {
			if m.svcs[i].l4 == p {
				return true
			}
		}
	}
	return false
}

// isL4Route reports whether a route is a layer-4 port.
func isL4Route(r string) bool { return strings.HasPrefix(r, l4Route) }

// l4Ports are a Service's ports, each with its layer-4 protocol (TCP or UDP).
func l4Ports(s *Service) []ServicePort {
	ports := s.Ports
	if len(ports) == 0 {
		ports = []ServicePort{{Port: s.Port, Protocol: s.Protocol}}
	}
	out := make([]ServicePort, len(ports))
	for i, p := range ports {
		out[i] = ServicePort{Port: p.Port, Protocol: ProtoTCP}
		if p.Protocol == ProtoUDP {
			out[i].Protocol = ProtoUDP
		}
	}
	return out
}
