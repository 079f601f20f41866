// Package azureprices refreshes a catalog's Azure prices from the public
// Azure Retail Prices API (no credentials), as awsprices does for AWS: the
// catalog's prices are the defaults, a refresh replaces each one it can read
// by exact fields, and any it cannot read keeps its last good value.
package azureprices

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// DefaultEndpoint is the Retail Prices API; EndpointEnv points a refresh elsewhere.
const (
	DefaultEndpoint = "https://prices.azure.com/api/retail/prices"
	EndpointEnv     = "LBPLANNER_AZURE_PRICES_ENDPOINT"
	apiVersion      = "2023-01-01-preview"
	maxPages        = 200
	maxRetries      = 3
	maxBody         = 16 << 20
)

// meter says which Retail Prices item a catalog item is, field by field.
type meter struct {
	item, service, product, sku, name string
	global                            bool // listed under region Global (the Standard Load Balancer's meters)
}

// meters are the catalog's Azure items. Application Gateway for Containers
// is left out: its meters are not in the API under names this refresh can
// check, so its prices keep their sourced values.
var meters = []meter{
	{pricing.AzureRulesFirst5Hour, "Load Balancer", "Load Balancer", "Standard", "Standard Included LB Rules and Outbound Rules", true},
	{pricing.AzureRuleExtraHour, "Load Balancer", "Load Balancer", "Standard", "Standard Overage LB Rules and Outbound Rules", true},
	{pricing.AzureLBDataGB, "Load Balancer", "Load Balancer", "Standard", "Standard Data Processed", true},
	{pricing.AzurePublicIPHour, "Virtual Network", "IP Addresses", "Standard", "Standard IPv4 Static Public IP", false},
	{pricing.AzureAppGWFixedHour, "Application Gateway", "Application Gateway Standard v2", "Standard v2", "Standard Fixed Cost", false},
	{pricing.AzureAppGWCUHour, "Application Gateway", "Application Gateway Standard v2", "Standard v2", "Standard Capacity Units", false},
	{pricing.ProxyVCPUHour, "Container Instances", "Container Instances", "Standard", "Standard vCPU Duration", false},
	{pricing.ProxyGiBHour, "Container Instances", "Container Instances", "Standard", "Standard Memory Duration", false},
}

// Refresher reads live Azure retail prices.
type Refresher struct {
	// Endpoint is the API's address (default DefaultEndpoint).
	Endpoint string
	// HTTP is the client (default: one with a 30 s timeout per request).
	HTTP *http.Client
	// Now is the clock stamped on refreshed prices (default time.Now).
	Now func() time.Time
	// Wait sleeps before a retry of a throttled request (default: up to Retry-After, at most 10 s).
	Wait func(ctx context.Context, d time.Duration) error
}

// Result is a refreshed catalog and what happened to each price.
type Result = pricing.RefreshResult

// retailItem is one Retail Prices API item (the fields a refresh checks).
type retailItem struct {
	CurrencyCode     string      `json:"currencyCode"`
	TierMinimumUnits json.Number `json:"tierMinimumUnits"`
	UnitPrice        json.Number `json:"unitPrice"`
	ArmRegionName    string      `json:"armRegionName"`
	MeterID          string      `json:"meterId"`
	MeterName        string      `json:"meterName"`
	ProductName      string      `json:"productName"`
	SkuName          string      `json:"skuName"`
	ServiceName      string      `json:"serviceName"`
	UnitOfMeasure    string      `json:"unitOfMeasure"`
	Type             string      `json:"type"`
}

type page struct {
	Items        []retailItem `json:"Items"`
	NextPageLink *string      `json:"NextPageLink"`
}

// Refresh returns a copy of base whose Azure prices (of regions, or every
// Azure region of base) are the live ones the API answers for.
func (r *Refresher) Refresh(ctx context.Context, base *pricing.Catalog, regions []string) (*Result, error) {
	rf, err := pricing.StartRefresh(base, "azure", regions, r.Now)
	if err != nil {
		return nil, err
	}
	cache := map[string][]retailItem{}
	fetchErr := map[string]error{}
	for _, region := range rf.Regions {
		for _, m := range meters {
			if !rf.Has(region, m.item) {
				continue
			}
			arm := region
			if m.global {
				arm = "Global"
			}
			key := m.service + "|" + arm
			if _, done := cache[key]; !done && fetchErr[key] == nil {
				cache[key], fetchErr[key] = r.fetch(ctx, m.service, arm)
			}
			if err := fetchErr[key]; err != nil {
				rf.Fail(region, m.item, err)
				continue
			}
			it, why := pick(cache[key], m, arm)
			if why != "" {
				rf.Fail(region, m.item, errors.New(why))
				continue
			}
			rf.Set(region, m.item, it.price, fmt.Sprintf("Azure Retail Prices API, meter %s (%s, %s, %s)", it.meterID, m.name, m.product, arm))
		}
	}
	cat, err := rf.Done()
	if err != nil {
		return nil, err
	}
	return &Result{Catalog: cat, Updated: rf.Updated, Failed: rf.Failed}, nil
}

type picked struct{ meterID, price string }

// pick selects a meter's price among what the API answered, by its exact
// fields: whatever the server did with the filter, other regions, services,
// products, SKUs, reservation and dev/test prices, free meters and higher
// tiers are skipped; a negative or malformed price is an error.
func pick(items []retailItem, m meter, arm string) (picked, string) {
	for _, it := range items {
		if it.ServiceName != m.service || it.ProductName != m.product || it.SkuName != m.sku || it.MeterName != m.name ||
			!strings.EqualFold(it.ArmRegionName, arm) || it.Type != "Consumption" || it.CurrencyCode != "USD" ||
			strings.HasSuffix(it.MeterName, " Free") || (it.TierMinimumUnits != "" && it.TierMinimumUnits != "0" && it.TierMinimumUnits != "0.0") {
			continue
		}
		v, err := money.ParsePrice(it.UnitPrice.String())
		if err != nil {
			return picked{}, fmt.Sprintf("meter %s: price %q: %v", it.MeterID, it.UnitPrice, err)
		}
		if !strings.HasPrefix(it.UnitOfMeasure, "1 ") && !strings.HasPrefix(it.UnitOfMeasure, "1/") {
			return picked{}, fmt.Sprintf("meter %s: unit %q is not one unit", it.MeterID, it.UnitOfMeasure)
		}
		return picked{meterID: it.MeterID, price: money.FormatRat(v, 10)}, ""
	}
	return picked{}, fmt.Sprintf("the API has no retail consumption price for meter %q of %s %s (SKU %s) in %s", m.name, m.service, m.product, m.sku, arm)
}

// fetch reads every page of a service's items in a region, following
// NextPageLink on the same host, and stops on a repeated link.
func (r *Refresher) fetch(ctx context.Context, service, arm string) ([]retailItem, error) {
	base := r.Endpoint
	if base == "" {
		base = DefaultEndpoint
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q: %w", base, err)
	}
	q := u.Query()
	q.Set("api-version", apiVersion)
	q.Set("$filter", fmt.Sprintf("serviceName eq '%s' and armRegionName eq '%s' and priceType eq 'Consumption'", service, arm))
	u.RawQuery = q.Encode()
	next := u.String()
	seen := map[string]bool{}
	var out []retailItem
	for n := 0; next != ""; n++ {
		if n == maxPages {
			return nil, fmt.Errorf("Retail Prices %s %s: more than %d pages; stopped", service, arm, maxPages)
		}
		if seen[next] {
			return nil, fmt.Errorf("Retail Prices %s %s: the endpoint repeated page link %s; stopped", service, arm, next)
		}
		seen[next] = true
		nu, err := url.Parse(next)
		if err != nil || nu.Host != u.Host || nu.Scheme != u.Scheme {
			return nil, fmt.Errorf("Retail Prices %s %s: next page %q is not on %s", service, arm, next, u.Host)
		}
		p, err := r.get(ctx, next)
		if err != nil {
			return nil, fmt.Errorf("Retail Prices %s %s: %w", service, arm, err)
		}
		out = append(out, p.Items...)
		next = ""
		if p.NextPageLink != nil {
			next = *p.NextPageLink
		}
	}
	return out, nil
}

// get reads one page, retrying a throttled answer (429) a few times.
func (r *Refresher) get(ctx context.Context, link string) (*page, error) {
	client := r.HTTP
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	wait := r.Wait
	if wait == nil {
		wait = pricing.Sleep
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusTooManyRequests && attempt < maxRetries {
			secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			if err := wait(ctx, time.Duration(min(max(secs, 0), 10))*time.Second); err != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %s", resp.Status)
		}
		if len(body) > maxBody {
			return nil, fmt.Errorf("an answer over %d bytes", maxBody)
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var p page
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("the answer is not the API's JSON: %w", err)
		}
		if p.Items == nil {
			return nil, errors.New("the answer has no Items")
		}
		return &p, nil
	}
}
