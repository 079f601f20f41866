package planner

import (
	"math/big"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

func init() {
	registerKind(kGCPLB, kindSpec{label: "passthrough LB", exposure: LoadBalancer, lbs: 1, current: CurrentLB4})
	registerKind(kGCE, kindSpec{label: "GKE Ingress", strategy: StrategyGCE, exposure: Ingress, lbs: 1, current: CurrentGCE,
		limits: kindLimits{certs: GCEMaxCertificates}})
	registerKind(kGateway, kindSpec{label: "GKE Gateway", strategy: StrategyGateway, exposure: Ingress, lbs: 1, current: CurrentGateway})
	registerCloud("gcp", cloudSpec{kinds: []kind{kNodePort, kGCPLB, kGCE, kGateway, kNginx}, cost: func(m *model, g *group, add func(CostLine)) []ruleSlot {
		m.gcpCost(g, add)
		return nil
	}})
}

// GCEMaxCertificates is the SSL certificates one GKE Ingress (target HTTPS proxy) can hold.
const GCEMaxCertificates = 15

// bytesPerGiB converts the declaration's GB (10^9 bytes) to the GiB (2^30 bytes) Google bills.
var gibPerGB = big.NewRat(1_000_000_000, 1<<30)

// gcpCost adds the lines of a GCP load balancer. Forwarding rules are billed
// per project and scope, so they are not here but in the plan's tiered charges.
func (m *model) gcpCost(g *group, add func(CostLine)) {
	switch g.kind {
	case kGCE, kGateway:
		add(m.quantityLine("data processed by the proxy load balancer", g.sums.gb, m.r[pricing.GCPProxyDataGiB], "gb", gibPerGB))
	case kNginx:
		m.proxyLines(add)
	}
}
