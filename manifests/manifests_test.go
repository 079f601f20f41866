package manifests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

func boutique(t *testing.T) []Source {
	t.Helper()
	data, err := os.ReadFile("../examples/manifests/boutique.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return []Source{{Name: "boutique.yaml", Data: data}}
}

func byName(t *testing.T, d *planner.Declaration, name string) planner.Service {
	t.Helper()
	for _, s := range d.Services {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no service %s in %+v", name, d.Services)
	return planner.Service{}
}

func TestReadBoutique(t *testing.T) {
	res, err := Read(boutique(t), Options{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Declaration
	if d.Cloud != "aws" || d.Region != "us-east-1" || len(d.Services) != 8 {
		t.Fatalf("cloud %s region %s, %d services", d.Cloud, d.Region, len(d.Services))
	}
	fe := byName(t, d, "frontend")
	if fe.Protocol != planner.ProtoHTTPS || fe.Audience != planner.AudienceInternet || fe.Current != planner.Ingress ||
		strings.Join(fe.Hosts, ",") != "shop.example.com" || len(fe.Paths) != 0 || fe.Traffic.RequestsPerSecond != planner.Q(250) ||
		fe.LatencyBudgetMs == nil || *fe.LatencyBudgetMs != planner.Q(10) || fe.Labels["app"] != "frontend" {
		t.Fatalf("frontend %+v", fe)
	}
	if co := byName(t, d, "checkout-web"); strings.Join(co.Paths, ",") != "/checkout" || co.Protocol != planner.ProtoHTTPS {
		t.Fatalf("checkout-web %+v", co)
	}
	if api := byName(t, d, "api"); api.Protocol != planner.ProtoGRPC || api.Current != planner.LoadBalancer || api.Audience != planner.AudienceInternet || api.Port != 443 {
		t.Fatalf("api %+v", api)
	}
	if st := byName(t, d, "statsd"); st.Protocol != planner.ProtoUDP || st.Audience != planner.AudienceVPC || strings.Join(st.Needs, ",") != planner.NeedClientIP {
		t.Fatalf("statsd %+v", st)
	}
	// Services nothing routes to stay in the cluster; a single gRPC-named port is gRPC, a tcp one TCP
	if c := byName(t, d, "cartservice"); c.Audience != planner.AudienceCluster || c.Protocol != planner.ProtoGRPC || c.Current != planner.ClusterIP {
		t.Fatalf("cartservice %+v", c)
	}
	if r := byName(t, d, "redis-cart"); r.Protocol != planner.ProtoTCP {
		t.Fatalf("redis-cart %+v", r)
	}
	if err := planner.Validate(d); err != nil {
		t.Fatal(err)
	}
	cat, _ := pricing.Default()
	p, err := planner.Compute(d, cat)
	if err != nil {
		t.Fatal(err)
	}
	if p.Totals.CurrentMonthlyCost == nil || *p.Totals.CurrentMonthlyCost <= p.Totals.MonthlyCost {
		t.Fatalf("today's exposure should cost more than the plan: %+v", p.Totals)
	}
}

const gatewayDocs = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: web}
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners:
    - {name: https, protocol: HTTPS, port: 443}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: site, namespace: web}
spec:
  parentRefs: [{name: public}]
  hostnames: [www.example.com]
  rules:
    - matches: [{path: {type: PathPrefix, value: /shop}}]
      backendRefs: [{name: site, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: rpc, namespace: web}
spec:
  parentRefs: [{name: public}]
  hostnames: [rpc.example.com]
  rules:
    - backendRefs: [{name: rpc, port: 9090}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: mq, namespace: web}
spec:
  parentRefs: [{name: public}]
  hostnames: [mq.example.com]
  rules:
    - backendRefs: [{name: mq, port: 8883}]
---
apiVersion: v1
kind: Service
metadata: {name: site, namespace: web}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: rpc, namespace: web}
spec: {ports: [{port: 9090}]}
---
apiVersion: v1
kind: Service
metadata: {name: mq, namespace: web}
spec: {ports: [{port: 8883}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: web, annotations: {networking.gke.io/load-balancer-type: Internal}}
spec: {type: LoadBalancer, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: web}
spec: {type: ExternalName, externalName: legacy.example.com}
`

func TestReadGatewayAPIAndGKE(t *testing.T) {
	res, err := Read([]Source{{Name: "gw.yaml", Data: []byte(gatewayDocs)}}, Options{Region: "us-central1"})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Declaration
	if d.Cloud != "gcp" {
		t.Fatalf("cloud %s, want gcp inferred from the GKE gateway class and annotations", d.Cloud)
	}
	if s := byName(t, d, "site"); s.Protocol != planner.ProtoHTTPS || strings.Join(s.Paths, ",") != "/shop" || strings.Join(s.Hosts, ",") != "www.example.com" || s.Current != planner.Ingress {
		t.Fatalf("site %+v", s)
	}
	if s := byName(t, d, "rpc"); s.Protocol != planner.ProtoGRPC {
		t.Fatalf("rpc %+v", s)
	}
	if s := byName(t, d, "mq"); s.Protocol != planner.ProtoTLS || strings.Join(s.Needs, ",") != planner.NeedTLSPassthrough || strings.Join(s.Hosts, ",") != "mq.example.com" { // the server name its TLSRoute takes
		t.Fatalf("mq %+v", s)
	}
	if s := byName(t, d, "db"); s.Audience != planner.AudienceVPC || s.Current != planner.LoadBalancer {
		t.Fatalf("db %+v", s)
	}
	if len(d.Services) != 4 || len(res.Warnings) < 1 || !strings.Contains(res.Warnings[0], "ExternalName") {
		t.Fatalf("services %d, warnings %v", len(d.Services), res.Warnings)
	}
	if err := planner.Validate(d); err != nil {
		t.Fatal(err)
	}
}

func TestReadErrorsNameFileLineObjectField(t *testing.T) {
	cases := []struct {
		name, doc, want string
		strict          bool
	}{
		{"missing backend, strict", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec: {defaultBackend: {service: {name: ghost, port: {number: 80}}}}\n",
			`m.yaml:1: Ingress default/i: field backend.service.name: Service default/ghost is not in the manifests`, true},
		{"bad traffic annotation", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations: {lbplanner.io/gb-per-month: lots}\nspec: {ports: [{port: 80}]}\n",
			`m.yaml:1: Service default/web: field metadata.annotations[lbplanner.io/gb-per-month]: "lots" is not a decimal number`, false},
		{"second document", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 1}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {ports: []}\n",
			`m.yaml:6: Service default/b: field spec.ports: a Service needs at least one port`, false},
		{"yaml syntax", "apiVersion: v1\nkind: [\n", `m.yaml: `, false},
		{"duplicate", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 1}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 1}]}\n",
			`m.yaml:6: Service default/a: declared twice`, false},
		{"no services", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", `no Service found in m.yaml`, false},
		{"only aliases", "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {type: ExternalName, externalName: db.example.com}\n", `no Service to plan in m.yaml: the 1 found are ExternalName aliases, outside the cluster`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read([]Source{{Name: "m.yaml", Data: []byte(c.doc)}}, Options{Cloud: "aws", Region: "us-east-1", Strict: c.strict})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("\n got %v\nwant %s", err, c.want)
			}
		})
	}
	// where the manifests run must be said when they do not say it
	svc := []byte("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 1}]}\n")
	if _, err := Read([]Source{{Name: "m.yaml", Data: svc}}, Options{Region: "us-east-1"}); err == nil || !strings.Contains(err.Error(), "pass --cloud") {
		t.Fatalf("no cloud: %v", err)
	}
	if _, err := Read([]Source{{Name: "m.yaml", Data: svc}}, Options{Cloud: "aws"}); err == nil || !strings.Contains(err.Error(), "pass --region") {
		t.Fatalf("no region: %v", err)
	}
}

func TestLooks(t *testing.T) {
	decl, _ := os.ReadFile("../examples/plans/shop.yaml")
	if Looks(decl) {
		t.Fatal("a declaration looks like manifests")
	}
	if !Looks(boutique(t)[0].Data) || !Looks([]byte("---\n---\napiVersion: v1\nkind: Service\n")) {
		t.Fatal("manifests not recognised")
	}
	// JSON: only the top-level keys count (of the first element of an array)
	for doc, want := range map[string]bool{
		`{"metadata": {"name": "a", "kind": "x"}, "apiVersion": "v1", "kind": "Service"}`:    true,
		`[{"apiVersion": "v1", "kind": "Service"}, {"cloud": "aws"}]`:                        true,
		`{"cloud": "aws", "services": [{"name": "kind", "labels": {"apiVersion": "v1"}}]}`:   false,
		`{"cloud": "aws", "note": "a \"kind\": and \"apiVersion\": inside", "services": []}`: false,
		`{"apiVersion": "v1", "spec": {"ports": [{"port": 80}]}, "kind": "Service"}`:         true,
		`[{"cloud": "aws"}, {"apiVersion": "v1", "kind": "Service"}]`:                        false,
	} {
		if got := Looks([]byte(doc)); got != want {
			t.Errorf("Looks(%s) = %v, want %v", doc, got, want)
		}
	}
}

// The declaration import prints parses back and plans like the manifests.
func TestImportedDeclarationRoundTrips(t *testing.T) {
	res, err := Read(boutique(t), Options{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := yaml.NewEncoder(&buf).Encode(res.Declaration); err != nil {
		t.Fatal(err)
	}
	back, err := planner.Parse(buf.Bytes(), "imported.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	cat, _ := pricing.Default()
	p1, err := planner.Compute(res.Declaration, cat)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := planner.Compute(back, cat)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(p1)
	b2, _ := json.Marshal(p2)
	if !bytes.Equal(b1, b2) {
		t.Fatal("the imported declaration plans differently from the manifests")
	}
}

// FuzzRead feeds arbitrary documents to the manifest reader: an error or a
// declaration, never a panic. Seeds: testdata/fuzz/FuzzRead, the examples and testdata clusters.
func FuzzRead(f *testing.F) {
	if data, err := os.ReadFile("../examples/manifests/boutique.yaml"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(gatewayDocs))
	f.Add([]byte(nginxController("\n  replicas: 3", "{requests: {cpu: 100m, memory: 90Mi}, limits: {memory: 1Gi}}"))) // its Deployment: the pods priced
	for _, dir := range []string{"aws-shop", "aws-l4", "aks-bookinfo", "aks-agc", "gke-store", "metal"} {
		files, _ := filepath.Glob(filepath.Join("testdata/clusters", dir, "*.yaml"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	for _, srcs := range [][]Source{traefikCluster(""), nginxCanaryCluster(`, nginx.ingress.kubernetes.io/canary-by-header: x`),
		headerCanaryCluster(`, headers: [{name: x-canary, value: "true"}], method: GET`)} {
		f.Add(srcs[0].Data) // Traefik, canaries split by request
	}
	// and testdata's own clusters (allowedRoutes, class params, redirect actions, restricted proxies)
	roundTrips, _ := filepath.Glob("testdata/roundtrip/*.yaml")
	more, _ := filepath.Glob("testdata/*.yaml")
	for _, file := range append(roundTrips, more...) {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	cat, err := pricing.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		srcs := []Source{{Name: "fuzz.yaml", Data: data}}
		opts := Options{Cloud: "aws", Region: "us-east-1"}
		if len(data) > 0 { // a byte picks the cloud, so that every cloud's rendering is fuzzed
			opts = []Options{opts, {Cloud: "gcp", Region: "us-central1"}, {Cloud: "azure", Region: "eastus2"}}[int(data[len(data)-1])%3]
		}
		res, err := Read(srcs, opts)
		if err != nil {
			return
		}
		if res == nil || res.Declaration == nil || len(res.Declaration.Services) == 0 {
			t.Fatal("no error and no declaration")
		}
		if planner.Validate(res.Declaration) != nil || len(res.Declaration.Services) > 20 { // larger ones plan slowly under the fuzzer
			return
		}
		p, err := planner.Compute(res.Declaration, cat)
		if err != nil {
			return
		}
		// whatever was read and planned can be rendered
		if _, err := Render(srcs, res, p, opts); err != nil {
			t.Fatalf("render: %v", err)
		}
	})
}

func TestServiceAnnotationsSupplyWhatManifestsLack(t *testing.T) {
	doc := `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    lbplanner.io/hosts: a.example.com, b.example.com
    lbplanner.io/paths: /app
    lbplanner.io/traffic: rps=200,gbPerMonth=50,active=10,cps=2
spec:
  type: LoadBalancer
  ports: [{port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  ports: [{port: 5432}]
`
	res, err := Read([]Source{{Name: "m.yaml", Data: []byte(doc)}}, Options{Cloud: "aws", Region: "us-east-1",
		Traffic: map[string]planner.Traffic{"default/db": {GBPerMonth: planner.Q(7)}}})
	if err != nil {
		t.Fatal(err)
	}
	web := byName(t, res.Declaration, "web")
	if strings.Join(web.Hosts, ",") != "a.example.com,b.example.com" || strings.Join(web.Paths, ",") != "/app" || web.Protocol != planner.ProtoHTTP ||
		web.Traffic != (planner.Traffic{RequestsPerSecond: planner.Q(200), GBPerMonth: planner.Q(50), ActiveConnections: planner.Q(10), NewConnectionsPerSecond: planner.Q(2)}) {
		t.Fatalf("web %+v", web)
	}
	if !hasWarning(res, "port 8080 has no name or appProtocol: read as HTTP from its number") {
		t.Errorf("warnings %v", res.Warnings)
	}
	if db := byName(t, res.Declaration, "db"); !db.Headless || db.Traffic.GBPerMonth != planner.Q(7) {
		t.Fatalf("db %+v", db)
	}
	bad := strings.Replace(doc, "rps=200", "rps=lots", 1)
	if _, err := Read([]Source{{Name: "m.yaml", Data: []byte(bad)}}, Options{Cloud: "aws", Region: "us-east-1"}); err == nil ||
		!strings.Contains(err.Error(), "m.yaml:1: Service default/web: field metadata.annotations[lbplanner.io/traffic]: rps:") {
		t.Fatalf("bad traffic: %v", err)
	}
}

func TestPortsReadOneByOne(t *testing.T) {
	doc := `apiVersion: v1
kind: Service
metadata:
  name: edge
  annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing}
spec:
  type: LoadBalancer
  ports:
    - {name: web, port: 80}
    - {port: 443}
    - {name: dns, port: 53, protocol: UDP}
    - {name: dns-tcp, port: 53}
`
	res, err := Read([]Source{{Name: "m.yaml", Data: []byte(doc)}}, Options{Cloud: "aws", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	edge := byName(t, res.Declaration, "edge")
	var ports []string
	for _, p := range edge.Ports {
		ports = append(ports, fmt.Sprintf("%d/%s", p.Port, p.Protocol))
	}
	if edge.Protocol != planner.ProtoHTTP || strings.Join(ports, ",") != "80/HTTP,443/HTTPS,53/UDP,53/TCP" ||
		edge.CurrentLoadBalancer == nil || edge.CurrentLoadBalancer.Kind != planner.CurrentNLB || edge.Audience != planner.AudienceInternet {
		t.Fatalf("edge %+v (ports %v)", edge, ports)
	}
	// an NLB of its own: 80, 443 and a TCP_UDP 53: three listeners; no shared HTTP load balancer takes UDP
	cat, _ := pricing.Default()
	if err := planner.Validate(res.Declaration); err != nil {
		t.Fatal(err)
	}
	p, err := planner.Compute(res.Declaration, cat)
	if err != nil {
		t.Fatal(err)
	}
	if p.Services[0].Exposure != planner.LoadBalancer || !strings.Contains(p.Services[0].Reason, "port 53 (UDP) cannot go through a shared HTTP load balancer") {
		t.Fatalf("edge plan %+v", p.Services[0])
	}
}

func TestParseTraffic(t *testing.T) {
	got, err := ParseTraffic([]byte("shop/web: {requestsPerSecond: 5, gbPerMonth: 1.5}\n"), "t.yaml")
	if err != nil || got["shop/web"].GBPerMonth != planner.Q(3)/2 {
		t.Fatalf("%v %v", got, err)
	}
	for _, bad := range []string{"web: {gbPerMonth: 1}\n", "shop/web: {gb: 1}\n", "shop/web: {gbPerMonth: -1}\n", "- a\n"} {
		if _, err := ParseTraffic([]byte(bad), "t.yaml"); err == nil || !strings.HasPrefix(err.Error(), "t.yaml") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// A second ingress-nginx installed for internal services names a controller
// value of its own (the chart's controllerValue, k8s.io/internal-ingress-nginx
// by convention): read as ingress-nginx, internal by its class's name. It was
// an unknown, internet-facing proxy, so a plan added an internal ingress-nginx
// beside it that render wrote as the same class.
func TestSecondIngressNginxController(t *testing.T) {
	for _, c := range []struct{ class, controller, scheme string }{
		{"internal-nginx", "k8s.io/internal-ingress-nginx", "internal"},
		{"nginx-internal", "k8s.io/ingress-nginx-internal", "internal"},
		{"nginx-public", "k8s.io/ingress-nginx-public", planner.AudienceInternet},
	} {
		data := serviceDocs("shop", "web") + `
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: ` + c.class + `}
spec: {controller: ` + c.controller + `}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: ` + c.class + `
  rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(data)}}, Options{Cloud: "aws", Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		lb := res.Declaration.Services[0].CurrentLoadBalancer
		if lb == nil || lb.Kind != planner.CurrentProxy || lb.Scheme != c.scheme || res.Declaration.Proxy == nil || res.Declaration.Proxy.Implementation != planner.ProxyIngressNginx {
			t.Errorf("%s: today %+v, proxy %+v; want ingress-nginx, %s", c.class, lb, res.Declaration.Proxy, c.scheme)
		}
		if hasWarning(res, "does not know") {
			t.Errorf("%s: warned %v", c.class, res.Warnings)
		}
	}
}
