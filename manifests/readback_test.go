package manifests

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"go.yaml.in/yaml/v3"
)

// readService reads manifests (aws, us-east-1) and returns the declared
// service key.
func readService(t *testing.T, docs, key string) planner.Service {
	t.Helper()
	res, err := Read([]Source{{Name: "c.yaml", Data: []byte(docs + "\n")}}, Options{Cloud: "aws", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(res.Declaration.Services, func(s planner.Service) bool { return s.Key() == key })
	if i < 0 {
		t.Fatalf("no service %s", key)
	}
	return res.Declaration.Services[i]
}

// What the round trip's routing check (routingChanged) found read otherwise
// before render than after, each read as its controller routes it.
func TestReadAsRouted(t *testing.T) {
	nginx := ingressNginxDocs
	canary := func(extra string, defaults bool) string {
		docs := nginx + serviceDocs("shop", "web", "web-canary") + `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop` + extra + `}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: web, port: {number: 80}}}
  rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web-canary, namespace: shop, annotations: {nginx.ingress.kubernetes.io/canary: "true", nginx.ingress.kubernetes.io/canary-weight: "10"}}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: web-canary, port: {number: 80}}}
  rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web-canary, port: {number: 80}}}}]}}]`
		if !defaults {
			docs = strings.NewReplacer("  defaultBackend: {service: {name: web, port: {number: 80}}}\n", "", "  defaultBackend: {service: {name: web-canary, port: {number: 80}}}\n", "").Replace(docs)
		}
		return docs
	}
	// a TCP service of ingress-nginx's tcp-services splits no request with a canary's catch-all (it was tied to it)
	db := readService(t, canary("", true)+`
---
apiVersion: v1
kind: ConfigMap
metadata: {name: tcp-services, namespace: ingress-nginx}
data: {"5432": shop/db:5432}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {ports: [{name: pg, port: 5432}]}`, "shop/db")
	if db.Protocol != planner.ProtoTCP || len(db.RoutedWith) != 0 {
		t.Errorf("db: %s routed with %v, want TCP alone", db.Protocol, db.RoutedWith)
	}
	// a canary of an Ingress that forces HTTPS is redirected likewise (it was read as plain HTTP)
	c := readService(t, canary(`, annotations: {nginx.ingress.kubernetes.io/force-ssl-redirect: "true"}`, false), "shop/web-canary")
	if plain, redirect := c.PlainHTTP(); c.Protocol != planner.ProtoHTTPS || !plain || !redirect {
		t.Errorf("canary: %s, plain %v, redirected %v; want HTTPS, plain HTTP redirected", c.Protocol, plain, redirect)
	}
	// a gRPC port routed over HTTPS is a gRPC service (it was read as HTTPS)
	g := readService(t, nginx+`apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {ports: [{name: grpc, port: 9090, appProtocol: kubernetes.io/h2c}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: cart, namespace: shop}
spec:
  ingressClassName: nginx
  tls: [{hosts: [grpc.example.com], secretName: grpc-tls}]
  rules: [{host: grpc.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: cart, port: {number: 9090}}}}]}}]`, "shop/cart")
	if g.Protocol != planner.ProtoGRPC {
		t.Errorf("cart: %s, want GRPC", g.Protocol)
	}
}

// A TLS service routed by its server name that the plan gives a load
// balancer of its own keeps its protocol and hosts on its Service
// (lbplanner.io/protocol and hosts): read back, it was HTTPS (its port's
// name) with no host.
func TestTLSRouteKeptOnItsService(t *testing.T) {
	n := parseNode(t, "metadata: {name: mqtt, namespace: iot}")
	if !keepRouting(path(n, "metadata"), planner.Service{Protocol: planner.ProtoTLS, Hosts: []string{"mqtt.example.com"}}) {
		t.Fatal("nothing kept")
	}
	if got := scalar(n, "metadata", "annotations", AnnProtocol) + " " + scalar(n, "metadata", "annotations", AnnHosts); got != "TLS mqtt.example.com" {
		t.Errorf("kept %q", got)
	}
	if keepRouting(path(parseNode(t, "metadata: {name: db}"), "metadata"), planner.Service{Protocol: planner.ProtoTCP}) {
		t.Error("a TCP service's port says all")
	}
}

// A Service whose Ingress's default backend it is, moved onto a Gateway's
// route, loses that catch-all (the route has its hosts and paths): render
// says so, naming the Ingress and the Service.
func TestLostCatchAllWarned(t *testing.T) {
	data, err := os.ReadFile("testdata/catch-all-onto-gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	if row := planRow(t, p, "web/blog"); row.LoadBalancer == nil || *row.LoadBalancer != "gateway:edge/edge" {
		t.Fatalf("blog on %v, want the Envoy Gateway", row.LoadBalancer)
	}
	r := mustRender(t, srcs, res, p, opts)
	if w := strings.Join(r.Warnings, "\n"); !strings.Contains(w, "Ingress web/blog's default backend, Service web/blog, took every request no rule matched") {
		t.Errorf("warnings:\n%s", w)
	}
}

// Services of two namespaces planned on one NLB Gateway (the gateway
// strategy) get one Gateway, in the first namespace, whose listeners take
// the other's routes: render wrote a Gateway per namespace, two NLBs where
// the plan priced one ($47.46 today once applied, against $23.73: an NLB's
// hours $16.43 and two IPv4 addresses $7.30).
func TestNLBGatewayAcrossNamespaces(t *testing.T) {
	data, err := os.ReadFile("testdata/nlb-gateway-two-namespaces.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyALB, planner.StrategyGateway, planner.StrategyProxy})
	if p.Totals.MonthlyCost.String() != "23.73" {
		t.Fatalf("plan %s, want one NLB Gateway, $23.73", p.Totals.MonthlyCost)
	}
	roundTrip(t, srcs, res, p, opts, []string{"Gateway infra/gateway-internet-1: new", "Service play/game: routed through Gateway infra/gateway-internet-1"}, nil)
}

// A TLS service routed through an NLB Gateway's TLSRoute keeps the server
// names it is routed by (its hostnames; they were left out, and read back
// the service had none).
func TestTLSRouteOfNLBGatewayHasHostnames(t *testing.T) {
	routes := l4Routes("iot", "iot", "gateway-internet-1", planner.Service{Name: "mqtt", Namespace: "iot", Protocol: planner.ProtoTLS, Port: 8883, Hosts: []string{"mqtt.example.com"}}, seq())
	if len(routes) != 1 || scalar(routes[0], "kind") != "TLSRoute" || len(seqItems(path(routes[0], "spec", "hostnames"))) != 1 || seqItems(path(routes[0], "spec", "hostnames"))[0].Value != "mqtt.example.com" {
		out, _ := encode(&yaml.Node{Kind: yaml.DocumentNode, Content: routes[:1]}, false)
		t.Errorf("route:\n%s", out)
	}
}

// A TCP Service the plan moves onto today's NLB Gateway (the gateway
// strategy) gets a listener there and a TCPRoute: render wrote an HTTPRoute
// to its HTTPS listener, which it does not have. By hand (us-east-1, both
// internal): today the Gateway's NLB and the Service's own, 2 x $16.43 =
// $32.86; planned, one, $16.43.
func TestTCPOntoTodaysNLBGateway(t *testing.T) {
	data, err := os.ReadFile("testdata/tcp-onto-todays-nlb-gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyALB, planner.StrategyGateway, planner.StrategyProxy})
	if p.Totals.MonthlyCost.String() != "16.43" || p.Totals.CurrentMonthlyCost.String() != "32.86" {
		t.Fatalf("plan %s, today %s; want $16.43 and $32.86", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	roundTrip(t, srcs, res, p, opts, []string{"Gateway edge/l4: 1 listener(s) added for Service shop/db", "Service shop/db: routed through Gateway edge/l4"}, nil)
	r := mustRender(t, srcs, res, p, opts)
	if out := string(r.New); !strings.Contains(out, "kind: TCPRoute") || strings.Contains(out, "HTTPRoute") {
		t.Errorf("new objects:\n%s", out)
	}
}

// UDP Services the plan moves out of ingress-nginx's udp-services onto a new
// NLB Gateway (the gateway strategy) are routed there: they were taken out
// of the ConfigMap and routed nowhere. By hand (us-east-1): today
// ingress-nginx's NLB and addresses $23.73 and pods $6.49, $30.22; planned,
// one NLB Gateway, $23.73.
func TestUDPServicesOntoNLBGateway(t *testing.T) {
	data, err := os.ReadFile("testdata/udp-services-onto-nlb-gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyALB, planner.StrategyGateway, planner.StrategyProxy})
	if p.Totals.MonthlyCost.String() != "23.73" || p.Totals.CurrentMonthlyCost.String() != "30.22" {
		t.Fatalf("plan %s, today %s; want $23.73 and $30.22", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	roundTrip(t, srcs, res, p, opts, []string{"Service shop/dns: routed through Gateway shop/gateway-internet-1", "Service web/syslog: routed through Gateway shop/gateway-internet-1"},
		[]string{"Service ingress-nginx/ingress-nginx-controller (and its proxy: no service is routed through it any more)"})
}

// An ALB forward action weighting two Services (cart 90, cart-v2 10) moved
// onto a new Gateway is one route weighting both, as the action did: render
// wrote a route for each Service, the same path twice, the weights lost.
func TestALBWeightsOntoGateway(t *testing.T) {
	data, err := os.ReadFile("testdata/alb-weights-onto-gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyGateway})
	if row := planRow(t, p, "shop/cart-v2"); row.LoadBalancer == nil || *row.LoadBalancer != "gateway-internet-1" {
		t.Fatalf("cart-v2 on %v, want a new ALB Gateway", row.LoadBalancer)
	}
	r := mustRender(t, srcs, res, p, opts)
	out := string(r.New)
	if strings.Count(out, "kind: HTTPRoute") != 1 || !strings.Contains(out, "name: cart\n          port: 80\n          weight: 90\n        - name: cart-v2\n          port: 80\n          weight: 10") {
		t.Errorf("new objects:\n%s", out)
	}
	after := applyRendering(srcs, r)
	res2, p2 := planWithStrategies(t, after, opts, []string{planner.StrategyGateway})
	if p2.Totals.MonthlyCost != p.Totals.MonthlyCost || *p2.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost || len(byName(t, res2.Declaration, "cart-v2").RoutedWith) != 1 {
		t.Errorf("rendered manifests: plan %s, today %s, cart-v2 routed with %v", p2.Totals.MonthlyCost, p2.Totals.CurrentMonthlyCost, byName(t, res2.Declaration, "cart-v2").RoutedWith)
	}
}

// The same with the ALB's own path pattern (/api/*, ImplementationSpecific):
// the route's weighted rule takes the prefix /api the ALB read (it wrote the
// pattern as a literal prefix, /api/*, which matched nothing the ALB did).
func TestALBWeightsOfAPatternOntoGateway(t *testing.T) {
	data, err := os.ReadFile("testdata/alb-weights-onto-gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "{path: /, pathType: Prefix, backend: {service: {name: fwd,", "{path: /api/*, pathType: ImplementationSpecific, backend: {service: {name: fwd,", 1))
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyGateway})
	out := string(mustRender(t, srcs, res, p, opts).New)
	if strings.Contains(out, "/api/*") || !strings.Contains(out, "type: PathPrefix\n            value: /api\n      backendRefs:\n        - name: cart\n          port: 80\n          weight: 90") {
		t.Errorf("new objects:\n%s", out)
	}
}

// A TLS Service leaving a TLSRoute of today's Gateway for a new NLB Gateway
// (the gateway strategy) is routed there: its route was deleted and none
// written, the Service left unexposed ($106.92 today once applied, against
// the $110.18 planned).
func TestTLSRouteOntoNLBGateway(t *testing.T) {
	data, err := os.ReadFile("testdata/tlsroute-onto-nlb-gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	strategies := []string{planner.StrategyALB, planner.StrategyGateway, planner.StrategyProxy}
	res, p := planWithStrategies(t, srcs, opts, strategies)
	if row := planRow(t, p, "shop/svc13"); row.LoadBalancer == nil || *row.LoadBalancer != "gateway-internet-1" || p.Totals.MonthlyCost.String() != "110.18" {
		t.Fatalf("svc13 on %v, plan %s; want a new NLB Gateway, $110.18", row.LoadBalancer, p.Totals.MonthlyCost)
	}
	r := mustRender(t, srcs, res, p, opts)
	_, p2 := planWithStrategies(t, applyRendering(srcs, r), opts, strategies)
	if *p2.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost || planRow(t, p2, "shop/svc13").Exposure != planner.Ingress {
		t.Errorf("rendered manifests cost %s today, svc13 %s; want $110.18, on the Gateway", p2.Totals.CurrentMonthlyCost, planRow(t, p2, "shop/svc13").Exposure)
	}
}

// Services whose ALB Ingress groups hold access controls (inbound CIDRs)
// are not moved onto an ALB Gateway (the gateway strategy), whose routes
// cannot carry them: they were, opened to everyone, and the rendered
// manifests (read back without them) planned $69.44 against $93.17.
func TestAccessPolicyOffALBGateway(t *testing.T) {
	data, err := os.ReadFile("testdata/access-policy-off-alb-gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	strategies := []string{planner.StrategyALB, planner.StrategyGateway, planner.StrategyProxy}
	res, p := planWithStrategies(t, srcs, opts, strategies)
	for _, s := range res.Declaration.Services {
		if c := s.CurrentLoadBalancer; c != nil && c.AccessPolicy != "" {
			if row := planRow(t, p, s.Key()); row.GatewayClassName != "" || (row.LoadBalancer != nil && strings.HasPrefix(*row.LoadBalancer, "gateway")) {
				t.Errorf("%s (%s) on %v", s.Key(), c.AccessPolicy, row.LoadBalancer)
			}
		}
	}
	_, p2 := planWithStrategies(t, applyRendering(srcs, mustRender(t, srcs, res, p, opts)), opts, strategies)
	if p2.Totals.MonthlyCost != p.Totals.MonthlyCost || *p2.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost {
		t.Errorf("planned %s; the rendered manifests cost %s today and plan %s", p.Totals.MonthlyCost, p2.Totals.CurrentMonthlyCost, p2.Totals.MonthlyCost)
	}
}

// LoadBalancer Services that restrict their sources (loadBalancerSourceRanges)
// or keep the client's address (externalTrafficPolicy: Local) are not moved
// onto an NLB Gateway, whose routes keep neither: they were, and the
// rendered manifests (read back without them) planned $16.42 less.
func TestSourceRangesOffNLBGateway(t *testing.T) {
	data, err := os.ReadFile("testdata/source-ranges-off-nlb-gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	strategies := []string{planner.StrategyALB, planner.StrategyGateway, planner.StrategyProxy}
	res, p := planWithStrategies(t, srcs, opts, strategies)
	for _, s := range res.Declaration.Services {
		if c := s.CurrentLoadBalancer; (c != nil && strings.HasPrefix(c.AccessPolicy, planner.SourceRangesPolicy)) || s.Has(planner.NeedClientIP) {
			if row := planRow(t, p, s.Key()); row.Exposure != planner.LoadBalancer {
				t.Errorf("%s (%v, %v) on %v", s.Key(), c, s.Needs, row.LoadBalancer)
			}
		}
	}
	_, p2 := planWithStrategies(t, applyRendering(srcs, mustRender(t, srcs, res, p, opts)), opts, strategies)
	if p2.Totals.MonthlyCost != p.Totals.MonthlyCost || *p2.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost {
		t.Errorf("planned %s; the rendered manifests cost %s today and plan %s", p.Totals.MonthlyCost, p2.Totals.CurrentMonthlyCost, p2.Totals.MonthlyCost)
	}
}
