package manifests

import (
	"strings"
	"testing"
)

const crossZoneManifests = `apiVersion: v1
kind: Service
metadata:
  name: dns
  namespace: edge
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: external
    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
    service.beta.kubernetes.io/aws-load-balancer-attributes: access_logs.s3.enabled=true, load_balancing.cross_zone.enabled=true
    lbplanner.io/gb-per-month: "100"
spec:
  type: LoadBalancer
  ports: [{name: dns, port: 53, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  trafficDistribution: PreferClose
  ports: [{name: http, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`

// Today's cross-zone settings are read from the manifests: an NLB with
// load_balancing.cross_zone.enabled on among its attributes, the proxy's
// backends kept in their zone (trafficDistribution: PreferClose). The NLB's
// line is $1.00 (100 GB x 1/2 x 2 ways x $0.01); a Service the plan makes an
// NLB gets the attribute.
func TestCrossZoneReadFromManifests(t *testing.T) {
	srcs := []Source{{Name: "cz.yaml", Data: []byte(crossZoneManifests)}}
	res, p := planSources(t, srcs, Options{Cloud: "aws", Region: "us-east-1"})
	cz := res.Declaration.CrossZone
	if cz == nil || cz.NLB == nil || !*cz.NLB || cz.Proxy == nil || *cz.Proxy {
		t.Fatalf("cross zone %+v", cz)
	}
	found := false
	for _, lb := range p.LoadBalancers {
		for _, l := range lb.Costs {
			if strings.HasPrefix(l.Name, "cross-zone") {
				found = found || (lb.ID == "nlb-edge-dns" && l.MonthlyCost.String() == "1.00")
				if lb.ID != "nlb-edge-dns" {
					t.Errorf("%s has a cross-zone line: %s", lb.ID, l.Name)
				}
			}
		}
	}
	if !found {
		t.Fatalf("no $1.00 cross-zone line on nlb-edge-dns: %+v", p.LoadBalancers)
	}
	r, err := Render(srcs, res, p, Options{Cloud: "aws", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	// web alone costs less on an NLB of its own than behind the proxy: its
	// Service becomes one, cross-zone like the others; dns is kept as it is
	if len(r.Files) != 1 || !strings.Contains(strings.Join(r.Changes, "\n"), "Service shop/web: ClusterIP -> LoadBalancer") ||
		strings.Contains(strings.Join(r.Changes, "\n"), "edge/dns") {
		t.Fatalf("changes %q", r.Changes)
	}
	web := string(r.Files[0].Data)
	web = web[strings.Index(web, "name: web"):]
	if !strings.Contains(web, "service.beta.kubernetes.io/aws-load-balancer-attributes: load_balancing.cross_zone.enabled=true") {
		t.Fatalf("web's Service:\n%s", web)
	}
}

func TestMergeAttributes(t *testing.T) {
	for _, c := range []struct{ today, planned, want string }{
		{"", "load_balancing.cross_zone.enabled=true", "load_balancing.cross_zone.enabled=true"},
		{"access_logs.s3.enabled=true, load_balancing.cross_zone.enabled=false", "load_balancing.cross_zone.enabled=true",
			"access_logs.s3.enabled=true,load_balancing.cross_zone.enabled=true"},
		{"deletion_protection.enabled=true", "preserve_client_ip.enabled=true", "deletion_protection.enabled=true,preserve_client_ip.enabled=true"},
	} {
		if got := mergeAttributes(c.today, c.planned); got != c.want {
			t.Errorf("merge(%q, %q) = %q, want %q", c.today, c.planned, got, c.want)
		}
	}
}
