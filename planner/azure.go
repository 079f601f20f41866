package planner

import (
	"fmt"
	"math/big"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Azure's kinds: a rule and frontend on the cluster's Standard load balancer
// per LoadBalancer Service (the rules are billed per load balancer, first
// five flat: in the plan's tiered charges, not in a kind's lines), a shared
// Application Gateway v2 (AGIC), Application Gateway for Containers
// (azure_agc.go), and the in-cluster proxy behind a rule of the cluster's.
func init() {
	// an Azure LoadBalancer Service adds a rule to the cluster's load balancer, not a load balancer
	registerKind(kAzureLB, kindSpec{label: "Azure LB", exposure: LoadBalancer, current: CurrentLB4, nodeTargets: true,
		staticAddress: "service.beta.kubernetes.io/azure-pip-name",
		tierRules: func(_ *model, scope int, _ int32) rv { // one load-balancing rule for its port
			var r rv
			r[scope] = 1
			return r
		},
		name: func(_ *model, g *group, _ map[string]int) string {
			if g.scheme == schemeInternal {
				return "aks-lb-internal"
			}
			return "aks-lb-public"
		},
		id: fixedID("azure-lb"), path: fixedPath("client -> Azure LB -> node -> pod"), latency: lbAndNode, etpNodeHop: true,
		cost: func(m *model, g *group, b *bill) []ruleSlot {
			m.azureFrontLines(g, b)
			return nil
		},
		render: func(_ *model, g *group, _ *svcInfo, _ string, row *ServicePlan) {
			row.ServiceType = "LoadBalancer"
			if g.scheme == schemeInternal {
				row.Annotations["service.beta.kubernetes.io/azure-load-balancer-internal"] = "true"
			}
		},
		finish: func(m *model, g *group, lb *LoadBalancerPlan, _ []ruleSlot) {
			lb.Strategy = "cluster" // the cluster's own load balancer, named per service
			for j := range lb.Costs {
				lb.Costs[j].Name += " (" + m.svcs[g.members[0]].key + ")"
			}
		},
	})
	registerKind(kAppGW, kindSpec{label: "Application Gateway", strategy: StrategyAppGW, family: familyL7, exposure: Ingress, lbs: 1, current: CurrentAppGW,
		limits: kindLimits{rules: AppGWMaxRules, targets: AppGWMaxBackendPools, certs: AppGWMaxCertificates, listeners: AppGWMaxListeners},
		id:     fixedID("appgw"), path: fixedPath("client -> AppGW -> pod"), latency: lbOnly,
		infeasible: func(_ *model, si *svcInfo) string {
			s := si.s
			switch {
			case s.Protocol == ProtoGRPC:
				return "gRPC backends are not supported by Application Gateway through AGIC"
			case !isL7(s.Protocol):
				return s.Protocol + " cannot go through an Application Gateway (HTTP and HTTPS only)"
			case s.Has(NeedTLSPassthrough):
				return "tlsPassthrough needs a layer-4 load balancer; an Application Gateway terminates TLS"
			}
			return ""
		},
		cost: func(m *model, g *group, b *bill) []ruleSlot {
			b.add(m.fixed[fixAppGWHour])
			b.add(m.appgwCULine(g.sums))
			b.add(m.fixed[fixIPv4]) // a v2 gateway always has a public frontend IP
			return nil
		},
		render: func(_ *model, g *group, si *svcInfo, _ string, row *ServicePlan) {
			row.IngressClassName = "azure-application-gateway"
			if g.scheme == schemeInternal {
				row.Annotations["appgw.ingress.kubernetes.io/use-private-ip"] = "true"
			}
			if si.plain == plainRedirected { // plain HTTP redirected to HTTPS today: AGIC's listener on port 80 redirects
				row.Annotations["appgw.ingress.kubernetes.io/ssl-redirect"] = "true"
			}
		},
	})
	registerCloud("azure", cloudSpec{kinds: []kind{kNodePort, kAzureLB, kAppGW, kAGC, kProxy},
		// no crossZone: Azure does not bill data between the availability zones
		// of a region (the charge announced in 2021 and briefly billed in 2024 was
		// withdrawn at Microsoft Build, May 2024)
		dedicated: func(*model) kind { return kAzureLB },
		ingress:   func(*model) kind { return kAppGW },
		fixed: func(m *model) {
			m.fixed[fixIPv4] = line("public IP address", m.hours, m.r[pricing.AzurePublicIPHour], byNothing)
			m.fixed[fixAppGWHour] = line("Application Gateway v2 fixed hours", m.hours, m.r[pricing.AzureAppGWFixedHour], byNothing)
		},
		tiers: func(m *model) [2]tier {
			d, first5, extra := m.d, m.r[pricing.AzureRulesFirst5Hour], m.r[pricing.AzureRuleExtraHour]
			return [2]tier{
				{id: "aks-lb-public", label: "public load balancer rules", existing: *d.ExistingLoadBalancerRules.Public, first5: first5, extra: extra},
				{id: "aks-lb-internal", label: "internal load balancer rules", existing: *d.ExistingLoadBalancerRules.Internal, first5: first5, extra: extra},
			}
		},
		tierKind:    "azure-lb",
		tierSchemes: [2]string{schemeInternet, schemeInternal},
		proxy: proxyFront{
			tierRules: func(m *model, scope int, listeners int32) rv { // a rule for each of ports 80 and 443 its Service has (proxyRules: both, for some)
				var r rv
				r[scope] = listeners
				return r
			},
			l4Rules: func(scope int, ports map[ServicePort]bool) rv { // a rule per port and protocol
				var r rv
				r[scope] = int32(len(ports))
				return r
			},
			id:       fixedID("azure-lb-frontend"),
			path:     func(*model) string { return "client -> Azure LB -> node" },
			nodeHop:  func(*model) bool { return true },
			staticIP: always(""),
			cost:     (*model).azureFrontLines,
		}})
}

// azureFrontLines are a frontend on the cluster load balancer: its public IP
// (if public) and the data it processes.
func (m *model) azureFrontLines(g *group, b *bill) {
	if g.scheme == schemeInternet {
		b.add(m.fixed[fixIPv4])
	}
	b.add(m.quantityLine("Standard LB data processed", g.sums.gb, m.r[pricing.AzureLBDataGB], byBytes))
}

// Application Gateway v2 limits that force a shared gateway to split.
const (
	AppGWMaxRules        = 400 // request routing rules
	AppGWMaxBackendPools = 100
	AppGWMaxCertificates = 100
	AppGWMaxListeners    = 100
)

// Application Gateway v2 capacity unit dimensions (learn.microsoft.com
// application-gateway/understanding-pricing): one CU is one compute unit,
// 2,500 persistent connections or 2.22 Mbps. "Factors affecting compute unit
// consumption are TLS connections/second, URL Rewrite computations, and WAF
// rule processing"; a Standard_v2 compute unit takes about 50 connections per
// second with an RSA 2048-bit certificate. So only connections that open TLS
// at the gateway (HTTPS listeners) count toward compute units: plain HTTP
// connections cost none (no rewrites or WAF are planned).
var (
	appgwConnPerCU   = Q(50)
	appgwActivePerCU = Q(2500)
	appgwMbpsPerCU   = big.NewRat(222, 100)
	appgwCUPerInst   = int64(10)
)

// appgwCULine bills capacity units on the highest dimension, at least the configured minimum.
func (m *model) appgwCULine(d dims) CostLine {
	best, name, driver := big.NewRat(int64(d.tls), int64(appgwConnPerCU)), "TLS new connections", byTLSConnections
	if v := big.NewRat(int64(d.ac), int64(appgwActivePerCU)); v.Cmp(best) > 0 {
		best, name, driver = v, "persistent connections", byActiveConnections
	}
	// GB per month -> megabits per second: GB x 8,000 / (hours x 3,600)
	mbps := new(big.Rat).Mul(d.gb.Rat(), big.NewRat(8000, 3600))
	mbps.Quo(mbps, m.hours)
	if v := new(big.Rat).Quo(mbps, appgwMbpsPerCU); v.Cmp(best) > 0 {
		best, name, driver = v, "throughput", byBytes
	}
	if minCU := big.NewRat(int64(*m.d.AppGateway.MinInstances)*appgwCUPerInst, 1); minCU.Cmp(best) > 0 {
		best, name, driver = minCU, fmt.Sprintf("the minimum of %d instances", *m.d.AppGateway.MinInstances), byNothing
	}
	return m.line("Application Gateway capacity units (billed on "+name+")", best.Mul(best, m.hours), m.r[pricing.AzureAppGWCUHour], driver)
}
