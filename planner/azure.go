package planner

import (
	"fmt"
	"math/big"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

func init() {
	// an Azure LoadBalancer Service adds a rule to the cluster's load balancer, not a load balancer
	registerKind(kAzureLB, kindSpec{label: "Azure LB", exposure: LoadBalancer, current: CurrentLB4})
	registerKind(kAppGW, kindSpec{label: "Application Gateway", strategy: StrategyAppGW, exposure: Ingress, lbs: 1, current: CurrentAppGW,
		limits: kindLimits{rules: AppGWMaxRules, targets: AppGWMaxBackendPools, certs: AppGWMaxCertificates, listeners: AppGWMaxListeners}})
	registerCloud("azure", cloudSpec{kinds: []kind{kNodePort, kAzureLB, kAppGW, kAGC, kNginx}, cost: func(m *model, g *group, add func(CostLine)) []ruleSlot {
		m.azureCost(g, add)
		return nil
	}})
}

// Application Gateway v2 limits that force a shared gateway to split.
const (
	AppGWMaxRules        = 400 // request routing rules
	AppGWMaxBackendPools = 100
	AppGWMaxCertificates = 100
	AppGWMaxListeners    = 100
)

// Application Gateway v2 capacity unit dimensions (learn.microsoft.com understanding-pricing):
// one CU is 50 new TLS connections per second, 2,500 persistent connections or 2.22 Mbps.
var (
	appgwConnPerCU   = Q(50)
	appgwActivePerCU = Q(2500)
	appgwMbpsPerCU   = big.NewRat(222, 100)
	appgwCUPerInst   = int64(10)
)

// azureCost adds the lines of an Azure exposure. The cluster load balancer's
// rules are billed per load balancer (first five flat), so they are not here
// but in the plan's tiered charges.
func (m *model) azureCost(g *group, add func(CostLine)) {
	internet := g.scheme == schemeInternet
	dataLine := func() {
		add(m.quantityLine("Standard LB data processed", g.sums.gb, m.r[pricing.AzureLBDataGB], "gb"))
	}
	switch g.kind {
	case kAzureLB:
		if internet {
			add(m.fixed[fixIPv4])
		}
		dataLine()
	case kNginx:
		if internet {
			add(m.fixed[fixIPv4])
		}
		dataLine()
		m.proxyLines(add)
	case kAppGW:
		add(m.fixed[fixAppGWHour])
		add(m.appgwCULine(g.sums))
		add(m.fixed[fixIPv4]) // a v2 gateway always has a public frontend IP
	}
}

// appgwCULine bills capacity units on the highest dimension, at least the configured minimum.
func (m *model) appgwCULine(d dims) CostLine {
	best, name := big.NewRat(int64(d.nc), int64(appgwConnPerCU)), "new connections"
	if v := big.NewRat(int64(d.ac), int64(appgwActivePerCU)); v.Cmp(best) > 0 {
		best, name = v, "persistent connections"
	}
	// GB per month -> megabits per second: GB x 8,000 / (hours x 3,600)
	mbps := new(big.Rat).Mul(d.gb.Rat(), big.NewRat(8000, 3600))
	mbps.Quo(mbps, m.hours)
	if v := new(big.Rat).Quo(mbps, appgwMbpsPerCU); v.Cmp(best) > 0 {
		best, name = v, "throughput"
	}
	if minCU := big.NewRat(int64(*m.d.AppGateway.MinInstances)*appgwCUPerInst, 1); minCU.Cmp(best) > 0 {
		best, name = minCU, fmt.Sprintf("the minimum of %d instances", *m.d.AppGateway.MinInstances)
	}
	driver := map[string]string{"new connections": "nc", "persistent connections": "ac", "throughput": "gb"}[name]
	return m.line("Application Gateway capacity units (billed on "+name+")", best.Mul(best, m.hours), m.r[pricing.AzureAppGWCUHour], driver)
}
