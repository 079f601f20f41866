package planner

import (
	"strings"
	"testing"
)

// A proxy that redirects every plain-HTTP request to HTTPS (Traefik's
// entry-point redirection, proxy.redirectsHTTP) takes the HTTPS services
// and never a plain-HTTP one, which it would only redirect: the plain one
// gets a load balancer of its own (the proxy strategy alone enabled). By
// hand (us-east-1): its NLB 730 h x $0.0225 = $16.43 and two public IPv4
// addresses 1,460 h x $0.005 = $7.30 (no traffic): $23.73.
func TestProxyRedirectsHTTP(t *testing.T) {
	d := &Declaration{Cloud: "aws", Region: "us-east-1", Strategies: []string{StrategyProxy},
		Proxy:    &ProxySizing{Implementation: ProxyTraefik, RedirectsHTTP: true},
		Services: []Service{web("a", 0, 0, 0, 0, "a.example.com"), web("b", 0, 0, 0, 0, "b.example.com"), web("plain", 0, 0, 0, 0, "p.example.com")}}
	d.Services[2].Protocol, d.Services[2].Port = ProtoHTTP, 80
	p := mustPlan(t, d)
	row := svcByName(t, p, "plain")
	if row.Exposure != LoadBalancer || row.MonthlyCost.String() != "23.73" || !strings.Contains(row.Reason, "the proxy redirects every plain-HTTP request to HTTPS (proxy.redirectsHTTP)") {
		t.Fatalf("plain: %s $%s (%s); want its own NLB, $23.73, said why", row.Exposure, row.MonthlyCost, row.Reason)
	}
	for _, n := range []string{"a", "b"} {
		if r := svcByName(t, p, n); r.Exposure != Ingress {
			t.Fatalf("%s: %s, want the proxy", n, r.Exposure)
		}
	}
	d.Proxy.RedirectsHTTP = false
	if r := svcByName(t, mustPlan(t, d), "plain"); r.Exposure != Ingress {
		t.Fatalf("without the redirect: plain on %s, want the proxy", r.Exposure)
	}
	// the field reads from a declaration file, JSON and YAML alike
	for _, src := range []string{`{"cloud": "aws", "region": "us-east-1", "proxy": {"implementation": "traefik", "redirectsHTTP": true}, "services": [{"name": "x", "protocol": "HTTP", "port": 80, "audience": "internet"}]}`,
		"cloud: aws\nregion: us-east-1\nproxy: {implementation: traefik, redirectsHTTP: true}\nservices:\n  - {name: x, protocol: HTTP, port: 80, audience: internet}\n"} {
		got, err := ParseRaw([]byte(src), "d")
		if err != nil || got.Proxy == nil || !got.Proxy.RedirectsHTTP {
			t.Fatalf("%s: %+v, %v", src, got.Proxy, err)
		}
	}
}
