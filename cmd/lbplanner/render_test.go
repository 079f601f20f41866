package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const awsShop = "../../manifests/testdata/clusters/aws-shop"

// Overlapping paths on one host (/ and /checkout on shop.example.com): the
// busier / goes after /checkout, and the catch-all host last.
func TestPlanManifestsKeepsRoutingOrder(t *testing.T) {
	code, out, stderr := runCLI(t, "", "plan", awsShop, "--region", "us-east-1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"rule order (first match): shop/checkout, shop/storefront, content/blog, content/wiki, shop/docs, infra/legacy, public/account, public/api",
		"TOTAL          $86.16/month", "current        $189.39/month; savings $103.23",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "Service shop/ghost is not in the manifests (route skipped; --strict makes this an error)") {
		t.Errorf("stderr: %s", stderr)
	}
	if code, _, stderr := runCLI(t, "", "plan", awsShop, "--region", "us-east-1", "--strict"); code == 0 || !strings.Contains(stderr, "Ingress shop/old: field backend.service.name") {
		t.Errorf("--strict: exit %d: %s", code, stderr)
	}
}

// --traffic FILE supplies traffic by namespace/name: 730 GB a month more on
// the shared ALB is 1 LCU x 730 h x $0.008 = $5.84 more.
func TestPlanTrafficFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "traffic.yaml")
	if err := os.WriteFile(file, []byte("shop/docs: {gbPerMonth: 730}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "plan", awsShop, "--region", "us-east-1", "--traffic", file)
	if code != 0 || !strings.Contains(out, "TOTAL          $92.00/month") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	os.WriteFile(file, []byte("docs: {gbPerMonth: 1}\n"), 0o644)
	if code, _, stderr := runCLI(t, "", "plan", awsShop, "--region", "us-east-1", "--traffic", file); code == 0 || !strings.Contains(stderr, `key "docs": want namespace/name`) {
		t.Errorf("bad key: exit %d: %s", code, stderr)
	}
	os.WriteFile(file, []byte("shop/docs: {gigabytes: 1}\n"), 0o644)
	if code, _, stderr := runCLI(t, "", "plan", awsShop, "--region", "us-east-1", "--traffic", file); code == 0 || !strings.Contains(stderr, "gigabytes") {
		t.Errorf("unknown field: exit %d: %s", code, stderr)
	}
}

// render --out writes the changed files and the new objects; planning them
// (with the unchanged files) gives the same plan, and today costs what it costs.
func TestRenderOutAndDiff(t *testing.T) {
	work := t.TempDir()
	// a copy of the cluster, so that render's relative paths land under --out
	src := filepath.Join(work, "cluster")
	copyTree(t, awsShop, src)
	out := filepath.Join(work, "out")
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	if err := os.Chdir(work); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "", "render", "cluster", "--region", "us-east-1", "--out", "out")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "delete Service ingress-nginx/ingress-nginx-controller") {
		t.Errorf("stderr: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "lbplanner-new.yaml")); err != nil {
		t.Fatal(err)
	}
	// the rendered files replace their inputs (render keeps their paths under --out)
	copyTree(t, filepath.Join(out, "cluster"), src)
	newObjects, err := os.ReadFile(filepath.Join(out, "lbplanner-new.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "lbplanner-new.yaml"), newObjects, 0o644); err != nil {
		t.Fatal(err)
	}
	code, plan, stderr := runCLI(t, "", "plan", "cluster", "--region", "us-east-1")
	if code != 0 || !strings.Contains(plan, "TOTAL          $86.16/month") || !strings.Contains(plan, "current        $86.16/month; savings $0.00") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, plan)
	}
	code, diff, _ := runCLI(t, "", "render", "cluster", "--region", "us-east-1", "--diff")
	if code != 0 || diff != "" {
		t.Fatalf("rendering the rendered manifests: exit %d, diff\n%s", code, diff)
	}
}

func TestRenderDiffNamesFiles(t *testing.T) {
	code, out, stderr := runCLI(t, "", "render", awsShop, "--region", "us-east-1", "--diff")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"--- a/" + awsShop + "/l4.yaml", "-  type: LoadBalancer\n+  type: ClusterIP", "+++ b/lbplanner-new.yaml", "-  ingressClassName: nginx\n+  ingressClassName: alb"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// --traffic applies to declarations too, by namespace/name.
func TestTrafficFileOnADeclaration(t *testing.T) {
	file := filepath.Join(t.TempDir(), "traffic.yaml")
	os.WriteFile(file, []byte("nope/x: {gbPerMonth: 1}\n"), 0o644)
	if code, _, stderr := runCLI(t, "", "plan", shop, "--traffic", file); code == 0 || !strings.Contains(stderr, "--traffic: nope/x is not a declared service") {
		t.Errorf("unknown service: exit %d: %s", code, stderr)
	}
	// shop/storefront's traffic becomes 300 requests/s only: the shared ALB's LCU line is then billed on the
	// others' 1,900 active connections, 1,900/3,000 x 730 h = 462.33 LCU-hours x $0.008 = $3.70, so the ALB
	// is $16.43 + $3.70 + $7.30 = $27.43 and the plan $27.43 + $16.44 + $16.98 = $60.85
	os.WriteFile(file, []byte("shop/storefront: {requestsPerSecond: 300}\n"), 0o644)
	code, out, stderr := runCLI(t, "", "plan", shop, "--traffic", file)
	if code != 0 || !strings.Contains(out, "TOTAL          $60.85/month") {
		t.Errorf("exit %d: %s\n%s", code, stderr, out)
	}
}
