package pricing

import (
	"context"
	"fmt"
	"time"
)

// Refresh is the bookkeeping every live refresh shares (AWS's Price List,
// GCP's Cloud Billing Catalog, Azure's Retail Prices): a copy of the base
// catalog's prices, the regions to refresh, what was read live and what kept
// its last good value; Done writes the refreshed catalog, dated today.
type Refresh struct {
	Cloud   string
	Regions []string
	Today   string
	Updated []string // "region item" read live
	Failed  []error  // one per price that kept its last good value

	base   *Catalog
	prices []Price
	index  map[string]int
}

// StartRefresh begins refreshing cloud's prices of regions (every region of
// the cloud in base when none is named), stamped with now's date.
func StartRefresh(base *Catalog, cloud string, regions []string, now func() time.Time) (*Refresh, error) {
	if now == nil {
		now = time.Now
	}
	if len(regions) == 0 {
		regions = base.Regions(cloud)
	}
	prices, err := base.List("", "")
	if err != nil {
		return nil, err
	}
	r := &Refresh{Cloud: cloud, Regions: regions, Today: now().UTC().Format(time.DateOnly), base: base, prices: prices, index: map[string]int{}}
	for i, p := range prices {
		r.index[p.Cloud+"|"+p.Region+"|"+p.Item] = i
	}
	return r, nil
}

// Has reports whether the base catalog prices item in region (else the
// refresh notes that it cannot: the item is not in the base catalog).
func (r *Refresh) Has(region, item string) bool {
	if _, ok := r.index[r.Cloud+"|"+region+"|"+item]; ok {
		return true
	}
	r.Failed = append(r.Failed, fmt.Errorf("%s %s: not in the base catalog", region, item))
	return false
}

// Set records a price read live: its value, where it was read, today.
func (r *Refresh) Set(region, item, price, source string) {
	p := &r.prices[r.index[r.Cloud+"|"+region+"|"+item]]
	p.Price, p.Source, p.Date, p.Note, p.Basis = price, source, r.Today, "", ""
	r.Updated = append(r.Updated, region+" "+item)
}

// Fail records a price that keeps its last good value, and why.
func (r *Refresh) Fail(region, item string, err error) {
	r.Failed = append(r.Failed, fmt.Errorf("%s %s: %w", region, item, err))
}

// RefreshResult is a refreshed catalog and what happened to each price.
type RefreshResult struct {
	Catalog *Catalog
	Updated []string // "region item" read live
	Failed  []error  // one per price that kept its last good value
}

// Done is the refreshed catalog, dated today.
func (r *Refresh) Done() (*Catalog, error) {
	cat, err := New(r.Today, r.base.Description, r.prices)
	if err != nil {
		return nil, fmt.Errorf("refreshed catalog: %w", err)
	}
	return cat, nil
}

// Sleep waits d, or until ctx ends: a refresh's pause before retrying a
// throttled request.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
