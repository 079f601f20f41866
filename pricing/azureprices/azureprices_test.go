package azureprices

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

func item(service, product, sku, meter, region, price string) map[string]any {
	return map[string]any{"currencyCode": "USD", "tierMinimumUnits": 0.0, "unitPrice": json.Number(price), "retailPrice": json.Number(price),
		"armRegionName": region, "location": region, "meterId": "m-" + strings.ReplaceAll(meter, " ", "-") + "-" + region, "meterName": meter,
		"productName": product, "skuName": sku, "serviceName": service, "unitOfMeasure": "1 Hour", "type": "Consumption"}
}

// standIn answers like the Retail Prices API: a throttled first answer, the
// Load Balancer's Global meters on two pages with decoys among them (another
// region, a dev/test and a reservation price, a free meter, a Basic SKU, a
// higher tier), and every other service's eastus meters on one page.
func standIn(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		filter := r.URL.Query().Get("$filter")
		var items []map[string]any
		var next any
		switch {
		case strings.Contains(filter, "'Load Balancer'") && r.URL.Query().Get("page") == "":
			devtest := item("Load Balancer", "Load Balancer", "Standard", "Standard Included LB Rules and Outbound Rules", "Global", "0.001")
			devtest["type"] = "DevTestConsumption"
			tier := item("Load Balancer", "Load Balancer", "Standard", "Standard Data Processed", "Global", "0.001")
			tier["tierMinimumUnits"] = 100.0
			items = []map[string]any{devtest, tier,
				item("Load Balancer", "Load Balancer", "Basic", "Standard Included LB Rules and Outbound Rules", "Global", "0.002"),
				item("Load Balancer", "Load Balancer", "Standard", "Standard Included LB Rules and Outbound Rules Free", "Global", "0"),
				item("Load Balancer", "Load Balancer", "Standard", "Standard Overage LB Rules and Outbound Rules", "westeurope", "0.5"),
				item("Load Balancer", "Load Balancer", "Standard", "Standard Included LB Rules and Outbound Rules", "Global", "0.026")}
			next = srv.URL + r.URL.Path + "?" + r.URL.RawQuery + "&page=2"
		case strings.Contains(filter, "'Load Balancer'"):
			items = []map[string]any{item("Load Balancer", "Load Balancer", "Standard", "Standard Overage LB Rules and Outbound Rules", "Global", "0.011"),
				item("Load Balancer", "Load Balancer", "Standard", "Standard Data Processed", "Global", "0.0051")}
		case strings.Contains(filter, "'Virtual Network'"):
			items = []map[string]any{item("Virtual Network", "IP Addresses", "Standard", "Standard IPv4 Static Public IP", "eastus", "0.0052")}
		case strings.Contains(filter, "'Application Gateway'"):
			res := item("Application Gateway", "Application Gateway Standard v2", "Standard v2", "Standard Fixed Cost", "eastus", "0.1")
			res["type"] = "Reservation"
			items = []map[string]any{res, item("Application Gateway", "Application Gateway Standard v2", "Standard v2", "Standard Fixed Cost", "eastus", "0.25"),
				item("Application Gateway", "Application Gateway Standard v2", "Standard v2", "Standard Capacity Units", "eastus", "0.0081")}
		case strings.Contains(filter, "'Container Instances'"):
			items = []map[string]any{item("Container Instances", "Container Instances", "Standard", "Standard vCPU Duration", "eastus", "0.041"),
				item("Container Instances", "Container Instances", "Standard", "Standard Memory Duration", "eastus", "-0.5")} // a bad price
		}
		json.NewEncoder(w).Encode(map[string]any{"BillingCurrency": "USD", "Items": items, "NextPageLink": next})
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

func TestRefreshReadsExactMetersAndKeepsTheRest(t *testing.T) {
	srv, calls := standIn(t)
	var waited time.Duration
	r := &Refresher{Endpoint: srv.URL + "/api/retail/prices", Now: func() time.Time { return time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC) },
		Wait: func(_ context.Context, d time.Duration) error { waited += d; return nil }}
	res, err := r.Refresh(context.Background(), base(t), []string{"eastus"})
	if err != nil {
		t.Fatal(err)
	}
	if waited != time.Second || calls.Load() != 6 {
		t.Errorf("waited %s over %d calls; want the throttled answer retried after 1 s, 6 calls", waited, calls.Load())
	}
	want := map[string]string{pricing.AzureRulesFirst5Hour: "0.026", pricing.AzureRuleExtraHour: "0.011", pricing.AzureLBDataGB: "0.0051",
		pricing.AzurePublicIPHour: "0.0052", pricing.AzureAppGWFixedHour: "0.25", pricing.AzureAppGWCUHour: "0.0081", pricing.ProxyVCPUHour: "0.041"}
	rp, err := res.Catalog.Region("azure", "eastus")
	if err != nil {
		t.Fatal(err)
	}
	for it, price := range want {
		p, _ := rp.Price(it)
		if p.Price != price || p.Date != "2026-11-24" || p.Basis != "" || !strings.Contains(p.Source, "Azure Retail Prices API, meter m-") {
			t.Errorf("%s: %+v, want %s", it, p, price)
		}
	}
	old, _ := base(t).Region("azure", "eastus")
	kept, _ := rp.Price(pricing.ProxyGiBHour)
	was, _ := old.Price(pricing.ProxyGiBHour)
	if kept.Price != was.Price || len(res.Updated) != 7 {
		t.Errorf("the negative memory price replaced %s with %s; %d updated", was.Price, kept.Price, len(res.Updated))
	}
	failed := fmt.Sprint(res.Failed)
	if !strings.Contains(failed, "eastus proxy-gib-hour: meter") || strings.Contains(failed, "agc") { // AGC's prices are not read: they keep their sources
		t.Errorf("failed: %v", res.Failed)
	}
	// the plan reads the refreshed catalog
	if _, err := res.Catalog.Region("azure", "westeurope"); err != nil {
		t.Fatal(err)
	}
}

func TestRefreshStops(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"repeated page link": func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"Items": [], "NextPageLink": "http://%s%s?%s"}`, r.Host, r.URL.Path, r.URL.RawQuery)
		},
		"not JSON": func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>maintenance</html>") },
		"another host": func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"Items": [], "NextPageLink": "http://evil.example/x"}`)
		},
		"always throttled": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTooManyRequests) },
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			r := &Refresher{Endpoint: srv.URL, Wait: func(context.Context, time.Duration) error { return nil }}
			res, err := r.Refresh(context.Background(), base(t), []string{"eastus"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Updated) != 0 || len(res.Failed) == 0 {
				t.Fatalf("updated %v", res.Updated)
			}
		})
	}
	// a server that never answers: the context's deadline ends it
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := (&Refresher{Endpoint: hang.URL}).Refresh(ctx, base(t), []string{"eastus"})
	if err != nil || len(res.Updated) != 0 || !strings.Contains(fmt.Sprint(res.Failed), "deadline exceeded") {
		t.Fatalf("hanging server: %v %+v", err, res)
	}
}
