package planner

import (
	"math/big"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// GCP's kinds: a passthrough load balancer (a forwarding rule) per
// LoadBalancer Service, a Google proxy load balancer per GKE Ingress or per
// shared GKE Gateway, and the in-cluster proxy behind a passthrough one.
// Forwarding rules are billed per project and scope: not in a kind's lines
// but in the plan's tiered charges.
func init() {
	registerKind(kGCPLB, kindSpec{label: "passthrough LB", exposure: LoadBalancer, lbs: 1, current: CurrentLB4, nodeTargets: true, name: ownName("lb"),
		staticAddress: "networking.gke.io/load-balancer-ip-addresses",
		tierRules:     func(*model, int, int32) rv { return rv{0, 1} }, // a regional passthrough forwarding rule
		cost: func(m *model, g *group, b *bill) []ruleSlot { // that rule (tiered), and the data it processes
			passthroughData(m, g, b)
			return nil
		},
		id: fixedID("passthrough-nlb"), path: fixedPath("client -> passthrough LB -> node -> pod"), latency: lbAndNode, etpNodeHop: true,
		render: func(_ *model, g *group, _ *svcInfo, _ string, row *ServicePlan) {
			row.ServiceType = "LoadBalancer"
			if g.scheme == schemeInternal {
				row.Annotations["networking.gke.io/load-balancer-type"] = "Internal"
			}
		},
	})
	registerKind(kGCE, kindSpec{label: "GKE Ingress", strategy: StrategyGCE, family: familyL7, exposure: Ingress, lbs: 1, current: CurrentGCE,
		limits: kindLimits{certs: GCEMaxCertificates}, oneNamespace: true, wholeRedirect: true,
		id: fixedID(KindGKEIngress), path: googleProxyPath, latency: googleProxyLatency, infeasible: googleProxyInfeasible("Ingress"),
		tierRules: googleProxyRules,
		cost:      googleProxyCost,
		render: func(m *model, g *group, _ *svcInfo, _ string, row *ServicePlan) {
			class := "gce"
			if g.scheme == schemeInternal {
				class = "gce-internal"
			}
			row.Annotations["kubernetes.io/ingress.class"] = class
			if http, _ := m.listenersOf(g.members); !http { // (a service served over plain HTTP today keeps it: listenersOf)
				row.Annotations["kubernetes.io/ingress.allow-http"] = "false"
			}
		},
	})
	registerKind(kGateway, kindSpec{label: "GKE Gateway", strategy: StrategyGateway, family: familyL7, exposure: Ingress, lbs: 1, current: CurrentGateway, weighted: yes, writesCanary: yes,
		id: fixedID("gke-gateway"), path: googleProxyPath, latency: googleProxyLatency, infeasible: googleProxyInfeasible("Gateway"),
		tierRules: googleProxyRules,
		cost:      googleProxyCost,
		render: func(_ *model, g *group, _ *svcInfo, _ string, row *ServicePlan) {
			row.GatewayClassName = "gke-l7-global-external-managed"
			if g.scheme == schemeInternal {
				row.GatewayClassName = "gke-l7-rilb"
			}
		},
	})
	registerCloud("gcp", cloudSpec{kinds: []kind{kNodePort, kGCPLB, kGCE, kGateway, kProxy},
		// the in-cluster proxy's pods to backends in other zones: each byte billed once, to its sender
		crossZone: crossZoneBilling{item: pricing.GCPInterZoneGiB, times: 1, toUnit: gibPerGB, billed: "billed to the sender"},
		dedicated: func(*model) kind { return kGCPLB },
		ingress:   func(*model) kind { return kGCE },
		tiers: func(m *model) [2]tier {
			d, first5, extra := m.d, m.r[pricing.GCPRulesFirst5Hour], m.r[pricing.GCPRuleExtraHour]
			return [2]tier{
				{id: "forwarding-rules-global", label: "forwarding rules (global)", existing: d.ExistingForwardingRules.Global, first5: first5, extra: extra},
				{id: "forwarding-rules-" + d.Region, label: "forwarding rules (" + d.Region + ")", existing: d.ExistingForwardingRules.Regional, first5: first5, extra: extra},
			}
		},
		tierKind:    "forwarding-rules",
		tierSchemes: [2]string{"global", "regional"},
		proxy: proxyFront{
			tierRules: func(*model, int, int32) rv { return rv{0, 1} }, // its regional passthrough forwarding rule
			l4Rules: func(_ int, ports map[ServicePort]bool) rv { // TCP shares the one above; UDP needs its own
				for p := range ports {
					if p.Protocol == ProtoUDP {
						return rv{0, 1}
					}
				}
				return rv{}
			},
			id:       fixedID("passthrough-nlb"),
			path:     func(*model) string { return "client -> passthrough LB -> node" },
			nodeHop:  func(*model) bool { return true },
			staticIP: always(""),
			cost:     passthroughData, // its forwarding rule is in the tiered charges
		}})
}

// googleProxyPath is a Google proxy load balancer's path: through a Google
// Front End (or the regional internal proxy), to pods unless NEGs are off.
func googleProxyPath(m *model, scheme string) string {
	node := ""
	if !m.containerNative {
		node = " -> node"
	}
	if scheme == schemeInternal {
		return "client -> internal proxy LB" + node + " -> pod"
	}
	return "client -> GFE" + node + " -> pod"
}

// googleProxyRules: a forwarding rule per HTTP and per HTTPS frontend.
func googleProxyRules(_ *model, scope int, listeners int32) rv {
	var r rv
	r[scope] = listeners
	return r
}

func googleProxyLatency(m *model, lb, _, node Quantity) Quantity {
	if !m.containerNative {
		return lb + node
	}
	return lb
}

func googleProxyInfeasible(what string) func(*model, *svcInfo) string {
	return func(_ *model, si *svcInfo) string {
		s := si.s
		switch {
		case !isL7(s.Protocol):
			return s.Protocol + " cannot go through a GKE " + what + " (HTTP, HTTPS and gRPC only)"
		case s.Has(NeedTLSPassthrough):
			return "tlsPassthrough needs a passthrough load balancer; a Google proxy load balancer terminates TLS"
		}
		return ""
	}
}

// googleProxyCost is the data a Google proxy load balancer processes.
func googleProxyCost(m *model, g *group, b *bill) []ruleSlot {
	b.add(m.quantityLine("data processed by the proxy load balancer", g.sums.gb, m.r[pricing.GCPProxyDataGiB], byBytes, gibPerGB))
	return nil
}

// passthroughData is the data a passthrough Network Load Balancer processes:
// Google's regional table of inbound and outbound data processed by load
// balancer applies to passthrough Network Load Balancers as to proxy ones
// (cloud.google.com/load-balancing/pricing, "Load balancing and forwarding
// rules"), at the same regional rate.
func passthroughData(m *model, g *group, b *bill) {
	b.add(m.quantityLine("data processed by the passthrough load balancer", g.sums.gb, m.r[pricing.GCPProxyDataGiB], byBytes, gibPerGB))
}

// KindGKEIngress is a GKE Ingress's kind in a plan: its load balancer is one
// Ingress object, so every service on it is routed by that one object.
const KindGKEIngress = "gce-ingress"

// GCEMaxCertificates is the SSL certificates one GKE Ingress (target HTTPS proxy) can hold.
const GCEMaxCertificates = 15

// bytesPerGiB converts the declaration's GB (10^9 bytes) to the GiB (2^30 bytes) Google bills.
var gibPerGB = big.NewRat(1_000_000_000, 1<<30)
