package provider

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleShopPlansThroughDevOverrides runs `terraform plan` on
// examples/terraform/shop with the provider built from this tree and a
// dev_overrides CLI configuration (no init), and checks the output values.
func TestExampleShopPlansThroughDevOverrides(t *testing.T) {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make testacc does)")
	}
	work := devOverrides(t)
	src, err := os.ReadFile("../examples/terraform/shop/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work.dir, "main.tf"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte { return work.run(t, tf, args...) }
	run("plan", "-input=false", "-no-color", "-out=tfplan")
	var plan struct {
		PlannedValues struct {
			Outputs map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"outputs"`
		} `json:"planned_values"`
	}
	if err := json.Unmarshal(run("show", "-json", "tfplan"), &plan); err != nil {
		t.Fatal(err)
	}
	out := func(name string) string { return string(plan.PlannedValues.Outputs[name].Value) }
	// ALB 34.53 (16.43 + 10.80 + 7.30) + internal UDP NLB for statsd 16.98
	if got := out("monthly_cost"); got != "51.51" {
		t.Errorf("monthly_cost = %s, want 51.51", got)
	}
	// today: four LoadBalancer Services
	if got := out("savings_vs_current"); got != "44.76" {
		t.Errorf("savings_vs_current = %s, want 44.76", got)
	}
	if got := out("shared_alb_check"); got != "34.525" {
		t.Errorf("shared_alb_check = %s, want 34.525", got)
	}
	var exposures map[string]string
	if err := json.Unmarshal(plan.PlannedValues.Outputs["exposures"].Value, &exposures); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"shop/storefront": "Ingress alb-internet-1", "shop/checkout": "Ingress alb-internet-1", "shop/catalog-api": "Ingress alb-internet-1",
		"ops/statsd": "LoadBalancer nlb-ops-statsd", "shop/postgres": "ClusterIP -",
	}
	for k, v := range want {
		if exposures[k] != v {
			t.Errorf("exposures[%s] = %q, want %q", k, exposures[k], v)
		}
	}
}

// workspace is a Terraform working directory whose CLI configuration points
// lbplanner/lbplanner (on either registry) at a provider built from this tree.
type workspace struct {
	dir, rc string
}

// devOverrides builds the provider and writes the dev_overrides CLI configuration.
func devOverrides(tb testing.TB) workspace {
	tb.Helper()
	bin := tb.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-lbplanner"), "..")
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("build provider: %v\n%s", err, out)
	}
	w := workspace{dir: tb.TempDir()}
	w.rc = filepath.Join(w.dir, "dev.tfrc")
	cfg := `provider_installation {
  dev_overrides {
    "registry.terraform.io/lbplanner/lbplanner" = "` + bin + `"
    "registry.opentofu.org/lbplanner/lbplanner" = "` + bin + `"
  }
  direct {}
}
`
	if err := os.WriteFile(w.rc, []byte(cfg), 0o644); err != nil {
		tb.Fatal(err)
	}
	return w
}

// run runs terraform (or tofu) in the workspace and returns its standard output.
func (w workspace) run(tb testing.TB, tf string, args ...string) []byte {
	tb.Helper()
	cmd := exec.Command(tf, args...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+w.rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		tb.Fatalf("%s %s: %v\n%s\n%s", tf, strings.Join(args, " "), err, out, stderr)
	}
	return out
}

// The docs' for_each example works as written, from a clean directory: with
// one service's traffic unknown until apply, for_each over the declared keys
// plans (with the plan's values unknown), and after apply each resource holds
// its service's plan. (Run through the CLI: the test harness's state shim
// cannot read for_each instances with string keys.)
func TestDocsForEachWithUnknownValues(t *testing.T) {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make testacc does)")
	}
	work := devOverrides(t)
	config := `terraform {
  required_providers {
    lbplanner = { source = "lbplanner/lbplanner" }
  }
}
` + docSnippet(t, "index.md.tmpl", `resource "terraform_data" "service_type"`)
	if err := os.WriteFile(filepath.Join(work.dir, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	work.run(t, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions      []string        `json:"actions"`
				AfterUnknown json.RawMessage `json:"after_unknown"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(work.run(t, tf, "show", "-json", "tfplan"), &plan); err != nil {
		t.Fatal(err)
	}
	unknown := map[string]string{}
	for _, rc := range plan.ResourceChanges {
		unknown[rc.Address] = string(rc.Change.AfterUnknown)
	}
	for _, addr := range []string{`terraform_data.service_type["shop/web"]`, `terraform_data.service_type["shop/db"]`} {
		if !strings.Contains(unknown[addr], `"input":true`) {
			t.Errorf("%s: input not unknown at plan time: %s (all: %v)", addr, unknown[addr], unknown)
		}
	}
	work.run(t, tf, "apply", "-input=false", "-no-color", "-auto-approve", "tfplan")
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal(work.run(t, tf, "show", "-json"), &state); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, r := range state.Values.RootModule.Resources {
		got[r.Address] = r.Values["output"]
		if r.Address == "data.lbplanner_plan.shop" {
			got["monthly_cost"] = r.Values["monthly_cost"]
		}
	}
	// the one HTTPS service on an NLB of its own: 730 h x $0.0225 + 900 GB = 1.2329 GB/h = 1.2329 NLCU
	// x 730 h x $0.006 ($5.40) + 2 IPv4 x 730 h x $0.005 = $29.13 (on an ALB: $7.20 of LCU, $30.93)
	want := map[string]any{`terraform_data.service_type["shop/web"]`: "LoadBalancer", `terraform_data.service_type["shop/db"]`: "ClusterIP", "monthly_cost": 29.13}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	// with every input known at plan time, for_each over the plan's own map works too
	known := strings.Replace(config, "terraform_data.traffic.output", "900", 1) + `
resource "terraform_data" "by_plan" {
  for_each = data.lbplanner_plan.shop.service_plans
  input    = "${each.value.exposure} ${each.value.port}"
}
`
	if err := os.WriteFile(filepath.Join(work.dir, "main.tf"), []byte(known), 0o644); err != nil {
		t.Fatal(err)
	}
	out := string(work.run(t, tf, "plan", "-input=false", "-no-color"))
	for _, want := range []string{`terraform_data.by_plan["shop/web"] will be created`, `terraform_data.by_plan["shop/db"] will be created`, `"LoadBalancer 443"`, `"ClusterIP 5432"`} {
		if !strings.Contains(out, want) {
			t.Errorf("plan has no %s:\n%s", want, out)
		}
	}
}

// Every example the docs show (examples/provider, data-sources and
// functions, as tfplugindocs puts them on each page) plans as written from a
// clean directory, after the provider example's required_providers block.
func TestDocsExamplesPlan(t *testing.T) {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make testacc does)")
	}
	provider, err := os.ReadFile("../examples/provider/provider.tf")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../examples/data-sources/*/data-source.tf")
	fns, _ := filepath.Glob("../examples/functions/*/function.tf")
	files = append(files, fns...)
	if len(files) < 4 {
		t.Fatalf("found only %v", files)
	}
	work := devOverrides(t)
	for _, f := range files {
		example, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work.dir, "main.tf"), append(append(provider, '\n'), example...), 0o644); err != nil {
			t.Fatal(err)
		}
		out := string(work.run(t, tf, "plan", "-input=false", "-no-color"))
		if !strings.Contains(out, "Changes to Outputs") {
			t.Errorf("%s: plan shows no outputs:\n%s", f, out)
		}
	}
}
