package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// twentyPlan plans the twenty services of planner/testdata on a cloud.
func twentyPlan(t *testing.T, cloud, region string) (*planner.Plan, *planner.Declaration) {
	t.Helper()
	data, err := os.ReadFile("../planner/testdata/twenty.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := planner.ParseRaw(data, "twenty.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d.Cloud, d.Region = cloud, region
	for i := range d.Services {
		d.Services[i].Labels = map[string]string{"team": map[string]string{"shop": "storefront", "iot": "devices", "play": "games"}[d.Services[i].Namespace]}
	}
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Compute(d, cat)
	if err != nil {
		t.Fatal(err)
	}
	return p, d
}

func labels(d *planner.Declaration) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, s := range d.Services {
		if s.Labels["team"] != "" {
			out[s.Key()] = s.Labels
		}
	}
	return out
}

// FOCUS rows: one per cost line and service, every column there, and the
// billed costs add up to the plan's total to the cent, on every cloud
// (GCP's and Azure's tiered rule charges split by the rules each service
// accounts for).
func TestFOCUSRowsAddUpToThePlan(t *testing.T) {
	for _, c := range [][2]string{{"aws", "us-east-1"}, {"gcp", "us-central1"}, {"azure", "eastus2"}, {"baremetal", ""}} {
		p, d := twentyPlan(t, c[0], c[1])
		var buf bytes.Buffer
		if err := FOCUS(&buf, p, FOCUSOptions{Period: "2026-12", Labels: labels(d)}); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(recs[0], ",") != strings.Join(FOCUSColumns, ",") || len(recs) < 2 {
			t.Fatalf("%s: header %v, %d rows", c[0], recs[0], len(recs))
		}
		col := map[string]int{}
		for i, name := range recs[0] {
			col[name] = i
		}
		var total money.Cents
		for _, r := range recs[1:] {
			v, err := money.ParsePrice(r[col["BilledCost"]])
			if err != nil {
				t.Fatal(err)
			}
			total += money.Round(v)
			if r[col["ChargePeriodStart"]] != "2026-12-01T00:00:00Z" || r[col["ChargePeriodEnd"]] != "2027-01-01T00:00:00Z" || r[col["BillingCurrency"]] != "USD" ||
				r[col["x_Namespace"]] == "" || r[col["x_AllocationBasis"]] == "" || r[col["SkuId"]] == "" || r[col["ProviderName"]] == "" {
				t.Fatalf("%s: row %v", c[0], r)
			}
			var tags map[string]string
			if err := json.Unmarshal([]byte(r[col["Tags"]]), &tags); err != nil {
				t.Fatalf("%s: tags %q: %v", c[0], r[col["Tags"]], err)
			}
			if r[col["x_Namespace"]] == "shop" && tags["team"] != "storefront" {
				t.Fatalf("%s: tags %v", c[0], tags)
			}
		}
		if total != p.Totals.MonthlyCost {
			t.Errorf("%s: rows add to %s, the plan to %s", c[0], total.Dollars(), p.Totals.MonthlyCost.Dollars())
		}
	}
	if _, _, err := chargePeriod("2026-13", ""); err == nil {
		t.Fatal("a bad period accepted")
	}
}

// Showback rolls the same money up by namespace or by a label, and adds up to the plan.
func TestShowback(t *testing.T) {
	p, d := twentyPlan(t, "aws", "us-east-1")
	for _, by := range []string{"namespace", "label=team"} {
		var buf bytes.Buffer
		if err := Showback(&buf, p, by, labels(d)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.Contains(out, "TOTAL") || !strings.Contains(out, p.Totals.MonthlyCost.Dollars()) {
			t.Fatalf("%s:\n%s", by, out)
		}
		if by == "label=team" && (!strings.Contains(out, "storefront") || !strings.Contains(out, "(none)")) {
			t.Fatalf("by team:\n%s", out)
		}
	}
	if err := Showback(&bytes.Buffer{}, p, "team", nil); err == nil {
		t.Fatal("a bad --showback accepted")
	}
}

func TestMarkdown(t *testing.T) {
	p, _ := twentyPlan(t, "aws", "us-east-1")
	var buf bytes.Buffer
	if err := Markdown(&buf, p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"# lbplanner plan: aws us-east-1", "| **Plan** | **" + p.Totals.MonthlyCost.Dollars() + "** |", "```mermaid\nflowchart LR\n",
		`internet((internet clients))`, "| shop/web | Ingress |", "### alb-internet-1 (alb, alb, internet-facing)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	for _, lb := range p.LoadBalancers {
		if !strings.Contains(out, `subgraph lb_`+mermaidID.ReplaceAllString(lb.ID, "_")+`["`+lb.ID) {
			t.Errorf("no subgraph for %s", lb.ID)
		}
	}
	if rows := strings.Count(out, "\n| data/") + strings.Count(out, "\n| iot/") + strings.Count(out, "\n| ops/") + strings.Count(out, "\n| play/") +
		strings.Count(out, "\n| shop/") + strings.Count(out, "\n| www/"); rows != 20 {
		t.Errorf("%d service rows, want 20", rows)
	}
	if cell("a|b\nc") != `a\|b c` {
		t.Error("cells are not escaped")
	}
}

// The HTML page is self-contained: nothing fetched, no script.
func TestHTMLIsSelfContained(t *testing.T) {
	p, d := twentyPlan(t, "aws", "us-east-1")
	var buf bytes.Buffer
	if err := HTML(&buf, p, labels(d)); err != nil {
		t.Fatal(err)
	}
	page := strings.ReplaceAll(buf.String(), `xmlns="http://www.w3.org/2000/svg"`, "")
	for _, bad := range []string{"<script", "<link", "src=", "http://", "https://", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("the page has %q", bad)
		}
	}
	for _, want := range []string{`<svg id="topology"`, `aria-label="Monthly cost per load balancer"`, `aria-label="Monthly cost per namespace"`, "alb-internet-1", "Assumptions and sources"} {
		if !strings.Contains(page, want) {
			t.Errorf("no %q", want)
		}
	}
}

// chromium runs headless Chromium on a page: its console messages and a screenshot.
func chromium(t *testing.T, page string) (string, string) {
	t.Helper()
	bin := os.Getenv("LBPLANNER_CHROMIUM")
	if bin == "" {
		bin, _ = exec.LookPath("chromium")
	}
	if bin == "" {
		t.Fatal("no Chromium: run the tests with make test (scripts/chromium.sh), or set LBPLANNER_CHROMIUM")
	}
	dir := t.TempDir()
	file, shot := filepath.Join(dir, "plan.html"), filepath.Join(dir, "shot.png")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0", "--window-size=1280,2400",
		"--screenshot="+shot, "file://"+file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("chromium: %v\n%s", err, stderr.String())
		}
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("chromium did not finish in 90 s")
	}
	return stderr.String(), shot
}

// consoleErrors are the page's console messages Chromium logged.
func consoleErrors(log string) []string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, "CONSOLE") || strings.Contains(l, "Uncaught") {
			out = append(out, l)
		}
	}
	return out
}

// In a real headless Chromium the page loads with no console message and
// its SVG is drawn: the screenshot holds the bar charts' blue and the load
// balancers' boxes. A page with a console error is caught, so the check can fail.
func TestHTMLInChromium(t *testing.T) {
	log, _ := chromium(t, `<!DOCTYPE html><html><body><script>console.error("planted")</script></body></html>`)
	if len(consoleErrors(log)) == 0 || !strings.Contains(log, "planted") {
		t.Fatalf("a planted console error went unseen:\n%s", log)
	}
	p, d := twentyPlan(t, "aws", "us-east-1")
	var buf bytes.Buffer
	if err := HTML(&buf, p, labels(d)); err != nil {
		t.Fatal(err)
	}
	log, shot := chromium(t, buf.String())
	if errs := consoleErrors(log); len(errs) > 0 {
		t.Fatalf("console messages: %v", errs)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bars, boxes := 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			switch [3]uint32{r >> 8, g >> 8, bl >> 8} {
			case [3]uint32{0x2f, 0x81, 0xf7}:
				bars++
			case [3]uint32{0xdd, 0xf4, 0xff}:
				boxes++
			}
		}
	}
	if bars < 500 || boxes < 2000 {
		t.Fatalf("the SVG is not drawn: %d bar pixels, %d load-balancer box pixels", bars, boxes)
	}
}
