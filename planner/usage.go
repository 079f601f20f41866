package planner

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Usage is the steady usage of one load balancer, for pricing it on its own.
type Usage struct {
	NewConnectionsPerSecond  Quantity
	ActiveConnections        Quantity
	GBPerMonth               Quantity
	RuleEvaluationsPerSecond Quantity // AWS ALB only
	PublicIPv4Addresses      Quantity // AWS: the addresses; GCP and Azure: more than 0 for a public load balancer
	// ExistingRules are the rules already billed in the scope the load
	// balancer adds its own to (GCP: forwarding rules of the project in that
	// scope; Azure: rules of the cluster's load balancer); nil: the planner's
	// defaults (GCP none; Azure the public load balancer's outbound rule).
	ExistingRules *int
}

// usageKind is a load balancer LoadBalancerMonthlyCost prices: a planner
// kind, and the protocol its capacity units are measured on.
type usageKind struct {
	cloud string
	k     kind
	l4    string
}

var usageKinds = map[string]usageKind{
	"alb":     {"aws", kALB, ProtoTCP},
	"nlb":     {"aws", kNLB, ProtoTCP},
	"nlb-udp": {"aws", kNLB, ProtoUDP},
	"nlb-tls": {"aws", kNLB, ProtoTLS},
	"clb":     {"aws", kCLB, ProtoTCP},
}

// plannedKind is a GCP or Azure load balancer LoadBalancerMonthlyCost prices
// by planning one service pinned to it: their rules are billed per project
// or load balancer scope, which only a plan prices.
type plannedKind struct {
	cloud, strategy, protocol string
	pin                       Exposure
	public                    bool // only ever public (its frontends)
}

var plannedKinds = map[string]plannedKind{
	"passthrough-nlb": {cloud: "gcp", protocol: ProtoTCP, pin: LoadBalancer},
	"gce-ingress":     {cloud: "gcp", protocol: ProtoHTTP, pin: Ingress, strategy: StrategyGCE},
	"gke-gateway":     {cloud: "gcp", protocol: ProtoHTTP, pin: Ingress, strategy: StrategyGateway},
	"azure-lb":        {cloud: "azure", protocol: ProtoTCP, pin: LoadBalancer},
	"appgw":           {cloud: "azure", protocol: ProtoHTTPS, pin: Ingress, strategy: StrategyAppGW}, // TLS at the gateway, as usual: its new connections are compute units' TLS connections
	"agc":             {cloud: "azure", protocol: ProtoHTTP, pin: Ingress, strategy: StrategyAGC, public: true},
}

// LoadBalancerKinds are the kinds LoadBalancerMonthlyCost prices, by cloud.
var LoadBalancerKinds = map[string][]string{
	"aws":   {"alb", "nlb", "nlb-udp", "nlb-tls", "clb"},
	"gcp":   {"passthrough-nlb", "gce-ingress", "gke-gateway"},
	"azure": {"azure-lb", "appgw", "agc"},
}

// LoadBalancerMonthlyCost prices one load balancer of a kind in a cloud
// region for a month of hours with the given usage, exactly (not rounded),
// through the kind's own cost lines, as plans price it. AWS's are priced
// alone: the hourly charge, the capacity units on their highest dimension,
// data processed (Classic) and public IPv4 addresses. GCP's and Azure's by
// planning one service pinned to them: their lines, and the rules they add to
// those their scope already has (the first five flat, each past the fifth).
func LoadBalancerMonthlyCost(cat *pricing.Catalog, cloud, region, name string, hours Quantity, u Usage) (*big.Rat, error) {
	if _, ok := LoadBalancerKinds[cloud]; !ok {
		return nil, fmt.Errorf("load balancers are priced for aws, gcp and azure, not %q", cloud)
	}
	if !slices.Contains(LoadBalancerKinds[cloud], name) {
		return nil, fmt.Errorf("unknown %s load balancer kind %q (want one of %s)", cloud, name, strings.Join(LoadBalancerKinds[cloud], ", "))
	}
	if hours <= 0 {
		return nil, fmt.Errorf("hours per month must be positive")
	}
	if pk, ok := plannedKinds[name]; ok {
		return plannedMonthlyCost(cat, region, name, pk, hours, u)
	}
	rp, err := cat.Region(cloud, region)
	if err != nil {
		return nil, err
	}
	if u.ExistingRules != nil {
		return nil, fmt.Errorf("existing rules are billed per scope on GCP and Azure, not on %s", cloud)
	}
	return awsMonthlyCost(rp, name, hours, u)
}

// plannedMonthlyCost plans one service pinned to a GCP or Azure load balancer
// and sums the plan's cost lines exactly.
func plannedMonthlyCost(cat *pricing.Catalog, region, name string, pk plannedKind, hours Quantity, u Usage) (*big.Rat, error) {
	if u.RuleEvaluationsPerSecond > 0 {
		return nil, fmt.Errorf("rule evaluations are billed on AWS ALBs only, not on %s", name)
	}
	audience := AudienceVPC
	if u.PublicIPv4Addresses > 0 || pk.public {
		audience = AudienceInternet
	}
	d := &Declaration{Cloud: pk.cloud, Region: region, HoursPerMonth: &hours, Strategies: []string{},
		Services: []Service{{Name: "lb", Namespace: "default", Protocol: pk.protocol, Port: 80, Audience: audience, Pin: pk.pin,
			Traffic: Traffic{NewConnectionsPerSecond: u.NewConnectionsPerSecond, ActiveConnections: u.ActiveConnections, GBPerMonth: u.GBPerMonth}}}}
	if pk.strategy != "" {
		d.Strategies = []string{pk.strategy}
	}
	if n := u.ExistingRules; n != nil {
		d.ExistingForwardingRules = &ForwardingRules{Global: *n, Regional: *n}
		d.ExistingLoadBalancerRules = &LoadBalancerRules{Public: n, Internal: n}
	}
	p, _, err := compute(d, cat)
	if err != nil {
		return nil, err
	}
	total, priced := new(big.Rat), false
	for _, lb := range p.LoadBalancers {
		priced = priced || lb.Kind == name
		for _, l := range lb.Costs {
			if l.exact == nil {
				return nil, fmt.Errorf("%s: line %q has no exact amount", name, l.Name)
			}
			total.Add(total, l.exact)
		}
	}
	if !priced {
		return nil, fmt.Errorf("the catalog does not price %s in %s %s", name, pk.cloud, region)
	}
	return total, nil
}

// awsMonthlyCost prices one AWS load balancer alone.
func awsMonthlyCost(rp *pricing.RegionPrices, name string, hours Quantity, u Usage) (*big.Rat, error) {
	uk := usageKinds[name]
	r, err := loadRates(rp)
	if err != nil {
		return nil, err
	}
	m := &model{d: &Declaration{Cloud: rp.Cloud}, r: r, hours: hours.Rat(), hoursQ: hours, controller: uk.k != kCLB, itemise: true}
	clouds[rp.Cloud].fixed(m)
	ips := new(big.Rat).Mul(u.PublicIPv4Addresses.Rat(), m.hours)
	m.fixed[fixIPv4] = line("public IPv4 addresses", ips, r[pricing.PublicIPv4Hour], byNothing)
	if u.RuleEvaluationsPerSecond > 0 {
		m.usageEvals = u.RuleEvaluationsPerSecond.Rat()
	} else {
		m.usageEvals = new(big.Rat)
	}
	m.svcs = []svcInfo{{nc: u.NewConnectionsPerSecond, ac: u.ActiveConnections, gb: u.GBPerMonth, l4: uk.l4}}
	g := &group{kind: uk.k, scheme: schemeInternal, members: []int{0}}
	if u.PublicIPv4Addresses > 0 {
		g.scheme = schemeInternet
	}
	g.sums.add(&m.svcs[0])
	b := &bill{keep: true}
	uk.k.spec().cost(m, g, b)
	total := new(big.Rat)
	for _, l := range b.lines {
		if l.exact == nil {
			return nil, fmt.Errorf("%s: line %q has no exact amount", name, l.Name)
		}
		total.Add(total, l.exact)
	}
	return total, nil
}
