// Package gcpprices refreshes a catalog's GCP prices from the Cloud Billing
// Catalog API (services.skus.list), as awsprices does for AWS: the catalog's
// prices are the defaults, a refresh replaces each one it can read by exact
// fields, and any it cannot read keeps its last good value.
package gcpprices

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	cloudbilling "google.golang.org/api/cloudbilling/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// EndpointEnv points a refresh at another Cloud Billing endpoint; KeyEnv
// gives an API key (else Application Default Credentials are used).
const (
	EndpointEnv = "LBPLANNER_GCP_BILLING_ENDPOINT"
	KeyEnv      = "LBPLANNER_GCP_API_KEY"
	maxPages    = 500
	maxRetries  = 3
)

// Billing services (Cloud Billing Catalog service ids).
const (
	serviceNetworking = "services/E505-1604-58F8" // load balancing's SKUs since 2023-08
	serviceGKE        = "services/CCD8-9BF1-090E" // Kubernetes Engine: Autopilot Pod requests
	serviceCompute    = "services/6F81-5844-456A" // Compute Engine: VM data transfer
)

// sku says which SKU a catalog item is: its service, the start of its
// description, its usage unit, and the factor from the SKU's unit to the
// catalog's (Autopilot's mCPU-hour is a thousandth of a vCPU-hour).
type sku struct {
	item, service, description, unit string
	factor                           int64
}

// The forwarding rules' SKU names follow Google's SKU list for Cloud Load
// Balancing (cloud.google.com/skus/sku-groups/cloud-load-balancing: "Cloud
// Load Balancer Forwarding Rule Additional for Belgium (europe-west1)"); the
// data-processing and Autopilot names are the descriptions this refresh
// expects, and a SKU it cannot find keeps its last good price, named.
var skus = []sku{
	{pricing.GCPRulesFirst5Hour, serviceNetworking, "Cloud Load Balancer Forwarding Rule Minimum", "h", 1},
	{pricing.GCPRuleExtraHour, serviceNetworking, "Cloud Load Balancer Forwarding Rule Additional", "h", 1},
	{pricing.GCPProxyDataGiB, serviceNetworking, "Network Load Balancing: Data Processing Charge", "GiBy", 1},
	{pricing.ProxyVCPUHour, serviceGKE, "Autopilot Pod mCPU Requests", "h", 1000},
	{pricing.ProxyGiBHour, serviceGKE, "Autopilot Pod Memory Requests", "GiBy.h", 1},
	{pricing.GCPInterZoneGiB, serviceCompute, "Network Inter Zone Data Transfer Out", "GiBy", 1},
}

// Lister lists a billing service's SKUs, one page at a time.
type Lister interface {
	List(ctx context.Context, service, pageToken string) (*cloudbilling.ListSkusResponse, error)
}

// Client is the Cloud Billing Catalog API as a Lister.
type Client struct{ Service *cloudbilling.APIService }

// NewClient connects to the API: endpoint "" for Google's, key "" for
// Application Default Credentials (and none at all on another endpoint).
func NewClient(ctx context.Context, endpoint, key string) (*Client, error) {
	var opts []option.ClientOption
	switch {
	case key != "":
		opts = append(opts, option.WithAPIKey(key))
	case endpoint != "":
		opts = append(opts, option.WithoutAuthentication())
	}
	if endpoint != "" {
		opts = append(opts, option.WithEndpoint(endpoint))
	}
	svc, err := cloudbilling.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("Cloud Billing Catalog API: %w", err)
	}
	return &Client{Service: svc}, nil
}

// List reads one page of a service's SKUs in USD.
func (c *Client) List(ctx context.Context, service, pageToken string) (*cloudbilling.ListSkusResponse, error) {
	call := c.Service.Services.Skus.List(service).CurrencyCode("USD").PageSize(5000).Context(ctx)
	if pageToken != "" {
		call = call.PageToken(pageToken)
	}
	return call.Do()
}

// Refresher reads live GCP prices.
type Refresher struct {
	Client Lister
	// Now is the clock stamped on refreshed prices (default time.Now).
	Now func() time.Time
	// Wait sleeps before retrying a throttled request (default: 1 s, or until the context ends).
	Wait func(ctx context.Context, d time.Duration) error
}

// Result is a refreshed catalog and what happened to each price.
type Result = pricing.RefreshResult

// Refresh returns a copy of base whose GCP prices (of regions, or every GCP
// region of base) are the live ones the API answers for.
func (r *Refresher) Refresh(ctx context.Context, base *pricing.Catalog, regions []string) (*Result, error) {
	rf, err := pricing.StartRefresh(base, "gcp", regions, r.Now)
	if err != nil {
		return nil, err
	}
	cache, fetchErr := map[string][]*cloudbilling.Sku{}, map[string]error{}
	for _, region := range rf.Regions {
		for _, s := range skus {
			if !rf.Has(region, s.item) {
				continue
			}
			if _, done := cache[s.service]; !done && fetchErr[s.service] == nil {
				cache[s.service], fetchErr[s.service] = r.all(ctx, s.service)
			}
			if err := fetchErr[s.service]; err != nil {
				rf.Fail(region, s.item, err)
				continue
			}
			id, price, why := pick(cache[s.service], s, region)
			if why != "" {
				rf.Fail(region, s.item, errors.New(why))
				continue
			}
			rf.Set(region, s.item, price, fmt.Sprintf("Cloud Billing Catalog API, %s SKU %s (%s)", s.service, id, s.description))
		}
	}
	cat, err := rf.Done()
	if err != nil {
		return nil, err
	}
	return &Result{Catalog: cat, Updated: rf.Updated, Failed: rf.Failed}, nil
}

// pick selects an item's SKU by its exact fields: whatever the server sent,
// a SKU of another region (or of several), another description, a
// commitment or preemptible price, or another unit is skipped; the first
// tier's price is the item's.
func pick(list []*cloudbilling.Sku, s sku, region string) (id, price, why string) {
	for _, k := range list {
		if !strings.HasPrefix(k.Description, s.description) || len(k.ServiceRegions) != 1 || k.ServiceRegions[0] != region ||
			(k.Category != nil && k.Category.UsageType != "OnDemand") || len(k.PricingInfo) == 0 {
			continue
		}
		pe := k.PricingInfo[len(k.PricingInfo)-1].PricingExpression // the timeline's latest
		if pe == nil || pe.UsageUnit != s.unit || len(pe.TieredRates) == 0 {
			continue
		}
		for _, t := range pe.TieredRates {
			if t.StartUsageAmount != 0 || t.UnitPrice == nil {
				continue
			}
			if t.UnitPrice.CurrencyCode != "" && t.UnitPrice.CurrencyCode != "USD" {
				return "", "", fmt.Sprintf("SKU %s is priced in %s", k.SkuId, t.UnitPrice.CurrencyCode)
			}
			v := new(big.Rat).SetFrac64(t.UnitPrice.Units*1_000_000_000+t.UnitPrice.Nanos, 1_000_000_000)
			if v.Sign() < 0 {
				return "", "", fmt.Sprintf("SKU %s: a negative price %s", k.SkuId, v.FloatString(9))
			}
			v.Mul(v, big.NewRat(s.factor, 1))
			return k.SkuId, money.FormatRat(v, 10), ""
		}
	}
	return "", "", fmt.Sprintf("the API has no on-demand %q SKU priced per %s in %s", s.description, s.unit, region)
}

// all reads every page of a service's SKUs, retrying throttled requests and
// stopping on a repeated page token.
func (r *Refresher) all(ctx context.Context, service string) ([]*cloudbilling.Sku, error) {
	wait := r.Wait
	if wait == nil {
		wait = pricing.Sleep
	}
	var out []*cloudbilling.Sku
	seen := map[string]bool{}
	token := ""
	for n := 0; ; n++ {
		if n == maxPages {
			return nil, fmt.Errorf("skus.list %s: more than %d pages; stopped", service, maxPages)
		}
		var page *cloudbilling.ListSkusResponse
		var err error
		for attempt := 0; ; attempt++ {
			page, err = r.Client.List(ctx, service, token)
			var gerr *googleapi.Error
			if err != nil && errors.As(err, &gerr) && gerr.Code == 429 && attempt < maxRetries {
				if werr := wait(ctx, time.Second); werr != nil {
					return nil, werr
				}
				continue
			}
			break
		}
		if err != nil {
			return nil, fmt.Errorf("skus.list %s: %w", service, err)
		}
		out = append(out, page.Skus...)
		if page.NextPageToken == "" {
			return out, nil
		}
		if seen[page.NextPageToken] {
			return nil, fmt.Errorf("skus.list %s: the endpoint repeated page token %q; stopped", service, page.NextPageToken)
		}
		seen[page.NextPageToken], token = true, page.NextPageToken
	}
}
