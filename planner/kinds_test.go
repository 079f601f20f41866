package planner

import (
	"slices"
	"testing"
)

// Every kind a cloud offers is described in full, every strategy a cloud
// accepts names one of its shared kinds, and every current kind a cloud
// knows maps to one of its kinds.
func TestEveryKindIsDescribed(t *testing.T) {
	for name, c := range clouds {
		if len(c.kinds) == 0 || c.dedicated == nil || c.ingress == nil || (c.tiers != nil) != (c.tierKind != "") {
			t.Errorf("%s: no kinds, no default kinds, or tiers half described", name)
		}
		if f := c.proxy; f.id == nil || f.path == nil || f.nodeHop == nil || f.staticIP == nil || f.cost == nil {
			t.Errorf("%s: the load balancer in front of its proxy is not described in full", name)
		}
		strategies := map[string]bool{}
		for _, k := range c.kinds {
			s := k.spec()
			if s.label == "" || s.exposure == "" || s.id == nil || s.path == nil || s.latency == nil {
				t.Errorf("%s: kind %d has no label, exposure, id, path or latency", name, k)
			}
			if s.exposure != NodePort && (s.cost == nil || s.render == nil) {
				t.Errorf("%s: kind %s has no cost or rendering", name, s.label)
			}
			if (s.name == nil) != (s.strategy != "") {
				t.Errorf("%s: kind %s: a load balancer of its own is named by its kind, a shared one by its strategy", name, s.label)
			}
			if s.strategy != "" {
				strategies[s.strategy] = true
				if s.lbs != 1 || (s.exposure != Ingress && !(s.exposure == LoadBalancer && c.addressesFirst)) {
					t.Errorf("%s: shared kind %s must add one load balancer and be an Ingress exposure (or, on bare metal, LoadBalancer Services sharing an address)", name, s.label)
				}
			}
		}
		for _, st := range CloudStrategies[name] {
			if !strategies[st] {
				t.Errorf("%s: strategy %s has no kind", name, st)
			}
		}
		for _, cur := range CurrentLBKinds[name] {
			if _, ok := kindOfCurrent(name, cur); !ok {
				t.Errorf("%s: current kind %s names no kind", name, cur)
			}
		}
	}
	if got := slices.Sorted(func(yield func(string) bool) {
		for name := range clouds {
			if !yield(name) {
				return
			}
		}
	}); !slices.Equal(got, []string{"aws", "azure", "baremetal", "gcp"}) {
		t.Errorf("clouds registered: %v", got)
	}
}

// A Service's ports count as AWS and GCP count them: an NLB listener per
// distinct port (TCP and UDP on one port are one TCP_UDP listener), a GCP
// forwarding rule per layer-4 protocol, an Azure rule per port.
func TestPreparePortsCounts(t *testing.T) {
	svc := Service{Name: "dns", Protocol: ProtoTCP, Port: 53, Audience: AudienceInternet, Ports: []ServicePort{
		{Port: 53, Protocol: ProtoUDP}, {Port: 53, Protocol: ProtoTCP}, {Port: 80, Protocol: ProtoTCP}, {Port: 8443, Protocol: ProtoTCP},
	}}
	m, err := newModel(&Declaration{Cloud: "aws", Region: "us-east-1", Services: []Service{svc}}, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	si := &m.svcs[0]
	if si.nlbPorts != 3 || si.lbRules[kGCPLB] != 2 || si.lbRules[kAzureLB] != 4 {
		t.Fatalf("NLB listeners %d (want 3), GCP rules %d (want 2), Azure rules %d (want 4)", si.nlbPorts, si.lbRules[kGCPLB], si.lbRules[kAzureLB])
	}
}

// routeKey makes one spelling of a path's routes, whatever the path holds.
func TestRouteKey(t *testing.T) {
	for r, want := range map[string]string{
		"HTTP:80|a.example.com|/":  "HTTP:80|a.example.com|",
		"HTTP:80|a.example.com|/*": "HTTP:80|a.example.com|",
		"HTTP:80|*|/api/*":         "HTTP:80|*|/api",
		"HTTP:80|*|/api/":          "HTTP:80|*|/api",
		"HTTPS:443|*|=/api/":       "HTTPS:443|*|=/api/",
		"HTTPS:443|*|/static*":     "HTTPS:443|*|/static*",
		"HTTPS:443|*|/a|b/*":       "HTTPS:443|*|/a|b",
		l4Route + "53/UDP":         l4Route + "53/UDP",
	} {
		if got := routeKey(r); got != want {
			t.Errorf("routeKey(%q) = %q, want %q", r, got, want)
		}
	}
}
