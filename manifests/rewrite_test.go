package manifests

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// A service whose Ingress rewrites its requests (ingress-nginx's
// rewrite-target with a regular-expression path) needs rewrite: it stays
// on ingress-nginx, where the Ingress keeps working. It was planned on an
// NLB of its own ($23.73 against $30.22 today), which would have sent its
// clients' /api/x to the pods unrewritten, on any host.
func TestRewriteStaysOnItsController(t *testing.T) {
	srcs := []Source{{Name: "c.yaml", Data: []byte(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: shop
  annotations: {nginx.ingress.kubernetes.io/rewrite-target: /$2, nginx.ingress.kubernetes.io/use-regex: "true"}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http: {paths: [{path: /api(/|$)(.*), pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}]}

---
` + serviceDocs("shop", "api") + `
` + nginxOwnService)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	if s := res.Declaration.Services[0]; !s.Has(planner.NeedRewrite) {
		t.Fatalf("%s needs %v, want rewrite", s.Key(), s.Needs)
	}
	// by hand: the NLB in front of ingress-nginx (730 h x $0.0225 + 2 IPv4
	// x 730 h x $0.005 = $23.73) and its two pods (2 x 730 h x (0.1 vCPU x
	// $0.04048 + 0.09 GiB x $0.004445) = $6.49)
	row := planRow(t, p, "shop/api")
	if p.Totals.MonthlyCost.Dollars() != "$30.22" || *p.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost || row.LoadBalancer == nil || *row.LoadBalancer != "nginx" ||
		!strings.Contains(row.Reason, "own proxy: rewrite: kept on a proxy, as today") {
		t.Fatalf("planned %s (today %s) on %v, %q: want $30.22 on today's nginx, for its rewrite",
			p.Totals.MonthlyCost.Dollars(), p.Totals.CurrentMonthlyCost.Dollars(), row.LoadBalancer, row.Reason)
	}
	if r := mustRender(t, srcs, res, p, opts); len(r.Files) != 0 || r.New != nil {
		t.Errorf("render changes %v", r.Changes)
	}
}

// A service whose ingress-nginx Ingress keeps each client on one pod (a
// cookie, affinity: cookie) stays on ingress-nginx: an ALB would spread a
// client's requests over the pods, and a stateful service would lose its
// sessions. It was planned on an NLB of its own ($23.73 against $30.22
// today, as in TestRewriteStaysOnItsController: the NLB in front of
// ingress-nginx, 730 h x $0.0225 + 2 IPv4 x 730 h x $0.005 = $23.73, and
// its two pods, 2 x 730 h x (0.1 vCPU x $0.04048 + 0.09 GiB x $0.004445) =
// $6.49), the affinity annotation then warned of as ignored.
func TestSessionAffinityStaysOnItsController(t *testing.T) {
	srcs := []Source{{Name: "c.yaml", Data: []byte(classIngress("nginx", "cart", false, ", nginx.ingress.kubernetes.io/affinity: cookie, nginx.ingress.kubernetes.io/session-cookie-name: route", "") + `
` + nginxOwnService)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	if s := res.Declaration.Services[0]; s.Key() != "web/cart" || !s.Has(planner.NeedRewrite) {
		t.Fatalf("%s needs %v, want rewrite", s.Key(), s.Needs)
	}
	row := planRow(t, p, "web/cart")
	if p.Totals.MonthlyCost.Dollars() != "$30.22" || *p.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost || row.LoadBalancer == nil || *row.LoadBalancer != "nginx" {
		t.Fatalf("planned %s (today %s) on %v, %q: want $30.22 on today's nginx, for its affinity",
			p.Totals.MonthlyCost.Dollars(), p.Totals.CurrentMonthlyCost.Dollars(), row.LoadBalancer, row.Reason)
	}
	if r := mustRender(t, srcs, res, p, opts); len(r.Files) != 0 || r.New != nil {
		t.Errorf("render changes %v", r.Changes)
	}
}

// nginxOwnService is ingress-nginx's own LoadBalancer Service (port 80), after a document separator.
const nginxOwnService = `---
apiVersion: v1
kind: Service
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx, labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}}
spec: {type: LoadBalancer, ports: [{port: 80}]}
`

// Which routing objects rewrite their requests (an annotation of
// requestRewrites, a route's URLRewrite filter) or speak TLS to the pods
// (backendTLSAnnotations, GKE's app-protocols, a BackendTLSPolicy, Traefik's
// https scheme); not a plain Ingress.
func TestTodaysKindNeedsRead(t *testing.T) {
	gateway := envoyGateway("web", "edge", "{name: http, protocol: HTTP, port: 80}") + "\n---\n"
	route := func(filters string) string {
		return gateway + `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a, namespace: web}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /a}}]` + filters + `
    backendRefs: [{name: a, port: 80}]
---
` + serviceDocs("web", "a")
	}
	for _, c := range []struct {
		name, docs, cloud string
		want              []string
	}{
		{"a plain Ingress", classIngress("traefik", "a", false, "", ""), "aws", nil},
		{"a Traefik middleware", classIngress("traefik", "a", false, ", traefik.ingress.kubernetes.io/router.middlewares: web-strip@kubernetescrd", ""), "aws", []string{planner.NeedRewrite}},
		{"use-regex off", classIngress("nginx", "a", false, `, nginx.ingress.kubernetes.io/use-regex: "false"`, ""), "aws", nil},
		{"ingress-nginx's www redirect", classIngress("nginx", "a", false, `, nginx.ingress.kubernetes.io/from-to-www-redirect: "true"`, ""), "aws", []string{planner.NeedRewrite}},
		{"Kong plugins", classIngress("kong", "a", false, ", konghq.com/plugins: rate-limit", ""), "aws", []string{planner.NeedRewrite}},
		{"ingress-nginx CORS", classIngress("nginx", "a", false, `, nginx.ingress.kubernetes.io/enable-cors: "true"`, ""), "aws", []string{planner.NeedRewrite}},
		{"ingress-nginx mirror", classIngress("nginx", "a", false, ", nginx.ingress.kubernetes.io/mirror-target: https://shadow.example.com$request_uri", ""), "aws", []string{planner.NeedRewrite}},
		{"HAProxy CORS", classIngress("haproxy", "a", false, `, haproxy.org/cors-enable: "true"`, ""), "aws", []string{planner.NeedRewrite}},
		{"ingress-nginx ModSecurity", classIngress("nginx", "a", false, `, nginx.ingress.kubernetes.io/enable-modsecurity: "true"`, ""), "aws", []string{planner.NeedAuth}},
		{"an AGIC backend path prefix", classIngress("azure-application-gateway", "a", false, ", appgw.ingress.kubernetes.io/backend-path-prefix: /v2/", ""), "azure", []string{planner.NeedRewrite}},
		{"a route's URLRewrite", route("\n    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]"), "aws", []string{planner.NeedRewrite}},
		{"a route's header set", route("\n    filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-team, value: web}]}}]"), "aws", []string{planner.NeedRewrite}},
		{"a route's mirror", route("\n    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}}}]"), "aws", []string{planner.NeedRewrite}},
		{"a route's CORS", route("\n    filters: [{type: CORS, cors: {allowOrigins: [https://example.com]}}]"), "aws", []string{planner.NeedRewrite}},
		{"a backend's header set", strings.Replace(route(""), "backendRefs: [{name: a, port: 80}]", "backendRefs: [{name: a, port: 80, filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [server]}}]}]", 1), "aws", []string{planner.NeedRewrite}},
		{"ingress-nginx cookie affinity", classIngress("nginx", "a", false, ", nginx.ingress.kubernetes.io/affinity: cookie", ""), "aws", []string{planner.NeedRewrite}},
		{"ingress-nginx consistent hashing", classIngress("nginx", "a", false, ", nginx.ingress.kubernetes.io/upstream-hash-by: $remote_addr", ""), "aws", []string{planner.NeedRewrite}},
		{"ALB stickiness among attributes", classIngress("alb", "a", false, ", alb.ingress.kubernetes.io/target-group-attributes: 'deregistration_delay.timeout_seconds=30, stickiness.enabled=true,stickiness.lb_cookie.duration_seconds=60'", ""), "aws", []string{planner.NeedRewrite}},
		{"ALB stickiness off", classIngress("alb", "a", false, ", alb.ingress.kubernetes.io/target-group-attributes: 'stickiness.enabled=false,stickiness.type=lb_cookie'", ""), "aws", nil},
		{"ALB attributes without stickiness", classIngress("alb", "a", false, ", alb.ingress.kubernetes.io/target-group-attributes: deregistration_delay.timeout_seconds=30", ""), "aws", nil},
		{"AGIC cookie affinity", classIngress("azure-application-gateway", "a", false, `, appgw.ingress.kubernetes.io/cookie-based-affinity: "true"`, ""), "azure", []string{planner.NeedRewrite}},
		{"HAProxy cookie persistence", classIngress("haproxy", "a", false, ", haproxy.org/cookie-persistence: SERVERID", ""), "aws", []string{planner.NeedRewrite}},
		{"a Traefik Service's sticky cookie", classIngress("traefik", "a", false, "", `, annotations: {traefik.ingress.kubernetes.io/service.sticky.cookie: "true"}`), "aws", []string{planner.NeedRewrite}},
		{"a Traefik route's sticky cookie", `apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: a, namespace: web}
spec:
  routes: [{match: "Host(` + "`a.example.com`" + `)", services: [{name: a, port: 80, sticky: {cookie: {name: lb}}}]}]
---
` + serviceDocs("web", "a"), "aws", []string{planner.NeedRewrite}},
		{"ingress-nginx to HTTPS pods", classIngress("nginx", "a", true, ", nginx.ingress.kubernetes.io/backend-protocol: HTTPS", ""), "aws", []string{planner.NeedBackendTLS}},
		{"ALB OIDC", classIngress("alb", "a", false, ", alb.ingress.kubernetes.io/auth-type: oidc", ""), "aws", []string{planner.NeedAuth}},
		{"ALB without authentication", classIngress("alb", "a", false, ", alb.ingress.kubernetes.io/auth-type: none", ""), "aws", nil},
		{"ingress-nginx external auth", classIngress("nginx", "a", false, ", nginx.ingress.kubernetes.io/auth-url: https://auth.example.com/check", ""), "aws", []string{planner.NeedAuth}},
		{"ingress-nginx allow-list", classIngress("nginx", "a", false, ", nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8", ""), "aws", []string{planner.NeedAuth}},
		{"GKE IAP", classIngress("gce", "a", false, "", `, annotations: {cloud.google.com/backend-config: '{"default": "iap"}'}`) + `
---
apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata: {name: iap, namespace: web}
spec: {iap: {enabled: true, oauthclientCredentials: {secretName: oauth}}}`, "gcp", []string{planner.NeedAuth}},
		{"GKE health check only", classIngress("gce", "a", false, "", `, annotations: {cloud.google.com/backend-config: '{"ports": {"80": "hc"}}'}`) + `
---
apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata: {name: hc, namespace: web}
spec: {healthCheck: {requestPath: /healthz}}`, "gcp", nil},
		{"a GKE Gateway's Cloud Armor", route("") + `
---
apiVersion: networking.gke.io/v1
kind: GCPBackendPolicy
metadata: {name: armor, namespace: web}
spec:
  targetRef: {group: "", kind: Service, name: a}
  default: {securityPolicy: edge-armor}`, "gcp", []string{planner.NeedAuth}},
		{"an ALB to HTTPS pods", classIngress("alb", "a", false, ", alb.ingress.kubernetes.io/backend-protocol: HTTPS", ""), "aws", []string{planner.NeedBackendTLS}},
		{"GKE to HTTP/2 pods", classIngress("gce", "a", false, "", `, annotations: {cloud.google.com/app-protocols: '{"http":"HTTP2"}'}`), "gcp", []string{planner.NeedBackendTLS}},
		{"Traefik to HTTPS pods", `apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: a, namespace: web}
spec:
  routes: [{match: "Host(` + "`a.example.com`" + `)", services: [{name: a, port: 80, scheme: https}]}]
---
` + serviceDocs("web", "a"), "aws", []string{planner.NeedBackendTLS}},
		{"a BackendTLSPolicy", route("") + `
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: a-tls, namespace: web}
spec:
  targetRefs: [{group: "", kind: Service, name: a}]
  validation: {hostname: a.web.svc, wellKnownCACertificates: System}`, "aws", []string{planner.NeedBackendTLS}},
	} {
		region := map[string]string{"aws": "us-east-1", "gcp": "us-central1", "azure": "eastus"}[c.cloud]
		res, err := Read([]Source{{Name: "c.yaml", Data: []byte(c.docs + "\n")}}, Options{Cloud: c.cloud, Region: region})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		i := slices.IndexFunc(res.Declaration.Services, func(s planner.Service) bool { return s.Name == "a" })
		if got := res.Declaration.Services[i].Needs; !slices.Equal(got, c.want) {
			t.Errorf("%s: needs %v, want %v", c.name, got, c.want)
		}
	}
}

// A service whose ALB authenticates its requests (Cognito) keeps an ALB: it
// was moved onto ingress-nginx with the proxy strategy, its Ingress's
// auth annotations then ignored. By hand: today its ALB ($16.43 + $7.30)
// and ingress-nginx's NLB ($23.73) and pods ($6.49), $53.95; planned, the
// ALB with both services, $23.73. With the ALB strategy off it cannot be
// planned at all: an error naming the service and the need.
func TestAuthKeepsItsALB(t *testing.T) {
	docs := []string{classIngress("alb", "admin", false, ", alb.ingress.kubernetes.io/scheme: internet-facing, alb.ingress.kubernetes.io/auth-type: cognito"+
		", alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-east-1:123456789012:certificate/abc", ""),
		classIngress("nginx", "web", true, "", ""), `apiVersion: v1
kind: Service
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx, labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}}
spec: {type: LoadBalancer, ports: [{port: 443}]}`}
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	_, p := planSources(t, srcs, opts)
	if row := planRow(t, p, "web/admin"); row.IngressClassName != "alb" || p.Totals.CurrentMonthlyCost.Dollars() != "$53.95" || p.Totals.MonthlyCost.Dollars() != "$23.73" {
		t.Fatalf("admin planned on %v (class %q); today %s, planned %s: want an ALB, $53.95 and $23.73",
			row.LoadBalancer, row.IngressClassName, p.Totals.CurrentMonthlyCost.Dollars(), p.Totals.MonthlyCost.Dollars())
	}
	planRenderReplan(t, "an authenticated ALB service", srcs, opts)
	res, err := Read(srcs, opts)
	if err != nil {
		t.Fatal(err)
	}
	res.Declaration.Strategies = []string{planner.StrategyProxy}
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := planner.Compute(res.Declaration, cat); err == nil || !strings.Contains(err.Error(), `"web/admin"`) || !strings.Contains(err.Error(), "auth: today's alb controller authenticates its requests") {
		t.Fatalf("ALB strategy off: %v", err)
	}
}

// An Ingress render moves to another class keeps its annotations, which the
// new controller ignores: render names them in a warning (here an ALB's
// health check and ingress-nginx's body size, moving either way).
func TestIgnoredAnnotationsWarned(t *testing.T) {
	for _, c := range []struct{ from, to, annotation string }{
		{"alb", "nginx", "alb.ingress.kubernetes.io/healthcheck-path: /healthz"},
		{"nginx", "alb", "nginx.ingress.kubernetes.io/proxy-body-size: 8m"},
	} {
		r := &renderer{sslRedirect: map[string]string{}, out: &Rendering{}}
		n := parseNode(t, "metadata: {annotations: {"+c.annotation+", lbplanner.io/traffic: rps=1}}")
		r.ignoredAnnotations(n, "shop", "web", c.from, c.to, &planner.ServicePlan{})
		key, _, _ := strings.Cut(c.annotation, ":")
		if len(r.out.Warnings) != 1 || !strings.Contains(r.out.Warnings[0], "moves from class "+c.from+" to "+c.to+", which ignores its annotations "+key+":") {
			t.Errorf("%s to %s: %v", c.from, c.to, r.out.Warnings)
		}
		r.out.Warnings = nil
		r.ignoredAnnotations(n, "shop", "web", c.from, c.from+"-internal", &planner.ServicePlan{}) // (nginx-internal is ingress-nginx too)
		if c.from == "nginx" && len(r.out.Warnings) != 0 {
			t.Errorf("nginx to nginx-internal: %v", r.out.Warnings)
		}
	}
}

// An ALB's inbound-cidrs holds for every service on it: an office-only ALB
// and a public one stay apart (one ALB would restrict the public services,
// or open the office one), and the office service stays on an ALB. By hand:
// two ALBs, 2 x (730 h x $0.0225 + 2 IPv4 x 730 h x $0.005) = $47.46, as
// today; merged they were planned at $23.73.
func TestALBAccessPolicyKeepsLoadBalancersApart(t *testing.T) {
	group := func(name, group, extra string) string {
		return classIngress("alb", name, false, ", alb.ingress.kubernetes.io/scheme: internet-facing, alb.ingress.kubernetes.io/group.name: "+group+extra, "")
	}
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.Join([]string{group("office", "office", ", alb.ingress.kubernetes.io/inbound-cidrs: 10.0.0.0/8"),
		group("shop", "shop", ""), group("cart", "shop", "")}, "\n---\n") + "\n")}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	for _, s := range res.Declaration.Services {
		want := map[string]string{"office": "inbound-cidrs=10.0.0.0/8"}[s.Name]
		if got := s.CurrentLoadBalancer.AccessPolicy; got != want {
			t.Errorf("%s: accessPolicy %q, want %q", s.Key(), got, want)
		}
	}
	office := planRow(t, p, "web/office")
	if p.Totals.MonthlyCost.Dollars() != "$47.46" || office.LoadBalancer == nil || *office.LoadBalancer != "office" || *planRow(t, p, "web/shop").LoadBalancer == "office" {
		t.Fatalf("planned %s, office on %v: want $47.46 with office on its own ALB", p.Totals.MonthlyCost.Dollars(), office.LoadBalancer)
	}
	planRenderReplan(t, "an office-only ALB", srcs, opts)
}

func TestOpenCIDRs(t *testing.T) {
	for list, want := range map[string]bool{"0.0.0.0/0": true, "0.0.0.0/0, ::/0": true, "10.0.0.0/8": false, "0.0.0.0/0,10.0.0.0/8": false} {
		if got := openCIDRs(list); got != want {
			t.Errorf("%q: %v, want %v", list, got, want)
		}
	}
}

// A LoadBalancer Service with loadBalancerSourceRanges keeps a load balancer
// of its own, which lets only those in: on a shared one it would be open.
func TestSourceRangesKeepTheirLoadBalancer(t *testing.T) {
	docs := []string{classIngress("alb", "shop", false, ", alb.ingress.kubernetes.io/scheme: internet-facing", ""), `apiVersion: v1
kind: Service
metadata: {name: admin, namespace: web, annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing}}
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: [203.0.113.0/24]
  ports: [{name: http, port: 80}]`}
	res, p := planSources(t, []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}, Options{Cloud: "aws", Region: "us-east-1"})
	i := slices.IndexFunc(res.Declaration.Services, func(s planner.Service) bool { return s.Name == "admin" })
	if got := res.Declaration.Services[i].CurrentLoadBalancer.AccessPolicy; got != "source-ranges=203.0.113.0/24" {
		t.Fatalf("accessPolicy %q", got)
	}
	if row := planRow(t, p, "web/admin"); row.Exposure != planner.LoadBalancer {
		t.Fatalf("admin planned %s on %v: want its own load balancer", row.Exposure, row.LoadBalancer)
	}
}

// A Classic Load Balancer of the in-tree provider with loadBalancerSourceRanges,
// in a cluster the AWS Load Balancer Controller runs (so no Classic LB is
// planned), moves to an NLB of its own that keeps the ranges: the Service's
// field restricts any load balancer of its own (planning it failed: no
// exposure kept the Classic LB's access controls). By hand (us-east-1, 730
// hours, 100 GB a month): today $18.25 (730 x $0.025) + $0.80 (100 GB x
// $0.008) + $7.30 (2 public IPv4 x 730 x $0.005) = $26.35; an NLB $16.43
// (730 x $0.0225) + $0.60 (100 NLCU-hours: 100 GB over 730 hours, 1 GB an
// NLCU-hour, x $0.006) + $7.30 = $24.33.
func TestClassicLBSourceRangesMoveToNLB(t *testing.T) {
	cluster := `apiVersion: v1
kind: Service
metadata: {name: db, namespace: data, annotations: {lbplanner.io/traffic: "gbPerMonth=100"}}
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: [10.0.0.0/8]
  ports: [{name: pg, port: 5432, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: mq, namespace: data, annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing}}
spec:
  type: LoadBalancer
  ports: [{name: amqp, port: 5672, protocol: TCP}]
`
	srcs := []Source{{Name: "c.yaml", Data: []byte(cluster)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	row := planRow(t, p, "data/db")
	if row.LoadBalancer == nil || *row.LoadBalancer != "nlb-data-db" {
		t.Fatalf("db planned on %v, want an NLB of its own", row.LoadBalancer)
	}
	var db *planner.LoadBalancerPlan
	for i := range p.LoadBalancers {
		if p.LoadBalancers[i].ID == "nlb-data-db" {
			db = &p.LoadBalancers[i]
		}
	}
	if db == nil || db.MonthlyCost.String() != "24.33" || p.Totals.CurrentMonthlyCost == nil || (*p.Totals.CurrentMonthlyCost-p.Totals.MonthlyCost).String() != "2.02" {
		t.Fatalf("db's NLB %+v; today %v, plan %s: want $24.33, saving $26.35 - $24.33 = $2.02", db, p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
	}
	out := string(mustRender(t, srcs, res, p, opts).Files[0].Data)
	if !strings.Contains(out, "loadBalancerSourceRanges: [10.0.0.0/8]") || !strings.Contains(out, "aws-load-balancer-type: external") {
		t.Errorf("rendered: the NLB keeps the ranges:\n%s", out)
	}
}

// Classic LBs that end TLS with an ACM certificate (aws-load-balancer-ssl-cert),
// one serving plain HTTP on 80 beside HTTPS on 443, move onto one ALB: each
// new Ingress carries its certificate as certificate-arn, and the one served
// over plain HTTP too listens on both ports (it lost port 80: only the
// HTTPS port was read). By hand (us-east-1, 730 hours, 100 GB a month each):
// today 2 x ($18.25 + $0.80 + $7.30) = $52.70; the ALB $16.43 + 200
// LCU-hours x $0.008 = $1.60 + 2 public IPv4 $7.30 = $25.33.
func TestClassicLBsWithCertificatesOntoALB(t *testing.T) {
	clb := func(name, ports string) string {
		return fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: %[1]s
  namespace: web
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-ssl-cert: arn:aws:acm:us-east-1:123456789012:certificate/%[1]s
    service.beta.kubernetes.io/aws-load-balancer-backend-protocol: http
    lbplanner.io/traffic: "rps=10,gbPerMonth=100"
    lbplanner.io/hosts: %[1]s.example.com
spec:
  type: LoadBalancer
  ports: [%[2]s]
`, name, ports)
	}
	srcs := []Source{{Name: "c.yaml", Data: []byte(clb("shop", "{name: https, port: 443, targetPort: 8080}, {name: http, port: 80, targetPort: 8080}") +
		"---\n" + clb("blog", "{name: https, port: 443, targetPort: 8080}"))}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	if p.Totals.MonthlyCost.String() != "25.33" || p.Totals.CurrentMonthlyCost == nil || p.Totals.CurrentMonthlyCost.String() != "52.70" {
		t.Fatalf("today %v, plan %s: want $52.70, $25.33", p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
	}
	out := string(mustRender(t, srcs, res, p, opts).New)
	for _, want := range []string{
		"alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-east-1:123456789012:certificate/shop\n",
		"alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-east-1:123456789012:certificate/blog\n",
		`alb.ingress.kubernetes.io/listen-ports: '[{"HTTP":80},{"HTTPS":443}]'`,
		`alb.ingress.kubernetes.io/listen-ports: '[{"HTTPS":443}]'`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in\n%s", want, out)
		}
	}
}

// An HTTPS Service whose own load balancer passes TLS through (an NLB given
// no certificate: its pods end TLS) keeps a load balancer that passes it
// through: an ALB would end TLS with a certificate the cluster does not hold
// and speak plain HTTP to pods that expect TLS. The same Service whose NLB
// ends TLS with an ACM certificate shares the ALB.
func TestPodsEndingTLSKeepPassthrough(t *testing.T) {
	nlb := func(name, extra string) string {
		return fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: %s
  namespace: web
  annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing, lbplanner.io/hosts: %[1]s.example.com%s}
spec:
  type: LoadBalancer
  ports: [{name: https, port: 443, targetPort: 8443}]
`, name, extra)
	}
	srcs := []Source{{Name: "c.yaml", Data: []byte(nlb("pods", "") + "---\n" + nlb("ends", ", service.beta.kubernetes.io/aws-load-balancer-ssl-cert: arn:aws:acm:us-east-1:1:certificate/ends") +
		"---\n" + nlb("also", ", service.beta.kubernetes.io/aws-load-balancer-ssl-cert: arn:aws:acm:us-east-1:1:certificate/also"))}}
	res, p := planSources(t, srcs, Options{Cloud: "aws", Region: "us-east-1"})
	i := slices.IndexFunc(res.Declaration.Services, func(s planner.Service) bool { return s.Name == "pods" })
	if !res.Declaration.Services[i].Has(planner.NeedTLSPassthrough) {
		t.Fatalf("pods: needs %v, want tlsPassthrough", res.Declaration.Services[i].Needs)
	}
	if row := planRow(t, p, "web/pods"); row.Exposure != planner.LoadBalancer || !strings.Contains(row.Reason, "tlsPassthrough") {
		t.Errorf("pods planned %s (%s): want its own NLB, for tlsPassthrough", row.Exposure, row.Reason)
	}
	for _, k := range []string{"web/ends", "web/also"} {
		if row := planRow(t, p, k); row.Exposure != planner.Ingress {
			t.Errorf("%s planned %s: want the shared ALB", k, row.Exposure)
		}
	}
}

// A LoadBalancer Service whose loadBalancerClass the cloud's controllers do
// not serve (Tailscale's operator here) gets no cloud load balancer: it is
// neither priced nor planned, and render leaves it as it is. The classes
// they do serve are read as before: the AWS Load Balancer Controller's NLB,
// GKE's regional passthrough load balancers (l4-regional-internal internal).
func TestForeignLoadBalancerClassNotPlanned(t *testing.T) {
	svc := func(name, class string) string {
		return fmt.Sprintf(`apiVersion: v1
kind: Service
metadata: {name: %s, namespace: web}
spec:
  type: LoadBalancer
  loadBalancerClass: %s
  ports: [{name: tcp, port: 5432, protocol: TCP}]
`, name, class)
	}
	for _, c := range []struct {
		cloud, region, own string
		internal           bool
	}{
		{"aws", "us-east-1", "service.k8s.aws/nlb", true}, // the controller's default scheme is internal
		{"gcp", "us-central1", "networking.gke.io/l4-regional-internal", true},
		{"gcp", "us-central1", "networking.gke.io/l4-regional-external", false},
		{"azure", "eastus2", "", false},
	} {
		docs := svc("ts", "tailscale")
		if c.own != "" {
			docs += "---\n" + svc("db", c.own)
		} else {
			docs += "---\n" + strings.Replace(svc("db", "x"), "  loadBalancerClass: x\n", "", 1)
		}
		srcs := []Source{{Name: "c.yaml", Data: []byte(docs)}}
		opts := Options{Cloud: c.cloud, Region: c.region}
		res, p := planSources(t, srcs, opts)
		if len(res.Declaration.Services) != 1 || res.Declaration.Services[0].Name != "db" {
			t.Fatalf("%s: declared %+v, want db alone", c.own, res.Declaration.Services)
		}
		if !hasWarning(res, "Service web/ts has loadBalancerClass tailscale, which "+c.cloud+"'s load-balancer controllers do not serve") {
			t.Errorf("%s: warnings %v", c.cloud, res.Warnings)
		}
		if got := res.Declaration.Services[0].CurrentLoadBalancer.Scheme == "internal"; got != c.internal {
			t.Errorf("%s: db internal %v, want %v", c.own, got, c.internal)
		}
		r := mustRender(t, srcs, res, p, opts)
		for _, f := range r.Files {
			if !strings.Contains(string(f.Data), "name: ts, namespace: web}\nspec:\n  type: LoadBalancer\n  loadBalancerClass: tailscale") {
				t.Errorf("%s: render changed ts:\n%s", c.cloud, f.Data)
			}
		}
	}
	only := []Source{{Name: "c.yaml", Data: []byte(svc("ts", "tailscale"))}}
	if _, err := Read(only, Options{Cloud: "aws", Region: "us-east-1"}); err == nil || !strings.Contains(err.Error(), "name a loadBalancerClass aws's controllers do not serve") {
		t.Errorf("only a foreign class: %v", err)
	}
}

// An Ingress without a class, where the manifests hold no default
// IngressClass (the cluster's default serves it: an in-cluster proxy), is
// planned on AWS and Azure: planning it failed ("(no class)" is not a load
// balancer name). A service the plan moves onto that proxy gets an Ingress
// without a class too, as the default serves.
func TestClasslessIngressOnTheDefaultProxy(t *testing.T) {
	classless := strings.Replace(ingressDoc("shop", "web", "", "shop.example.com", "/"), "  ingressClassName: \n", "", 1)
	cluster := serviceDocs("shop", "web") + "\n---\n" + classless + `
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop, annotations: {lbplanner.io/hosts: api.example.com}}
spec:
  type: LoadBalancer
  ports: [{name: http, port: 80}]
`
	srcs := []Source{{Name: "c.yaml", Data: []byte(cluster)}}
	for _, opts := range []Options{{Cloud: "aws", Region: "us-east-1"}, {Cloud: "azure", Region: "eastus2"}} {
		res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyProxy}, "web") // api pinned to a shared load balancer
		if row := planRow(t, p, "shop/api"); row.Exposure != planner.Ingress || row.LoadBalancer == nil || *row.LoadBalancer != planner.DefaultClassProxy || row.IngressClassName != "" {
			t.Fatalf("%s: api planned %+v, want the default class's proxy, without a class", opts.Cloud, row)
		}
		out := string(mustRender(t, srcs, res, p, opts).New)
		if !strings.Contains(out, "name: api") || strings.Contains(out, "ingressClassName") {
			t.Errorf("%s: api's new Ingress:\n%s", opts.Cloud, out)
		}
	}
}
