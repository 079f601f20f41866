package manifests

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// A host's Secret today is its own name's, else its parent domain's
// wildcard's, else its Gateway's for every host; two hosts with different
// ones have none.
func TestSecretFor(t *testing.T) {
	secrets := []tlsSecret{{host: "*.example.com", namespace: "edge", name: "wildcard"}, {host: "shop.example.com", namespace: "shop", name: "shop-tls"},
		{namespace: "web", name: "default", lb: "gateway:web/gw"}}
	for _, c := range []struct {
		hosts []string
		lb    string
		want  string
	}{
		{[]string{"shop.example.com"}, "", "shop/shop-tls"},
		{[]string{"blog.example.com"}, "", "edge/wildcard"},
		{[]string{"a.b.example.com"}, "gateway:web/gw", "web/default"}, // its Gateway's, for every host
		{[]string{"a.b.example.com"}, "nginx", ""},                     // another's Gateway's: none
		{[]string{"blog.example.com", "docs.example.com"}, "", "edge/wildcard"},
		{[]string{"blog.example.com", "shop.example.com"}, "", ""},
		{nil, "gateway:web/gw", "web/default"},
	} {
		got, ok := secretFor(secrets, c.hosts, c.lb)
		if s := got.namespace + "/" + got.name; (ok && s != c.want) || (!ok && c.want != "") {
			t.Errorf("%v: %s (%v), want %q", c.hosts, s, ok, c.want)
		}
	}
	if _, ok := secretFor(nil, []string{"a.example.com"}, ""); ok {
		t.Error("a Secret found among none")
	}
}

// Services moved off Gateways onto ingress-nginx get new Ingresses that end
// TLS with the Secret that does so today: a Gateway's in their own
// namespace as it is; one in another namespace by its name, which render
// warns must be copied there (an Ingress reads Secrets of its own namespace
// only). It wrote name-tls, a Secret nobody had, and said nothing: ingress-nginx
// would have served its own default certificate.
func TestNewIngressTakesTodaysSecret(t *testing.T) {
	gateway := func(ns, name, host, secret string) string {
		return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ` + name + `, namespace: ` + ns + `}
spec:
  gatewayClassName: eg
  listeners:
    - {name: https, protocol: HTTPS, port: 443, hostname: "` + host + `", tls: {certificateRefs: [{name: ` + secret + `}]}, allowedRoutes: {namespaces: {from: All}}}
`
	}
	route := func(ns, name, gwNS, gw, host string) string {
		return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ` + name + `, namespace: ` + ns + `}
spec:
  parentRefs: [{name: ` + gw + `, namespace: ` + gwNS + `}]
  hostnames: [` + host + `]
  rules: [{backendRefs: [{name: ` + name + `, port: 80}]}]
`
	}
	docs := []string{ingressNginxDocs + serviceDocs("web", "blog", "a") + "\n---\n" + serviceDocs("shop", "storefront"),
		strings.Replace(ingressDoc("web", "blog", "nginx", "blog.example.com", "/"), "namespace: web}", "namespace: web, annotations: {nginx.ingress.kubernetes.io/rewrite-target: /}}", 1),
		envoyGateway("edge", "public", "{name: x, protocol: HTTP, port: 8080}") + "\n---\n" + gateway("edge", "public2", "*.example.com", "wildcard"),
		gateway("web", "own", "a.example.com", "a-cert"),
		route("shop", "storefront", "edge", "public2", "shop.example.com"), route("web", "a", "web", "own", "a.example.com"),
		`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: redirect, namespace: edge}
spec:
  parentRefs: [{name: public2}, {name: own, namespace: web}]
  rules: [{filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]}]
`}
	// pinned to an Ingress, with the proxy strategy alone, today's
	// ingress-nginx (retired, else taking no newcomer) may take them
	data := strings.Join(docs, "\n---\n")
	for _, key := range []string{"{name: storefront, namespace: shop}", "{name: a, namespace: web}"} {
		data = strings.Replace(data, "kind: Service\nmetadata: "+key, "kind: Service\nmetadata: "+strings.TrimSuffix(key, "}")+", annotations: {lbplanner.io/pin: Ingress}}", 1)
	}
	srcs := []Source{{Name: "c.yaml", Data: []byte(data)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyProxy})
	for _, key := range []string{"shop/storefront", "web/a"} {
		if row := planRow(t, p, key); row.LoadBalancer == nil || *row.LoadBalancer != "nginx" {
			t.Fatalf("%s on %v, want today's ingress-nginx", key, row.LoadBalancer)
		}
	}
	r := mustRender(t, srcs, res, p, opts)
	out := string(r.New)
	if !strings.Contains(out, "secretName: wildcard") || !strings.Contains(out, "secretName: a-cert") || strings.Contains(out, "-tls") {
		t.Errorf("new Ingresses' Secrets:\n%s", out)
	}
	w := strings.Join(r.Warnings, "\n")
	if !strings.Contains(w, "Secret shop/wildcard, which the new Ingress of shop/storefront ends TLS for shop.example.com with, is yours to provide: copy it from Secret edge/wildcard") ||
		strings.Contains(w, "Secret web/a-cert") {
		t.Errorf("warnings:\n%s", w)
	}
	// the Gateways go, and with them a route attached to them alone (it was kept, attached to nothing)
	if !slices.Contains(r.Deleted, "HTTPRoute edge/redirect") || !slices.Contains(r.Deleted, "Gateway edge/public2") || !slices.Contains(r.Deleted, "Gateway web/own") {
		t.Errorf("deleted %v", r.Deleted)
	}
	planRenderReplan(t, "routes onto ingress-nginx with their Secrets", srcs, opts)
}

// A new Gateway's HTTPS listener ends TLS with the Secrets that do so
// today for its services' hosts (a GKE Ingress's blog-tls), and names one
// to create for hosts none does (a GKE Gateway's pre-shared certificate is
// Google's): it named envoy-tls alone, blog.example.com's certificate lost.
func TestNewGatewayTakesTodaysSecrets(t *testing.T) {
	data, err := os.ReadFile("testdata/gke-certificates.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	opts := Options{Cloud: "gcp", Region: "us-central1"}
	res, p := planSources(t, srcs, opts)
	if row := planRow(t, p, "blog/blog"); row.LoadBalancer == nil || *row.LoadBalancer != "envoy" {
		t.Fatalf("blog on %v, want a new proxy", row.LoadBalancer)
	}
	r := mustRender(t, srcs, res, p, opts)
	if out := string(r.New); !strings.Contains(out, "certificateRefs:\n          - name: blog-tls\n          - name: envoy-tls\n") {
		t.Errorf("the new Gateway's certificates:\n%s", out)
	}
	if w := strings.Join(r.Warnings, "\n"); !strings.Contains(w, "Secret blog/envoy-tls, which Gateway blog/envoy ends TLS for store.example.com with, is yours to provide: create it") || strings.Contains(w, "Secret blog/blog-tls") {
		t.Errorf("warnings:\n%s", w)
	}
	planRenderReplan(t, "a new Gateway with today's Secrets", srcs, opts)
}

// A new Ingress for a service whose hosts end TLS with different Secrets
// today lists each host with its own (it named one for all, and warned to
// create it).
func TestNewIngressTLSEntryPerSecret(t *testing.T) {
	r := &renderer{out: &Rendering{}, tlsSecrets: []tlsSecret{{host: "a.example.com", namespace: "shop", name: "a-tls"}, {host: "*.example.org", namespace: "shop", name: "org"}}}
	ds := planner.Service{Name: "web", Namespace: "shop", Protocol: planner.ProtoHTTPS, Hosts: []string{"a.example.com", "b.example.org", "c.example.net"}}
	var got []string
	for _, e := range r.tlsEntries("shop", "web-tls", ds) {
		var hosts []string
		for _, h := range seqItems(child(e, "hosts")) {
			hosts = append(hosts, h.Value)
		}
		got = append(got, strings.Join(hosts, ",")+"="+scalar(e, "secretName"))
	}
	if strings.Join(got, " ") != "a.example.com=a-tls b.example.org=org c.example.net=web-tls" {
		t.Errorf("tls %v", got)
	}
	if len(r.out.Warnings) != 1 || !strings.Contains(r.out.Warnings[0], "Secret shop/web-tls, which the new Ingress of shop/web ends TLS for c.example.net with, is yours to provide: create it") {
		t.Errorf("warnings %v", r.out.Warnings)
	}
}
