package manifests

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// nginxController is ingress-nginx as its chart renders it: the controller's
// Service (selecting the controller's pods), its Deployment (extra: more of
// its spec, e.g. replicas) with one container whose resources are given, and
// a Service routed through it.
func nginxController(extra, resources string) string {
	return ingressNginxDocs + `apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
spec:` + extra + `
  selector: {matchLabels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}}
  template:
    metadata: {labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller, app.kubernetes.io/instance: ingress-nginx}}
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.13.3
          resources: ` + resources + `
` + routedThrough("nginx", "web")
}

// routedThrough is four Services (name0 to name3, in namespace shop) and an
// Ingress of class routing a host (name0.example.com, ...) to each.
func routedThrough(class, name string) string {
	var docs []string
	for i := range 4 {
		n := fmt.Sprintf("%s%d", name, i)
		docs = append(docs, serviceDocs("shop", n), ingressDoc("shop", n, class, n+".example.com", "/"))
	}
	return "---\n" + strings.Join(docs, "\n---\n") + "\n"
}

// proxyLine is the monthly cost of the proxy pods' line named prefix
// ("proxy vCPU", "proxy memory") of the plan's proxy, with the line's name.
func proxyLine(t *testing.T, p *planner.Plan, prefix string) (string, string) {
	t.Helper()
	for _, lb := range p.LoadBalancers {
		for _, c := range lb.Costs {
			if strings.HasPrefix(c.Name, prefix) {
				return c.Name, c.MonthlyCost.String()
			}
		}
	}
	t.Fatalf("no %q line in %+v", prefix, p.LoadBalancers)
	return "", ""
}

// Today's proxy is priced with the pods its Deployment runs, as a FinOps
// reviewer reads them off the cluster (the plan kept on proxies). By hand (us-east-1, 730 hours):
// 3 replicas x 100m = 219 vCPU-hours x $0.04048 = $8.87 (the chart's default,
// 2 replicas, was $5.91); 90Mi = 0.087890625 GiB, rounded up to 0.087891,
// x 3 x 730 = 192.48129 GiB-hours x $0.004445 = $0.86.
func TestProxyPodsFromDeployment(t *testing.T) {
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	for _, c := range []struct {
		name, extra, resources string
		replicas               int
		cpuLine, cpu           string
		memLine, mem           string
		warning                string
	}{
		{"requests", "\n  replicas: 3", "{requests: {cpu: 100m, memory: 90Mi}}", 3,
			"proxy vCPU (3 x 0.1 vCPU)", "8.87", "proxy memory (3 x 0.087891 GiB)", "0.86", ""},
		// a limit and no request: the API server sets the request to the limit
		{"limits", "\n  replicas: 3", "{limits: {cpu: '0.1', memory: 90Mi}}", 3,
			"proxy vCPU (3 x 0.1 vCPU)", "8.87", "proxy memory (3 x 0.087891 GiB)", "0.86", ""},
		// replicas unset: one pod; 73 vCPU-hours x $0.04048 = $2.96; 1Gi: 730 GiB-hours x $0.004445 = $3.24
		{"one replica", "", "{requests: {cpu: 100m, memory: 1Gi}}", 1,
			"proxy vCPU (1 x 0.1 vCPU)", "2.96", "proxy memory (1 x 1 GiB)", "3.24", ""},
		// nothing requested: the implementation's defaults (100m, 0.09 GiB) for 4 pods: 292 vCPU-h = $11.82, 262.8 GiB-h = $1.17
		{"no requests", "\n  replicas: 4", "{}", 4,
			"proxy vCPU (4 x 0.1 vCPU)", "11.82", "proxy memory (4 x 0.09 GiB)", "1.17", ""},
	} {
		srcs := []Source{{Name: "c.yaml", Data: []byte(nginxController(c.extra, c.resources))}}
		res, p := planWithStrategies(t, srcs, opts, []string{planner.StrategyProxy})
		if got := res.Declaration.Proxy; got == nil || got.Replicas == nil || *got.Replicas != c.replicas {
			t.Errorf("%s: proxy sizing %+v, want %d replicas", c.name, got, c.replicas)
			continue
		}
		if name, cost := proxyLine(t, p, "proxy vCPU"); name != c.cpuLine || cost != c.cpu {
			t.Errorf("%s: %q $%s, want %q $%s", c.name, name, cost, c.cpuLine, c.cpu)
		}
		if name, cost := proxyLine(t, p, "proxy memory"); name != c.memLine || cost != c.mem {
			t.Errorf("%s: %q $%s, want %q $%s", c.name, name, cost, c.memLine, c.mem)
		}
	}
}

// A HorizontalPodAutoscaler's minReplicas is the pods the proxy runs at the
// least, what it is priced at (with a warning); a DaemonSet's pods are one a
// node, which manifests do not say: priced with proxy.replicas (2) and a
// warning; a second controller whose pods differ is priced with its own.
func TestProxyPodsScaledOrPerNode(t *testing.T) {
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	hpa := nginxController("\n  replicas: 5", "{requests: {cpu: 250m, memory: 256Mi}}") + nginxAutoscaler(2, 11)
	res, p := planWithStrategies(t, []Source{{Name: "c.yaml", Data: []byte(hpa)}}, opts, []string{planner.StrategyProxy})
	// 2 x 0.25 x 730 = 365 vCPU-hours x $0.04048 = $14.78
	if name, cost := proxyLine(t, p, "proxy vCPU"); name != "proxy vCPU (2 x 0.25 vCPU)" || cost != "14.78" {
		t.Errorf("scaled: %q $%s, want 2 x 0.25 vCPU, $14.78", name, cost)
	}
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "minReplicas (2) of the HorizontalPodAutoscaler") {
		t.Errorf("scaled: warnings %s", w)
	}
	daemon := strings.Replace(nginxController("", "{requests: {cpu: 200m, memory: 128Mi}}"), "kind: Deployment", "kind: DaemonSet", 1)
	res, p = planWithStrategies(t, []Source{{Name: "c.yaml", Data: []byte(daemon)}}, opts, []string{planner.StrategyProxy})
	// 2 x 0.2 x 730 = 292 vCPU-hours x $0.04048 = $11.82
	if name, cost := proxyLine(t, p, "proxy vCPU"); name != "proxy vCPU (2 x 0.2 vCPU)" || cost != "11.82" {
		t.Errorf("DaemonSet: %q $%s; want 2 x 0.2 vCPU (proxy.replicas' default), $11.82", name, cost)
	}
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "runs as DaemonSet ingress-nginx/ingress-nginx-controller, a pod per node") {
		t.Errorf("DaemonSet: warnings %s", w)
	}
	internal := strings.NewReplacer("name: ingress-nginx-controller", "name: ingress-nginx-internal-controller",
		"component: controller", "component: internal-controller", "replicas: 3", "replicas: 1",
		"type: LoadBalancer", "type: LoadBalancer\n  loadBalancerClass: service.k8s.aws/nlb",
		"name: nginx}", "name: nginx-internal}", "k8s.io/ingress-nginx}", "k8s.io/ingress-nginx-internal}",
		"web", "api", "ingressClassName: nginx", "ingressClassName: nginx-internal",
		"image: registry.k8s.io/ingress-nginx/controller:v1.13.3", "image: registry.k8s.io/ingress-nginx/controller:v1.13.3\n          args: [/nginx-ingress-controller, --controller-class=k8s.io/ingress-nginx-internal, --ingress-class=nginx-internal]").
		Replace(nginxController("\n  replicas: 3", "{requests: {cpu: 100m, memory: 90Mi}}"))
	public := strings.Replace(nginxController("\n  replicas: 3", "{requests: {cpu: 100m, memory: 90Mi}}"), "image: registry.k8s.io/ingress-nginx/controller:v1.13.3",
		"image: registry.k8s.io/ingress-nginx/controller:v1.13.3\n          args: [/nginx-ingress-controller, --controller-class=k8s.io/ingress-nginx, --ingress-class, nginx]", 1)
	two := public + "---\n" + internal
	res, p = planWithStrategies(t, []Source{{Name: "c.yaml", Data: []byte(two)}}, opts, []string{planner.StrategyProxy})
	if got := res.Declaration.Proxy; got.Replicas == nil || *got.Replicas != 3 {
		t.Errorf("two controllers: sizing %+v, want the first's 3 replicas", got)
	}
	// the second is sized apart (proxy.today), priced with its own pod: 1 x
	// 0.1 x 730 = 73 vCPU-hours x $0.04048 = $2.96 (it was priced with the
	// first's three pods, $8.87)
	if today := res.Declaration.Proxy.Today; len(today) != 1 || today[0].Name != "nginx-internal" || today[0].Implementation != planner.ProxyIngressNginx || today[0].Replicas == nil || *today[0].Replicas != 1 {
		t.Errorf("two controllers: proxy.today %+v, want nginx-internal's one replica", today)
	}
	for _, lb := range p.LoadBalancers {
		want := map[string]string{"nginx": "proxy vCPU (3 x 0.1 vCPU) $8.87", "nginx-internal": "proxy vCPU (1 x 0.1 vCPU) $2.96"}[lb.ID]
		if got := lb.Costs[len(lb.Costs)-2]; want == "" || got.Name+" $"+got.MonthlyCost.String() != want {
			t.Errorf("two controllers: %s's pods %s $%s, want %s", lb.ID, got.Name, got.MonthlyCost, want)
		}
	}
	if w := strings.Join(res.Warnings, "\n"); strings.Contains(w, "requests other resources") {
		t.Errorf("two controllers, each priced with its pods: warnings %s", w)
	}
}

// A Deployment the reader cannot decode (a malformed quantity) is skipped
// with a warning naming it: it does not fail the Services it does not route.
func TestMalformedDeploymentSkipped(t *testing.T) {
	data := nginxController("\n  replicas: 3", "{requests: {cpu: lots}}")
	res, err := Read([]Source{{Name: "c.yaml", Data: []byte(data)}}, Options{Cloud: "aws", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "c.yaml:17: Deployment ingress-nginx/ingress-nginx-controller not read") {
		t.Fatalf("warnings %s", w)
	}
	if p := res.Declaration.Proxy; p == nil || p.Replicas != nil {
		t.Fatalf("sizing %+v, want none read", p)
	}
}

// ingressDoc is an Ingress name in namespace ns, of class, routing host and
// path (Prefix) to Service name's port 80.
func ingressDoc(ns, name, class, host, path string) string {
	return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: %[1]s, namespace: %[2]s}
spec:
  ingressClassName: %[3]s
  rules: [{host: %[4]s, http: {paths: [{path: %[5]s, pathType: Prefix, backend: {service: {name: %[1]s, port: {number: 80}}}}]}}]`, name, ns, class, host, path)
}

// nginxAutoscaler is a HorizontalPodAutoscaler of nginxController's
// Deployment, keeping from min to max replicas.
func nginxAutoscaler(min, max int) string {
	return fmt.Sprintf(`---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ingress-nginx-controller}
  minReplicas: %d
  maxReplicas: %d
`, min, max)
}

// A plan that routes nothing through ingress-nginx any more deletes its
// controller's pods with its load balancer: the Deployment and the
// autoscaler scaling it go, named, with the Service (they cost what the plan
// no longer pays for). A plan keeping the proxy keeps them.
func TestRenderRetiresProxyPods(t *testing.T) {
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	cluster := nginxController("\n  replicas: 3", "{requests: {cpu: 100m, memory: 90Mi}}") + nginxAutoscaler(3, 9) + `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web0, namespace: shop}
spec:
  selector: {matchLabels: {app: web0}}
  template:
    metadata: {labels: {app: web0}}
    spec: {containers: [{name: web, image: web:1}]}
`
	srcs := []Source{{Name: "c.yaml", Data: []byte(cluster)}}
	res, p := planSources(t, srcs, opts)
	for _, s := range p.Services {
		if s.LoadBalancer == nil || p.LoadBalancers[0].Strategy == planner.StrategyProxy {
			t.Fatalf("the four services leave ingress-nginx for an ALB: %+v", p.LoadBalancers)
		}
	}
	r := mustRender(t, srcs, res, p, opts)
	want := []string{
		"Deployment ingress-nginx/ingress-nginx-controller (the pods of the proxy behind Service ingress-nginx/ingress-nginx-controller)",
		"HorizontalPodAutoscaler ingress-nginx/ingress-nginx-controller (the pods of the proxy behind Service ingress-nginx/ingress-nginx-controller)",
		"Service ingress-nginx/ingress-nginx-controller (and its proxy: no service is routed through it any more)",
	}
	if strings.Join(r.Deleted, "\n") != strings.Join(want, "\n") {
		t.Errorf("deleted:\n%s\nwant:\n%s", strings.Join(r.Deleted, "\n"), strings.Join(want, "\n"))
	}
	out := string(r.Files[0].Data)
	if strings.Contains(out, "name: ingress-nginx-controller") || strings.Count(out, "kind: Deployment") != 1 || !strings.Contains(out, "name: web0, namespace: shop}\nspec:\n  selector") {
		t.Errorf("rendered: the controller's Service, Deployment and autoscaler go, the app's Deployment stays as it was:\n%s", out)
	}
	res, p = planWithStrategies(t, srcs, opts, []string{planner.StrategyProxy})
	r = mustRender(t, srcs, res, p, opts)
	if len(r.Deleted) != 0 {
		t.Errorf("kept on the proxy: deleted %v", r.Deleted)
	}
}

// A plan that moves every service off today's Traefik routes but adds a
// Gateway of class traefik keeps Traefik: its Service and pods serve the new
// Gateway (Traefik's Gateway API provider listens on its own entry points).
func TestRenderKeepsProxyServingNewGateway(t *testing.T) {
	data, err := os.ReadFile("testdata/roundtrip/azure_eastus2_new-gateway-on-todays-traefik.yaml")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Cloud: "azure", Region: "eastus2"}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	res, p := planSources(t, srcs, opts)
	if row := planRow(t, p, "web/svc12"); row.GatewayClassName != "traefik" {
		t.Fatalf("web/svc12 planned on %+v, want a new Gateway of class traefik", row)
	}
	r := mustRender(t, srcs, res, p, opts)
	for _, d := range r.Deleted {
		if strings.Contains(d, "kube-system/traefik") {
			t.Errorf("deleted %s: Traefik serves the new Gateway", d)
		}
	}
}

// A cluster moving from ingress-nginx to Envoy Gateway runs both: each
// proxy is priced with its own implementation's pods (proxy.today sizes
// ingress-nginx apart). By hand (us-east-1, 730 h, no traffic): Envoy
// Gateway's Gateway, an NLB ($16.43 + two IPv4 addresses $7.30) and two
// Envoy pods of 100m and 512Mi (146 vCPU-h x $0.04048 = $5.91, 730 GiB-h x
// $0.004445 = $3.24), $32.88; ingress-nginx, the same NLB and two pods of
// 100m and 90Mi (131.4 GiB-h = $0.58), $30.22; today $63.10 (it was $65.76,
// ingress-nginx's pods priced as Envoy's). The route that rewrites keeps
// the Gateway; the blog moves onto it and ingress-nginx goes: $32.88,
// saving $30.22.
func TestTodaysProxiesPricedByImplementation(t *testing.T) {
	data := ingressNginxDocs + serviceDocs("web", "blog", "shop") + "\n---\n" + ingressDoc("web", "blog", "nginx", "blog.example.com", "/") + "\n---\n" +
		envoyGateway("edge", "edge", "{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}") + `
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: web}
spec:
  parentRefs: [{name: edge, namespace: edge}]
  hostnames: [shop.example.com]
  rules:
    - filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
      backendRefs: [{name: shop, port: 80}]
`
	srcs := []Source{{Name: "c.yaml", Data: []byte(data)}}
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	px := res.Declaration.Proxy
	if px.Implementation != planner.ProxyEnvoyGateway || len(px.Today) != 1 || px.Today[0].Name != "nginx" || px.Today[0].Implementation != planner.ProxyIngressNginx {
		t.Fatalf("proxy %+v, today %+v: want envoy-gateway, ingress-nginx sized apart", px, px.Today)
	}
	if p.Totals.CurrentMonthlyCost.String() != "63.10" || p.Totals.MonthlyCost.String() != "32.88" {
		t.Fatalf("today %s, plan %s: want $63.10 and $32.88", p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
	}
	if row := planRow(t, p, "web/blog"); row.LoadBalancer == nil || *row.LoadBalancer != "gateway:edge/edge" {
		t.Errorf("blog on %v, want the Envoy Gateway", row.LoadBalancer)
	}
	planRenderReplan(t, "ingress-nginx beside Envoy Gateway", srcs, opts)
	// kept (it rewrites), ingress-nginx's pods are its own, and its retirement is warned of
	kept := []Source{{Name: "c.yaml", Data: []byte(strings.Replace(data, "kind: Ingress\nmetadata: {name: blog, namespace: web}", "kind: Ingress\nmetadata: {name: blog, namespace: web, annotations: {nginx.ingress.kubernetes.io/rewrite-target: /}}", 1))}}
	res, p = planSources(t, kept, opts)
	if !res.Declaration.Services[0].Has(planner.NeedRewrite) {
		t.Fatalf("%s needs %v", res.Declaration.Services[0].Key(), res.Declaration.Services[0].Needs)
	}
	if p.Totals.MonthlyCost.String() != "63.10" || !slices.Contains(p.Warnings, planner.IngressNginxRetired) {
		t.Errorf("kept: plan %s, warnings %v: want $63.10 and ingress-nginx's retirement", p.Totals.MonthlyCost, p.Warnings)
	}
	for _, lb := range p.LoadBalancers {
		want := map[string]string{"nginx": "proxy memory (2 x 0.09 GiB) 0.58", "gateway:edge/edge": "proxy memory (2 x 0.5 GiB) 3.24"}[lb.ID]
		if got := lb.Costs[len(lb.Costs)-1]; got.Name+" "+got.MonthlyCost.String() != want {
			t.Errorf("kept: %s's pods %s %s, want %s", lb.ID, got.Name, got.MonthlyCost, want)
		}
	}
}
