package planner

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// A request a test sends: its listener, host and path.
type request struct{ listener, host, path string }

// matchHost is how an ALB matches a host condition: any (*), a wildcard
// (*.example.com: any name ending so), or the name itself.
func matchHost(rule, host string) bool {
	switch {
	case rule == "*":
		return true
	case strings.HasPrefix(rule, "*."):
		return strings.HasSuffix(host, rule[1:])
	}
	return rule == host
}

// matchPath is how a declared path matches a request path: =/x only /x; /x*
// any path starting /x; /x the path /x and everything under /x/; / all.
func matchPath(rule, path string) bool {
	switch {
	case strings.HasPrefix(rule, ExactPrefix):
		return path == rule[len(ExactPrefix):]
	case strings.HasSuffix(rule, "*"):
		return strings.HasPrefix(path, strings.TrimSuffix(rule, "*"))
	case rule == "/":
		return true
	}
	return path == rule || strings.HasPrefix(path, rule+"/")
}

// specificity ranks a matching rule as Kubernetes does: an exact host before
// a wildcard before any host, then an exact path, then the longer prefix.
func specificity(host, path string) [3]int {
	h := 2
	switch {
	case host == "*":
		h = 0
	case strings.HasPrefix(host, "*."):
		h = 1
	}
	exact := 0
	if strings.HasPrefix(path, ExactPrefix) {
		exact = 1
	}
	return [3]int{h, exact, len(strings.TrimSuffix(path, "*"))}
}

func less3(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// requestsFor are requests each rule of a service is meant to receive.
func requestsFor(s Service, listener string) []request {
	var out []request
	for _, h := range orAll(s.Hosts, "*") {
		host := h
		switch {
		case h == "*":
			host = "elsewhere.test"
		case strings.HasPrefix(h, "*."):
			host = "deep" + h[1:]
		}
		for _, p := range orAll(s.Paths, "/") {
			path := strings.TrimSuffix(strings.TrimPrefix(p, ExactPrefix), "*")
			if !strings.HasPrefix(p, ExactPrefix) {
				path = strings.TrimSuffix(path, "/") + "/deeper"
			}
			out = append(out, request{listener, host, path})
		}
	}
	return out
}

// routedService is an internet service of a protocol with some of hosts and
// some of paths (none: any host, every path).
func routedService(r *rand.Rand, name, protocol string, hosts, paths []string) Service {
	s := Service{Name: name, Audience: AudienceInternet, Protocol: protocol, Port: 80}
	if protocol != ProtoHTTP {
		s.Port = 443
	}
	if r.IntN(4) != 0 {
		s.Hosts = subset(r, hosts, 2)
	}
	if r.IntN(4) != 0 {
		s.Paths = subset(r, paths, 2)
	}
	return s
}

// routedServices are count HTTP and HTTPS services with some of hosts and
// paths and random traffic, one in six with a canary (the same routes, split
// by one rule: routedWith).
func routedServices(r *rand.Rand, count int, hosts, paths []string) []Service {
	var out []Service
	for i := range count {
		s := routedService(r, fmt.Sprintf("s%d", i), pick(r, []string{ProtoHTTP, ProtoHTTPS}), hosts, paths)
		s.Traffic = Traffic{RequestsPerSecond: randQ(r, 3000), GBPerMonth: randQ(r, 500)}
		if r.IntN(6) == 0 {
			c := s
			c.Name += "-canary"
			s.RoutedWith, c.RoutedWith = []string{c.Key()}, []string{s.Key()}
			out = append(out, c)
		}
		out = append(out, s)
	}
	return out
}

// listenerOf is the ALB listener a service's rules are on.
func listenerOf(s Service) string {
	if s.Protocol == ProtoHTTP {
		return "HTTP:80"
	}
	return "HTTPS:443"
}

func orAll(list []string, all string) []string {
	if len(list) == 0 {
		return []string{all}
	}
	return list
}

// On random ALB instances with overlapping hosts and paths (any host,
// wildcards, prefixes within prefixes, exact paths), every request a service
// is meant to receive (it holds the most specific matching rule) is routed to
// it by the plan's rule order, the first matching rule winning as on an ALB
// (a canary and its service, routed by one rule, share their requests);
// small instances are planned exactly, large ones by the heuristic.
func TestPlansKeepRoutingOnRandomInstances(t *testing.T) {
	cat := defaultCatalog(t)
	r := rand.New(rand.NewPCG(31, 5))
	hosts := []string{"*.example.com", "a.example.com", "b.example.com", "x.a.example.com"} // none: any host
	paths := []string{"/", "/api", "/api/v1", "=/api/login", "/static*", "/api/v1/orders"}
	shared, large := 0, 0
	for n := 0; n < 400; n++ {
		d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyALB}}
		count := 2 + r.IntN(9)
		if n >= 380 {
			count = 20 + r.IntN(30) // past the exact search: the heuristic's groups and orders
		}
		d.Services = routedServices(r, count, hosts, paths)
		if Validate(d) != nil {
			continue
		}
		p, err := Compute(d, cat)
		if err != nil {
			continue
		}
		if len(d.Services) >= 20 {
			large++
		}
		byKey := map[string]Service{}
		for _, s := range d.Services {
			byKey[s.Key()] = s
		}
		for _, lb := range p.LoadBalancers {
			if len(lb.RuleOrder) < 2 {
				continue
			}
			shared++
			for _, key := range lb.RuleOrder {
				for _, req := range requestsFor(byKey[key], listenerOf(byKey[key])) {
					// the service meant to receive it: the most specific matching rule of any member
					var owner string
					var best [3]int
					tie := false
					for _, k := range lb.RuleOrder {
						s := byKey[k]
						if listenerOf(s) != req.listener {
							continue
						}
						for _, h := range orAll(s.Hosts, "*") {
							for _, pth := range orAll(s.Paths, "/") {
								if !matchHost(h, req.host) || !matchPath(pth, req.path) {
									continue
								}
								switch sp := specificity(h, pth); {
								case owner == "" || less3(best, sp):
									owner, best, tie = k, sp, false
								case sp == best && k != owner:
									tie = true
								}
							}
						}
					}
					if tie || owner == "" {
						continue // no one meant for it: the order may pick either
					}
					// the ALB: the first service in rule order with a matching rule
					var routed string
					for _, k := range lb.RuleOrder {
						s := byKey[k]
						if routed != "" || listenerOf(s) != req.listener {
							continue
						}
						for _, h := range orAll(s.Hosts, "*") {
							for _, pth := range orAll(s.Paths, "/") {
								if routed == "" && matchHost(h, req.host) && matchPath(pth, req.path) {
									routed = k
								}
							}
						}
					}
					if routed != owner {
						t.Fatalf("instance %d, %s: %s%s on %s goes to %s (%v %v), meant for %s (%v %v; rule order %v)", n, lb.ID, req.host, req.path, req.listener,
							routed, byKey[routed].Hosts, byKey[routed].Paths, owner, byKey[owner].Hosts, byKey[owner].Paths, lb.RuleOrder)
					}
				}
			}
		}
	}
	if shared < 100 || large < 12 {
		t.Fatalf("only %d shared ALBs, %d large instances: the instances prove little", shared, large)
	}
}

// normalRoute is a rule's listener, host and path with equivalent spellings
// made one: "/" and "/*" route everything, "/api" and "/api/*" the same prefix.
func normalRoute(listener, host, path string) string {
	if !strings.HasPrefix(path, ExactPrefix) {
		path = strings.TrimRight(strings.TrimSuffix(path, "/*"), "/")
	}
	return listener + "|" + host + "|" + path
}

// On random instances of every cloud, small and large, no two services on one
// shared load balancer route the same host and path (unless one rule routes
// them together): one of them would never receive its requests; and no shared
// load balancer is past a quota.
func TestNoSharedRouteOnRandomInstances(t *testing.T) {
	cat := defaultCatalog(t)
	for _, cloud := range []string{"aws", "gcp", "azure"} {
		r := rand.New(rand.NewPCG(51, uint64(len(cloud))))
		sharedLBs := 0
		for n := 0; n < 240; n++ {
			size := 2 + n%6
			if n >= 200 {
				size = 25 // the heuristic's groups
			}
			d := randomCloudDeclaration(r, cloud, size)
			p, err := Compute(d, cat)
			if err != nil {
				continue
			}
			byKey := map[string]Service{}
			for _, s := range d.Services {
				byKey[s.Key()] = s
			}
			for _, lb := range p.LoadBalancers {
				if len(lb.Services) < 2 || lb.Strategy == "shared-charge" || lb.Strategy == "cluster" {
					continue
				}
				sharedLBs++
				if q := lb.Quotas; q != nil {
					for _, c := range [][2]int{{q.Rules, q.Limits.Rules}, {q.Certificates, q.Limits.Certificates}, {q.TargetGroups, q.Limits.TargetGroups}, {q.Listeners, q.Limits.Listeners}} {
						if c[1] > 0 && c[0] > c[1] {
							t.Fatalf("%s instance %d, %s: quotas %+v", cloud, n, lb.ID, *q)
						}
					}
				}
				owner := map[string]string{}
				for _, key := range lb.Services {
					s := byKey[key]
					if !isL7(s.Protocol) {
						continue
					}
					for _, h := range orAll(s.Hosts, "*") {
						for _, pth := range orAll(s.Paths, "/") {
							route := normalRoute(listenerOf(s), h, pth)
							if o, ok := owner[route]; ok && o != key && !slices.Contains(s.RoutedWith, o) {
								t.Fatalf("%s instance %d, %s: %s and %s both route %s", cloud, n, lb.ID, o, key, route)
							}
							owner[route] = key
						}
					}
				}
			}
		}
		if sharedLBs < 20 {
			t.Fatalf("%s: only %d shared load balancers", cloud, sharedLBs)
		}
	}
}
