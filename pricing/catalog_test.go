package pricing

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEmbeddedCatalogCoversRegionsWithSources(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"} {
		rp, err := c.Region("aws", r)
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range RequiredItems["aws"] {
			p, err := rp.Price(item)
			if err != nil {
				t.Fatal(err)
			}
			if p.Source == "" || p.Date == "" || p.Value().Sign() <= 0 {
				t.Fatalf("%s %s: %+v", r, item, p)
			}
		}
	}
	// design.md §2 list prices
	rp, _ := c.Region("aws", "us-east-1")
	for item, want := range map[string]string{ALBHour: "0.0225", ALBLCUHour: "0.008", NLBHour: "0.0225", NLBNLCUHour: "0.006",
		CLBHour: "0.025", CLBGB: "0.008", PublicIPv4Hour: "0.005", ProxyVCPUHour: "0.04048", ProxyGiBHour: "0.004445"} {
		if p, _ := rp.Price(item); p.Price != want {
			t.Errorf("us-east-1 %s = %s, want %s", item, p.Price, want)
		}
	}
	eu, _ := c.Region("aws", "eu-central-1")
	if p, _ := eu.Price(ALBHour); p.Price != "0.027" {
		t.Errorf("eu-central-1 ALB hour %s", p.Price)
	}
}

func TestUnknownRegionListsKnownOnes(t *testing.T) {
	c, _ := Default()
	_, err := c.Region("aws", "mars-north-1")
	if err == nil || !strings.Contains(err.Error(), `unknown aws region "mars-north-1" (known: ap-northeast-1, ap-southeast-1,`) {
		t.Fatalf("got %v", err)
	}
	if _, err := c.List("", "mars-north-1"); err == nil || !strings.Contains(err.Error(), "us-east-1") {
		t.Fatalf("List: %v", err)
	}
}

func TestStale(t *testing.T) {
	c, _ := Default()
	d, _ := time.Parse(time.DateOnly, c.Date)
	if stale, _ := c.Stale(d.Add(89 * 24 * time.Hour)); stale {
		t.Fatal("89 days is not stale")
	}
	if stale, days := c.Stale(d.Add(91 * 24 * time.Hour)); !stale || days != 91 {
		t.Fatalf("91 days: %v %d", stale, days)
	}
}

func TestLoadRejectsBadCatalogs(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"no source":     `{"date":"2026-01-01","prices":[{"cloud":"aws","region":"x","item":"alb-hour","unit":"hour","price":"1","source":"","date":"2026-01-01"}]}`,
		"bad price":     `{"date":"2026-01-01","prices":[{"cloud":"aws","region":"x","item":"alb-hour","unit":"hour","price":"cheap","source":"s","date":"2026-01-01"}]}`,
		"missing items": `{"date":"2026-01-01","prices":[{"cloud":"aws","region":"x","item":"alb-hour","unit":"hour","price":"1","source":"s","date":"2026-01-01"}]}`,
		"bad date":      `{"date":"yesterday","prices":[]}`,
		"unknown field": `{"date":"2026-01-01","prices":[],"extra":1}`,
	}
	want := map[string]string{"no source": "field source", "bad price": "field price", "missing items": "has no price for alb-lcu-hour",
		"bad date": "field date", "unknown field": "unknown field"}
	for name, body := range cases {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
		os.WriteFile(path, []byte(body), 0o644)
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), want[name]) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestCatalogRejectsBadPricesTrailingDataAndControlCharacters(t *testing.T) {
	good, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := good.JSON()
	cases := map[string]string{
		"trailing data":  string(data) + `{"date": "2026-01-01"}`,
		"huge price":     strings.Replace(string(data), `"price": "0.0225"`, `"price": "1e20"`, 1),
		"tiny price":     strings.Replace(string(data), `"price": "0.0225"`, `"price": "0.00000000001"`, 1),
		"negative price": strings.Replace(string(data), `"price": "0.0225"`, `"price": "-0.0225"`, 1),
		"ANSI escape":    strings.Replace(string(data), `"source": "aws.amazon.com/elasticloadbalancing/pricing (read 2026-09)"`, `"source": "\u001b[31mred"`, 1),
	}
	wants := map[string]string{"trailing data": "data after the catalog", "huge price": "field price", "tiny price": "at most 10 decimal places",
		"negative price": "not negative", "ANSI escape": "field source: control characters"}
	for name, doc := range cases {
		if doc == string(data) {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		_, err := Parse([]byte(doc), "c.json")
		if err == nil || !strings.Contains(err.Error(), wants[name]) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !good.Future(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || good.Future(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("Future")
	}
}

// FuzzParse: any bytes either fail with an error or give a catalog that
// writes and reads back the same.
func FuzzParse(f *testing.F) {
	c, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	data, _ := c.JSON()
	f.Add(data)
	f.Add([]byte(`{"date":"2026-01-01","prices":[]}`))
	f.Add([]byte(`{"date":"2026-01-01","prices":[{"cloud":"x","region":"r","item":"i","unit":"u","price":"1e20","source":"s","date":"2026-01-01"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.json")
		if err != nil {
			return
		}
		out, err := c.JSON()
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(out, "again.json")
		if err != nil {
			t.Fatalf("a catalog that parsed does not parse once written: %v", err)
		}
		if len(again.Prices) != len(c.Prices) {
			t.Fatal("prices lost in the round trip")
		}
	})
}

// A price not read from its source for its region says so in basis, and
// Unverified lists exactly those; an unknown basis is an error.
func TestBasisAndUnverified(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	all, _ := cat.List("", "")
	un, err := cat.Unverified("", "")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range all {
		if p.Basis != "" {
			n++
		}
		if p.Basis == "" && strings.Contains(p.Note, "unverified") {
			t.Errorf("%s %s %s: its note says unverified, its basis nothing", p.Cloud, p.Region, p.Item)
		}
	}
	if n == 0 || len(un) != n {
		t.Fatalf("%d unverified listed, %d with a basis", len(un), n)
	}
	data := `{"date": "2026-11-01", "prices": [{"cloud": "aws", "region": "x", "item": "alb-hour", "unit": "hour", "price": "1", "source": "s", "date": "2026-11-01", "basis": "guess"}]}`
	if _, err := Parse([]byte(data), "bad.json"); err == nil || !strings.Contains(err.Error(), "field basis: want one of copy, recollection, unverified") {
		t.Fatalf("a bad basis: %v", err)
	}
}
