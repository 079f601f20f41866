package manifests

import (
	"cmp"
	"slices"
	"strconv"
)

// ALB rule order, as the AWS Load Balancer Controller (v2.4.3 on) gives an
// IngressGroup's rules their priorities: the Ingresses by group.order
// (default 0), then by namespace/name; within an Ingress its spec's rules in
// turn, each rule's paths Exact first, then Prefix longest first, then the
// rest in the order listed; the default backend last.

// albPath is one path of an Ingress rule: its type, its path and the
// Services (namespace/name) it sends requests to.
type albPath struct {
	pathType, path string
	backends       []string
}

// albBackendOrder lists an Ingress's Services in the order of their first
// rules: rules holds each spec rule's paths, as listed.
func albBackendOrder(rules [][]albPath, defaultBackends []string) []string {
	var keys []string
	seen := map[string]bool{}
	add := func(ks []string) {
		for _, k := range ks {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	class := func(p albPath) int {
		switch p.pathType {
		case "Exact":
			return 0
		case "Prefix":
			return 1
		}
		return 2
	}
	for _, paths := range rules {
		paths = slices.Clone(paths)
		slices.SortStableFunc(paths, func(a, b albPath) int {
			if c := cmp.Compare(class(a), class(b)); c != 0 || class(a) != 1 {
				return c
			}
			return cmp.Compare(len(b.path), len(a.path))
		})
		for _, p := range paths {
			add(p.backends)
		}
	}
	add(defaultBackends)
	return keys
}

// albIngress is one Ingress of an ALB, for its rule order.
type albIngress struct {
	order    int    // alb.ingress.kubernetes.io/group.order
	key      string // namespace/name
	backends []string
}

// albPositions numbers the Services of an ALB's Ingresses in rule order,
// from 1, each at its first rule.
func albPositions(ings []albIngress) map[string]int {
	ings = slices.Clone(ings)
	slices.SortStableFunc(ings, func(a, b albIngress) int {
		return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.key, b.key))
	})
	pos := map[string]int{}
	for _, ing := range ings {
		for _, k := range ing.backends {
			if _, ok := pos[k]; !ok {
				pos[k] = len(pos) + 1
			}
		}
	}
	return pos
}

// groupOrder reads an Ingress's alb.ingress.kubernetes.io/group.order (0
// when absent or not a number).
func groupOrder(v string) int {
	n, _ := strconv.Atoi(v)
	return n
}
