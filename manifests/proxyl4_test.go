package manifests

import (
	"os"
	"strings"
	"testing"
)

// readCluster reads a test cluster written beside the test.
func readCluster(t *testing.T, name string) []Source {
	t.Helper()
	data, err := os.ReadFile("testdata/roundtrip/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return []Source{{Name: "cluster.yaml", Data: data}}
}

// A Traefik proxy routing a web service by HTTP and a database by an
// IngressRouteTCP keeps both: by hand (us-east-1), its NLB $16.43, 10 GB
// of NLCU $0.06, two IPv4 addresses $7.30, cross-zone 10 GB x 1/2 x 2 ways
// x $0.01 = $0.10 (Traefik's pods priced at 0 until declared): $23.89, as
// today. Before, the route was not read: the database was planned as
// reachable in the cluster only, the web service went to an NLB of its own
// ($23.79) and render deleted the Traefik Service that still served the
// database.
func TestTraefikTCPRouteKeepsItsProxy(t *testing.T) {
	srcs := readCluster(t, "aws_us-east-1_traefik-tcp.yaml")
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	if row := planRow(t, p, "shop/db"); row.LoadBalancer == nil || *row.LoadBalancer != "traefik" || p.Totals.MonthlyCost.String() != "23.89" {
		t.Fatalf("shop/db on %v, total %s; want traefik, $23.89", row.LoadBalancer, p.Totals.MonthlyCost)
	}
	if r := mustRender(t, srcs, res, p, opts); len(r.Files) != 0 || len(r.Deleted) != 0 {
		t.Fatalf("render changes %v", r.Changes)
	}
	planRenderReplan(t, "Traefik TCP", srcs, opts)
}

// An Envoy Gateway routing a web service (HTTPRoute) and a database
// (TCPRoute) keeps both on AWS: NLB $16.43 + $0.06 NLCU + $7.30 IPv4, its
// pods 146 vCPU-h x $0.04048 = $5.91 and 730 GiB-h x $0.004445 = $3.24,
// cross-zone $0.10: $33.04, today's cost (the plan was $47.52, "today's
// proxy is ruled out"). On Azure both move to load balancers of their own
// and the TCPRoute goes with the Gateway.
func TestGatewayTCPRouteOnProxy(t *testing.T) {
	srcs := readCluster(t, "aws_us-east-1_envoy-tcproute.yaml")
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	_, p := planSources(t, srcs, opts)
	if p.Totals.MonthlyCost.String() != "33.04" || p.Totals.CurrentMonthlyCost.String() != "33.04" {
		t.Fatalf("plan %s, today %s; want $33.04 both", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	planRenderReplan(t, "Envoy TCPRoute", srcs, opts)
	opts = Options{Cloud: "azure", Region: "eastus2"}
	res, p := planSources(t, srcs, opts)
	r := mustRender(t, srcs, res, p, opts)
	if !strings.Contains(strings.Join(r.Deleted, "\n"), "TCPRoute shop/db") {
		t.Fatalf("Azure: deleted %v, want the TCPRoute", r.Deleted)
	}
	planRenderReplan(t, "Envoy TCPRoute on Azure", srcs, opts)
}

// ingress-nginx's tcp-services and udp-services ConfigMaps route a
// database and DNS through its load balancer: on AWS they stay (NLB $16.43,
// 110 GB of NLCU $0.66, IPv4 $7.30, pods 146 vCPU-h x $0.04048 = $5.91 and
// 131.4 GiB-h x $0.004445 = $0.58, cross-zone 110 GB x 1/2 x 2 x $0.01 =
// $1.10: $31.98, today's cost); on GCP every service is cheaper on a
// load balancer of its own, and render takes them out of the ConfigMaps.
func TestNginxTCPServicesRead(t *testing.T) {
	srcs := readCluster(t, "aws_us-east-1_nginx-tcp-services.yaml")
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	for _, k := range []string{"shop/db", "kube-system/dns"} {
		if row := planRow(t, p, k); row.LoadBalancer == nil || *row.LoadBalancer != "nginx" {
			t.Fatalf("%s on %v, want today's nginx", k, row.LoadBalancer)
		}
	}
	if p.Totals.MonthlyCost.String() != "31.98" || p.Totals.CurrentMonthlyCost.String() != "31.98" {
		t.Fatalf("plan %s, today %s; want $31.98 both", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	if r := mustRender(t, srcs, res, p, opts); len(r.Files) != 0 || len(r.Deleted) != 0 {
		t.Fatalf("render changes %v", r.Changes)
	}
	opts = Options{Cloud: "gcp", Region: "us-central1"}
	res, p = planSources(t, srcs, opts)
	r := mustRender(t, srcs, res, p, opts)
	out := string(r.Files[0].Data)
	if strings.Contains(out, "shop/db:5432") || strings.Contains(out, "kube-system/dns:53") || !strings.Contains(strings.Join(r.Changes, "\n"), "ConfigMap ingress-nginx/ingress-nginx-tcp: shop/db (port 5432) taken out") {
		t.Fatalf("GCP: changes %v\n%s", r.Changes, out)
	}
	planRenderReplan(t, "nginx tcp-services on GCP", srcs, opts)
}

// An entry of ingress-nginx's tcp-services that is not namespace/name:port
// is an error naming the ConfigMap and the entry.
func TestNginxTCPServicesBadEntry(t *testing.T) {
	for value, want := range map[string]string{
		`"5432": shop-db:5432`:   `ConfigMap ingress-nginx/tcp-services: field data[5432]: "shop-db:5432" is not namespace/name:port`,
		`"99999": shop/db:5432`:  `field data[99999]: "99999" is not a port (1 to 65535)`,
		`"5432": "shop/db"`:      `field data[5432]: "shop/db" is not namespace/name:port`,
		`"5432": shop/db:5432:x`: `field data[5432]: "shop/db:5432:x" is not namespace/name:port`,
	} {
		data := serviceDocs("shop", "db") + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: tcp-services, namespace: ingress-nginx}\ndata: {" + value + "}\n"
		_, err := Read([]Source{{Name: "c.yaml", Data: []byte(data)}}, Options{Cloud: "aws", Region: "us-east-1"})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %s", value, err, want)
		}
	}
	for _, ok := range []string{"shop/db:5432", "shop/db:5432:PROXY", "shop/db:pg::PROXY", "shop/db:5432:PROXY:PROXY"} {
		if key, _, err := nginxL4Target("5432", ok); err != nil || key != "shop/db" {
			t.Errorf("%s: %q %v", ok, key, err)
		}
	}
}

// A service the plan moves off the Istio ingress gateway leaves its
// VirtualService (here the last route: the VirtualService goes). Left, the
// route still sent it requests through the gateway: read back, the service
// was on both, $54.21 against the plan's $23.76 (its own NLB: $16.43 + 5 GB
// of NLCU $0.03 + IPv4 $7.30).
func TestVirtualServiceLeftByMovedService(t *testing.T) {
	srcs := readCluster(t, "aws_us-east-1_istio-virtualservice.yaml")
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	if p.Totals.MonthlyCost.String() != "23.76" {
		t.Fatalf("plan %s, want $23.76", p.Totals.MonthlyCost)
	}
	r := mustRender(t, srcs, res, p, opts)
	if !strings.Contains(strings.Join(r.Deleted, "\n"), "VirtualService shop/web") {
		t.Fatalf("deleted %v, want the VirtualService", r.Deleted)
	}
	planRenderReplan(t, "Istio VirtualService", srcs, opts)
}
