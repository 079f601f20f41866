package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lbplanner/terraform-provider-lbplanner/discovery/discoverytest"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const shop = "../../examples/plans/shop.yaml"

func TestPlanJSONContract(t *testing.T) {
	code, out, stderr := runCLI(t, "", "plan", shop, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	svc := doc["services"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "namespace", "exposure", "loadBalancer", "path", "addedLatencyMs", "monthlyCost", "reason"} {
		if _, ok := svc[k]; !ok {
			t.Errorf("services[] lacks %q", k)
		}
	}
	lb := doc["loadBalancers"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "kind", "scheme", "services", "ruleOrder", "costs", "monthlyCost"} {
		if _, ok := lb[k]; !ok {
			t.Errorf("loadBalancers[] lacks %q", k)
		}
	}
	cost := lb["costs"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "quantity", "unit", "unitPrice", "monthlyCost", "source"} {
		if _, ok := cost[k]; !ok {
			t.Errorf("costs[] lacks %q", k)
		}
	}
	totals := doc["totals"].(map[string]any)
	for _, k := range []string{"monthlyCost", "baselineMonthlyCost", "currentMonthlyCost", "savingsVsBaseline", "savingsVsCurrent"} {
		if _, ok := totals[k]; !ok {
			t.Errorf("totals lacks %q", k)
		}
	}
	if !strings.Contains(out, `"monthlyCost": 34.53`) || !strings.Contains(out, `"catalogDate": "2026-11-22"`) {
		t.Fatalf("worked example's ALB ($34.53) or catalog date missing:\n%s", out)
	}
	if strings.Contains(out, `\u003e`) {
		t.Fatal("hop paths are HTML-escaped")
	}
	_, again, _ := runCLI(t, "", "plan", shop, "-o", "json")
	if again != out {
		t.Fatal("two runs give different bytes")
	}
}

func TestPlanTableAndStdin(t *testing.T) {
	data, _ := os.ReadFile(shop)
	code, out, stderr := runCLI(t, string(data), "plan", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"shop/storefront", "client -> ALB -> pod", "alb-internet-1", "ALB hours", "$16.43", "TOTAL          $67.95/month", "rule order (first match)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestOverridesFlagsEnvAndConfig(t *testing.T) {
	_, out, _ := runCLI(t, "", "plan", shop, "-o", "json", "--region", "eu-central-1", "--zones", "3", "--strategies", "nginx")
	if !strings.Contains(out, `"region": "eu-central-1"`) || !strings.Contains(out, `"zones": 3`) || strings.Contains(out, `"kind": "alb"`) || !strings.Contains(out, `"strategy": "proxy"`) {
		t.Fatalf("flags not applied:\n%s", out[:400])
	}
	t.Setenv("LBPLANNER_REGION", "ap-southeast-1")
	_, out, _ = runCLI(t, "", "plan", shop, "-o", "json")
	if !strings.Contains(out, `"region": "ap-southeast-1"`) {
		t.Fatal("LBPLANNER_REGION not applied")
	}
	cfg := filepath.Join(t.TempDir(), "lbplanner.yaml")
	os.WriteFile(cfg, []byte("region: eu-west-1\noutput: json\n"), 0o644)
	os.Unsetenv("LBPLANNER_REGION")
	_, out, _ = runCLI(t, "", "plan", shop, "--config", cfg)
	if !strings.Contains(out, `"region": "eu-west-1"`) {
		t.Fatalf("config file not applied:\n%.300s", out)
	}
}

func TestBadInputExitsNonZeroNamingFileServiceField(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("cloud: aws\nregion: us-east-1\nservices:\n  - name: web\n    protocol: HTTP\n    port: 99999\n    audience: internet\n"), 0o644)
	for _, cmd := range []string{"plan", "validate"} {
		code, out, stderr := runCLI(t, "", cmd, bad)
		if code == 0 || out != "" {
			t.Fatalf("%s: exit %d, stdout %q", cmd, code, out)
		}
		want := bad + `:6: service "default/web" (services[0]): field port: want 1 to 65535, got 99999`
		if !strings.Contains(stderr, want) {
			t.Fatalf("%s:\n got %s\nwant %s", cmd, stderr, want)
		}
	}
	code, _, stderr := runCLI(t, "", "plan", shop, "--region", "mars-1")
	if code == 0 || !strings.Contains(stderr, `unknown aws region "mars-1" (known: ap-northeast-1`) || !strings.Contains(stderr, shop) {
		t.Fatalf("unknown region: %d %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "", "plan", filepath.Join(dir, "missing.yaml"))
	if code == 0 || !strings.Contains(stderr, "missing.yaml") {
		t.Fatalf("missing file: %d %s", code, stderr)
	}
}

func TestValidateAndVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "validate", shop)
	if code != 0 || !strings.Contains(out, "valid (6 services, aws us-east-1)") {
		t.Fatalf("validate: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "version")
	if code != 0 || out != "lbplanner dev\n" {
		t.Fatalf("version: %q", out)
	}
}

func TestPricesAndCatalogFile(t *testing.T) {
	code, out, _ := runCLI(t, "", "prices", "--cloud", "aws", "--region", "eu-west-1")
	if code != 0 || !strings.Contains(out, "alb-hour") || !strings.Contains(out, "0.0252") || strings.Contains(out, "us-east-1") {
		t.Fatalf("prices: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "prices", "-o", "json", "--region", "us-east-1")
	if code != 0 || !strings.Contains(out, `"source": "aws.amazon.com/elasticloadbalancing/pricing (read 2026-09)"`) {
		t.Fatalf("prices json: %s", out)
	}
	// another catalog file: us-east-1 ALB hour doubled, and dated long ago
	data, _ := os.ReadFile("../../pricing/catalog.json")
	var cat map[string]any
	json.Unmarshal(data, &cat)
	cat["date"] = "2025-01-01"
	for _, p := range cat["prices"].([]any) {
		pm := p.(map[string]any)
		if pm["region"] == "us-east-1" && pm["item"] == "alb-hour" {
			pm["price"] = "0.045"
		}
	}
	custom := filepath.Join(t.TempDir(), "catalog.json")
	b, _ := json.Marshal(cat)
	os.WriteFile(custom, b, 0o644)
	code, out, stderr := runCLI(t, "", "plan", shop, "-o", "json", "--catalog", custom)
	if code != 0 || !strings.Contains(out, `"price": "0.045"`) || !strings.Contains(out, custom) {
		t.Fatalf("custom catalog not used: %d %s", code, stderr)
	}
	if !strings.Contains(stderr, "warning: price catalog") || !strings.Contains(stderr, "days old") {
		t.Fatalf("no staleness warning: %q", stderr)
	}
	_, _, stderr = runCLI(t, "", "plan", shop)
	if strings.Contains(stderr, "warning") {
		t.Fatalf("fresh embedded catalog warned: %s", stderr)
	}
}

func TestStaleWarningFollowsTheClock(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC) }
	_, _, stderr := runCLI(t, "", "prices")
	if !strings.Contains(stderr, "warning: price catalog embedded catalog is 191 days old") {
		t.Fatalf("got %q", stderr)
	}
	now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	if _, _, stderr := runCLI(t, "", "prices"); !strings.Contains(stderr, "is dated 2026-11-22, in the future") {
		t.Fatalf("a catalog from the future: %q", stderr)
	}
}

func TestOutFileIsWrittenWholeOrNotAtAll(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "plan.json")
	code, out, _ := runCLI(t, "", "plan", shop, "-o", "json", "--out", target)
	written, err := os.ReadFile(target)
	if code != 0 || out != "" || err != nil || !json.Valid(written) {
		t.Fatalf("--out: %d %v", code, err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("cloud: aws\n"), 0o644)
	other := filepath.Join(dir, "other.json")
	if code, _, _ := runCLI(t, "", "plan", bad, "--out", other); code == 0 {
		t.Fatal("bad input accepted")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "plan.json" && e.Name() != "bad.yaml" {
			t.Fatalf("left behind: %s", e.Name())
		}
	}
}

// The README's worked example is what `make demo` prints, and its comparison what --compare prints.
func TestReadmeExamplesAreCurrentOutput(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"plan", shop}, {"plan", shop, "--compare", "aws,gcp,azure"}} {
		_, out, _ := runCLI(t, "", args...)
		if !strings.Contains(string(readme), out) {
			t.Fatalf("README.md does not contain the current output of `lbplanner %s`:\n%s", strings.Join(args, " "), out)
		}
	}
}

func TestCompareFlag(t *testing.T) {
	code, out, stderr := runCLI(t, "", "plan", shop, "--compare", "aws,gcp,azure", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Clouds  []string                   `json:"clouds"`
		Plans   map[string]json.RawMessage `json:"plans"`
		Regions map[string]string          `json:"regions"`
		Summary []map[string]any           `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Plans) != 3 || doc.Plans["gcp"] == nil || doc.Plans["azure"] == nil || doc.Regions["azure"] != "eastus" || len(doc.Summary) != 3 {
		t.Fatalf("comparison JSON: %.500s", out)
	}
	code, out, _ = runCLI(t, "", "plan", shop, "--compare", "aws,gcp", "--compare-regions", "gcp=europe-west1")
	if code != 0 || !strings.Contains(out, "gcp    europe-west1") || !strings.Contains(out, "SERVICE           AWS") {
		t.Fatalf("comparison table:\n%s", out)
	}
	code, _, stderr = runCLI(t, "", "plan", shop, "--compare", "aws,oci")
	if code == 0 || !strings.Contains(stderr, `unknown cloud "oci"`) {
		t.Fatalf("unknown cloud: %d %s", code, stderr)
	}
}

// fakePriceList answers GetProducts (awsJson1_1) with one ALB price for us-east-1, or fails every call.
func fakePriceList(t *testing.T, fail bool) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if fail || r.Header.Get("X-Amz-Target") != "AWSPriceListService.GetProducts" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"__type":"ValidationException","message":"no"}`)
			return
		}
		var in struct{ ServiceCode string }
		json.NewDecoder(r.Body).Decode(&in)
		list := []string{}
		if in.ServiceCode == "AWSELB" {
			list = append(list, `{"product":{"sku":"ALB1","productFamily":"Load Balancer-Application","attributes":{"usagetype":"LoadBalancerUsage"}},`+
				`"terms":{"OnDemand":{"ALB1.T":{"priceDimensions":{"ALB1.T.D":{"unit":"Hrs","beginRange":"0","pricePerUnit":{"USD":"0.0300000000"}}}}}}}`)
		}
		json.NewEncoder(w).Encode(map[string]any{"FormatVersion": "aws_v1", "PriceList": list})
	}))
}

func awsTestEnv(t *testing.T, url string) {
	if url != "" {
		t.Setenv("AWS_ENDPOINT_URL_PRICING", url)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
}

func TestPricesRefreshFromThePriceListAPI(t *testing.T) {
	ts := fakePriceList(t, false)
	defer ts.Close()
	awsTestEnv(t, ts.URL)
	out := filepath.Join(t.TempDir(), "live.json")
	code, _, stderr := runCLI(t, "", "prices", "refresh", "--region", "us-east-1", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "1 prices refreshed") || !strings.Contains(stderr, "kept the last good price: us-east-1 alb-lcu-hour") {
		t.Fatalf("stderr: %s", stderr)
	}
	code, got, _ := runCLI(t, "", "prices", "--catalog", out, "--region", "us-east-1", "-o", "json")
	if code != 0 || !strings.Contains(got, `"price": "0.03"`) || !strings.Contains(got, "AWS Price List API, AWSELB SKU ALB1") {
		t.Fatalf("refreshed catalog: %.600s", got)
	}
	// the refreshed catalog plans, with the live ALB hour among its sources
	_, plan, _ := runCLI(t, "", "plan", shop, "--catalog", out, "-o", "json")
	var doc struct {
		Pricing struct {
			Sources []struct{ Item, Price, Source string }
		}
	}
	if err := json.Unmarshal([]byte(plan), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, src := range doc.Pricing.Sources {
		found = found || (src.Item == "alb-hour" && src.Price == "0.03" && strings.Contains(src.Source, "SKU ALB1"))
	}
	if !found {
		t.Fatalf("plan with the refreshed catalog does not use the live ALB hour: %+v", doc.Pricing.Sources)
	}
}

func TestPricesRefreshFailureWritesNothing(t *testing.T) {
	ts := fakePriceList(t, true)
	defer ts.Close()
	awsTestEnv(t, ts.URL)
	dir := t.TempDir()
	out := filepath.Join(dir, "live.json")
	code, _, stderr := runCLI(t, "", "prices", "refresh", "--region", "us-east-1", "--out", out)
	if code == 0 || !strings.Contains(stderr, "no price could be read") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
	if code, _, stderr := runCLI(t, "", "prices", "refresh"); code == 0 || !strings.Contains(stderr, "--out") {
		t.Fatalf("no --out: %d %s", code, stderr)
	}
}

func TestManifestsPlanImportValidate(t *testing.T) {
	const dir = "../../examples/manifests"
	code, out, stderr := runCLI(t, "", "plan", dir, "--region", "us-east-1", "-o", "json")
	if code != 0 {
		t.Fatalf("plan manifests: exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `"name": "frontend"`) || !strings.Contains(out, `"cloud": "aws"`) || !strings.Contains(out, `"currentMonthlyCost": `) {
		t.Fatalf("plan of manifests: %.400s", out)
	}
	code, decl, stderr := runCLI(t, "", "import", dir, "--region", "us-east-1")
	if code != 0 || !strings.HasPrefix(decl, "# lbplanner declaration read from ../../examples/manifests\ncloud: aws\nregion: us-east-1\n") {
		t.Fatalf("import: %d %s\n%s", code, stderr, decl)
	}
	// the imported declaration plans exactly as the manifests do
	code, fromDecl, _ := runCLI(t, decl, "plan", "-", "-o", "json")
	if code != 0 || fromDecl != out {
		t.Fatalf("imported declaration plans differently (exit %d)", code)
	}
	code, out, _ = runCLI(t, "", "validate", dir+"/boutique.yaml", "--region", "us-east-1")
	if code != 0 || !strings.Contains(out, "valid (8 services, aws us-east-1)") {
		t.Fatalf("validate manifests: %d %s", code, out)
	}
	// manifests say nothing of the region: an error that says what to pass
	code, _, stderr = runCLI(t, "", "plan", dir)
	if code == 0 || !strings.Contains(stderr, "pass --region") {
		t.Fatalf("no region: %d %s", code, stderr)
	}
	// the same manifests planned on GCP, as asked
	code, out, stderr = runCLI(t, "", "plan", dir, "--cloud", "gcp", "--region", "us-central1")
	if code != 0 || !strings.Contains(out, "gcp us-central1") {
		t.Fatalf("manifests on gcp: %d %s", code, stderr)
	}
}

func TestDiscoverAndPlanWithDiscovery(t *testing.T) {
	ts := httptest.NewServer(discoverytest.NewServer(discoverytest.Fleet()))
	defer ts.Close()
	awsTestEnv(t, "")
	t.Setenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", ts.URL)
	code, out, stderr := runCLI(t, "", "discover", "--region", "us-east-1", "--cluster", "prod")
	if code != 0 {
		t.Fatalf("discover: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"k8s-shop-checkout", "Service shop/checkout", "IngressGroup web", "$23.73", "5 load balancers in us-east-1, at least $115.00/month before usage"} {
		if !strings.Contains(out, want) {
			t.Fatalf("discover output lacks %q:\n%s", want, out)
		}
	}
	// a plan whose checkout service has an NLB of its own today, and an orphan the plan does not declare
	decl := "cloud: aws\nregion: us-east-1\nservices:\n  - {name: checkout, namespace: shop, protocol: HTTPS, port: 443, audience: internet}\n" +
		"  - {name: cart, namespace: shop, protocol: HTTPS, port: 443, audience: internet}\n"
	code, out, stderr = runCLI(t, decl, "plan", "-", "--discover", "--cluster", "prod", "-o", "json")
	if code != 0 {
		t.Fatalf("plan --discover: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "load balancer k8s-old-forgotten (nlb) serves Service old/forgotten, which the plan does not declare: at least $23.73/month") {
		t.Fatalf("no orphan warning: %s", stderr)
	}
	var doc struct {
		Totals struct{ CurrentMonthlyCost *float64 }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Totals.CurrentMonthlyCost == nil {
		t.Fatalf("discovered exposure not in the totals: %v %.300s", err, out)
	}
	if code, _, stderr := runCLI(t, "", "discover"); code == 0 || !strings.Contains(stderr, "--region") {
		t.Fatalf("discover without a region: %d %s", code, stderr)
	}
}

func TestDiscoverGCPForwardingRules(t *testing.T) {
	ts := httptest.NewServer(discoverytest.NewGCPServer("proj", map[string]int{"global": 1, "regions/us-central1": 6}))
	defer ts.Close()
	t.Setenv("LBPLANNER_GCP_ENDPOINT", ts.URL)
	code, out, stderr := runCLI(t, "", "discover", "--cloud", "gcp", "--project", "proj", "--region", "us-central1")
	if code != 0 || !strings.Contains(out, "project proj: 1 global and 6 us-central1 forwarding rules") {
		t.Fatalf("discover gcp: %d %s %s", code, out, stderr)
	}
	// one UDP service, its regional rule the 7th in the region: $7.30; without discovery the flat $18.25
	decl := "cloud: gcp\nregion: us-central1\nservices:\n  - {name: dns, protocol: UDP, port: 53, audience: internet}\n"
	_, plain, _ := runCLI(t, decl, "plan", "-")
	code, found, stderr := runCLI(t, decl, "plan", "-", "--discover", "--project", "proj")
	if code != 0 || !strings.Contains(stderr, "project proj has 1 global and 6 us-central1 forwarding rules") {
		t.Fatalf("plan --discover on gcp: %d %s", code, stderr)
	}
	if !strings.Contains(plain, "TOTAL          $18.25/month") || !strings.Contains(found, "TOTAL          $7.30/month") {
		t.Fatalf("totals:\n%s\n%s", plain, found)
	}
	if code, _, stderr := runCLI(t, decl, "plan", "-", "--discover"); code == 0 || !strings.Contains(stderr, "--project") {
		t.Fatalf("no project: %d %s", code, stderr)
	}
}

// --out writes only a new path or a regular file, keeping its mode; anything
// else at the path is refused and left as it was.
func TestOutRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	kept := filepath.Join(dir, "kept.json")
	os.WriteFile(kept, []byte("{}"), 0o644)
	if code, _, stderr := runCLI(t, "", "plan", shop, "-o", "json", "--out", kept); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if info, _ := os.Stat(kept); info.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, want 0644 kept", info.Mode().Perm())
	}
	link := filepath.Join(dir, "link.json")
	os.Symlink(kept, link)
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{link, fifo, dir, "/dev/null"} {
		code, _, stderr := runCLI(t, "", "plan", shop, "--out", path)
		if code == 0 || !strings.Contains(stderr, "refusing to replace it") {
			t.Errorf("--out %s: exit %d: %s", path, code, stderr)
		}
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced")
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Error("the FIFO was replaced")
	}
	if info, err := os.Stat("/dev/null"); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		t.Error("/dev/null is no longer a device")
	}
}

// A command stopped (SIGTERM) between writing its output and renaming it
// into place leaves no temporary file behind.
func TestSignalRemovesTemporaryFile(t *testing.T) {
	if dir := os.Getenv("LBPLANNER_TEST_SIGNAL_DIR"); dir != "" {
		beforeRename = func() {
			fmt.Println("ready")
			time.Sleep(time.Minute)
		}
		os.Exit(run([]string{"plan", shop, "--out", filepath.Join(dir, "plan.txt")}, strings.NewReader(""), os.Stdout, os.Stderr))
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestSignalRemovesTemporaryFile$")
	cmd.Env = append(os.Environ(), "LBPLANNER_TEST_SIGNAL_DIR="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(stdout, buf); err != nil || string(buf) != "ready" {
		t.Fatalf("child: %q %v", buf, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("want the temporary file while writing, got %v", entries)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 143 {
		t.Fatalf("exit: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

// An endpoint that never answers is given up on after --timeout.
func TestTimeoutOnAnEndpointThatNeverAnswers(t *testing.T) {
	stop := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer ts.Close()
	defer close(stop)
	awsTestEnv(t, ts.URL)
	t.Setenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", ts.URL)
	out := filepath.Join(t.TempDir(), "catalog.json")
	for _, args := range [][]string{
		{"prices", "refresh", "--out", out, "--region", "us-east-1", "--timeout", "1s"},
		{"discover", "--region", "us-east-1", "--timeout", "1s"},
	} {
		start := time.Now()
		code, _, stderr := runCLI(t, "", args...)
		if took := time.Since(start); code == 0 || took > 20*time.Second {
			t.Errorf("%v: exit %d after %v: %s", args, code, took, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a catalog was written")
	}
}

// A FIFO or a device is refused at once, never read forever.
func TestInputsAreRegularFilesOnly(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"plan", "/dev/zero"}, {"plan", fifo}, {"validate", dir}, {"plan", shop, "--traffic", "/dev/zero"}} {
		if code, _, stderr := runCLI(t, "", args...); code == 0 || !strings.Contains(stderr, "not a regular file") {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
	t.Setenv("LBPLANNER_CATALOG", "/dev/zero")
	if code, _, stderr := runCLI(t, "", "prices"); code == 0 || !strings.Contains(stderr, "not a regular file") {
		t.Errorf("LBPLANNER_CATALOG=/dev/zero: exit %d: %s", code, stderr)
	}
}

// validate rejects what plan rejects: a pin no exposure can satisfy.
func TestValidateRejectsWhatPlanRejects(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pin.yaml")
	os.WriteFile(file, []byte("cloud: aws\nregion: us-east-1\nservices:\n  - {name: dns, protocol: UDP, port: 53, audience: internet, pin: Ingress}\n"), 0o644)
	_, _, planErr := runCLI(t, "", "plan", file)
	code, _, stderr := runCLI(t, "", "validate", file)
	if code == 0 || stderr != planErr || !strings.Contains(stderr, "field pin") {
		t.Fatalf("validate exit %d: %q; plan: %q", code, stderr, planErr)
	}
}

// Settings are checked wherever they come from, and the error names the place.
func TestSettingsAreCheckedAndBlamedOnTheirSource(t *testing.T) {
	dir := t.TempDir()
	n := 0
	cfg := func(body string) string {
		n++
		p := filepath.Join(dir, fmt.Sprintf("cfg%d.yaml", n))
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	cases := []struct {
		env  string
		args []string
		want string
	}{
		{"", []string{"--config", cfg("zones: abc\n")}, `cfg1.yaml: zones: "abc" is not a valid int`},
		{"", []string{"--config", cfg("zones: 2.9\n")}, `zones: "2.9" is not a valid int`},
		{"", []string{"--config", cfg("zonez: 3\n")}, "unknown setting zonez"},
		{"abc", nil, `LBPLANNER_ZONES: "abc" is not a valid int`},
		{"", []string{"--zones", "abc"}, `invalid argument "abc" for "--zones"`},
		{"", []string{"--config", cfg("replace-proxies: maybe\n")}, `replace-proxies: "maybe" is not a valid bool`},
	}
	for _, c := range cases {
		if c.env != "" {
			t.Setenv("LBPLANNER_ZONES", c.env)
		}
		code, _, stderr := runCLI(t, "", append([]string{"plan", shop}, c.args...)...)
		if code == 0 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "shop.yaml") {
			t.Errorf("%v %s: exit %d: %s", c.args, c.env, code, stderr)
		}
		os.Unsetenv("LBPLANNER_ZONES")
	}
}

// FuzzSettings: any config file either fails with an error naming it or is
// used; never a panic.
func FuzzSettings(f *testing.F) {
	for _, seed := range []string{"region: us-east-1\nzones: 3\n", "zones: abc\n", "output: json\nstrategies: [alb]\n", "zonez: 1\n", "timeout: 5s\n", "{", ""} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body string) {
		cfg := filepath.Join(dir, "lbplanner.yaml")
		if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI(t, "", "validate", shop, "--config", cfg)
		if code != 0 && !strings.Contains(stderr, "lbplanner:") {
			t.Fatalf("exit %d without a message: %q", code, stderr)
		}
	})
}

// The README's speed figures are those of the committed bench.txt, which
// `make bench` writes: a stale figure (or a bench.txt not run again after a
// change of speed) fails here, within a third either way.
func TestReadmeSpeedFigures(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	bench, err := os.ReadFile("../../bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	nsPerOp := func(name string) float64 {
		m := regexp.MustCompile(`(?m)^` + name + `-\d+\s+\d+\s+(\d+) ns/op`).FindSubmatch(bench)
		if m == nil {
			t.Fatalf("bench.txt has no %s", name)
		}
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		return v / 1e9
	}
	ws := func(s string) *regexp.Regexp { return regexp.MustCompile(strings.ReplaceAll(s, " ", `\s+`)) }
	m := ws(`1,000 services in about (\d+) ms, 10,000 in about ([\d.]+) s, 100,000 in about ([\d.]+) s`).FindSubmatch(readme)
	p := ws(`with 1,000 services through the provider server \(validation included\) takes about ([\d.]+) s, and .terraform plan. of 1,000 services through the built provider about ([\d.]+) s, of 5,000 about ([\d.]+) s`).FindSubmatch(readme)
	n := ws(`(?s)nested prefixes .*? plans in about ([\d.]+) s \(.BenchmarkPlanNestedPaths.\)`).FindSubmatch(readme)
	e := ws(`takes about ([\d.]+) s and ([\d]+) MB of memory at peak from a JSON file, about ([\d.]+) s and ([\d]+) MB from YAML, and .lbplanner validate FILE. on the JSON file about ([\d.]+) s and ([\d]+) MB`).FindSubmatch(readme)
	if m == nil || p == nil || e == nil || n == nil {
		t.Fatal("the README's speed sentences changed: update this test")
	}
	figure := func(b []byte, scale float64) float64 {
		v, _ := strconv.ParseFloat(string(b), 64)
		return v * scale
	}
	for _, c := range []struct {
		bench  string
		readme float64
	}{
		{"BenchmarkPlan1k", figure(m[1], 1e-3)}, {"BenchmarkPlan10k", figure(m[2], 1)}, {"BenchmarkPlan100k", figure(m[3], 1)},
		{"BenchmarkReadPlan1k", figure(p[1], 1)}, {"BenchmarkTerraformPlan1k", figure(p[2], 1)}, {"BenchmarkTerraformPlan5k", figure(p[3], 1)},
		{"BenchmarkPlanNestedPaths", figure(n[1], 1)},
		{"BenchmarkCLIPlan100kJSON", figure(e[1], 1)}, {"BenchmarkCLIPlan100kYAML", figure(e[3], 1)}, {"BenchmarkCLIValidate100kJSON", figure(e[5], 1)},
	} {
		got := nsPerOp(c.bench)
		if ratio := c.readme / got; ratio < 0.67 || ratio > 1.5 {
			t.Errorf("README says %.3g s for %s, bench.txt %.3g s: run make bench and update the README", c.readme, c.bench, got)
		}
	}
	for _, c := range []struct {
		bench  string
		readme float64
	}{{"BenchmarkCLIPlan100kJSON", figure(e[2], 1)}, {"BenchmarkCLIPlan100kYAML", figure(e[4], 1)}, {"BenchmarkCLIValidate100kJSON", figure(e[6], 1)}} {
		m := regexp.MustCompile(`(?m)^` + c.bench + `-\d+\s+\d+\s+\d+ ns/op\s+([\d.]+) peak-MB`).FindSubmatch(bench)
		if m == nil {
			t.Fatalf("bench.txt has no peak memory for %s", c.bench)
		}
		if got := figure(m[1], 1); c.readme/got < 0.8 || c.readme/got > 1.25 {
			t.Errorf("README says %.0f MB for %s, bench.txt %.0f MB: run make bench and update the README", c.readme, c.bench, got)
		}
	}
}

// A plan's warnings go to standard error (the retired ingress-nginx behind
// the nginx alias), and bare metal validates without a catalog region.
func TestPlanWarningsAndBareMetal(t *testing.T) {
	code, out, stderr := runCLI(t, "", "plan", shop, "--strategies", "nginx")
	if code != 0 || !strings.Contains(stderr, "lbplanner: warning: ingress-nginx is retired") || strings.Contains(out, "retired") {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	code, out, stderr = runCLI(t, "", "validate", "../../examples/plans/baremetal.yaml")
	if code != 0 || !strings.Contains(out, "valid (7 services, baremetal on-premises)") {
		t.Fatalf("validate bare metal: %d %q %q", code, out, stderr)
	}
	code, out, _ = runCLI(t, "", "plan", "../../examples/plans/baremetal.yaml")
	if code != 0 || !strings.Contains(out, "TOTAL          $11.11/month") || !strings.Contains(out, "lbplanner plan: baremetal on-premises, 730 hours/month") {
		t.Fatalf("plan bare metal: %d\n%s", code, out)
	}
}

// diff plans two versions with the same settings; --fail-over exits 3 when
// the increase is over it, and markdown is a pull-request comment.
func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	head := filepath.Join(dir, "head.yaml")
	data, err := os.ReadFile(shop)
	if err != nil {
		t.Fatal(err)
	}
	// no sharing in head: the three shop services get an NLB each ($67.95 -> $112.71)
	if err := os.WriteFile(head, []byte(strings.Replace(string(data), "strategies: [alb, proxy]", "strategies: []", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "diff", shop, head, "--fail-over", "10%")
	if code != 3 || !strings.Contains(out, "lbplanner diff: $67.95/month -> $112.71/month: +$44.76 (+65.87%)") || !strings.Contains(stderr, "over the 10.00% allowed") {
		t.Fatalf("code %d\n%s\n%s", code, out, stderr)
	}
	if code, out, _ = runCLI(t, "", "diff", shop, head, "-o", "markdown", "--fail-over", "50"); code != 0 ||
		!strings.Contains(out, "| **Delta** | **+$44.76** |") || !strings.Contains(out, "| alb-internet-1 | alb | removed |") {
		t.Fatalf("markdown: %d\n%s", code, out)
	}
	if code, out, _ = runCLI(t, "", "diff", head, shop, "-o", "json", "--fail-over", "0"); code != 0 || !strings.Contains(out, `"monthlyDelta": -44.76,`) {
		t.Fatalf("a saving passes any gate: %d\n%s", code, out)
	}
	if code, _, stderr = runCLI(t, "", "diff", shop, head, "--fail-over", "lots"); code != 1 || !strings.Contains(stderr, "--fail-over") {
		t.Fatalf("bad --fail-over: %d %s", code, stderr)
	}
	// two manifest folders, planned with the same settings: the aws-l4 cluster
	// with its three NLBs ($84.77) against a copy whose dns Service is gone ($60.60)
	l4 := "../../manifests/testdata/clusters/aws-l4"
	smaller := filepath.Join(dir, "l4")
	if err := os.MkdirAll(smaller, 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(l4, "*.yaml"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		docs := strings.Split(string(data), "\n---\n")
		var kept []string
		for _, doc := range docs {
			if !strings.Contains(doc, "name: dns") {
				kept = append(kept, doc)
			}
		}
		os.WriteFile(filepath.Join(smaller, filepath.Base(f)), []byte(strings.Join(kept, "\n---\n")), 0o644)
	}
	code, out, stderr = runCLI(t, "", "diff", l4, smaller, "--region", "us-east-1", "--fail-over", "0")
	if code != 0 || !strings.Contains(out, "lbplanner diff: $84.77/month -> $60.60/month: -$24.17") || !strings.Contains(out, "removed") {
		t.Fatalf("manifest folders: %d %s\n%s", code, stderr, out)
	}
}

// The plan's other formats: FOCUS CSV, Markdown, HTML, and showback.
func TestPlanReportFormats(t *testing.T) {
	for format, want := range map[string]string{"csv": "BillingCurrency,BilledCost,", "markdown": "```mermaid\nflowchart LR", "html": "<svg id=\"topology\""} {
		if code, out, stderr := runCLI(t, "", "plan", shop, "-o", format); code != 0 || !strings.Contains(out, want) {
			t.Errorf("-o %s: %d %q\n%s", format, code, stderr, out)
		}
	}
	if code, out, _ := runCLI(t, "", "plan", shop, "--showback", "label=team"); code != 0 || !strings.Contains(out, "payments") || !strings.Contains(out, "TOTAL                                $67.95") {
		t.Errorf("showback: %d\n%s", code, out)
	}
	if code, _, stderr := runCLI(t, "", "plan", shop, "-o", "pdf"); code != 1 || !strings.Contains(stderr, "want one of table, json, markdown, csv, html") {
		t.Errorf("-o pdf: %d %s", code, stderr)
	}
}

func TestScaleTraffic(t *testing.T) {
	code, out, stderr := runCLI(t, "", "plan", shop, "--scale-traffic", "0.5,2,10")
	if code != 0 || !strings.Contains(out, "TRAFFIC x  MONTHLY") || !strings.Contains(out, "break-even") || !strings.Contains(out, "alb-internet-1  13.243     nlb") {
		t.Fatalf("%d %s\n%s", code, stderr, out)
	}
	if code, out, _ = runCLI(t, "", "plan", shop, "--scale-traffic", "2", "-o", "json"); code != 0 || !strings.Contains(out, `"breakEven": [`) {
		t.Fatalf("json: %d\n%s", code, out)
	}
}

// prices refresh --cloud azure reads a local stand-in of the Retail Prices
// API (LBPLANNER_AZURE_PRICES_ENDPOINT) and writes a catalog plan then uses.
func TestRefreshAzurePrices(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		items := "[]"
		if strings.Contains(r.URL.Query().Get("$filter"), "'Load Balancer'") {
			items = `[{"currencyCode": "USD", "tierMinimumUnits": 0, "unitPrice": 0.03, "armRegionName": "Global", "meterId": "lb-1",
			"meterName": "Standard Included LB Rules and Outbound Rules", "productName": "Load Balancer", "skuName": "Standard",
			"serviceName": "Load Balancer", "unitOfMeasure": "1 Hour", "type": "Consumption"}]`
		}
		fmt.Fprintf(w, `{"BillingCurrency": "USD", "Items": %s, "NextPageLink": null}`, items)
	}))
	defer srv.Close()
	t.Setenv("LBPLANNER_AZURE_PRICES_ENDPOINT", srv.URL)
	out := filepath.Join(t.TempDir(), "catalog.json")
	code, _, stderr := runCLI(t, "", "prices", "refresh", "--cloud", "azure", "--region", "eastus", "--out", out)
	if code != 0 || !strings.Contains(stderr, "1 prices refreshed") || !strings.Contains(stderr, "kept the last good price: eastus lb-rule-extra-hour") {
		t.Fatalf("refresh: %d %s", code, stderr)
	}
	code, got, stderr := runCLI(t, "", "plan", "../../examples/plans/azure.yaml", "--region", "eastus", "--catalog", out, "-o", "json")
	if code != 0 || !strings.Contains(got, `"source": "Azure Retail Prices API, meter lb-1 (Standard Included LB Rules and Outbound Rules, Load Balancer, Global)"`) {
		t.Fatalf("plan with the refreshed catalog: %d %s\n%.2000s", code, stderr, got)
	}
}

func TestPricesUnverified(t *testing.T) {
	code, out, _ := runCLI(t, "", "prices", "--unverified", "--cloud", "gcp", "--region", "europe-west1")
	if code != 0 || !strings.Contains(out, "assumed equal to us-central1") || strings.Contains(out, "aws ") {
		t.Fatalf("%d\n%s", code, out)
	}
	// us-east-1's AWS load balancer prices are read from their source; the
	// cross-zone transfer rate is the one recollection left there
	code, out, _ = runCLI(t, "", "prices", "--unverified", "-o", "json", "--cloud", "aws", "--region", "us-east-1")
	if code != 0 || strings.Count(out, `"basis"`) != 1 || !strings.Contains(out, `"item": "inter-az-gb"`) {
		t.Fatalf("us-east-1's unverified AWS prices: %d\n%s", code, out)
	}
}

// prices refresh --cloud gcp reads a local stand-in of the Cloud Billing
// Catalog API (LBPLANNER_GCP_BILLING_ENDPOINT) and writes a catalog plan then uses.
func TestRefreshGCPPrices(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		skus := "[]"
		if strings.Contains(r.URL.Path, "E505-1604-58F8") {
			skus = `[{"skuId": "AAAA-BBBB-CCCC", "description": "Cloud Load Balancer Forwarding Rule Minimum for Iowa (us-central1)",
			"category": {"usageType": "OnDemand"}, "serviceRegions": ["us-central1"], "pricingInfo": [{"pricingExpression": {"usageUnit": "h",
			"tieredRates": [{"startUsageAmount": 0, "unitPrice": {"currencyCode": "USD", "units": "0", "nanos": 27000000}}]}}]}]`
		}
		fmt.Fprintf(w, `{"skus": %s}`, skus)
	}))
	defer srv.Close()
	t.Setenv("LBPLANNER_GCP_BILLING_ENDPOINT", srv.URL+"/")
	out := filepath.Join(t.TempDir(), "catalog.json")
	code, _, stderr := runCLI(t, "", "prices", "refresh", "--cloud", "gcp", "--region", "us-central1", "--out", out)
	if code != 0 || !strings.Contains(stderr, "1 prices refreshed") || !strings.Contains(stderr, "kept the last good price: us-central1 forwarding-rule-extra-hour") {
		t.Fatalf("refresh: %d %s", code, stderr)
	}
	code, got, stderr := runCLI(t, "", "plan", "../../examples/plans/gcp.yaml", "--region", "us-central1", "--catalog", out, "-o", "json")
	if code != 0 || !strings.Contains(got, "Cloud Billing Catalog API, services/E505-1604-58F8 SKU AAAA-BBBB-CCCC") {
		t.Fatalf("plan with the refreshed catalog: %d %s\n%.1500s", code, stderr, got)
	}
}

// --replace-proxies plans the services of today's proxies anew, off them
// (proxy.replaceToday): three services on one ingress-nginx pod today,
// $26.98, on Envoy Gateway's proxy, $32.88 (planner's
// TestReplaceTodayCostingMore by hand); without it, today's is kept.
func TestReplaceProxiesFlag(t *testing.T) {
	decl := "cloud: aws\nregion: us-east-1\nstrategies: [proxy]\nproxy: {implementation: ingress-nginx, replicas: 1}\nservices:\n"
	for _, n := range []string{"a", "b", "c"} {
		decl += "  - {name: " + n + ", namespace: shop, protocol: HTTP, port: 80, audience: internet, hosts: [" + n + ".example.com], current: Ingress, currentLoadBalancer: {kind: proxy, name: nginx}}\n"
	}
	file := filepath.Join(t.TempDir(), "d.yaml")
	if err := os.WriteFile(file, []byte(decl), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{{nil, `"monthlyCost": 26.98`}, {[]string{"--replace-proxies"}, `"monthlyCost": 32.88`}} {
		code, out, stderr := runCLI(t, "", append([]string{"plan", file, "-o", "json"}, c.args...)...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Fatalf("%v: exit %d, want %s: %s", c.args, code, c.want, stderr)
		}
	}
}
