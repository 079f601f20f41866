package manifests

import (
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// metricsPortCluster is, on AKS, a TCP/UDP LoadBalancer (web/svc0), an HTTP
// Service with a metrics port beside its routed one (web/svc4: ports 80 and
// 9090, 485 GB a month) and a plain one (shop/svc5), the last two behind
// Application Gateway Ingresses.
const metricsPortCluster = `apiVersion: v1
kind: Service
metadata: {name: svc0, namespace: web, annotations: {lbplanner.io/traffic: "rps=357,gbPerMonth=1094"}}
spec:
  type: LoadBalancer
  ports: [{name: a, port: 5000, protocol: TCP}, {name: b, port: 5001, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: svc4, namespace: web, annotations: {lbplanner.io/traffic: "rps=420,gbPerMonth=485"}}
spec:
  ports: [{name: http, port: 80}, {name: metrics, port: 9090}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: svc4, namespace: web}
spec:
  ingressClassName: azure-application-gateway
  rules:
    - host: h0.example.com
      http:
        paths: [{path: /p4, pathType: Prefix, backend: {service: {name: svc4, port: {number: 80}}}}]
---
apiVersion: v1
kind: Service
metadata: {name: svc5, namespace: shop}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: svc5, namespace: shop}
spec:
  ingressClassName: azure-application-gateway
  rules:
    - host: h1.example.com
      http:
        paths: [{path: /p5, pathType: Prefix, backend: {service: {name: svc5, port: {number: 80}}}}]
`

// A Service routed on one port with another only the cluster reaches (a
// metrics port) is never made a LoadBalancer: that Service type would expose
// the metrics port to the internet too. It was (web/svc4 on its own Azure LB,
// $18.85 in all), and read back the plan cost $26.15 with a rule more.
// By hand, Azure eastus2: svc0 on its own LB, IP 730 h x $0.005 = $3.65 and
// 1,094 GB x $0.005 = $5.47: $9.12; svc4 and svc5 on the in-cluster proxy
// behind one LB: IP $3.65, 485 GB x $0.005 = $2.43, proxy pods 146 vCPU-h x
// $0.0405 = $5.91 and 730 GiB-h x $0.00445 = $3.25: $15.24; in all $24.36.
func TestClusterPortsAreNotExposed(t *testing.T) {
	srcs := []Source{{Name: "c.yaml", Data: []byte(metricsPortCluster)}}
	opts := Options{Cloud: "azure", Region: "eastus2"}
	res, p := planSources(t, srcs, opts)
	var svc4 *planner.Service
	for i := range res.Declaration.Services {
		if s := &res.Declaration.Services[i]; s.Key() == "web/svc4" {
			svc4 = s
		}
	}
	if svc4 == nil || !slices.Equal(svc4.ClusterPorts, []int{9090}) || svc4.Port != 80 {
		t.Fatalf("web/svc4 read as %+v, want port 80 with clusterPorts [9090]", svc4)
	}
	if row := planRow(t, p, "web/svc4"); row.Exposure == planner.LoadBalancer || row.Exposure == planner.NodePort {
		t.Fatalf("web/svc4 planned %s: it would expose its metrics port", row.Exposure)
	}
	if got := p.Totals.MonthlyCost.String(); got != "24.36" {
		t.Fatalf("total %s, want $24.36 by hand", got)
	}
	planRenderReplan(t, "metrics port", srcs, opts)

	// pinned to a LoadBalancer, it is an error naming the field
	d := *res.Declaration
	d.Services = slices.Clone(d.Services)
	for i := range d.Services {
		if d.Services[i].Key() == "web/svc4" {
			d.Services[i].Pin = planner.LoadBalancer
		}
	}
	if err := planner.Validate(&d); err == nil || !strings.Contains(err.Error(), "clusterPorts [9090]") {
		t.Fatalf("pinned: %v", err)
	}
}

// Ports a route reaches (by number or by name) are not cluster ports, nor
// is any port of a Service that is a LoadBalancer or NodePort already, unless
// its node ports are an ALB's instance targets (nodePortForIngress).
func TestClusterPortsRead(t *testing.T) {
	for _, c := range []struct {
		name, spec, backend, class string
		want                       []int
	}{
		{"by number", "ports: [{name: http, port: 80}, {name: metrics, port: 9090}, {name: dns, port: 53, protocol: UDP}]", "port: {number: 80}", "alb", []int{9090, 53}},
		{"by name", "ports: [{name: metrics, port: 9090}, {name: http, port: 80}]", "port: {name: http}", "alb", []int{9090}},
		{"one port", "ports: [{name: http, port: 80}]", "port: {number: 80}", "alb", nil},
		{"already exposed", "type: NodePort\n  ports: [{name: http, port: 80}, {name: metrics, port: 9090}]", "port: {number: 80}", "nginx", nil},
		{"the ALB's instance targets", "type: NodePort\n  ports: [{name: http, port: 80}, {name: metrics, port: 9090}]", "port: {number: 80}", "alb", []int{9090}},
	} {
		data := `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  ` + c.spec + `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: ` + c.class + `
  rules:
    - host: shop.example.com
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: web, ` + c.backend + `}}}]
`
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(data)}}, Options{Cloud: "aws", Region: "us-east-1"})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := res.Declaration.Services[0].ClusterPorts; !slices.Equal(got, c.want) {
			t.Errorf("%s: clusterPorts %v, want %v", c.name, got, c.want)
		}
	}
}
