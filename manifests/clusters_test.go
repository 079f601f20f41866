package manifests

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// folder reads every YAML file under dir, as the command does.
func folder(t *testing.T, dir string) []Source {
	t.Helper()
	var srcs []Source
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := os.ReadFile(p)
		srcs = append(srcs, Source{Name: p, Data: data})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Name < srcs[j].Name })
	return srcs
}

func planSources(t *testing.T, srcs []Source, opts Options) (*Result, *planner.Plan) {
	t.Helper()
	return planWithStrategies(t, srcs, opts, roundTripStrategies[opts.Cloud])
}

// roundTripStrategies are, by cloud, the strategies planSources plans with
// (nil: the cloud's defaults); a test may set them for its run.
var roundTripStrategies = map[string][]string{}

func planRow(t *testing.T, p *planner.Plan, key string) planner.ServicePlan {
	t.Helper()
	for _, s := range p.Services {
		if s.Namespace+"/"+s.Name == key {
			return s
		}
	}
	t.Fatalf("no service %s in the plan", key)
	return planner.ServicePlan{}
}

func hasWarning(res *Result, sub string) bool {
	for _, w := range res.Warnings {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

// applyRendering is the manifest set after lbplanner render: the changed
// files replaced, the new objects added.
func applyRendering(srcs []Source, r *Rendering) []Source {
	changed := map[string][]byte{}
	for _, f := range r.Files {
		changed[f.Name] = f.Data
	}
	var out []Source
	for _, s := range srcs {
		if d, ok := changed[s.Name]; ok {
			s.Data = d
		}
		out = append(out, s)
	}
	if r.New != nil {
		out = append(out, Source{Name: NewFile, Data: r.New})
	}
	return out
}

// The aws-shop cluster, by hand (us-east-1, 2 zones, 730 h; an idle
// internet-facing ALB or NLB is $16.43 of hours + $7.30 of two public IPv4
// addresses = $23.73, an internal one $16.43, a Classic LB $18.25 + $7.30 =
// $25.55; ingress-nginx is an NLB ($23.73) and two pods of 0.1 vCPU
// (146 vCPU-h x $0.04048 = $5.91) and 0.09 GiB (131.4 GiB-h x $0.004445 = $0.58) = $30.22):
//
//	Ingress shop/storefront's own ALB, 730 GB/month = 1 LCU x 730 h x $0.008 = $5.84   $29.57
//	Ingress shop/docs's own ALB                                                         $23.73
//	IngressGroup public (Ingresses api and account)                                     $23.73
//	Gateway web/web (AWS LBC: an internal ALB by default)                               $16.43
//	ingress-nginx (blog, wiki), however many Ingresses                                  $30.22
//	infra/dns NLB (53/TCP and 53/UDP: one TCP_UDP listener)                             $23.73
//	infra/mqtt NLB (internal: the controller's default scheme)                          $16.43
//	infra/legacy Classic LB (the in-tree provider)                                      $25.55
//	infra/metrics NodePort                                                               $0.00
//	today                                                                              $189.39
//
// The plan: one internet ALB for every HTTP service, keeping the IngressGroup
// name "public" ($29.57 with the storefront's bytes), the canary's Gateway
// ($16.43), the two NLBs ($23.73 + $16.43), NodePort kept: $86.16.
func TestAWSShopCluster(t *testing.T) {
	srcs := folder(t, "testdata/clusters/aws-shop")
	res, p := planSources(t, srcs, Options{Region: "us-east-1"})
	if got := *p.Totals.CurrentMonthlyCost; got != money.Cents(18939) {
		t.Errorf("today %s, want $189.39", got.Dollars())
	}
	if p.Totals.MonthlyCost != money.Cents(8616) || *p.Totals.SavingsVsCurrent != money.Cents(10323) {
		t.Errorf("plan %s (savings %s), want $86.16 ($103.23)", p.Totals.MonthlyCost.Dollars(), p.Totals.SavingsVsCurrent.Dollars())
	}
	want := map[string]string{
		"shop/storefront": "public", "shop/checkout": "public", "shop/docs": "public", "public/api": "public",
		"public/account": "public", "content/blog": "public", "content/wiki": "public", "infra/legacy": "public",
		"web/ui": "gateway:web/web", "web/ui-v2": "gateway:web/web", "infra/dns": "nlb-infra-dns", "infra/mqtt": "nlb-infra-mqtt",
	}
	for key, lb := range want {
		if row := planRow(t, p, key); row.LoadBalancer == nil || *row.LoadBalancer != lb {
			t.Errorf("%s on %v, want %s", key, row.LoadBalancer, lb)
		}
	}
	if row := planRow(t, p, "infra/metrics"); row.Exposure != planner.NodePort {
		t.Errorf("metrics is NodePort today and must stay: %s", row.Exposure)
	}
	if row := planRow(t, p, "infra/db"); row.ServiceType != "ClusterIP" {
		t.Errorf("headless db: %s", row.ServiceType)
	}
	for _, lb := range p.LoadBalancers {
		if lb.ID == "public" {
			pos := map[string]int{}
			for i, k := range lb.RuleOrder {
				pos[k] = i
			}
			// on the HTTP listener: /checkout before / on shop.example.com, the any-host rule after every host's
			if pos["shop/checkout"] > pos["shop/storefront"] {
				t.Errorf("rule order %v: /checkout after /", lb.RuleOrder)
			}
			for _, k := range []string{"shop/checkout", "shop/storefront", "content/blog", "content/wiki", "shop/docs"} {
				if pos[k] > pos["infra/legacy"] {
					t.Errorf("rule order %v: %s after the any-host rule", lb.RuleOrder, k)
				}
			}
		}
	}
	for _, w := range []string{"chart/Chart.yaml: a Helm chart's own file", "1 YAML document(s) that are not Kubernetes objects",
		"infra/payments is an ExternalName alias", "port 80 has no name or appProtocol: read as HTTP",
		"ingress-nginx-controller is an in-cluster proxy's own load balancer", "Service shop/ghost is not in the manifests",
		"1 HTTPProxy (projectcontour.io/v1) object(s) not read",
		"Ingress shop/old: Service shop/billing is an ExternalName alias, outside the cluster: not planned"} {
		if !hasWarning(res, w) {
			t.Errorf("no warning %q in %v", w, res.Warnings)
		}
	}
	if _, err := Read(srcs, Options{Region: "us-east-1", Strict: true}); err == nil || !strings.Contains(err.Error(), "shop.yaml:78: Ingress shop/old: field backend.service.name: Service shop/ghost is not in the manifests") {
		t.Errorf("strict: %v", err)
	}
	roundTrip(t, srcs, res, p, Options{Region: "us-east-1"},
		[]string{"Ingress infra/legacy: new", "Service infra/legacy: LoadBalancer -> Ingress on public"},
		[]string{"Service ingress-nginx/ingress-nginx-controller (and its proxy: no service is routed through it any more)"})
}

// planWithStrategies reads manifests and plans them with the given
// strategies (nil: the defaults), every service but those named pinned to a
// shared exposure when any are named.
func planWithStrategies(t *testing.T, srcs []Source, opts Options, strategies []string, unpinned ...string) (*Result, *planner.Plan) {
	t.Helper()
	res, err := Read(srcs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if strategies != nil {
		res.Declaration.Strategies = strategies
	}
	for i, s := range res.Declaration.Services {
		if len(unpinned) > 0 && !slices.Contains(unpinned, s.Name) {
			res.Declaration.Services[i].Pin = planner.Ingress
		}
	}
	return res, computePlan(t, res.Declaration)
}

// roundTrip renders a plan, plans the rendered manifests (same plan, today
// now costs what the plan costs) and renders them again (nothing changes).
func roundTrip(t *testing.T, srcs []Source, res *Result, p *planner.Plan, opts Options, changes, deleted []string) {
	t.Helper()
	r, err := Render(srcs, res, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		found := false
		for _, have := range r.Changes {
			found = found || strings.HasPrefix(have, c)
		}
		if !found {
			t.Errorf("no change %q in %v", c, r.Changes)
		}
	}
	if strings.Join(r.Deleted, "|") != strings.Join(deleted, "|") {
		t.Errorf("deleted %v, want %v", r.Deleted, deleted)
	}
	after := applyRendering(srcs, r)
	_, p2 := planSources(t, after, opts)
	if p2.Totals.MonthlyCost != p.Totals.MonthlyCost || *p2.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost {
		t.Errorf("rendered manifests: plan %s, today %s; want both %s", p2.Totals.MonthlyCost.Dollars(), p2.Totals.CurrentMonthlyCost.Dollars(), p.Totals.MonthlyCost.Dollars())
	}
	for _, s := range p.Services {
		s2 := planRow(t, p2, s.Namespace+"/"+s.Name)
		if s2.Exposure != s.Exposure || (s.LoadBalancer == nil) != (s2.LoadBalancer == nil) || (s.LoadBalancer != nil && !sameLoadBalancer(*s.LoadBalancer, *s2.LoadBalancer)) {
			t.Errorf("%s/%s: planned %s %v, after render %s %v", s.Namespace, s.Name, s.Exposure, s.LoadBalancer, s2.Exposure, s2.LoadBalancer)
		}
	}
	res2, _ := planSources(t, after, opts)
	r2, err := Render(after, res2, p2, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Files) != 0 || r2.New != nil || len(r2.Deleted) != 0 {
		t.Errorf("rendering the rendered manifests changes %v", r2.Changes)
	}
}

// sameLoadBalancer reports whether a load balancer read back from rendered
// manifests is the planned one: the same id, or the Gateway render added
// for it (named after the planned id, in some namespace).
func sameLoadBalancer(planned, after string) bool {
	if planned == after {
		return true
	}
	gw, ok := strings.CutPrefix(after, planner.GatewayPrefix)
	_, name, _ := strings.Cut(gw, "/")
	return ok && name == gatewayName(planned)
}

func TestRenderKeepsOtherFieldsAndDocuments(t *testing.T) {
	srcs := folder(t, "testdata/clusters/aws-shop")
	res, p := planSources(t, srcs, Options{Region: "us-east-1"})
	r, err := Render(srcs, res, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Files {
		if strings.HasSuffix(f.Name, "shop.yaml") {
			out := string(f.Data)
			for _, keep := range []string{"alb.ingress.kubernetes.io/healthcheck-path: /healthz", "alb.ingress.kubernetes.io/inbound-cidrs: 0.0.0.0/0",
				"# an Ingress to a Service that is not in these manifests", "lbplanner.io/traffic: rps=300,gbPerMonth=730"} {
				if !strings.Contains(out, keep) {
					t.Errorf("shop.yaml lost %q:\n%s", keep, out)
				}
			}
		}
		if strings.HasSuffix(f.Name, "l4.yaml") && !strings.Contains(string(f.Data), "name: dns-udp, port: 53, protocol: UDP") {
			t.Errorf("l4.yaml: an unchanged document was rewritten:\n%s", f.Data)
		}
	}
	if d := r.Diff(); !strings.Contains(d, "-  type: LoadBalancer\n+  type: ClusterIP") || !strings.Contains(d, "+++ b/"+NewFile) {
		t.Errorf("diff:\n%s", d)
	}
}

// The aks-bookinfo cluster, by hand (eastus, 730 h). An in-cluster proxy on
// AKS is a public IP ($0.005 x 730 = $3.65) and a rule on the cluster's
// public load balancer, plus two pods (146 vCPU-h x $0.0405 = $5.91; Istio's
// gateway pods request 128Mi, 182.5 GiB-h x $0.00445 = $0.81): $10.37. The
// application routing NGINX is ingress-nginx, its pods priced apart
// (proxy.today) with that chart's 90Mi, 131.4 GiB-h = $0.58: $10.14 (it was
// priced as Istio's). The public load balancer's rules (the
// outbound rule, Istio's, application routing's and the game's: 4) stay
// within the first five, which the outbound rule already pays for.
//
//	Istio ingress gateway (productpage, reviews, reviews-v2)               $10.37
//	AKS application routing, NGINX (blog): a proxy of its own              $10.14
//	AGIC (portal): Application Gateway v2, $0.246 x 730 = $179.58 + IP     $183.23
//	games/game: a public IP on the public load balancer                     $3.65
//	infra/ldap: 2 ports, 2 rules on the new internal load balancer: flat   $18.25
//	today                                                                  $225.64
//
// The plan keeps Istio and moves the blog and the portal onto it: $32.27.
func TestAKSBookinfoCluster(t *testing.T) {
	srcs := folder(t, "testdata/clusters/aks-bookinfo")
	res, p := planSources(t, srcs, Options{Region: "eastus"})
	if res.Declaration.Cloud != "azure" {
		t.Fatalf("cloud %s", res.Declaration.Cloud)
	}
	if got := *p.Totals.CurrentMonthlyCost; got != money.Cents(22564) {
		t.Errorf("today %s, want $225.64", got.Dollars())
	}
	if p.Totals.MonthlyCost != money.Cents(3227) {
		t.Errorf("plan %s, want $32.27", p.Totals.MonthlyCost.Dollars())
	}
	if res.Declaration.Proxy == nil || res.Declaration.Proxy.Implementation != planner.ProxyIstio {
		t.Errorf("proxy %+v, want istio", res.Declaration.Proxy)
	}
	for _, key := range []string{"bookinfo/productpage", "bookinfo/reviews", "bookinfo/reviews-v2", "blog/blog", "portal/portal"} {
		if row := planRow(t, p, key); row.LoadBalancer == nil || *row.LoadBalancer != "istio" || row.IngressClassName != "istio" {
			t.Errorf("%s: %v class %s, want the Istio ingress gateway", key, row.LoadBalancer, row.IngressClassName)
		}
	}
	if row := planRow(t, p, "bookinfo/ratings"); row.Exposure != planner.ClusterIP {
		t.Errorf("ratings is routed only inside the mesh: %s", row.Exposure)
	}
	reviews := byName(t, res.Declaration, "reviews")
	if strings.Join(reviews.RoutedWith, ",") != "bookinfo/reviews-v2" || strings.Join(reviews.Paths, ",") != "/reviews" || reviews.Protocol != planner.ProtoHTTPS {
		t.Errorf("reviews %+v", reviews)
	}
	if ldap := byName(t, res.Declaration, "ldap"); len(ldap.Ports) != 2 || ldap.Audience != planner.AudienceVPC {
		t.Errorf("ldap %+v", ldap)
	}
	roundTrip(t, srcs, res, p, Options{Region: "eastus"},
		[]string{"Ingress blog/blog: Ingress on istio", "Ingress portal/portal: Ingress on istio"}, nil)
}

// The gke-store cluster, by hand (us-central1, 730 h). GCP bills forwarding
// rules per project and scope, the first five flat ($0.025 x 730 = $18.25):
//
//	global: Ingress store/web, Ingress store/admin (one HTTP rule each),
//	        Gateway infra/external (one HTTP rule): 3 rules, flat          $18.25
//	regional: store/voice (5060/TCP and 5060/UDP: a rule per protocol),
//	        store/ledger (internal): 3 rules, flat                         $18.25
//	today                                                                  $36.50
//
// The plan takes every rule out of the global scope: the HTTP services go
// behind an in-cluster proxy, Envoy Gateway (no proxy runs today), rendered
// as a Gateway and routes (one regional rule, and two pods of 100m and
// 512Mi at GKE Autopilot rates: 146 vCPU-h x $0.0445 = $6.50 and 730 GiB-h x
// $0.0049225 = $3.59), cart to a passthrough rule of its own; 5 regional
// rules stay flat: $18.25 + $10.09 = $28.34.
func TestGKEStoreCluster(t *testing.T) {
	srcs := folder(t, "testdata/clusters/gke-store")
	res, p := planSources(t, srcs, Options{Region: "us-central1"})
	if res.Declaration.Cloud != "gcp" {
		t.Fatalf("cloud %s", res.Declaration.Cloud)
	}
	if got := *p.Totals.CurrentMonthlyCost; got != money.Cents(3650) {
		t.Errorf("today %s, want $36.50", got.Dollars())
	}
	if p.Totals.MonthlyCost != money.Cents(2834) {
		t.Errorf("plan %s, want $28.34", p.Totals.MonthlyCost.Dollars())
	}
	catalog := byName(t, res.Declaration, "catalog")
	if catalog.Protocol != planner.ProtoGRPC || strings.Join(catalog.Paths, ",") != "/store.Catalog/Get,/store.Catalog/List" ||
		catalog.CurrentLoadBalancer == nil || catalog.CurrentLoadBalancer.Name != "gateway:infra/external" {
		t.Errorf("catalog %+v", catalog)
	}
	if voice := byName(t, res.Declaration, "voice"); len(voice.Ports) != 2 || voice.Protocol != planner.ProtoTCP {
		t.Errorf("voice %+v", voice)
	}
	roundTrip(t, srcs, res, p, Options{Region: "us-central1"},
		[]string{"GRPCRoute store/catalog: to Gateway store/envoy (new)", "Gateway store/envoy: new (eg)",
			"HTTPRoute store/web: new, to Gateway store/envoy", "Ingress store/web: delete", "Service store/cart: ClusterIP -> LoadBalancer"},
		[]string{"Gateway infra/external", "HTTPRoute store/cart", "Ingress store/admin", "Ingress store/web"})
}

// A service behind a public IngressGroup and an internal Ingress of its own:
// two ALBs today (by hand: $16.43 + $7.30 = $23.73 public, $16.43 internal =
// $40.16). The plan keeps the internal entry as it is, so both cost $40.16,
// and render leaves the internal Ingress alone.
func TestServiceOnTwoLoadBalancersToday(t *testing.T) {
	doc := `apiVersion: v1
kind: Service
metadata: {name: admin, namespace: ops}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: admin-public
  namespace: ops
  annotations: {alb.ingress.kubernetes.io/group.name: public, alb.ingress.kubernetes.io/scheme: internet-facing}
spec:
  ingressClassName: alb
  rules: [{host: admin.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}]}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: admin-internal, namespace: ops}
spec:
  ingressClassName: alb
  rules: [{host: admin.internal, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}]}}]
`
	srcs := []Source{{Name: "ops.yaml", Data: []byte(doc)}}
	res, p := planSources(t, srcs, Options{Region: "us-east-1"})
	admin := byName(t, res.Declaration, "admin")
	if admin.CurrentLoadBalancer == nil || admin.CurrentLoadBalancer.Name != "public" || len(admin.AlsoOn) != 1 || admin.AlsoOn[0].Name != "ops/admin-internal" {
		t.Fatalf("admin %+v", admin)
	}
	if *p.Totals.CurrentMonthlyCost != money.Cents(4016) || p.Totals.MonthlyCost != money.Cents(4016) {
		t.Fatalf("today %s, plan %s: want both $40.16", p.Totals.CurrentMonthlyCost.Dollars(), p.Totals.MonthlyCost.Dollars())
	}
	strategies := map[string]string{}
	for _, lb := range p.LoadBalancers {
		strategies[lb.ID] = lb.Strategy
	}
	if strategies["ops/admin-internal"] != "kept" || strategies["public"] != "alb" {
		t.Fatalf("load balancers %v", strategies)
	}
	roundTrip(t, srcs, res, p, Options{Region: "us-east-1"}, nil, nil)
}

// A LoadBalancer Service that an IngressGroup also routes: the plan puts it on
// the group alone (by hand: $23.73, against $47.46 today for the NLB and the
// ALB), and render only changes its type: the group already routes it.
func TestLoadBalancerServiceAlsoRoutedByAGroup(t *testing.T) {
	doc := `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
  annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing}
spec:
  type: LoadBalancer
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations: {alb.ingress.kubernetes.io/group.name: shop, alb.ingress.kubernetes.io/scheme: internet-facing}
spec:
  ingressClassName: alb
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
`
	srcs := []Source{{Name: "shop.yaml", Data: []byte(doc)}}
	res, p := planSources(t, srcs, Options{Region: "us-east-1"})
	if *p.Totals.CurrentMonthlyCost != money.Cents(4746) || p.Totals.MonthlyCost != money.Cents(2373) {
		t.Fatalf("today %s, plan %s", p.Totals.CurrentMonthlyCost.Dollars(), p.Totals.MonthlyCost.Dollars())
	}
	if r := planRow(t, p, "shop/api").Reason; strings.Contains(r, "kept as it is") {
		t.Errorf("the group is the plan's own load balancer, not one kept beside it: %s", r)
	}
	roundTrip(t, srcs, res, p, Options{Region: "us-east-1"}, []string{"Service shop/api: LoadBalancer -> Ingress on shop"}, nil)
	r, _ := Render(srcs, res, p, Options{})
	if r.New != nil {
		t.Errorf("a second Ingress for a service the group already routes:\n%s", r.New)
	}
}

// A canary on an Envoy Gateway (a proxy of its own: by hand $16.43 + $7.30 +
// $5.91 + two Envoy pods of 512Mi, 730 GiB-h x $0.004445 = $3.24: $32.88) beside an IngressGroup ($23.73): the plan moves the
// canary onto the group ($23.73 in all); render writes its weighted route as
// one ALB Ingress forwarding by weight, deletes the route and its Gateway,
// and the rendered manifests plan back to the same.
func TestCanaryMovedToAnIngressGroupForwardsByWeight(t *testing.T) {
	doc := `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: web}
spec:
  gatewayClassName: eg
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ui, namespace: web}
spec:
  parentRefs: [{name: web}]
  hostnames: [app.example.com]
  rules: [{backendRefs: [{name: ui, port: 80, weight: 90}, {name: ui-v2, port: 80, weight: 10}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ui, namespace: web}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: ui-v2, namespace: web}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: web}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: web
  annotations: {alb.ingress.kubernetes.io/group.name: public, alb.ingress.kubernetes.io/scheme: internet-facing}
spec:
  ingressClassName: alb
  rules: [{host: api.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}}]
`
	srcs := []Source{{Name: "web.yaml", Data: []byte(doc)}}
	res, p := planSources(t, srcs, Options{Region: "us-east-1"})
	if *p.Totals.CurrentMonthlyCost != money.Cents(5661) || p.Totals.MonthlyCost != money.Cents(2373) {
		t.Fatalf("today %s, plan %s", p.Totals.CurrentMonthlyCost.Dollars(), p.Totals.MonthlyCost.Dollars())
	}
	roundTrip(t, srcs, res, p, Options{Region: "us-east-1"},
		[]string{"HTTPRoute web/ui: replaced by Ingress web/ui, a weighted forward on public"},
		[]string{"Gateway web/web", "HTTPRoute web/ui"})
	r, _ := Render(srcs, res, p, Options{})
	if !strings.Contains(string(r.New), `alb.ingress.kubernetes.io/actions.ui-1: '{"forwardConfig":{"targetGroups":[{"serviceName":"ui","servicePort":"80","weight":90},{"serviceName":"ui-v2","servicePort":"80","weight":10}]},"type":"forward"}'`) {
		t.Errorf("new objects:\n%s", r.New)
	}
}

// Four Envoy Gateways are four proxies, each its own NLB and pods (by hand
// $32.88 each: $30.22 with two Envoy pods of 0.09 GiB, and 2 x 0.41 GiB x
// 730 h more at $0.004445 = 731.4 GiB-h... line by line $3.24 instead of
// $0.58; $131.52 today), not one; the plan puts the four HTTP services on
// one ALB ($23.73).
func TestEveryGatewayIsALoadBalancer(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 4; i++ {
		fmt.Fprintf(&b, `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw%[1]d, namespace: apps}
spec: {gatewayClassName: eg, listeners: [{name: http, protocol: HTTP, port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app%[1]d, namespace: apps}
spec: {parentRefs: [{name: gw%[1]d}], hostnames: [app%[1]d.example.com], rules: [{backendRefs: [{name: app%[1]d, port: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: app%[1]d, namespace: apps}
spec: {ports: [{name: http, port: 80}]}
---
`, i)
	}
	_, p := planSources(t, []Source{{Name: "gw.yaml", Data: []byte(b.String())}}, Options{Cloud: "aws", Region: "us-east-1"})
	if *p.Totals.CurrentMonthlyCost != money.Cents(4*3288) || p.Totals.MonthlyCost != money.Cents(2373) {
		t.Fatalf("today %s (want $131.52), plan %s (want $23.73)", p.Totals.CurrentMonthlyCost.Dollars(), p.Totals.MonthlyCost.Dollars())
	}
}

// The aks-agc cluster, by hand (eastus2, 730 h). Today one Application
// Gateway for Containers (alb-infra/alb-test) serves two Gateways and an
// Ingress: three frontends. Its capacity: 2,000 + 1,000 persistent
// connections / 2,500 = 1.2 -> 2 CUs (400 GB a month is 1.22 Mbps, 1 CU).
//
//	resource 730 x $0.017                                         $12.41
//	3 frontends x 730 x $0.01                                      $21.90
//	association 730 x $0.12                                        $87.60
//	2 CUs x 730 x $0.008                                           $11.68
//	games/game: a public IP on the cluster's public load balancer   $3.65
//	today                                                         $137.24
//
// The plan puts the four HTTP services on an in-cluster proxy, Envoy Gateway
// (none runs today): a public IP $3.65, 400 GB x $0.005 = $2.00, two pods
// of 100m and 512Mi $5.91 + 730 GiB-h x $0.00445 = $3.25, with the game:
// $18.46. Kept to Application Gateway for Containers, the four share one
// gateway: the two Gateways' routes move to one new Gateway (one frontend),
// the console's Ingress stays (its own): two frontends, $133.59 - $7.30 =
// $126.29, with the game $129.94.
func TestAKSAGCCluster(t *testing.T) {
	srcs := folder(t, "testdata/clusters/aks-agc")
	res, p := planSources(t, srcs, Options{Region: "eastus2"})
	if res.Declaration.Cloud != "azure" {
		t.Fatalf("cloud %s", res.Declaration.Cloud)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w, "in-cluster proxy") {
			t.Errorf("AGC priced as something else: %s", w)
		}
	}
	shop := byName(t, res.Declaration, "storefront")
	if c := shop.CurrentLoadBalancer; c == nil || c.Kind != planner.CurrentAGC || c.Name != "alb-infra/alb-test" || c.Frontend != "gateway:shop/shop-gw" {
		t.Fatalf("storefront today: %+v", c)
	}
	if c := byName(t, res.Declaration, "console").CurrentLoadBalancer; c == nil || c.Name != "alb-infra/alb-test" || c.Frontend != "admin/console" {
		t.Fatalf("console today: %+v", c)
	}
	if got := *p.Totals.CurrentMonthlyCost; got != money.Cents(13724) {
		t.Errorf("today %s, want $137.24", got.Dollars())
	}
	if p.Totals.MonthlyCost != money.Cents(1846) {
		t.Errorf("plan %s, want $18.46", p.Totals.MonthlyCost.Dollars())
	}
	// (with the Gateways gone, nothing in the manifests says Azure any more)
	roundTrip(t, srcs, res, p, Options{Cloud: "azure", Region: "eastus2"},
		[]string{"Gateway admin/envoy: new (eg)", "HTTPRoute shop/storefront: to Gateway admin/envoy (new)", "HTTPRoute admin/console: new, to Gateway admin/envoy"},
		[]string{"Gateway blog/blog-gw", "Gateway shop/shop-gw", "Ingress admin/console"})

	_, p = planWithStrategies(t, srcs, Options{Region: "eastus2"}, []string{planner.StrategyAGC}, "game")
	if p.Totals.MonthlyCost != money.Cents(12994) {
		t.Errorf("kept to AGC: %s, want $129.94", p.Totals.MonthlyCost.Dollars())
	}
	for _, key := range []string{"shop/storefront", "shop/api", "blog/blog", "admin/console"} {
		if row := planRow(t, p, key); row.GatewayClassName != "azure-alb-external" || row.LoadBalancer == nil {
			t.Errorf("%s: %+v, want routes on one Application Gateway for Containers", key, row)
		}
	}
}

// The aws-l4 cluster, by hand (us-east-1, 2 zones, 730 h): three layer-4
// Services on NLBs of their own today, each 730 x $0.0225 = $16.43 plus two
// public IPv4 addresses $7.30 plus NLCUs on bytes: postgres 730 GB = 1 NLCU
// ($4.38), redis 1,460 GB = 2 ($8.76), dns (UDP) 73 GB = 0.1 ($0.44):
// $28.11 + $32.49 + $24.17 = $84.77 today. With the gateway strategy they
// share one NLB through a Gateway: $16.43 + 3 TCP NLCUs $13.14 + UDP $0.44 +
// $7.30 = $37.31. Rendered as a Gateway (with a LoadBalancerConfiguration for
// its scheme) and a TCPRoute or UDPRoute per port, which read back as today.
func TestAWSL4GatewayCluster(t *testing.T) {
	srcs := folder(t, "testdata/clusters/aws-l4")
	plan := func(srcs []Source) (*Result, *planner.Plan) {
		return planWithStrategies(t, srcs, Options{Region: "us-east-1"}, []string{planner.StrategyGateway})
	}
	res, p := plan(srcs)
	if p.Totals.CurrentMonthlyCost.String() != "84.77" || p.Totals.MonthlyCost.String() != "37.31" || len(p.LoadBalancers) != 1 {
		t.Fatalf("today %s, plan %s on %d load balancers; want 84.77, 37.31 on one", p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost, len(p.LoadBalancers))
	}
	gatewayRoundTrip(t, srcs, res, p, plan, []string{"kind: LoadBalancerConfiguration", "scheme: internet-facing", "gatewayClassName: aws-nlb",
		"name: dns-udp-53", "kind: UDPRoute", "sectionName: postgres-tcp-5432", "kind: TCPRoute"})
}

// gatewayRoundTrip renders a plan that adds Gateways, checks the new
// objects hold wants, and that the rendered manifests plan (with plan)
// back to the same cost today and planned, and render to nothing more.
func gatewayRoundTrip(t *testing.T, srcs []Source, res *Result, p *planner.Plan, plan func([]Source) (*Result, *planner.Plan), wants []string) {
	t.Helper()
	r, err := Render(srcs, res, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range wants {
		if !strings.Contains(string(r.New), want) {
			t.Errorf("rendered objects lack %q:\n%s", want, r.New)
		}
	}
	after := applyRendering(srcs, r)
	res2, p2 := plan(after)
	if *p2.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost || p2.Totals.MonthlyCost != p.Totals.MonthlyCost {
		t.Fatalf("after render: today %s, plan %s; want both %s", p2.Totals.CurrentMonthlyCost, p2.Totals.MonthlyCost, p.Totals.MonthlyCost)
	}
	if r2, err := Render(after, res2, p2, Options{}); err != nil || len(r2.Files) != 0 || r2.New != nil {
		t.Fatalf("rendering again changes %v (%v)", r2.Changes, err)
	}
}

// Kept to Application Gateway for Containers, the aks-agc services move onto
// one new Gateway: one for the whole plan (not one per namespace), attached
// to today's ALB resource, taking routes from every namespace; read back,
// every service is on that resource still, billed as planned.
func TestAKSAGCKeptRendersOneGateway(t *testing.T) {
	srcs := folder(t, "testdata/clusters/aks-agc")
	read := func(srcs []Source) (*Result, *planner.Plan) {
		return planWithStrategies(t, srcs, Options{Cloud: "azure", Region: "eastus2"}, []string{planner.StrategyAGC}, "game")
	}
	res, p := read(srcs)
	r, err := Render(srcs, res, p, Options{Region: "eastus2"})
	if err != nil {
		t.Fatal(err)
	}
	out := string(r.New)
	if n := strings.Count(out, "kind: Gateway\n"); n != 1 {
		t.Fatalf("%d new Gateways, want 1:\n%s", n, out)
	}
	for _, want := range []string{"alb.networking.azure.io/alb-namespace: alb-infra", "alb.networking.azure.io/alb-name: alb-test",
		"from: All", "namespace: blog"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered objects lack %q:\n%s", want, out)
		}
	}
	res2, p2 := read(applyRendering(srcs, r))
	if p2.Totals.CurrentMonthlyCost.String() != p.Totals.MonthlyCost.String() || p2.Totals.MonthlyCost != p.Totals.MonthlyCost {
		t.Errorf("after render: today %s, plan %s; want both %s", p2.Totals.CurrentMonthlyCost, p2.Totals.MonthlyCost, p.Totals.MonthlyCost)
	}
	for _, s := range res2.Declaration.Services {
		if c := s.CurrentLoadBalancer; s.Name != "game" && (c == nil || c.Name != "alb-infra/alb-test") {
			t.Errorf("%s after render: %+v, want on alb-infra/alb-test", s.Key(), c)
		}
	}
}

// The metal cluster (MetalLB): a pool of 5 addresses (a /30 and one more;
// the pool MetalLB does not assign from by itself holds none for the plan).
// Today four addresses: DNS over TCP and UDP sharing one, the game and the
// broker one each, ingress-nginx's Service one. The plan shares one address
// between the four layer-4 services (no port clashes: 53/TCP, 53/UDP, 7777,
// 1883) and keeps the proxy on its own: two addresses, the sharing key and
// the address (DNS's, 192.168.1.241: MetalLB keeps the one a Service has)
// written on the Services that join the shared one.
func TestBareMetalCluster(t *testing.T) {
	srcs := folder(t, "testdata/clusters/metal")
	res, p := planSources(t, srcs, Options{})
	d := res.Declaration
	if d.Cloud != planner.CloudBareMetal || d.LoadBalancer != planner.LBMetalLB || d.AddressPool == nil || *d.AddressPool.Size != 5 {
		t.Fatalf("read as %s %s, pool %+v", d.Cloud, d.LoadBalancer, d.AddressPool)
	}
	if c := byName(t, d, "dns-udp").CurrentLoadBalancer; c == nil || c.Kind != planner.CurrentAddress || c.Name != "dns" {
		t.Fatalf("dns-udp today: %+v", c)
	}
	if len(p.LoadBalancers) != 2 {
		t.Fatalf("want two addresses, got %+v", p.LoadBalancers)
	}
	for _, key := range []string{"dns/dns-tcp", "dns/dns-udp", "iot/mqtt", "play/game"} {
		if row := planRow(t, p, key); row.LoadBalancer == nil || *row.LoadBalancer != "dns" || row.Annotations["metallb.universe.tf/allow-shared-ip"] != "dns" {
			t.Errorf("%s: %+v, want on the dns address", key, row)
		}
	}
	roundTrip(t, srcs, res, p, Options{}, []string{"Service iot/mqtt: LoadBalancer -> LoadBalancer on dns", "Service play/game: LoadBalancer -> LoadBalancer on dns"}, nil)
	r, err := Render(srcs, res, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Diff(); strings.Count(d, "+    metallb.universe.tf/allow-shared-ip: dns") != 2 || strings.Count(d, "+    metallb.universe.tf/loadBalancerIPs: 192.168.1.241") != 2 || len(r.Warnings) > 0 {
		t.Errorf("diff:\n%s\nwarnings %v", d, r.Warnings)
	}
	// a pool of one address is too small: the plan says how many are missing
	small := []Source{{Name: "pool.yaml", Data: []byte("apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: one}\nspec: {addresses: [192.168.1.240/32]}\n")}}
	res2, err := Read(append(small, srcs[0]), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if *res2.Declaration.AddressPool.Size != 6 {
		t.Fatalf("pool %d", *res2.Declaration.AddressPool.Size)
	}
	for _, bad := range []string{"192.168.1.9-192.168.1.1", "not-an-ip", "fd00::/200"} {
		src := Source{Name: "bad.yaml", Data: []byte("apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: bad}\nspec: {addresses: ['" + bad + "']}\n")}
		if _, err := Read(append([]Source{src}, srcs[0]), Options{}); err == nil || !strings.Contains(err.Error(), "bad.yaml:1") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// AWS's gateway strategy carries HTTP too: an ALB per Gateway as an
// IngressGroup does. Four LoadBalancer Services of the in-tree provider
// today (the HTTPS ones ending TLS with an ACM certificate, so their pods
// speak plain HTTP), Classic LBs at $18.25 + two public IPv4 addresses $7.30 each
// ($102.20); with the gateway strategy the two HTTPS services share an ALB
// Gateway ($16.43 + $7.30, no traffic declared) and the TCP and UDP ones an
// NLB Gateway ($16.43 + $7.30): $47.46, rendered as two Gateways with their
// LoadBalancerConfigurations, two HTTPRoutes, a TCPRoute and a UDPRoute,
// which read back as planned.
func TestAWSGatewayCarriesHTTPOnAnALB(t *testing.T) {
	doc := `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, annotations: {lbplanner.io/hosts: shop.example.com, service.beta.kubernetes.io/aws-load-balancer-ssl-cert: "arn:aws:acm:us-east-1:1:certificate/web"}}
spec: {type: LoadBalancer, ports: [{name: https, port: 443}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop, annotations: {lbplanner.io/hosts: api.example.com, service.beta.kubernetes.io/aws-load-balancer-ssl-cert: "arn:aws:acm:us-east-1:1:certificate/api"}}
spec: {type: LoadBalancer, ports: [{name: https, port: 443}]}
---
apiVersion: v1
kind: Service
metadata: {name: game, namespace: play}
spec: {type: LoadBalancer, ports: [{name: game, port: 7777, protocol: TCP}]}
---
apiVersion: v1
kind: Service
metadata: {name: voice, namespace: play}
spec: {type: LoadBalancer, ports: [{name: voice, port: 3478, protocol: UDP}]}
`
	srcs := []Source{{Name: "apps.yaml", Data: []byte(doc)}}
	plan := func(srcs []Source) (*Result, *planner.Plan) {
		return planWithStrategies(t, srcs, Options{Cloud: "aws", Region: "us-east-1"}, []string{planner.StrategyGateway})
	}
	res, p := plan(srcs)
	if p.Totals.CurrentMonthlyCost.String() != "102.20" || p.Totals.MonthlyCost.String() != "47.46" || len(p.LoadBalancers) != 2 {
		t.Fatalf("today %s, plan %s on %d load balancers; want 102.20, 47.46 on two", p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost, len(p.LoadBalancers))
	}
	for _, lb := range p.LoadBalancers {
		if lb.Strategy != planner.StrategyGateway || len(lb.Services) != 2 {
			t.Errorf("%+v", lb)
		}
	}
	if row := planRow(t, p, "shop/web"); row.GatewayClassName != planner.ALBGatewayClass || row.IngressClassName != "" || row.Path != "client -> ALB -> pod" {
		t.Fatalf("web: %+v", row)
	}
	gatewayRoundTrip(t, srcs, res, p, plan, []string{"gatewayClassName: aws-alb", "gatewayClassName: aws-nlb", "kind: HTTPRoute", "kind: UDPRoute",
		"kind: TCPRoute", "name: gateway-internet-2\n  namespace: shop\nspec:\n  scheme: internet-facing"})
}

// lbplanner.io/calls gives a Service's calls (a name alone is in its own
// namespace); a call to a Service the manifests do not hold is a warning.
func TestCallsAnnotation(t *testing.T) {
	doc := `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, annotations: {lbplanner.io/calls: "cart, billing/ledger, payments/psp"}}
spec: {type: LoadBalancer, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: ledger, namespace: billing, annotations: {lbplanner.io/audience: vpc}}
spec: {type: LoadBalancer, ports: [{name: grpc, port: 443, appProtocol: grpc}]}
`
	res, p := planSources(t, []Source{{Name: "calls.yaml", Data: []byte(doc)}}, Options{Cloud: "aws", Region: "us-east-1"})
	if web := byName(t, res.Declaration, "web"); strings.Join(web.Calls, ",") != "shop/cart,billing/ledger" {
		t.Fatalf("calls %v", web.Calls)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "Service shop/web calls payments/psp (lbplanner.io/calls), which is not a Service of these manifests") {
		t.Fatalf("warnings %v", res.Warnings)
	}
	// web's NLB 1 ms, then the ledger's internal load balancer 1 ms
	if row := planRow(t, p, "shop/web"); row.ChainLatencyMs != planner.Q(2) || len(row.CriticalChain) != 2 {
		t.Fatalf("web: %s %v", row.ChainLatencyMs, row.CriticalChain)
	}
}

// Reserved addresses are read back from their annotations, and a service
// that needs the client address gets externalTrafficPolicy: Local when the
// plan puts it on a load balancer that targets nodes.
func TestStaticAddressesAndTrafficPolicy(t *testing.T) {
	doc := `apiVersion: v1
kind: Service
metadata:
  name: dns
  namespace: net
  annotations: {networking.gke.io/load-balancer-ip-addresses: dns-address, lbplanner.io/needs: clientIP}
spec: {type: LoadBalancer, ports: [{name: dns, port: 53, protocol: UDP}]}
---
apiVersion: v1
kind: Service
metadata:
  name: game
  namespace: play
  annotations: {lbplanner.io/needs: clientIP, lbplanner.io/audience: internet}
spec: {ports: [{name: game, port: 7777, protocol: TCP}]}
`
	srcs := []Source{{Name: "net.yaml", Data: []byte(doc)}}
	res, p := planSources(t, srcs, Options{Cloud: "gcp", Region: "us-central1"})
	dns := byName(t, res.Declaration, "dns")
	if strings.Join(dns.StaticAddresses, ",") != "dns-address" || !dns.Has(planner.NeedStaticIP) {
		t.Fatalf("dns: %+v", dns)
	}
	if row := planRow(t, p, "play/game"); row.ExternalTrafficPolicy != "Local" || row.ServiceType != "LoadBalancer" {
		t.Fatalf("game: %+v", row)
	}
	r, err := Render(srcs, res, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Diff(); !strings.Contains(d, "externalTrafficPolicy: Local") {
		t.Fatalf("diff:\n%s", d)
	}
}
