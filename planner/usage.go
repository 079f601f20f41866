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
	RuleEvaluationsPerSecond Quantity
	PublicIPv4Addresses      Quantity
}

// LoadBalancerKinds are the kinds LoadBalancerMonthlyCost prices.
var LoadBalancerKinds = []string{"alb", "nlb", "nlb-udp", "nlb-tls", "clb"}

// LoadBalancerMonthlyCost prices one load balancer of a kind for a month of
// hours with the given usage, exactly (not rounded): the hourly charge, the
// capacity units on their highest dimension, data processed (Classic) and
// public IPv4 addresses. It uses the same formulas as the planner.
func LoadBalancerMonthlyCost(rp *pricing.RegionPrices, kind string, hours Quantity, u Usage) (*big.Rat, error) {
	if !slices.Contains(LoadBalancerKinds, kind) {
		return nil, fmt.Errorf("unknown load balancer kind %q (want one of %s)", kind, strings.Join(LoadBalancerKinds, ", "))
	}
	if hours <= 0 {
		return nil, fmt.Errorf("hours per month must be positive")
	}
	if rp.Cloud != "aws" {
		return nil, fmt.Errorf("load balancer kinds are priced for aws only, not %s", rp.Cloud)
	}
	r, err := loadRates(rp)
	if err != nil {
		return nil, err
	}
	m := &model{r: r, hours: hours.Rat(), hoursQ: hours}
	d := dims{nc: u.NewConnectionsPerSecond, ac: u.ActiveConnections, gb: u.GBPerMonth}
	total := new(big.Rat)
	add := func(qty *big.Rat, price *big.Rat) { total.Add(total, new(big.Rat).Mul(qty, price)) }
	switch kind {
	case "alb":
		add(m.hours, r[pricing.ALBHour].Value())
		units, _ := m.capacityUnits(d, albNewConnPerLCU, albActivePerLCU, u.RuleEvaluationsPerSecond.Rat())
		add(units.Mul(units, m.hours), r[pricing.ALBLCUHour].Value())
	case "nlb", "nlb-udp", "nlb-tls":
		proto := map[string]string{"nlb": ProtoTCP, "nlb-udp": ProtoUDP, "nlb-tls": ProtoTLS}[kind]
		caps := nlcuCaps[proto]
		add(m.hours, r[pricing.NLBHour].Value())
		units, _ := m.capacityUnits(d, caps[0], caps[1], nil)
		add(units.Mul(units, m.hours), r[pricing.NLBNLCUHour].Value())
	case "clb":
		add(m.hours, r[pricing.CLBHour].Value())
		add(u.GBPerMonth.Rat(), r[pricing.CLBGB].Value())
	}
	ips := new(big.Rat).Mul(u.PublicIPv4Addresses.Rat(), m.hours)
	add(ips, r[pricing.PublicIPv4Hour].Value())
	return total, nil
}
