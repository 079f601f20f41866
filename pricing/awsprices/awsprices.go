// Package awsprices refreshes a catalog's AWS prices from the AWS Price List
// API (GetProducts), in the manner of karpenter's pricing provider: the
// catalog's static prices are the defaults, a refresh replaces those it can
// read, and any price it cannot read keeps its last good value.
package awsprices

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/pricing/types"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Endpoint notes: the Price List API answers in us-east-1 (and a few other
// regions); aws-sdk-go-v2 honours AWS_ENDPOINT_URL_PRICING and BaseEndpoint.

// GetProductsAPI is the part of the Price List client a refresh uses.
type GetProductsAPI = awspricing.GetProductsAPIClient

// usagePrefix is the usage-type prefix of a region: ELB usage types in
// us-east-1 have none, every other service's do (design.md §5).
var usagePrefix = map[string]string{
	"us-east-1": "USE1-", "us-east-2": "USE2-", "us-west-1": "USW1-", "us-west-2": "USW2-",
	"eu-west-1": "EU-", "eu-west-2": "EUW2-", "eu-west-3": "EUW3-", "eu-central-1": "EUC1-", "eu-north-1": "EUN1-",
	"ap-southeast-1": "APS1-", "ap-southeast-2": "APS2-", "ap-northeast-1": "APN1-", "ap-northeast-2": "APN2-",
	"ap-south-1": "APS3-", "ca-central-1": "CAN1-", "sa-east-1": "SAE1-",
}

// item says where one catalog item is in the Price List.
type item struct {
	name          string // catalog item
	service       string // Price List service code
	productFamily string // "" to accept any
	usage         string // usage type without the region prefix
	elb           bool   // an ELB usage type (no prefix in us-east-1)
}

// regionFields are the product attributes that name a service's region:
// every product of a service carries regionCode, except data transfer's,
// which go from one region to another (fromRegionCode, toRegionCode). A
// product is used only when each of its service's fields it carries is the
// region asked for, whatever the server did with the filter.
var regionFields = map[string][]string{
	"AWSDataTransfer": {"fromRegionCode", "toRegionCode"},
}

// regionFieldsOf lists the region attributes of a service's products; the
// first is the one the request filters on.
func regionFieldsOf(service string) []string {
	if f, ok := regionFields[service]; ok {
		return f
	}
	return []string{"regionCode"}
}

var items = []item{
	{pricing.ALBHour, "AWSELB", "Load Balancer-Application", "LoadBalancerUsage", true},
	{pricing.ALBLCUHour, "AWSELB", "Load Balancer-Application", "LCUUsage", true},
	{pricing.NLBHour, "AWSELB", "Load Balancer-Network", "LoadBalancerUsage", true},
	{pricing.NLBNLCUHour, "AWSELB", "Load Balancer-Network", "LCUUsage", true},
	{pricing.CLBHour, "AWSELB", "Load Balancer", "LoadBalancerUsage", true},
	{pricing.CLBGB, "AWSELB", "Load Balancer", "DataProcessing-Bytes", true},
	{pricing.PublicIPv4Hour, "AmazonVPC", "", "PublicIPv4:InUseAddress", false},
	{pricing.ProxyVCPUHour, "AmazonECS", "", "Fargate-vCPU-Hours:perCPU", false},
	{pricing.ProxyGiBHour, "AmazonECS", "", "Fargate-GB-Hours", false},
	// within a region, between availability zones: $/GB in each direction
	{pricing.InterAZGB, "AWSDataTransfer", "Data Transfer", "DataTransfer-Regional-Bytes", false},
}

// UsageType is the Price List usage type of an item in a region.
func usageType(it item, region string) (string, error) {
	p, ok := usagePrefix[region]
	if !ok {
		return "", fmt.Errorf("no usage-type prefix known for region %s", region)
	}
	if it.elb && region == "us-east-1" {
		p = ""
	}
	return p + it.usage, nil
}

// Refresher reads live AWS prices.
type Refresher struct {
	Client GetProductsAPI
	// skipped collects the malformed Price List entries of a refresh
	skipped []error
	// Now is the clock stamped on refreshed prices (default time.Now).
	Now func() time.Time
}

// Result is a refreshed catalog and what happened to each price.
type Result = pricing.RefreshResult

// Refresh returns a copy of base in which every AWS price of regions that
// the Price List answers for is replaced by the live one (source: the Price
// List SKU; date: today); the others keep their last good value and are
// listed in Failed. An empty regions list means every AWS region of base.
func (r *Refresher) Refresh(ctx context.Context, base *pricing.Catalog, regions []string) (*Result, error) {
	rf, err := pricing.StartRefresh(base, "aws", regions, r.Now)
	if err != nil {
		return nil, err
	}
	cache := map[string]map[string]live{} // service|region -> usage type -> price
	for _, region := range rf.Regions {
		for _, it := range items {
			if !rf.Has(region, it.name) {
				continue
			}
			ut, err := usageType(it, region)
			if err != nil {
				rf.Fail(region, it.name, err)
				continue
			}
			key := it.service + "|" + region
			if cache[key] == nil {
				got, err := r.products(ctx, it.service, region)
				if err != nil {
					rf.Fail(region, it.name, err)
					continue
				}
				cache[key] = got
			}
			l, ok := cache[key][it.productFamily+"|"+ut]
			if !ok && it.productFamily == "" {
				l, ok = cache[key]["*|"+ut]
			}
			if !ok {
				rf.Fail(region, it.name, fmt.Errorf("the Price List has no on-demand price for usage type %s", ut))
				continue
			}
			rf.Set(region, it.name, l.price, fmt.Sprintf("AWS Price List API, %s SKU %s (%s)", it.service, l.sku, ut))
		}
	}
	cat, err := rf.Done()
	if err != nil {
		return nil, err
	}
	res := &Result{Catalog: cat, Updated: rf.Updated, Failed: append(rf.Failed, r.skipped...)}
	r.skipped = nil
	return res, nil
}

// live is one on-demand price read from the Price List, with its product's attributes.
type live struct {
	sku, price string
	attrs      map[string]string
}

// inRegion reports whether a product's region attributes, where it has them,
// all name region.
func inRegion(attrs map[string]string, fields []string, region string) bool {
	for _, f := range fields {
		if v, ok := attrs[f]; ok && v != region {
			return false
		}
	}
	return true
}

// products reads every product of a service in a region, keyed by
// "productFamily|usagetype" (and "*|usagetype"), on-demand prices only.
func (r *Refresher) products(ctx context.Context, service, region string) (map[string]live, error) {
	fields := regionFieldsOf(service)
	in := &awspricing.GetProductsInput{
		ServiceCode:   aws.String(service),
		FormatVersion: aws.String("aws_v1"),
		Filters: []types.Filter{
			{Type: types.FilterTypeTermMatch, Field: aws.String(fields[0]), Value: aws.String(region)},
		},
	}
	out := map[string]live{}
	seen := map[string]bool{}
	for {
		page, err := r.Client.GetProducts(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("GetProducts %s %s: %w", service, region, err)
		}
		for _, doc := range page.PriceList {
			family, usage, l, err := parseProduct(doc)
			if err != nil { // one bad entry: skipped, the others still count
				r.skipped = append(r.skipped, fmt.Errorf("GetProducts %s %s: skipped an entry: %w", service, region, err))
				continue
			}
			if l.price == "" || !inRegion(l.attrs, fields, region) {
				continue
			}
			for _, k := range []string{family + "|" + usage, "*|" + usage} {
				if _, dup := out[k]; !dup {
					out[k] = l
				}
			}
		}
		next := aws.ToString(page.NextToken)
		if next == "" {
			break
		}
		if seen[next] {
			return nil, fmt.Errorf("GetProducts %s %s: the endpoint repeated page token %q; stopped", service, region, next)
		}
		seen[next], in.NextToken = true, page.NextToken
	}
	return out, nil
}

type priceListEntry struct {
	Product struct {
		SKU           string            `json:"sku"`
		ProductFamily string            `json:"productFamily"`
		Attributes    map[string]string `json:"attributes"`
	} `json:"product"`
	Terms struct {
		OnDemand map[string]struct {
			PriceDimensions map[string]struct {
				Unit         string            `json:"unit"`
				BeginRange   string            `json:"beginRange"`
				PricePerUnit map[string]string `json:"pricePerUnit"`
			} `json:"priceDimensions"`
		} `json:"OnDemand"`
	} `json:"terms"`
}

// parseProduct reads one Price List entry (a JSON document in a string).
func parseProduct(doc string) (family, usage string, l live, err error) {
	var e priceListEntry
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		return "", "", live{}, fmt.Errorf("price list entry: %w", err)
	}
	usage = e.Product.Attributes["usagetype"]
	if usage == "" {
		return "", "", live{}, errors.New("price list entry without a usage type")
	}
	var dims []string
	for _, term := range e.Terms.OnDemand {
		for id, d := range term.PriceDimensions {
			if d.BeginRange == "" || d.BeginRange == "0" {
				if usd, ok := d.PricePerUnit["USD"]; ok {
					dims = append(dims, id+"\x00"+usd)
				}
			}
		}
	}
	if len(dims) == 0 {
		return e.Product.ProductFamily, usage, live{}, nil // no on-demand price (reserved, free tier): skipped
	}
	sort.Strings(dims) // deterministic when a product has several first-tier dimensions
	usd := dims[0][strings.IndexByte(dims[0], 0)+1:]
	r, err := money.ParsePrice(usd)
	if err != nil {
		return "", "", live{}, fmt.Errorf("sku %s: price %q: %w", e.Product.SKU, usd, err)
	}
	return e.Product.ProductFamily, usage, live{sku: e.Product.SKU, price: money.FormatRat(r, 10), attrs: e.Product.Attributes}, nil
}
