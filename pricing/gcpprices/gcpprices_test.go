package gcpprices

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

func skuJSON(id, desc, region, usage, unit string, units, nanos int64) map[string]any {
	regions := []string{region}
	if region == "" {
		regions = []string{"us-central1", "us-east1"}
	}
	return map[string]any{"name": "services/x/skus/" + id, "skuId": id, "description": desc,
		"category": map[string]any{"resourceFamily": "Network", "usageType": usage}, "serviceRegions": regions,
		"pricingInfo": []any{map[string]any{"pricingExpression": map[string]any{"usageUnit": unit,
			"tieredRates": []any{map[string]any{"startUsageAmount": 0, "unitPrice": map[string]any{"currencyCode": "USD", "units": fmt.Sprint(units), "nanos": nanos}}}}}}}
}

// standIn answers skus.list like the Cloud Billing Catalog API: a throttled
// first answer, the networking SKUs over two pages with decoys among them
// (several regions, another region, a commitment, another unit), and the
// Autopilot SKUs (per mCPU-hour) on one page.
func standIn(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}}`)
			return
		}
		var skus []any
		next := ""
		switch {
		case strings.Contains(r.URL.Path, "E505-1604-58F8") && r.URL.Query().Get("pageToken") == "":
			skus = []any{
				skuJSON("D1", "Cloud Load Balancer Forwarding Rule Minimum for Americas (multi-region)", "", "OnDemand", "h", 0, 1),
				skuJSON("D2", "Cloud Load Balancer Forwarding Rule Minimum for Belgium (europe-west1)", "europe-west1", "OnDemand", "h", 0, 2),
				skuJSON("D3", "Cloud Load Balancer Forwarding Rule Minimum for Iowa (us-central1)", "us-central1", "Commit1Yr", "h", 0, 3),
				skuJSON("F1", "Cloud Load Balancer Forwarding Rule Minimum for Iowa (us-central1)", "us-central1", "OnDemand", "h", 0, 26_000_000),
			}
			next = "page2"
		case strings.Contains(r.URL.Path, "E505-1604-58F8"):
			skus = []any{
				skuJSON("D4", "Network Load Balancing: Data Processing Charge in Iowa", "us-central1", "OnDemand", "By", 0, 4),
				skuJSON("F2", "Cloud Load Balancer Forwarding Rule Additional for Iowa (us-central1)", "us-central1", "OnDemand", "h", 0, 11_000_000),
				skuJSON("F3", "Network Load Balancing: Data Processing Charge in Iowa", "us-central1", "OnDemand", "GiBy", 0, 8_500_000),
			}
		case strings.Contains(r.URL.Path, "6F81-5844-456A"):
			skus = []any{ // decoys: another region's, between regions
				skuJSON("Z1", "Network Inter Zone Data Transfer Out", "europe-west1", "OnDemand", "GiBy", 0, 20_000_000),
				skuJSON("Z2", "Network Inter Region Data Transfer Out from Americas to Americas", "us-central1", "OnDemand", "GiBy", 0, 30_000_000),
				skuJSON("Z3", "Network Inter Zone Data Transfer Out", "us-central1", "OnDemand", "GiBy", 0, 10_000_000),
			}
		case strings.Contains(r.URL.Path, "CCD8-9BF1-090E"):
			skus = []any{
				skuJSON("A1", "Autopilot Pod mCPU Requests (us-central1)", "us-central1", "OnDemand", "h", 0, 44_600),
				skuJSON("A2", "Autopilot Pod Memory Requests (us-central1)", "us-central1", "OnDemand", "GiBy.h", 0, 4_930_000),
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"skus": skus, "nextPageToken": next})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func base(t *testing.T) *pricing.Catalog {
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func refresher(t *testing.T, url string) *Refresher {
	c, err := NewClient(context.Background(), url+"/", "")
	if err != nil {
		t.Fatal(err)
	}
	return &Refresher{Client: c, Now: func() time.Time { return time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC) },
		Wait: func(context.Context, time.Duration) error { return nil }}
}

// Through the real client against the stand-in: every item read from its
// exact SKU (Autopilot's mCPU-hour x 1,000 = a vCPU-hour), stamped with it.
func TestRefreshThroughTheClient(t *testing.T) {
	srv, calls := standIn(t)
	res, err := refresher(t, srv.URL).Refresh(context.Background(), base(t), []string{"us-central1"})
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 5 || len(res.Failed) != 0 {
		t.Fatalf("%d calls, failed %v", calls.Load(), res.Failed)
	}
	rp, _ := res.Catalog.Region("gcp", "us-central1")
	for item, want := range map[string]string{pricing.GCPRulesFirst5Hour: "0.026", pricing.GCPRuleExtraHour: "0.011", pricing.GCPProxyDataGiB: "0.0085",
		pricing.ProxyVCPUHour: "0.0446", pricing.ProxyGiBHour: "0.00493", pricing.GCPInterZoneGiB: "0.01"} {
		p, _ := rp.Price(item)
		if p.Price != want || p.Date != "2026-11-24" || p.Basis != "" || !strings.Contains(p.Source, "Cloud Billing Catalog API") {
			t.Errorf("%s: %+v, want %s", item, p, want)
		}
	}
	// a region the API has no SKUs for keeps its prices, each named
	res, err = refresher(t, srv.URL).Refresh(context.Background(), base(t), []string{"asia-northeast1"})
	if err != nil || len(res.Updated) != 0 || len(res.Failed) != 6 {
		t.Fatalf("%v %v %v", err, res.Updated, res.Failed)
	}
}

func TestRefreshStops(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"repeated page token": func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"skus": [], "nextPageToken": "again"}`) },
		"not JSON":            func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>maintenance</html>") },
		"always throttled": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error": {"code": 429, "message": "quota"}}`)
		},
	}
	why := map[string]string{"repeated page token": `repeated page token "again"`, "not JSON": "invalid character", "always throttled": "429"}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			res, err := refresher(t, srv.URL).Refresh(context.Background(), base(t), []string{"us-central1"})
			if err != nil || len(res.Updated) != 0 || len(res.Failed) != 6 || !strings.Contains(fmt.Sprint(res.Failed), why[name]) {
				t.Fatalf("%v %v %v", err, res.Updated, res.Failed)
			}
		})
	}
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := refresher(t, hang.URL).Refresh(ctx, base(t), []string{"us-central1"})
	if err != nil || len(res.Updated) != 0 || !strings.Contains(fmt.Sprint(res.Failed), "deadline exceeded") {
		t.Fatalf("hanging server: %v %+v", err, res)
	}
}
