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
