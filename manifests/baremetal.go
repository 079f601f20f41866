package manifests

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/netip"
	"strings"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"

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

// pinAnnotations name, for each sharing key annotation, the annotation that
// asks its allocator for an address: MetalLB keeps the address a Service has
// (a sharing key alone moves no Service onto another's address), so a
// Service that joins a shared address is given it.
var pinAnnotations = map[string]string{
	"metallb.universe.tf/allow-shared-ip": "metallb.universe.tf/loadBalancerIPs",
	"metallb.io/allow-shared-ip":          "metallb.io/loadBalancerIPs",
	"lbipam.cilium.io/sharing-key":        "lbipam.cilium.io/ips",
}

// poolAddress is the address a LoadBalancer Service asks for or has, where
// its manifest says it: an allocator's annotation, spec.loadBalancerIP, or
// its status (a manifest read from the cluster); "" when none does. Of
// several, the first.
func poolAddress(s corev1.Service) string {
	for _, k := range []string{"metallb.universe.tf/loadBalancerIPs", "metallb.io/loadBalancerIPs", "lbipam.cilium.io/ips"} {
		if v := strings.TrimSpace(strings.Split(s.Annotations[k], ",")[0]); v != "" {
			return v
		}
	}
	if s.Spec.LoadBalancerIP != "" {
		return s.Spec.LoadBalancerIP
	}
	for _, in := range s.Status.LoadBalancer.Ingress {
		if in.IP != "" {
			return in.IP
		}
	}
	return ""
}

// pinSharedAddress gives a Service that joins a shared pool address that
// address: its spec.loadBalancerIP where it sets one, else its allocator's
// annotation (pinAnnotations). A Service on that address today needs
// nothing; where the manifests do not say the address (sharedAddress),
// render warns, once an address.
func (r *renderer) pinSharedAddress(meta, spec *yaml.Node, key string, ds planner.Service, row planner.ServicePlan) bool {
	sharing := ""
	for _, k := range planner.SharingAnnotations {
		if row.Annotations[k] != "" {
			sharing = k
		}
	}
	if sharing == "" || row.LoadBalancer == nil || r.onAddressToday(ds, *row.LoadBalancer) {
		return false
	}
	id := *row.LoadBalancer
	ip := r.sharedAddress(id)
	switch {
	case ip == "" && !r.pinWarned[id]:
		r.pinWarned[id] = true
		r.out.Warnings = append(r.out.Warnings, fmt.Sprintf("shared address %s (%s): the allocator keeps the address a Service has, and the manifests do not say this one's: give each of its Services the same pool address (%s)",
			id, strings.Join(r.lbMembers[id], ", "), pinAnnotations[sharing]))
		return false
	case ip == "" || ip == r.addresses[key]:
		return false
	case scalar(spec, "loadBalancerIP") != "":
		return setScalar(spec, "loadBalancerIP", ip)
	}
	ann := ensureMap(meta, "annotations")
	changed := false
	for _, k := range pinAnnotations { // another allocator's request, or an older name's, would ask for another address
		if k != pinAnnotations[sharing] && scalar(ann, k) != "" {
			changed = deleteKey(ann, k) || changed
		}
	}
	return setScalar(ann, pinAnnotations[sharing], ip) || changed
}

// onAddressToday reports whether a service shares address id today.
func (r *renderer) onAddressToday(ds planner.Service, id string) bool {
	c := ds.CurrentLoadBalancer
	return c != nil && c.Kind == planner.CurrentAddress && c.Name == id
}

// sharedAddress is the pool address of shared address id, where the
// manifests say it: that of its Services on it today (when some are, theirs
// alone: the address stays), else of its first Service that has one; "" if
// none.
func (r *renderer) sharedAddress(id string) string {
	first, today := "", false
	for _, key := range r.lbMembers[id] {
		ip := r.addresses[key]
		if r.onAddressToday(r.decl[key], id) {
			if ip != "" {
				return ip
			}
			today = true
		}
		if first == "" {
			first = ip
		}
	}
	if today {
		return ""
	}
	return first
}
