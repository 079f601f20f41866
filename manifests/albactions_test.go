package manifests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// canaryActionIngress is Service name and name-canary, and an ALB Ingress of
// its own (of scheme internet-facing or internal) whose path forwards 90% of name.example.com to name and 10% to
// the canary (a forward action, backend port use-annotation).
func canaryActionIngress(ns, name, scheme string) string {
	return strings.NewReplacer("NS", ns, "NAME", name, "SCHEME", scheme).Replace(`apiVersion: v1
kind: Service
metadata: {name: NAME, namespace: NS}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: NAME-canary, namespace: NS}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: NAME
  namespace: NS
  annotations:
    alb.ingress.kubernetes.io/scheme: SCHEME
    alb.ingress.kubernetes.io/actions.fwd: '{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"NAME","servicePort":"80","weight":90},{"serviceName":"NAME-canary","servicePort":"80","weight":10}]}}'
spec:
  ingressClassName: alb
  rules:
    - host: NAME.example.com
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: fwd, port: {name: use-annotation}}}}]`)
}

// An ALB Ingress whose path is a forward action (a weighted canary) is the
// Ingress of the Services the action names: when the plan puts another
// Ingress's service on its ALB, render makes both Ingresses one
// IngressGroup. It left the action's Ingress alone (its backend, fwd, is no
// Service), so two ALBs ran where the plan priced one. By hand (us-east-1,
// no traffic): one ALB, $16.43 of hours and $7.30 of two addresses, $23.73;
// two today, $47.46.
func TestRenderGroupsALBActionIngress(t *testing.T) {
	srcs := []Source{{Name: "c.yaml", Data: []byte(canaryActionIngress("shop", "cart", "internet-facing") + "\n---\n" + ownALBIngress("web", "blog", ""))}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	if p.Totals.MonthlyCost.String() != "23.73" || p.Totals.CurrentMonthlyCost == nil || p.Totals.CurrentMonthlyCost.String() != "47.46" {
		t.Fatalf("plan %s, today %v; want $23.73 and $47.46", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	rendered, err := Render(srcs, res, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rendered.Files) != 1 {
		t.Fatalf("%d files rendered, want c.yaml", len(rendered.Files))
	}
	out := string(rendered.Files[0].Data)
	if strings.Count(out, "alb.ingress.kubernetes.io/group.name:") != 2 || !strings.Contains(out, "alb.ingress.kubernetes.io/actions.fwd:") {
		t.Fatalf("want both Ingresses in one group, the action kept:\n%s", out)
	}
	planRenderReplan(t, "cart and blog", srcs, opts)
}

// A split that an ALB Ingress's annotations write (a forward action) moves
// only with its Ingress: never onto today's Gateway, whose routes render
// would write one per Service (two routes of one path, the weights lost).
// The routes of the Gateway (an internal ALB, as the Ingress's) join the
// Ingress's ALB instead, at the same cost: one ALB, $16.43 (no traffic).
func TestIngressSplitStaysOffGateway(t *testing.T) {
	gateway := `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: edge}
spec:
  gatewayClassName: aws-alb
  listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}]
---
` + serviceDocs("web", "blog", "docs", "wiki")
	for _, name := range []string{"blog", "docs", "wiki"} { // more services on the Gateway than on the Ingress
		gateway += "\n---\n" + httpRoute("web", name, "edge/edge", "")
	}
	srcs := []Source{{Name: "c.yaml", Data: []byte(canaryActionIngress("shop", "cart", "internal") + "\n---\n" + gateway)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	_, p := planSources(t, srcs, opts)
	if p.Totals.MonthlyCost.String() != "16.43" {
		t.Fatalf("plan %s, want one ALB, $16.43", p.Totals.MonthlyCost)
	}
	for _, k := range []string{"shop/cart", "shop/cart-canary"} {
		if row := planRow(t, p, k); row.LoadBalancer == nil || strings.HasPrefix(*row.LoadBalancer, planner.GatewayPrefix) {
			t.Fatalf("%s on %s: its Ingress's split cannot move onto the Gateway", k, describe(row))
		}
	}
	planRenderReplan(t, "cart beside a Gateway", srcs, opts)
}

// The LoadBalancer Service a Gateway's controller made for it (Envoy
// Gateway's, labelled with its owning Gateway) goes with the Gateway when the
// plan deletes that, though it keeps another Gateway of the controller (b's,
// whose URL rewrite only a Gateway's route does):
// left behind, a plan of the rendered manifests priced it as an idle
// proxy's load balancer.
func TestRenderDeletesGatewayService(t *testing.T) {
	src := envoyGateway("edge", "eg", "{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}") + `
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: keep, namespace: edge}
spec:
  gatewayClassName: eg
  listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}]
---
` + envoyService("eg", "") + "\n---\n" + envoyService("keep", "") + `
---
` + serviceDocs("web", "b") + "\n---\n" + httpRoute("web", "b", "edge/keep", "filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}], ") + `
---
` + pinnedOff("web", "a", "edge/eg")
	srcs := []Source{{Name: "c.yaml", Data: []byte(src)}}
	opts := Options{Cloud: "gcp", Region: "us-central1"}
	res, p := planSources(t, srcs, opts)
	rendered, err := Render(srcs, res, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if d := strings.Join(rendered.Deleted, "\n"); !strings.Contains(d, "Gateway edge/eg") || !strings.Contains(d, "Service envoy-gateway-system/envoy-edge-eg-5f7c9d") {
		t.Fatalf("deleted:\n%s\nwant the Gateway and its Service", d)
	}
	planRenderReplan(t, "a off Envoy Gateway", srcs, opts)
}

// A GKE Ingress that names a reserved global address keeps its service on
// it, alone: moved onto an in-cluster proxy (a regional passthrough load
// balancer) or onto another Ingress, or joined by another service (render
// writes one new Ingress for them all), the address is lost. Seven
// Ingresses, past five forwarding rules: the other six share one.
func TestGKEIngressKeepsItsReservedAddress(t *testing.T) {
	docs := gkeIngresses(sevenNamespaces, false, "")
	docs[0] = strings.Replace(docs[0], "kubernetes.io/ingress.class: gce", "kubernetes.io/ingress.class: gce, kubernetes.io/ingress.global-static-ip-name: shop-ip", 1)
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
	opts := Options{Cloud: "gcp", Region: "us-central1"}
	res, p := planSources(t, srcs, opts)
	for _, s := range res.Declaration.Services {
		if s.Has(planner.NeedStaticIP) != (s.Namespace == "shop") {
			t.Fatalf("%s/%s needs %v: want staticIP for shop/s0 alone", s.Namespace, s.Name, s.Needs)
		}
	}
	row := planRow(t, p, "shop/s0")
	if row.LoadBalancer == nil || *row.LoadBalancer != "shop/s0" {
		t.Fatalf("shop/s0 on %s, want its own Ingress shop/s0", describe(row))
	}
	for _, s := range p.Services {
		if s.Namespace != "shop" && s.LoadBalancer != nil && *s.LoadBalancer == "shop/s0" {
			t.Fatalf("%s/%s joins shop/s0's Ingress", s.Namespace, s.Name)
		}
	}
	rendered := mustRender(t, srcs, res, p, opts)
	if w := strings.Join(rendered.Warnings, "\n"); strings.Contains(w, "global-static-ip-name") {
		t.Fatalf("render drops the address:\n%s", w)
	}
	planRenderReplan(t, "a reserved address", srcs, opts)
}

// httpRoute is HTTPRoute ns/name routing name.example.com to Service name
// through Gateway gateway (namespace/name), extra (a rule's filters, each
// field followed by ", ") before the rule's backend.
func httpRoute(ns, name, gateway, extra string) string {
	gns, gname, _ := strings.Cut(gateway, "/")
	return strings.NewReplacer("NS", ns, "NAME", name, "GNS", gns, "GW", gname, "EXTRA", extra).Replace(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: NAME, namespace: NS}
spec:
  parentRefs: [{name: GW, namespace: GNS}]
  hostnames: [NAME.example.com]
  rules: [{EXTRAbackendRefs: [{name: NAME, port: 80}]}]`)
}

// Today's NLB Gateway (class aws-nlb, internal) routing a TCP and a UDP
// Service, planned without the gateway strategy: the plan keeps its NLB for
// both (by hand: 730 h x $0.0225 = $16.43, no traffic, no public address;
// an NLB each would be $32.86) through their routes, as today. The plan
// made them LoadBalancer Services (render wrote two NLBs) and priced the
// NLB's NLCUs by the first one's protocol.
func TestNLBGatewayKeptWithoutGatewayStrategy(t *testing.T) {
	src := `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: l4, namespace: edge}
spec:
  gatewayClassName: aws-nlb
  listeners: [{name: db, protocol: TCP, port: 5432, allowedRoutes: {namespaces: {from: All}}}, {name: dns, protocol: UDP, port: 53, allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop, annotations: {lbplanner.io/traffic: "gbPerMonth=730"}}
spec:
  ports: [{name: db, port: 5432, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: shop, annotations: {lbplanner.io/traffic: "gbPerMonth=73"}}
spec:
  ports: [{name: dns, port: 53, protocol: UDP}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db, namespace: shop}
spec:
  parentRefs: [{name: l4, namespace: edge, sectionName: db}]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: UDPRoute
metadata: {name: dns, namespace: shop}
spec:
  parentRefs: [{name: l4, namespace: edge, sectionName: dns}]
  rules: [{backendRefs: [{name: dns, port: 53}]}]`
	srcs := []Source{{Name: "c.yaml", Data: []byte(src)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	if p.Totals.MonthlyCost.Dollars() != "$21.25" || p.Totals.CurrentMonthlyCost.Dollars() != "$21.25" {
		t.Fatalf("plan %s, today %s; want $21.25 both", p.Totals.MonthlyCost, p.Totals.CurrentMonthlyCost)
	}
	var names []string
	for _, lb := range p.LoadBalancers {
		for _, c := range lb.Costs {
			names = append(names, c.Name)
		}
	}
	if n := strings.Join(names, "; "); !strings.Contains(n, "(TCP, ") || !strings.Contains(n, "(UDP, ") {
		t.Fatalf("cost lines %s: want NLCUs of TCP and of UDP", n)
	}
	for _, k := range []string{"shop/db", "shop/dns"} {
		if row := planRow(t, p, k); row.Exposure != planner.Ingress || row.ServiceType != "ClusterIP" || row.Gateway != "edge/l4" {
			t.Fatalf("%s: %s, type %s, Gateway %q; want its route on Gateway edge/l4", k, row.Exposure, row.ServiceType, row.Gateway)
		}
	}
	if r := mustRender(t, srcs, res, p, opts); len(r.Files) != 0 || r.New != nil {
		t.Fatalf("render changes %v", r.Changes)
	}
	planRenderReplan(t, "NLB Gateway kept", srcs, opts)
}

// A Gateway's plain-HTTP listener that only redirects (a catch-all
// RequestRedirect route) is a forwarding rule GKE bills though every route
// it serves is a GRPCRoute on HTTPS: the gRPC service whose host the
// redirect covers is served over plain HTTP by a redirect, as an HTTPS one
// is, so that the rule is priced (it was not: a service moved onto the
// Gateway then priced it after render). By hand (us-central1, no traffic):
// five internal passthrough load balancers and the Gateway's two
// listeners, seven regional rules, $18.25 for the first five and 2 x 730 h
// x $0.01 = $14.60: $32.85, today and planned.
func TestGatewayRedirectListenerPriced(t *testing.T) {
	docs := []string{`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: edge}
spec:
  gatewayClassName: gke-l7-rilb
  listeners:
    - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
    - {name: https, protocol: HTTPS, port: 443, allowedRoutes: {namespaces: {from: All}}, tls: {certificateRefs: [{name: edge-tls}]}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: to-https, namespace: edge}
spec:
  parentRefs: [{name: edge, sectionName: http}]
  rules: [{filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]}]
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  ports: [{name: grpc, port: 80, appProtocol: kubernetes.io/h2c}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: [{name: edge, namespace: edge, sectionName: https}]
  hostnames: [grpc.example.com]
  rules: [{backendRefs: [{name: cart, port: 80}]}]`}
	for i := range 5 {
		docs = append(docs, fmt.Sprintf(`apiVersion: v1
kind: Service
metadata: {name: db%d, namespace: shop, annotations: {networking.gke.io/load-balancer-type: Internal}}
spec:
  type: LoadBalancer
  ports: [{name: db, port: 5432, protocol: TCP}]`, i))
	}
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n"))}}
	opts := Options{Cloud: "gcp", Region: "us-central1"}
	res, p := planSources(t, srcs, opts)
	for _, s := range res.Declaration.Services {
		if c := s.CurrentLoadBalancer; s.Name == "cart" && (c == nil || !c.HTTPFrontend || !c.HTTPRedirect) {
			t.Fatalf("cart today %+v: want served over plain HTTP by the Gateway's redirect", c)
		}
	}
	if p.Totals.CurrentMonthlyCost.Dollars() != "$32.85" || p.Totals.MonthlyCost.Dollars() != "$32.85" {
		t.Fatalf("today %s, planned %s; want $32.85 both", p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
	}
	planRenderReplan(t, "a redirect listener", srcs, opts)
}

// Render of a plan whose new proxy takes today's emptied Envoy Gateway
// (planner's adoptGateways): the services' routes attach to that Gateway,
// which stays with its Service, and the rendered manifests cost what the
// plan said.
func TestRenderOntoAdoptedGateway(t *testing.T) {
	lb := func(name string) string {
		return strings.ReplaceAll(`apiVersion: v1
kind: Service
metadata: {name: NAME, namespace: shop, annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing, lbplanner.io/hosts: NAME.example.com}}
spec:
  type: LoadBalancer
  ports: [{name: http, port: 80}]`, "NAME", name)
	}
	src := envoyGateway("edge", "eg", "{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: shop}}}}}") + "\n---\n" +
		envoyService("eg", "service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing") +
		"\n---\n" + pinnedOff("shop", "a", "edge/eg") + "\n---\n" + lb("b") + "\n---\n" + lb("c")
	srcs := []Source{{Name: "c.yaml", Data: []byte(src)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	plan := func(srcs []Source) (*Result, *planner.Plan) {
		return planWithStrategies(t, srcs, opts, []string{planner.StrategyProxy})
	}
	res, p := plan(srcs)
	if row := planRow(t, p, "shop/b"); row.Gateway != "edge/eg" {
		t.Fatalf("shop/b on %s, want today's Gateway edge/eg", describe(row))
	}
	r := mustRender(t, srcs, res, p, opts)
	if d := strings.Join(r.Deleted, "\n"); strings.Contains(d, "edge/eg") || strings.Contains(d, "envoy-edge-eg") {
		t.Fatalf("render deletes today's Gateway or its Service:\n%s", d)
	}
	after := applyRendering(srcs, r)
	_, p2 := plan(after)
	if *p2.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost || p2.Totals.MonthlyCost != p.Totals.MonthlyCost {
		t.Fatalf("planned %s; after render today %s, plan %s", p.Totals.MonthlyCost, p2.Totals.CurrentMonthlyCost, p2.Totals.MonthlyCost)
	}
}

// envoyService is the LoadBalancer Service Envoy Gateway makes for Gateway
// edge/name, with annotations.
func envoyService(name, annotations string) string {
	return strings.NewReplacer("NAME", name, "ANN", annotations).Replace(`apiVersion: v1
kind: Service
metadata:
  name: envoy-edge-NAME-5f7c9d
  namespace: envoy-gateway-system
  labels: {gateway.envoyproxy.io/owning-gateway-name: NAME, gateway.envoyproxy.io/owning-gateway-namespace: edge}
  annotations: {ANN}
spec:
  type: LoadBalancer
  ports: [{name: http, port: 80}]`)
}

// pinnedOff is Service ns/name pinned to a load balancer of its own and its
// route on Gateway gateway (namespace/name) today, which the plan so empties.
func pinnedOff(ns, name, gateway string) string {
	return strings.NewReplacer("NS", ns, "NAME", name).Replace(`apiVersion: v1
kind: Service
metadata: {name: NAME, namespace: NS, annotations: {lbplanner.io/pin: LoadBalancer}}
spec:
  ports: [{name: http, port: 80}]
---
`) + httpRoute(ns, name, gateway, "")
}
