// Package pricing is lbplanner's price catalog: list prices per cloud, region
// and item, each with its source and the day it was read. The default catalog
// is embedded in the binary, so planning needs no credentials and no network.
package pricing

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/lbplanner/terraform-provider-lbplanner/input"
	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

//go:embed catalog.json
var embedded []byte

// StaleAfter is how old a catalog may be before lbplanner warns about it.
const StaleAfter = 90 * 24 * time.Hour

// Item names used by the AWS cost model.
const (
	ALBHour        = "alb-hour"
	ALBLCUHour     = "alb-lcu-hour"
	NLBHour        = "nlb-hour"
	NLBNLCUHour    = "nlb-nlcu-hour"
	CLBHour        = "clb-hour"
	CLBGB          = "clb-gb"
	PublicIPv4Hour = "public-ipv4-hour"
	ProxyVCPUHour  = "proxy-vcpu-hour"
	ProxyGiBHour   = "proxy-gib-hour"
	// InterAZGB is data transfer between availability zones of a region,
	// per GB each way (out of one zone, into the other).
	InterAZGB = "inter-az-gb"
)

// Item names used by the GCP cost model.
const (
	GCPRulesFirst5Hour = "forwarding-rule-first5-hour"
	GCPRuleExtraHour   = "forwarding-rule-extra-hour"
	GCPProxyDataGiB    = "proxy-lb-data-gib"
	// GCPInterZoneGiB is data transfer between zones of a region, per GiB,
	// billed to the sender (Compute Engine's inter-zone data transfer out).
	GCPInterZoneGiB = "inter-zone-gib"
)

// Item names used by the Azure cost model.
const (
	AzureRulesFirst5Hour = "lb-rules-first5-hour"
	AzureRuleExtraHour   = "lb-rule-extra-hour"
	AzureLBDataGB        = "lb-data-gb"
	AzurePublicIPHour    = "public-ip-hour"
	AzureAppGWFixedHour  = "appgw-fixed-hour"
	AzureAppGWCUHour     = "appgw-cu-hour"
	// Application Gateway for Containers: priced only in the regions whose
	// rates are published; elsewhere its strategy is not offered.
	AzureAGCHour            = "agc-hour"
	AzureAGCFrontendHour    = "agc-frontend-hour"
	AzureAGCAssociationHour = "agc-association-hour"
	AzureAGCCUHour          = "agc-cu-hour"
)

// Item names of bare metal, whose prices the declaration gives (its address
// pool's cost per address, its nodes' cost for proxy pods), not a catalog.
const (
	AddressMonth = "address-month"
)

// OptionalItems lists, per cloud, items that only some regions price: a
// load-balancer kind that needs them is offered where they are priced.
var OptionalItems = map[string][]string{
	"aws":   {InterAZGB},       // without it, cross-zone transfer is not priced (the plan warns)
	"gcp":   {GCPInterZoneGiB}, // likewise
	"azure": {AzureAGCHour, AzureAGCFrontendHour, AzureAGCAssociationHour, AzureAGCCUHour},
}

// RequiredItems lists, per cloud, the items every region must price.
var RequiredItems = map[string][]string{
	"aws":       {ALBHour, ALBLCUHour, NLBHour, NLBNLCUHour, CLBHour, CLBGB, PublicIPv4Hour, ProxyVCPUHour, ProxyGiBHour},
	"gcp":       {GCPRulesFirst5Hour, GCPRuleExtraHour, GCPProxyDataGiB, ProxyVCPUHour, ProxyGiBHour},
	"azure":     {AzureRulesFirst5Hour, AzureRuleExtraHour, AzureLBDataGB, AzurePublicIPHour, AzureAppGWFixedHour, AzureAppGWCUHour, ProxyVCPUHour, ProxyGiBHour},
	"baremetal": {AddressMonth, ProxyVCPUHour, ProxyGiBHour},
}

// Price is one catalog entry.
type Price struct {
	Cloud  string `json:"cloud"`
	Region string `json:"region"`
	Item   string `json:"item"`
	Unit   string `json:"unit"`
	// Price is the exact decimal price in USD per Unit, as written in the catalog.
	Price  string `json:"price"`
	Source string `json:"source"`
	Date   string `json:"date"`
	// Basis says, machine-readably, when the price is not read from its
	// source for this region: "copy" (another region's price), "recollection"
	// (recalled, not re-read) or "unverified"; empty when it is.
	Basis string `json:"basis,omitempty"`
	Note  string `json:"note,omitempty"`

	value *big.Rat
}

// Value returns the exact price. The returned value must not be modified.
func (p Price) Value() *big.Rat { return p.value }

// Catalog is a set of prices with the day it was assembled.
type Catalog struct {
	Date        string  `json:"date"`
	Description string  `json:"description,omitempty"`
	Prices      []Price `json:"prices"`

	name  string
	date  time.Time
	index map[string]map[string]map[string]Price // cloud -> region -> item
}

// Bases are the values of Price.Basis: how a price that was not read from
// its source for its region came to be.
var Bases = []string{"copy", "recollection", "unverified"}

// Unverified lists the prices (of a cloud and region; "" for all) whose
// Basis says they were not read from their source.
func (c *Catalog) Unverified(cloud, region string) ([]Price, error) {
	all, err := c.List(cloud, region)
	if err != nil {
		return nil, err
	}
	var out []Price
	for _, p := range all {
		if p.Basis != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// Default returns the embedded catalog.
func Default() (*Catalog, error) { return Parse(embedded, "embedded catalog") }

// New builds a checked catalog from prices, dated date (YYYY-MM-DD).
func New(date, description string, prices []Price) (*Catalog, error) {
	return NewNamed("refreshed catalog", date, description, prices)
}

// NewNamed is New for a catalog its errors call name (the declaration's own prices).
func NewNamed(name, date, description string, prices []Price) (*Catalog, error) {
	data, err := json.Marshal(Catalog{Date: date, Description: description, Prices: prices})
	if err != nil {
		return nil, err
	}
	return Parse(data, name)
}

// JSON renders the catalog in its file format, indented, with a trailing newline.
func (c *Catalog) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Load reads a catalog file in the embedded catalog's JSON format.
func Load(path string) (*Catalog, error) {
	data, err := input.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	return Parse(data, path)
}

// Parse decodes and checks a catalog; name is used in error messages.
func Parse(data []byte, name string) (*Catalog, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Catalog
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: data after the catalog's JSON object", name)
	}
	c.name = name
	d, err := time.Parse(time.DateOnly, c.Date)
	if err != nil {
		return nil, fmt.Errorf("%s: field date: want YYYY-MM-DD, got %q", name, c.Date)
	}
	c.date = d
	c.index = map[string]map[string]map[string]Price{}
	for i := range c.Prices {
		p := &c.Prices[i]
		at := fmt.Sprintf("%s: prices[%d]", name, i)
		if p.Cloud == "" || p.Region == "" || p.Item == "" || p.Unit == "" {
			return nil, fmt.Errorf("%s: cloud, region, item and unit are required", at)
		}
		v, err := money.ParsePrice(p.Price)
		if err != nil {
			return nil, fmt.Errorf("%s (%s %s %s): field price: %w", at, p.Cloud, p.Region, p.Item, err)
		}
		if f, bad := controlChars(p); bad {
			return nil, fmt.Errorf("%s (%s %s %s): field %s: control characters are not allowed", at, p.Cloud, p.Region, p.Item, f)
		}
		if p.Basis != "" && !slices.Contains(Bases, p.Basis) {
			return nil, fmt.Errorf("%s (%s %s %s): field basis: want one of %s, or none for a price read from its source, got %q", at, p.Cloud, p.Region, p.Item, strings.Join(Bases, ", "), p.Basis)
		}
		if p.Source == "" {
			return nil, fmt.Errorf("%s (%s %s %s): field source: every price needs its source", at, p.Cloud, p.Region, p.Item)
		}
		if _, err := time.Parse(time.DateOnly, p.Date); err != nil {
			return nil, fmt.Errorf("%s (%s %s %s): field date: want YYYY-MM-DD, got %q", at, p.Cloud, p.Region, p.Item, p.Date)
		}
		p.value = v
		if c.index[p.Cloud] == nil {
			c.index[p.Cloud] = map[string]map[string]Price{}
		}
		if c.index[p.Cloud][p.Region] == nil {
			c.index[p.Cloud][p.Region] = map[string]Price{}
		}
		if _, dup := c.index[p.Cloud][p.Region][p.Item]; dup {
			return nil, fmt.Errorf("%s: %s %s %s is priced twice", at, p.Cloud, p.Region, p.Item)
		}
		c.index[p.Cloud][p.Region][p.Item] = *p
	}
	for cloud, regions := range c.index {
		for region, items := range regions {
			for _, item := range RequiredItems[cloud] {
				if _, ok := items[item]; !ok {
					return nil, fmt.Errorf("%s: %s region %s has no price for %s", name, cloud, region, item)
				}
			}
		}
	}
	return &c, nil
}

// controlChars reports the first text field of a price holding a control
// character (an ANSI escape would reach the terminal as it is).
func controlChars(p *Price) (string, bool) {
	for _, f := range []struct{ name, v string }{{"cloud", p.Cloud}, {"region", p.Region}, {"item", p.Item}, {"unit", p.Unit},
		{"source", p.Source}, {"date", p.Date}, {"note", p.Note}} {
		if strings.IndexFunc(f.v, unicode.IsControl) >= 0 {
			return f.name, true
		}
	}
	return "", false
}

// Future reports whether the catalog is dated after now (a clock or catalog mistake).
func (c *Catalog) Future(now time.Time) bool { return c.date.After(now) }

// Name is the file the catalog came from, or "embedded catalog".
func (c *Catalog) Name() string { return c.name }

// Stale reports whether the catalog is older than StaleAfter at now, and its age in days.
func (c *Catalog) Stale(now time.Time) (bool, int) {
	age := now.Sub(c.date)
	return age > StaleAfter, int(age.Hours() / 24)
}

// Clouds lists the clouds the catalog prices, sorted.
func (c *Catalog) Clouds() []string { return slices.Sorted(maps.Keys(c.index)) }

// Regions lists the regions the catalog prices for cloud, sorted.
func (c *Catalog) Regions(cloud string) []string { return slices.Sorted(maps.Keys(c.index[cloud])) }

// Region returns the prices of one region, or an error that lists the known regions.
func (c *Catalog) Region(cloud, region string) (*RegionPrices, error) {
	regions, ok := c.index[cloud]
	if !ok {
		return nil, fmt.Errorf("%s has no prices for cloud %q (known: %s)", c.name, cloud, strings.Join(c.Clouds(), ", "))
	}
	items, ok := regions[region]
	if !ok {
		return nil, fmt.Errorf("unknown %s region %q (known: %s)", cloud, region, strings.Join(c.Regions(cloud), ", "))
	}
	return &RegionPrices{Cloud: cloud, Region: region, CatalogDate: c.Date, items: items}, nil
}

// List returns the catalog's prices for a cloud and region ("" matches all), in a stable order.
func (c *Catalog) List(cloud, region string) ([]Price, error) {
	if cloud != "" {
		if _, ok := c.index[cloud]; !ok {
			return nil, fmt.Errorf("%s has no prices for cloud %q (known: %s)", c.name, cloud, strings.Join(c.Clouds(), ", "))
		}
	}
	if region != "" {
		found := false
		for cl, regions := range c.index {
			if _, ok := regions[region]; ok && (cloud == "" || cloud == cl) {
				found = true
			}
		}
		if !found {
			known := c.Regions(cloud)
			if cloud == "" {
				known = nil
				for _, cl := range c.Clouds() {
					known = append(known, c.Regions(cl)...)
				}
			}
			return nil, fmt.Errorf("unknown region %q (known: %s)", region, strings.Join(known, ", "))
		}
	}
	var out []Price
	for _, p := range c.Prices {
		if (cloud == "" || p.Cloud == cloud) && (region == "" || p.Region == region) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Cloud != b.Cloud {
			return a.Cloud < b.Cloud
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Item < b.Item
	})
	return out, nil
}

// RegionPrices are the prices of one cloud region.
type RegionPrices struct {
	Cloud       string
	Region      string
	CatalogDate string
	items       map[string]Price
}

// Price returns one item's price.
func (r *RegionPrices) Price(item string) (Price, error) {
	p, ok := r.items[item]
	if !ok {
		return Price{}, fmt.Errorf("%s %s has no price for %s", r.Cloud, r.Region, item)
	}
	return p, nil
}
