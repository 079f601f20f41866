package awsprices

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"

	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// product renders one Price List entry the way GetProducts returns it: a JSON document in a string.
func product(sku, family, usage, usd string) string {
	return productWith(sku, family, usd, map[string]string{"usagetype": usage})
}

// transfer is an AWSDataTransfer product from one region to another.
func transfer(sku, usage, from, to, usd string) string {
	return productWith(sku, "Data Transfer", usd, map[string]string{"usagetype": usage, "fromRegionCode": from, "toRegionCode": to,
		"transferType": map[bool]string{true: "IntraRegion", false: "InterRegion Outbound"}[from == to]})
}

func productWith(sku, family, usd string, attrs map[string]string) string {
	doc := map[string]any{
		"product": map[string]any{"sku": sku, "productFamily": family, "attributes": attrs},
		"terms": map[string]any{"OnDemand": map[string]any{sku + ".JRTCKXETXF": map[string]any{
			"priceDimensions": map[string]any{sku + ".JRTCKXETXF.6YS6EN2CT7": map[string]any{
				"unit": "Hrs", "beginRange": "0", "endRange": "Inf", "pricePerUnit": map[string]string{"USD": usd},
			}},
		}}},
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

// priceListServer speaks the Price List API's awsJson1_1 protocol
// (AWSPriceListService.GetProducts), two products per page.
type priceListServer struct {
	mu       sync.Mutex
	products map[string][]string // service|region -> entries
	fail     map[string]bool     // service|region -> answer with a server error
	requests []string
	repeat   bool // every page after the first names itself as the next
}

func (s *priceListServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.Header.Get("X-Amz-Target") != "AWSPriceListService.GetProducts" ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-amz-json-1.1") || r.Header.Get("Authorization") == "" {
		http.Error(w, `{"__type":"ValidationException","message":"unexpected request"}`, http.StatusBadRequest)
		return
	}
	var in struct {
		ServiceCode string
		Filters     []struct{ Type, Field, Value string }
		NextToken   string
	}
	regionField := map[bool]string{true: "fromRegionCode", false: "regionCode"} // data transfer goes from a region to another
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || len(in.Filters) != 1 ||
		in.Filters[0].Field != regionField[in.ServiceCode == "AWSDataTransfer"] || in.Filters[0].Type != "TERM_MATCH" {
		http.Error(w, `{"__type":"ValidationException","message":"bad body"}`, http.StatusBadRequest)
		return
	}
	key := in.ServiceCode + "|" + in.Filters[0].Value
	s.mu.Lock()
	s.requests = append(s.requests, key+"|"+in.NextToken)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if s.fail[key] {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"__type":"InternalErrorException","message":"try again"}`)
		return
	}
	all := s.products[key]
	start := 0
	fmt.Sscanf(in.NextToken, "%d", &start)
	end := min(start+2, len(all))
	out := map[string]any{"FormatVersion": "aws_v1", "PriceList": all[start:end]}
	if end < len(all) {
		out["NextToken"] = fmt.Sprint(end)
	}
	if s.repeat && start > 0 {
		out["NextToken"] = fmt.Sprint(start)
	}
	json.NewEncoder(w).Encode(out)
}

func newServer() *priceListServer {
	return &priceListServer{
		products: map[string][]string{
			"AWSELB|us-east-1": {
				product("ALB1", "Load Balancer-Application", "LoadBalancerUsage", "0.0225000000"),
				product("ALB2", "Load Balancer-Application", "LCUUsage", "0.0080000000"),
				// decoys: Outposts and reserved LCUs, trust stores
				product("DEC1", "Load Balancer-Application", "USE1-Outposts-LCUUsage", "0.5000000000"),
				product("DEC2", "Load Balancer-Application", "ReservedLCUUsage", "0.0040000000"),
				product("DEC3", "Load Balancer-Application", "TS-LoadBalancerUsage", "0.0100000000"),
				product("NLB1", "Load Balancer-Network", "LoadBalancerUsage", "0.0225000000"),
				product("NLB2", "Load Balancer-Network", "LCUUsage", "0.0060000000"),
				product("CLB1", "Load Balancer", "LoadBalancerUsage", "0.0250000000"),
				product("CLB2", "Load Balancer", "DataProcessing-Bytes", "0.0080000000"),
			},
			"AWSELB|eu-west-1": {
				product("EALB1", "Load Balancer-Application", "EU-LoadBalancerUsage", "0.0262000000"),
				product("EALB2", "Load Balancer-Application", "EU-LCUUsage", "0.0084000000"),
				product("ENLB1", "Load Balancer-Network", "EU-LoadBalancerUsage", "0.0262000000"),
				product("ENLB2", "Load Balancer-Network", "EU-LCUUsage", "0.0063000000"),
				product("ECLB1", "Load Balancer", "EU-LoadBalancerUsage", "0.0280000000"),
				product("ECLB2", "Load Balancer", "EU-DataProcessing-Bytes", "0.0080000000"),
			},
			"AmazonVPC|us-east-1": {
				product("IP1", "", "USE1-PublicIPv4:IdleAddress", "0.0099000000"),
				product("IP2", "", "USE1-PublicIPv4:InUseAddress", "0.0050000000"),
			},
			"AmazonECS|us-east-1": {
				product("F1", "Compute", "USE1-Fargate-vCPU-Hours:perCPU", "0.0404800000"),
				product("F2", "Compute", "USE1-Fargate-GB-Hours", "0.0044450000"),
			},
			"AWSDataTransfer|us-east-1": {
				// decoys: the same usage type to another region (a server that ignored half the
				// filter), transfer to another region, out to the internet
				transfer("DTX", "USE1-DataTransfer-Regional-Bytes", "us-east-1", "us-west-2", "0.5000000000"),
				transfer("DT2", "USE1-USE2-AWS-Out-Bytes", "us-east-1", "us-east-2", "0.0200000000"),
				productWith("DT3", "Data Transfer", "0.0900000000", map[string]string{"usagetype": "USE1-DataTransfer-Out-Bytes", "fromRegionCode": "us-east-1"}),
				transfer("DT1", "USE1-DataTransfer-Regional-Bytes", "us-east-1", "us-east-1", "0.0100000000"),
			},
			"AWSDataTransfer|eu-west-1": {
				transfer("EDT1", "EU-DataTransfer-Regional-Bytes", "eu-west-1", "eu-west-1", "0.0100000000"),
			},
			"AmazonECS|eu-west-1": {
				product("EF1", "Compute", "EU-Fargate-vCPU-Hours:perCPU", "0.0404800000"),
				product("EF2", "Compute", "EU-Fargate-GB-Hours", "0.0044450000"),
			},
		},
		fail: map[string]bool{"AmazonVPC|eu-west-1": true},
	}
}

func client(url string) *awspricing.Client {
	return awspricing.New(awspricing.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		RetryMaxAttempts: 1,
	})
}

func TestRefreshReadsLivePricesAndKeepsLastGood(t *testing.T) {
	srv := newServer()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	base, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	r := &Refresher{Client: client(ts.URL), Now: func() time.Time { return day }}
	res, err := r.Refresh(context.Background(), base, []string{"us-east-1", "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	get := func(region, item string) pricing.Price {
		rp, err := res.Catalog.Region("aws", region)
		if err != nil {
			t.Fatal(err)
		}
		p, err := rp.Price(item)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	// live prices, normalised, with their SKU and today's date; decoys never used
	if p := get("us-east-1", pricing.ALBLCUHour); p.Price != "0.008" || p.Date != "2026-11-22" || !strings.Contains(p.Source, "SKU ALB2 (LCUUsage)") {
		t.Fatalf("us-east-1 LCU %+v", p)
	}
	if p := get("us-east-1", pricing.PublicIPv4Hour); p.Price != "0.005" || !strings.Contains(p.Source, "USE1-PublicIPv4:InUseAddress") {
		t.Fatalf("us-east-1 IPv4 %+v", p)
	}
	if p := get("eu-west-1", pricing.ALBHour); p.Price != "0.0262" || p.Note != "" || !strings.Contains(p.Source, "EU-LoadBalancerUsage") {
		t.Fatalf("eu-west-1 ALB hour %+v", p)
	}
	// data transfer between zones: the AWSDataTransfer product from and to the region, its
	// recollection basis gone once read
	if p := get("us-east-1", pricing.InterAZGB); p.Price != "0.01" || p.Basis != "" || !strings.Contains(p.Source, "AWSDataTransfer SKU DT1 (USE1-DataTransfer-Regional-Bytes)") {
		t.Fatalf("us-east-1 inter-AZ transfer %+v", p)
	}
	if p := get("eu-west-1", pricing.InterAZGB); p.Price != "0.01" || !strings.Contains(p.Source, "SKU EDT1") {
		t.Fatalf("eu-west-1 inter-AZ transfer %+v", p)
	}
	// the VPC prices of eu-west-1 failed: the last good price stays, with its old source and date
	old, _ := base.Region("aws", "eu-west-1")
	was, _ := old.Price(pricing.PublicIPv4Hour)
	if p := get("eu-west-1", pricing.PublicIPv4Hour); p.Price != was.Price || p.Source != was.Source || p.Date != was.Date {
		t.Fatalf("eu-west-1 IPv4 not kept: %+v vs %+v", p, was)
	}
	if len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Error(), "eu-west-1 public-ipv4-hour") {
		t.Fatalf("failed: %v", res.Failed)
	}
	if len(res.Updated) != 19 {
		t.Fatalf("updated %d prices: %v", len(res.Updated), res.Updated)
	}
	// untouched regions and clouds are carried over; the catalog is dated today
	if res.Catalog.Date != "2026-11-22" || len(res.Catalog.Regions("gcp")) == 0 {
		t.Fatalf("catalog %s, gcp regions %v", res.Catalog.Date, res.Catalog.Regions("gcp"))
	}
	// every page was read: AWSELB us-east-1 has 9 products, 2 per page
	pages := 0
	for _, req := range srv.requests {
		if strings.HasPrefix(req, "AWSELB|us-east-1|") {
			pages++
		}
	}
	if pages != 5 {
		t.Fatalf("read %d pages of AWSELB us-east-1, want 5: %v", pages, srv.requests)
	}
	// the refreshed catalog round-trips through its file format
	b, err := res.Catalog.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pricing.Parse(b, "refreshed.json"); err != nil {
		t.Fatal(err)
	}
}

func TestParseProductRejectsGarbage(t *testing.T) {
	if _, _, _, err := parseProduct("{not json"); err == nil {
		t.Fatal("garbage accepted")
	}
	if _, _, _, err := parseProduct(product("X", "f", "u", "cheap")); err == nil {
		t.Fatal("non-decimal price accepted")
	}
	if _, _, l, err := parseProduct(`{"product":{"sku":"R","attributes":{"usagetype":"ReservedLCUUsage"}},"terms":{}}`); err != nil || l.price != "" {
		t.Fatalf("product without on-demand terms: %+v %v", l, err)
	}
}

// An endpoint that repeats its page token is stopped, and the prices it
// served are kept at their last good values.
func TestRefreshStopsOnRepeatedPageToken(t *testing.T) {
	srv := newServer()
	srv.repeat = true
	ts := httptest.NewServer(srv)
	defer ts.Close()
	base, _ := pricing.Default()
	r := &Refresher{Client: client(ts.URL), Now: func() time.Time { return time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC) }}
	res, err := r.Refresh(context.Background(), base, []string{"us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	repeated := false
	for _, f := range res.Failed {
		repeated = repeated || strings.Contains(f.Error(), "repeated page token")
	}
	if !repeated || len(srv.requests) > 40 {
		t.Fatalf("failed %v after %d requests", res.Failed, len(srv.requests))
	}
}

// An answer that is not JSON is an error for its service (whose prices keep
// their last good values), never an empty price list.
func TestRefreshRejectsAnswersThatAreNotJSON(t *testing.T) {
	for _, body := range []string{"", "not json", "<html>proxy</html>"} {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			fmt.Fprint(w, body)
		}))
		base, _ := pricing.Default()
		r := &Refresher{Client: client(ts.URL), Now: time.Now}
		res, err := r.Refresh(context.Background(), base, []string{"us-east-1"})
		ts.Close()
		if err == nil && (len(res.Updated) > 0 || len(res.Failed) == 0) {
			t.Errorf("%q: updated %d, failed %d", body, len(res.Updated), len(res.Failed))
		}
	}
}

// A negative, huge or malformed live price is skipped: its item keeps the
// last good price, and the other prices of its service are still read.
func TestRefreshKeepsLastGoodPriceOfABadEntry(t *testing.T) {
	srv := newServer()
	key := "AWSELB|us-east-1"
	for i, doc := range srv.products[key] {
		if strings.Contains(doc, `"LCUUsage"`) {
			srv.products[key][i] = strings.Replace(doc, `"0.0080000000"`, `"-0.0080000000"`, 1)
		}
	}
	srv.products[key] = append(srv.products[key], "{not json", product("BIG", "Load Balancer-Application", "LoadBalancerUsage-x", "1e20"))
	ts := httptest.NewServer(srv)
	defer ts.Close()
	base, _ := pricing.Default()
	r := &Refresher{Client: client(ts.URL), Now: func() time.Time { return time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC) }}
	res, err := r.Refresh(context.Background(), base, []string{"us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	rp, _ := res.Catalog.Region("aws", "us-east-1")
	lcu, _ := rp.Price(pricing.ALBLCUHour)
	hour, _ := rp.Price(pricing.ALBHour)
	if lcu.Date == "2026-11-24" || hour.Date != "2026-11-24" {
		t.Fatalf("lcu %+v (want the last good), hour %+v (want refreshed)", lcu, hour)
	}
	skipped := 0
	for _, f := range res.Failed {
		if strings.Contains(f.Error(), "skipped an entry") {
			skipped++
		}
	}
	if skipped < 2 {
		t.Fatalf("failed %v", res.Failed)
	}
}
