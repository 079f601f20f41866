package manifests

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/netip"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// Bare metal: MetalLB's IPAddressPool and Cilium's CiliumLoadBalancerIPPool
// objects say the cluster assigns LoadBalancer addresses itself, from pools
// of a known size; Services that share an address carry a sharing key
// (read in currentOwnLB).

// The address allocators whose pools lbplanner reads.
const (
	LBMetalLBPool = planner.LBMetalLB
	LBCiliumPool  = planner.LBCilium
)

// addressPools sums the addresses of the pools the manifests define.
type addressPools struct {
	size int
	lb   string
}

// ipPool is what lbplanner reads of either kind of pool.
type ipPool struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Addresses  []string `json:"addresses"` // MetalLB: CIDRs and first-last ranges
		AutoAssign *bool    `json:"autoAssign"`
		Blocks     []struct {
			CIDR  string `json:"cidr"`
			Start string `json:"start"`
			Stop  string `json:"stop"`
		} `json:"blocks"` // Cilium
		CIDRs []struct {
			CIDR string `json:"cidr"`
		} `json:"cidrs"` // Cilium, before blocks
		Disabled bool `json:"disabled"`
	} `json:"spec"`
}

// readAddressPool adds a pool's addresses (pools that are disabled, or that
// MetalLB does not assign from by itself, hold none for the plan).
func (r *reader) readAddressPool(o object, lb string) {
	var p ipPool
	if err := json.Unmarshal(o.raw, &p); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: o.kind, Msg: err.Error()})
		return
	}
	r.hints[planner.CloudBareMetal] = true
	if r.pools == nil {
		r.pools = &addressPools{lb: lb}
	}
	if p.Spec.Disabled || (p.Spec.AutoAssign != nil && !*p.Spec.AutoAssign) {
		return
	}
	var ranges []string
	ranges = append(ranges, p.Spec.Addresses...)
	for _, b := range p.Spec.Blocks {
		if b.CIDR != "" {
			ranges = append(ranges, b.CIDR)
		} else {
			ranges = append(ranges, b.Start+"-"+b.Stop)
		}
	}
	for _, c := range p.Spec.CIDRs {
		ranges = append(ranges, c.CIDR)
	}
	for _, s := range ranges {
		n, err := addressCount(s)
		if err != nil {
			r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: o.kind + " " + p.Metadata.Name, Field: "spec", Msg: err.Error()})
			continue
		}
		r.pools.size += n
		if r.pools.size > 1<<24 {
			r.pools.size = 1 << 24 // more than any plan can use
		}
	}
}

// addressCount is how many addresses a CIDR ("192.168.10.0/24") or a range
// ("192.168.10.1-192.168.10.9") holds, bounded by 2^24.
func addressCount(s string) (int, error) {
	s = strings.TrimSpace(s)
	if first, last, ok := strings.Cut(s, "-"); ok {
		a, err1 := netip.ParseAddr(strings.TrimSpace(first))
		b, err2 := netip.ParseAddr(strings.TrimSpace(last))
		if err1 != nil || err2 != nil || a.Is4() != b.Is4() || b.Less(a) {
			return 0, fmt.Errorf("address range %q: want first-last, both IPv4 or both IPv6, first not after last", s)
		}
		n := new(big.Int).Sub(new(big.Int).SetBytes(b.AsSlice()), new(big.Int).SetBytes(a.AsSlice()))
		return bounded(n.Add(n, big.NewInt(1))), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return 0, fmt.Errorf("address pool %q: want a CIDR or a first-last range", s)
	}
	return bounded(new(big.Int).Lsh(big.NewInt(1), uint(p.Addr().BitLen()-p.Bits()))), nil
}

func bounded(n *big.Int) int {
	if n.Cmp(big.NewInt(1<<24)) > 0 {
		return 1 << 24
	}
	return int(n.Int64())
}
