package planner

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Usage is the steady usage of one load balancer, for pricing it on its own.
type Usage struct {
	NewConnectionsPerSecond  Quantity
	ActiveConnections        Quantity
	GBPerMonth               Quantity
	RuleEvaluationsPerSecond Quantity
	PublicIPv4Addresses      Quantity
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

// LoadBalancerKinds are the kinds LoadBalancerMonthlyCost prices (AWS's).
var LoadBalancerKinds = []string{"alb", "nlb", "nlb-udp", "nlb-tls", "clb"}

// LoadBalancerMonthlyCost prices one load balancer of a kind for a month of
// hours with the given usage, exactly (not rounded), through the kind's own
// cost lines, as plans price it: the hourly charge, the capacity units on
// their highest dimension, data processed (Classic) and public IPv4
// addresses. Only AWS's kinds are priced this way.
func LoadBalancerMonthlyCost(rp *pricing.RegionPrices, name string, hours Quantity, u Usage) (*big.Rat, error) {
	uk, ok := usageKinds[name]
	if !ok {
		return nil, fmt.Errorf("unknown load balancer kind %q (want one of %s)", name, strings.Join(LoadBalancerKinds, ", "))
	}
	if hours <= 0 {
		return nil, fmt.Errorf("hours per month must be positive")
	}
	if rp.Cloud != uk.cloud {
		return nil, fmt.Errorf("load balancer kinds are priced for %s only, not %s", uk.cloud, rp.Cloud)
	}
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
