package planner

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Bare metal: MetalLB, Cilium LB-IPAM or kube-vip give each LoadBalancer
// Service an address from a pool the cluster's admins define. There is no
// per-load-balancer fee: the scarce thing is the pool. Services whose ports
// do not clash may share one address (MetalLB's allow-shared-ip, Cilium's
// sharing-key annotations), and an in-cluster proxy takes one address for
// every HTTP service behind it. The plan minimises addresses first, then
// cost (an address's declared monthly cost, the proxy pods' node cost), and
// fails, saying how many are missing, when the pool is too small.

// CloudBareMetal is the cloud of a cluster on its own hardware.
const CloudBareMetal = "baremetal"

// What assigns a bare-metal cluster's load-balancer addresses.
const (
	LBMetalLB = "metallb"
	LBCilium  = "cilium"
	LBKubeVIP = "kube-vip"
)

// DefaultBareMetalRegion names the "region" of a bare-metal plan.
const DefaultBareMetalRegion = "on-premises"

// bareMetalLBs describes each address allocator once: the annotation that
// lets Services share an address ("" when it has none).
var bareMetalLBs = map[string]struct{ label, sharingKey string }{
	LBMetalLB: {"MetalLB", "metallb.universe.tf/allow-shared-ip"},
	LBCilium:  {"Cilium LB-IPAM", "lbipam.cilium.io/sharing-key"},
	LBKubeVIP: {"kube-vip", ""},
}

// SharingAnnotations are the Service annotations by which Services share a
// pool address today (MetalLB's old and new names, Cilium's).
var SharingAnnotations = []string{"metallb.universe.tf/allow-shared-ip", "metallb.io/allow-shared-ip", "lbipam.cilium.io/sharing-key"}

// BareMetalLBs lists the allocators loadBalancer accepts.
func BareMetalLBs() []string { return []string{LBMetalLB, LBCilium, LBKubeVIP} }

func init() {
	address := func(m *model, _ *group, b *bill) []ruleSlot {
		b.add(m.fixed[fixAddress])
		return nil
	}
	registerKind(kAddress, kindSpec{label: "pool address", exposure: LoadBalancer, lbs: 1, current: CurrentAddress, nodeTargets: true,
		id: fixedID("address"), path: fixedPath("client -> node -> pod"), latency: nodeOnly, name: ownName("ip"),
		cost: address,
		render: func(_ *model, _ *group, _ *svcInfo, _ string, row *ServicePlan) {
			row.ServiceType = "LoadBalancer"
		},
	})
	registerKind(kSharedAddress, kindSpec{label: "shared address", strategy: StrategySharedIP, family: familyL4, exposure: LoadBalancer, lbs: 1,
		current: CurrentAddress, currentNamed: func(name string) bool { return name != "" }, nodeTargets: true,
		id: fixedID("address"), path: fixedPath("client -> node -> pod"), latency: nodeOnly,
		infeasible: func(m *model, si *svcInfo) string {
			switch {
			case m.sharingKey() == "":
				return bareMetalLBs[m.d.LoadBalancer].label + " has no sharing key: Services share an address only when given the same one by hand"
			case isL7(si.s.Protocol) && !si.s.Has(NeedTLSPassthrough): // (one whose pods end TLS is a TCP port)
				return "HTTP services share an address through the in-cluster proxy"
			case si.s.Has(NeedClientIP) && m.d.LoadBalancer == LBMetalLB:
				return "clientIP: MetalLB shares an address between externalTrafficPolicy: Local Services only when they select the same pods"
			}
			return ""
		},
		cost: address,
		render: func(m *model, _ *group, _ *svcInfo, id string, row *ServicePlan) {
			row.ServiceType = "LoadBalancer"
			row.Annotations[m.sharingKey()] = id
		},
	})
	registerCloud(CloudBareMetal, cloudSpec{kinds: []kind{kNodePort, kAddress, kSharedAddress, kProxy},
		dedicated:       func(*model) kind { return kAddress },
		ingress:         func(*model) kind { return kProxy },
		portsByProtocol: true,
		addressesFirst:  true,
		declaredPrices:  bareMetalPrices,
		fixed:           func(m *model) { m.fixed[fixAddress] = m.addressLine() },
		proxy: proxyFront{
			id:       fixedID("address"),
			path:     func(*model) string { return "client -> node" },
			nodeHop:  func(*model) bool { return true },
			noLB:     true,
			staticIP: func(*model) string { return "" },
			cost:     func(m *model, _ *group, b *bill) { b.add(m.fixed[fixAddress]) },
		}})
}

// nodeOnly is the latency of an address announced by a node: the node hop.
func nodeOnly(_ *model, _, _, node Quantity) Quantity { return node }

// sharingKey is the annotation by which Services share an address, "" if none.
func (m *model) sharingKey() string { return bareMetalLBs[m.d.LoadBalancer].sharingKey }

// addressLine is one pool address for a month.
func (m *model) addressLine() CostLine {
	return line(fmt.Sprintf("pool address (%s)", bareMetalLBs[m.d.LoadBalancer].label), big.NewRat(1, 1), m.r[pricing.AddressMonth], byNothing)
}

// bareMetalPrices are a bare-metal declaration's own prices, as a catalog
// region dated like the catalog the plan runs with.
func bareMetalPrices(d *Declaration, date string) (*pricing.RegionPrices, error) {
	price := func(item, unit string, q *Quantity, field string) pricing.Price {
		return pricing.Price{Cloud: CloudBareMetal, Region: d.Region, Item: item, Unit: unit, Price: q.String(),
			Source: "declared: " + field, Date: date}
	}
	cat, err := pricing.NewNamed("the declaration's prices", date, "bare metal", []pricing.Price{
		price(pricing.AddressMonth, "address-month", d.AddressPool.MonthlyCostPerAddress, "addressPool.monthlyCostPerAddress"),
		price(pricing.ProxyVCPUHour, "vCPU-hour", d.NodeCost.VCPUHour, "nodeCost.vCPUHour"),
		price(pricing.ProxyGiBHour, "GiB-hour", d.NodeCost.GiBHour, "nodeCost.gibHour"),
	})
	if err != nil {
		return nil, err
	}
	return cat.Region(CloudBareMetal, d.Region)
}

// validateBareMetal checks and defaults the bare-metal settings, which no
// other cloud takes.
func validateBareMetal(d *Declaration, top func(field, format string, args ...any)) {
	if d.Cloud != CloudBareMetal {
		for _, f := range []struct {
			field string
			set   bool
		}{{"addressPool", d.AddressPool != nil}, {"loadBalancer", d.LoadBalancer != ""}, {"nodeCost", d.NodeCost != nil}} {
			if f.set {
				top(f.field, "only a baremetal cluster has it (cloud is %s)", d.Cloud)
			}
		}
		return
	}
	if d.Region == "" {
		d.Region = DefaultBareMetalRegion
	}
	if d.LoadBalancer == "" {
		d.LoadBalancer = LBMetalLB
	} else if !slices.Contains(BareMetalLBs(), d.LoadBalancer) {
		top("loadBalancer", "unknown %q (want one of %s)", d.LoadBalancer, oneOf(BareMetalLBs()))
		d.LoadBalancer = LBMetalLB
	}
	if d.AddressPool == nil {
		d.AddressPool = &AddressPool{}
	}
	if n := d.AddressPool.Size; n != nil && (*n < 1 || *n > 1<<24) {
		top("addressPool.size", "want 1 to %d, got %d", 1<<24, *n)
	}
	if d.NodeCost == nil {
		d.NodeCost = &NodeCost{}
	}
	for _, f := range []struct {
		field string
		q     **Quantity
	}{{"addressPool.monthlyCostPerAddress", &d.AddressPool.MonthlyCostPerAddress},
		{"nodeCost.vCPUHour", &d.NodeCost.VCPUHour}, {"nodeCost.gibHour", &d.NodeCost.GiBHour}} {
		defaultQ(f.q, 0)
		if **f.q < 0 || **f.q > Q(1_000_000) {
			top(f.field, "want 0 to 1000000, got %s", **f.q)
		}
	}
}

// poolShort reports a plan that needs more addresses than the pool holds.
func (m *model) poolShort(p *Plan) error {
	if m.d.Cloud != CloudBareMetal || m.d.AddressPool.Size == nil {
		return nil
	}
	need := len(p.LoadBalancers)
	if have := *m.d.AddressPool.Size; need > have {
		return &FieldError{Index: -1, Field: "addressPool.size", Msg: fmt.Sprintf(
			"the plan needs %d addresses at least (every LoadBalancer Service, shared address and proxy takes one) and the pool has %d: %d missing",
			need, have, need-have)}
	}
	return nil
}
