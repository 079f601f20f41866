package manifests

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// wantRows checks that each service (namespace/name) is planned on the load
// balancer named.
func wantRows(t *testing.T, p *planner.Plan, want map[string]string) {
	t.Helper()
	for _, key := range slices.Sorted(maps.Keys(want)) {
		if row := planRow(t, p, key); row.LoadBalancer == nil || *row.LoadBalancer != want[key] {
			t.Errorf("%s on %v, want %s", key, row.LoadBalancer, want[key])
		}
	}
}

// The eks-platform cluster, by hand (us-east-1, 2 zones, 730 h, no traffic):
//
//	ingress-nginx: its NLB $16.43 and two IPv4 addresses $7.30; three pods of
//	  200m (438 vCPU-h x $0.04048 = $17.73) and 256Mi (547.5 GiB-h x $0.004445 = $2.43)   $43.89
//	Envoy Gateway edge/public: the same NLB and addresses $23.73; two pods of
//	  100m ($5.91) and 512Mi ($3.24), priced apart (proxy.today)                          $32.88
//	IngressGroup internal-tools: an internal ALB                                           $16.43
//	games/game: an NLB of its own (UDP 7777, TCP 7778)                                     $23.73
//	data/postgres: an internal NLB                                                         $16.43
//	legacy/legacy: a Classic LB, $18.25 and two IPv4 addresses $7.30                       $25.55
//	monitoring/metrics: NodePort                                                            $0.00
//	today                                                                                 $158.91
//
// The chat keeps ingress-nginx (cookie affinity), which, retired, takes no
// service it does not serve today: the Gateway's services (their route HTTPS,
// plain HTTP redirected) go to an ALB of their own ($16.43 and the addresses
// $7.30: $23.73 against the Gateway's $32.88), the Gateway and its redirect
// route going; the Classic LB's plain-HTTP catch-all, which an ALB redirecting
// theirs cannot serve, goes to an NLB ($23.73): $43.89 + $23.73 + $16.43 +
// $23.73 + $16.43 + $23.73 = $147.94. (Before, both moved onto ingress-nginx.)
func TestEKSPlatformCluster(t *testing.T) {
	srcs := folder(t, "testdata/clusters/eks-platform")
	opts := Options{Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	if got := *p.Totals.CurrentMonthlyCost; got != money.Cents(15891) || p.Totals.MonthlyCost != money.Cents(14794) {
		t.Errorf("today %s, plan %s; want $158.91 and $147.94", got.Dollars(), p.Totals.MonthlyCost.Dollars())
	}
	wantRows(t, p, map[string]string{"app/chat": "nginx", "app/api": "nginx", "app/api-v2": "nginx", "shop/cart": "alb-internet-1", "shop/storefront": "alb-internet-1",
		"shop/inventory": "alb-internet-1", "legacy/legacy": "nlb-legacy-legacy", "tools/grafana": "internal-tools", "tools/argocd-server": "internal-tools",
		"games/game": "nlb-games-game", "data/postgres": "nlb-data-postgres"})
	if px := res.Declaration.Proxy; px.Implementation != planner.ProxyIngressNginx || len(px.Today) != 1 || px.Today[0].Name != "gateway:edge/public" {
		t.Errorf("proxy %+v %+v: want ingress-nginx, Envoy Gateway's sized apart", px, px.Today)
	}
	r := mustRender(t, srcs, res, p, opts)
	for _, d := range []string{"Gateway edge/public", "HTTPRoute edge/redirect", "HTTPRoute shop/shop", "GRPCRoute shop/inventory"} {
		if !slices.Contains(r.Deleted, d) {
			t.Errorf("%s not deleted: %v", d, r.Deleted)
		}
	}
	planRenderReplan(t, "eks-platform", srcs, opts)
}

// The gke-certificates cluster, by hand (us-central1, 730 h):
//
//	GKE Gateway infra/external (global): HTTP and HTTPS forwarding rules, and the
//	  GKE Ingress blog/blog's two: four global rules, within the first five, $18.25 flat;
//	  data processed, api 500 GB and web 1,000 GB = 1,396.98 GiB x $0.008 = $11.18   $29.43
//	redis (internal), voice (UDP and TCP: two rules), mqtt (two TCP ports, one rule):
//	  four regional rules, within the first five, $18.25 flat                        $18.25
//	today                                                                            $47.68
//
// The plan moves the three HTTP services onto one new in-cluster proxy behind a
// passthrough LB (its rule the fifth regional one: no global rule left, $18.25
// saved), paying its pods (146 vCPU-h x $0.0445 = $6.50, 730 GiB-h x $0.0049225
// = $3.59), the passthrough LB's data processing ($11.18) and the proxy's hop
// to pods in the other zone (half the bytes, 698.49 GiB x $0.01 = $6.98):
// $18.25 + $11.18 + $6.50 + $3.59 + $6.98 = $46.50, $1.18 less.
func TestGKECertificatesCluster(t *testing.T) {
	data, err := os.ReadFile("testdata/gke-certificates.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []Source{{Name: "c.yaml", Data: data}}
	_, p := planSources(t, srcs, Options{Cloud: "gcp", Region: "us-central1"})
	planRenderReplan(t, "gke-certificates", srcs, Options{Cloud: "gcp", Region: "us-central1"})
	if got := *p.Totals.CurrentMonthlyCost; got != money.Cents(4768) || p.Totals.MonthlyCost != money.Cents(4650) {
		t.Errorf("today %s, plan %s; want $47.68 and $46.50", got.Dollars(), p.Totals.MonthlyCost.Dollars())
	}
	wantRows(t, p, map[string]string{"store/api": "envoy", "store/web": "envoy", "blog/blog": "envoy", "data/redis": "lb-data-redis", "rtc/voice": "lb-rtc-voice"})
}

// The aks-agic cluster, by hand (eastus, 730 h):
//
//	AGIC's Application Gateway v2: $0.246 x 730 = $179.58, its public IP $3.65, and
//	  capacity units for 400 GB a month (400.4004 CU-h x $0.008 = $3.20)             $186.43
//	the application routing NGINX (ingress-nginx): a public IP $3.65 and two pods
//	  (146 vCPU-h x $0.0405 = $5.91, 131.4 GiB-h x $0.00445 = $0.58)                  $10.14
//	data/sql: a rule on a new internal load balancer, the first five flat            $18.25
//	infra/dns: a public IP; its two rules, ingress-nginx's two and the outbound
//	  rule are five, within the flat charge                                          $3.65
//	today                                                                            $218.47
//
// The portal keeps its Application Gateway (cookie-based affinity), which the
// docs join at no added cost: the NGINX goes, $208.33.
func TestAKSAGICCluster(t *testing.T) {
	srcs := folder(t, "testdata/clusters/aks-agic")
	res, p := planSources(t, srcs, Options{Region: "eastus"})
	if got := *p.Totals.CurrentMonthlyCost; got != money.Cents(21847) || p.Totals.MonthlyCost != money.Cents(20833) {
		t.Errorf("today %s, plan %s; want $218.47 and $208.33", got.Dollars(), p.Totals.MonthlyCost.Dollars())
	}
	wantRows(t, p, map[string]string{"docs/docs": "azure-application-gateway", "portal/portal": "azure-application-gateway", "portal/api": "azure-application-gateway"})
	if row := planRow(t, p, "docs/docs"); !strings.Contains(row.Reason, "adds $0.00/month to it vs $3.65 on its own") {
		t.Errorf("docs: %s", row.Reason)
	}
	if portal := byName(t, res.Declaration, "portal"); !portal.Has(planner.NeedRewrite) {
		t.Errorf("portal needs %v, want rewrite (its cookie-based affinity)", portal.Needs)
	}
	// what the affinity costs: without it, everything on a proxy, not the NGINX
	// (retired ingress-nginx takes no service it does not serve today) but a
	// new Envoy Gateway's: its public IP $3.65, two pods of 0.1 vCPU (146 vCPU-h
	// x $0.0405 = $5.91) and 0.5 GiB (730 GiB-h x $0.00445 = $3.25) and the 400
	// GB its Azure LB processes ($2.00), with sql $18.25 and dns $3.65: $36.71,
	// $171.62 less
	if i := slices.IndexFunc(p.Opportunities, func(o planner.Opportunity) bool { return o.Service == "portal/portal" }); i < 0 ||
		p.Opportunities[i].MonthlySaving != money.Cents(17162) || !strings.Contains(p.Opportunities[i].Action, "its rewrite need") {
		t.Errorf("opportunities %+v: want portal's affinity at $171.62", p.Opportunities)
	}
	planRenderReplan(t, "aks-agic", srcs, Options{Region: "eastus"})
}
