package provider

import (
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

var protoV6 = map[string]func() (tfprotov6.ProviderServer, error){
	"lbplanner": NewServer("test"),
}

// Terraform >= 1.8 is required for provider functions; the suite fails rather than skips below it.
var needTerraform18 = []tfversion.TerraformVersionCheck{tfversion.RequireAbove(tfversion.Version1_8_0)}

// svcPlan is the path of one attribute of a service's plan, by namespace/name.
func svcPlan(key, name string) tfjsonpath.Path {
	return tfjsonpath.New("service_plans").AtMapKey(key).AtMapKey(name)
}

// lbAttr is the path of one attribute of a load balancer, by ID.
func lbAttr(id, name string) tfjsonpath.Path {
	return tfjsonpath.New("load_balancers").AtMapKey(id).AtMapKey(name)
}

// numberText checks a number attribute by its exact decimal text.
func numberText(want string) knownvalue.Check {
	return knownvalue.NumberFunc(func(v *big.Float) error {
		if got := v.Text('f', -1); got != want {
			return fmt.Errorf("got %s, want %s", got, want)
		}
		return nil
	})
}

const shopConfig = `
data "lbplanner_plan" "shop" {
  cloud  = "aws"
  region = "us-east-1"
  strategies = ["alb"]
  include_plan_json = true
  services = {
    "shop/storefront" = {
      protocol = "HTTPS", port = 443, audience = "internet"
      hosts = ["shop.example.com"]
      traffic = { requests_per_second = 300, new_connections_per_second = 20, active_connections = 2500, gb_per_month = 900 }
      current = "LoadBalancer"
    },
    "shop/checkout" = {
      protocol = "HTTPS", port = 443, audience = "internet"
      hosts = ["pay.example.com"]
      traffic = { requests_per_second = 120, new_connections_per_second = 10, active_connections = 1500, gb_per_month = 300 }
      current = "LoadBalancer"
    },
    "shop/catalog" = {
      protocol = "GRPC", port = 8443, audience = "internet"
      hosts = ["api.example.com"]
      traffic = { requests_per_second = 200, new_connections_per_second = 5, active_connections = 400, gb_per_month = 150 }
    },
    "default/dns" = { protocol = "UDP", port = 53, audience = "internet", traffic = { new_connections_per_second = 1600 } },
    "default/vault" = { protocol = "TLS", port = 8200, audience = "vpc", needs = ["tlsPassthrough"] },
    "default/db" = { protocol = "TCP", port = 5432, audience = "cluster" },
  }
}
`

func TestAccPlanDataSource_everyExposureOnALB(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: shopConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("shop/storefront", "exposure"), knownvalue.StringExact("Ingress")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("shop/storefront", "load_balancer"), knownvalue.StringExact("alb-internet-1")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("shop/storefront", "service_type"), knownvalue.StringExact("ClusterIP")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("shop/storefront", "ingress_class_name"), knownvalue.StringExact("alb")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("shop/storefront", "annotations"), knownvalue.MapPartial(map[string]knownvalue.Check{
					"alb.ingress.kubernetes.io/group.name":  knownvalue.StringExact("alb-internet-1"),
					"alb.ingress.kubernetes.io/group.order": knownvalue.StringExact("1"),
					"alb.ingress.kubernetes.io/scheme":      knownvalue.StringExact("internet-facing"),
				})),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("shop/storefront", "hop_path"), knownvalue.StringExact("client -> ALB -> pod")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("shop/catalog", "annotations"), knownvalue.MapPartial(map[string]knownvalue.Check{
					"alb.ingress.kubernetes.io/backend-protocol-version": knownvalue.StringExact("GRPC"),
				})),
				// UDP: a LoadBalancer Service of its own, an NLB through the controller
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("default/dns", "exposure"), knownvalue.StringExact("LoadBalancer")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("default/dns", "namespace"), knownvalue.StringExact("default")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("default/dns", "service_type"), knownvalue.StringExact("LoadBalancer")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("default/dns", "annotations"), knownvalue.MapExact(map[string]knownvalue.Check{
					"service.beta.kubernetes.io/aws-load-balancer-type":            knownvalue.StringExact("external"),
					"service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": knownvalue.StringExact("ip"),
					"service.beta.kubernetes.io/aws-load-balancer-scheme":          knownvalue.StringExact("internet-facing"),
				})),
				// 16.425 hours + 2 NLCU x 730 x 0.006 (UDP: 1600/400... = 4 NLCU) -> see planner tests; here the sum matters
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("default/dns", "monthly_cost"), numberText("41.25")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("default/vault", "exposure"), knownvalue.StringExact("LoadBalancer")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("default/vault", "reason"), knownvalue.StringRegexp(regexp.MustCompile("^own NLB; not shared"))),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("default/db", "exposure"), knownvalue.StringExact("ClusterIP")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("default/db", "load_balancer"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", svcPlan("default/db", "monthly_cost"), numberText("0")),
				// the README's worked example: 16.43 + 10.80 + 7.30
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", lbAttr("alb-internet-1", "monthly_cost"), numberText("34.53")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", lbAttr("alb-internet-1", "rule_order"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("shop/storefront"), knownvalue.StringExact("shop/catalog"), knownvalue.StringExact("shop/checkout")})),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", lbAttr("alb-internet-1", "costs").AtSliceIndex(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"name":         knownvalue.StringExact("ALB LCU-hours (billed on processed bytes)"),
					"quantity":     numberText("1350"),
					"unit":         knownvalue.StringExact("LCU-hour"),
					"unit_price":   numberText("0.008"),
					"monthly_cost": numberText("10.8"),
					"source":       knownvalue.StringExact("aws.amazon.com/elasticloadbalancing/pricing (read 2026-09)"),
					"date":         knownvalue.StringExact("2026-09-01"),
				})),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", tfjsonpath.New("load_balancers"), knownvalue.MapSizeExact(3)),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", tfjsonpath.New("current_monthly_cost"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", tfjsonpath.New("optimality"), knownvalue.StringExact("exact")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", tfjsonpath.New("plan_json"), knownvalue.StringRegexp(regexp.MustCompile(`"monthlyCost": 34.53`))),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// the same configuration again: no changes
			Config:             shopConfig,
			ConfigPlanChecks:   resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ExpectNonEmptyPlan: false,
		}},
	})
}

func TestAccPlanDataSource_nginxNodePortAndClassic(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: `
data "lbplanner_plan" "p" {
  cloud      = "aws"
  region     = "eu-west-1"
  zones      = 3
  strategies = ["nginx"]
  allow_node_port = true
  proxy = { replicas = 3 }
  latency = { proxy_ms = 2 }
  services = {
    "default/a" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["a.example.com"], needs = ["staticIP"] },
    "default/b" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["b.example.com"], needs = ["staticIP"] },
    "default/metrics" = { protocol = "TCP", port = 9100, audience = "vpc" },
  }
}
data "lbplanner_plan" "istio" {
  cloud      = "aws"
  region     = "us-east-1"
  strategies = ["proxy"]
  proxy      = { implementation = "istio" }
  services = {
    "default/a" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["a.example.com"], needs = ["staticIP"] },
    "default/b" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["b.example.com"], needs = ["staticIP"] },
  }
}
data "lbplanner_plan" "metal" {
  cloud        = "baremetal"
  address_pool = { size = 2, monthly_cost_per_address = 5 }
  node_cost    = { vcpu_hour = 0.03, gib_hour = 0.004 }
  services = {
    "default/dns-tcp" = { protocol = "TCP", port = 53, audience = "internet" },
    "default/dns-udp" = { protocol = "UDP", port = 53, audience = "internet" },
    "default/game" = { protocol = "TCP", port = 7777, audience = "internet" },
    "default/web" = { protocol = "HTTPS", port = 443, audience = "internet", hosts = ["shop.example.com"] },
    "default/api" = { protocol = "HTTPS", port = 443, audience = "internet", hosts = ["api.example.com"] },
  }
}
data "lbplanner_plan" "needs" {
  cloud  = "gcp"
  region = "us-central1"
  services = {
    "default/dns" = { protocol = "UDP", port = 53, audience = "internet", needs = ["clientIP", "staticIP"], static_addresses = ["dns-address"] },
  }
}
data "lbplanner_plan" "chain" {
  cloud  = "aws"
  region = "us-east-1"
  mesh   = "istio"
  services = {
    "default/web" = { protocol = "HTTPS", port = 443, audience = "internet", calls = ["default/ledger"], latency_budget_ms = 5 },
    "default/ledger" = { protocol = "TCP", port = 5000, audience = "vpc" },
  }
}
data "lbplanner_plan" "zones" {
  cloud      = "aws"
  region     = "us-east-1"
  zones      = 3
  strategies = ["proxy"]
  cross_zone = { nlb = true }
  services = {
    "default/a" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["a.example.com"], traffic = { gb_per_month = 365 } },
    "default/b" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["b.example.com"], traffic = { gb_per_month = 365 } },
    "default/dns" = { protocol = "UDP", port = 53, audience = "internet" },
  }
}
data "lbplanner_plan" "ports" {
  cloud      = "aws"
  region     = "us-east-1"
  strategies = ["alb"]
  services = {"default/b" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["b.example.com"], cluster_ports = [9090], traffic = { gb_per_month = 100 } }}
}
data "lbplanner_plan" "classic" {
  cloud  = "aws"
  region = "us-east-1"
  aws_load_balancer_controller = false
  services = {"default/legacy" = { protocol = "HTTP", port = 80, audience = "internet", traffic = { gb_per_month = 100 } }}
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.p", svcPlan("default/a", "exposure"), knownvalue.StringExact("Ingress")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.p", svcPlan("default/a", "load_balancer"), knownvalue.StringExact("nginx")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.p", svcPlan("default/a", "hop_path"), knownvalue.StringExact("client -> NLB -> ingress pod -> pod")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.p", svcPlan("default/a", "added_latency_ms"), numberText("3")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.p", svcPlan("default/a", "ingress_class_name"), knownvalue.StringExact("nginx")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.p", svcPlan("default/metrics", "exposure"), knownvalue.StringExact("NodePort")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.p", svcPlan("default/metrics", "service_type"), knownvalue.StringExact("NodePort")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.p", lbAttr("nginx", "strategy"), knownvalue.StringExact("proxy")),
				// Istio's gateway pods: 2 x 0.1 vCPU x 730 h x $0.04048 = $5.91, 2 x 0.125 GiB x 730 h x $0.004445 = $0.81
				statecheck.ExpectKnownValue("data.lbplanner_plan.istio", svcPlan("default/a", "load_balancer"), knownvalue.StringExact("istio")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.istio", svcPlan("default/a", "gateway_class_name"), knownvalue.StringExact("istio")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.istio", svcPlan("default/a", "ingress_class_name"), knownvalue.Null()),
				// NLB $16.43 + NLCU $0.00 + IPv4 $7.30 + $5.91 + $0.81
				statecheck.ExpectKnownValue("data.lbplanner_plan.istio", tfjsonpath.New("monthly_cost"), numberText("30.45")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.needs", svcPlan("default/dns", "external_traffic_policy"), knownvalue.StringExact("Local")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.needs", svcPlan("default/dns", "annotations").AtMapKey("networking.gke.io/load-balancer-ip-addresses"), knownvalue.StringExact("dns-address")),
				// web's NLB and its sidecar 1.85 ms, then both sidecars and the ledger's internal NLB 2.7 ms
				statecheck.ExpectKnownValue("data.lbplanner_plan.chain", svcPlan("default/web", "chain_latency_ms"), numberText("4.55")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.chain", tfjsonpath.New("plan_json"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.lbplanner_plan.chain", svcPlan("default/web", "critical_chain"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("data.lbplanner_plan.chain", svcPlan("default/ledger", "critical_chain"), knownvalue.Null()),
				// bare metal: one shared address ($5), Envoy Gateway behind another ($5 + 146 vCPU-h x $0.03 + 730 GiB-h x $0.004)
				statecheck.ExpectKnownValue("data.lbplanner_plan.metal", tfjsonpath.New("monthly_cost"), numberText("17.3")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.metal", svcPlan("default/dns-udp", "load_balancer"), knownvalue.StringExact("shared-ip-internet-1")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.metal", svcPlan("default/dns-udp", "annotations").AtMapKey("metallb.universe.tf/allow-shared-ip"), knownvalue.StringExact("shared-ip-internet-1")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.p", lbAttr("nginx", "costs"), knownvalue.ListSizeExact(5)),
				// the NLB and the proxy both cross zones: 730 GB x 2 hops x 2/3 x 2 ways x $0.01 = $19.47
				statecheck.ExpectKnownValue("data.lbplanner_plan.zones", lbAttr("envoy", "costs").AtSliceIndex(5), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"name": knownvalue.StringExact("cross-zone data transfer (2 hops, 2/3 of the bytes each, billed each way)"), "monthly_cost": numberText("19.47")})),
				statecheck.ExpectKnownValue("data.lbplanner_plan.zones", svcPlan("default/dns", "annotations").AtMapKey("service.beta.kubernetes.io/aws-load-balancer-attributes"),
					knownvalue.StringExact("load_balancing.cross_zone.enabled=true")),
				// its metrics port kept from the internet: an ALB ($16.43 + 100 LCU-h x $0.008 + $7.30 = $24.53), not the NLB ($24.33)
				statecheck.ExpectKnownValue("data.lbplanner_plan.ports", svcPlan("default/b", "exposure"), knownvalue.StringExact("Ingress")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.ports", tfjsonpath.New("monthly_cost"), numberText("24.53")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.classic", svcPlan("default/legacy", "hop_path"), knownvalue.StringExact("client -> CLB -> node -> pod")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.classic", lbAttr("clb-default-legacy", "kind"), knownvalue.StringExact("clb")),
				// 730 x 0.025 + 100 x 0.008 + 2 x 730 x 0.005
				statecheck.ExpectKnownValue("data.lbplanner_plan.classic", tfjsonpath.New("monthly_cost"), numberText("26.35")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.classic", tfjsonpath.New("current_monthly_cost"), knownvalue.Null()),
			},
		}},
	})
}

func TestAccPlanDataSource_unknownInputsGiveUnknownOutputs(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "region" {
  input = "us-east-1"
}
data "lbplanner_plan" "p" {
  cloud  = "aws"
  region = terraform_data.region.output
  services = {"default/web" = { protocol = "HTTP", port = 80, audience = "internet" }}
}
output "cost" {
  value = data.lbplanner_plan.p.monthly_cost
}`,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownOutputValue("cost"),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("cost", numberText("23.73")),
			},
		}},
	})
}

func TestAccPlanDataSource_invalidInputs(t *testing.T) {
	cases := []struct {
		name, services string
		want           string
	}{
		{"protocol", `{ "default/web" = { protocol = "HTTX", port = 80, audience = "internet" } }`,
			`(?s)Invalid\s+lbplanner_plan\s+configuration.*services\["default/web"\]\.protocol:\s+service\s+"default/web":\s+unknown\s+protocol\s+"HTTX"`},
		{"port", `{ "default/ok" = { protocol = "HTTP", port = 80, audience = "vpc" }, "default/web" = { protocol = "HTTP", port = 70000, audience = "internet" } }`,
			`(?s)services\["default/web"\]\.port:\s+service\s+"default/web":\s+want\s+1\s+to\s+65535,\s+got\s+70000`},
		{"nested traffic", `{ "default/web" = { protocol = "HTTP", port = 80, audience = "internet", traffic = { gb_per_month = -1 } } }`,
			`(?s)services\["default/web"\]\.traffic\.gb_per_month:\s+service\s+"default/web":\s+must\s+not\s+be\s+negative,\s+got\s+-1`},
		{"host list element", `{ "default/web" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["ok.example.com", "NOT A HOST"] } }`,
			`(?s)services\["default/web"\]\.hosts\[1\]:\s+service\s+"default/web":\s+"NOT\s+A\s+HOST"\s+is\s+not\s+a\s+valid\s+host\s+name`},
		{"proxy implementation", `{ "default/web" = { protocol = "HTTP", port = 80, audience = "internet" } }
  proxy = { implementation = "nginx-plus" }`,
			`(?s)proxy\.implementation.*value\s+must\s+be\s+one\s+of`},
		{"infeasible pin", `{ "default/dns" = { protocol = "UDP", port = 53, audience = "internet", pin = "Ingress" } }`,
			`(?s)Cannot\s+plan\s+these\s+services.*services\["default/dns"\]\.pin:\s+service\s+"default/dns":\s+no\s+exposure\s+satisfies\s+it`},
		{"cluster port", `{ "default/web" = { protocol = "HTTP", port = 80, audience = "internet", cluster_ports = [9090, 70000] } }`,
			`(?s)services\["default/web"\]\.cluster_ports\[1\].*between\s+1\s+and\s+65535,\s+got:\s+70000`},
		{"key without namespace", `{ "web" = { protocol = "HTTP", port = 80, audience = "internet" } }`,
			`(?s)services.*must\s+be\s+namespace/name,\s+e.g.\s+shop/checkout`},
		{"name not a DNS label", `{ "default/Web_1" = { protocol = "HTTP", port = 80, audience = "internet" } }`,
			`(?s)services\["default/Web_1"\]:\s+service\s+"default/Web_1"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6,
				TerraformVersionChecks:   needTerraform18,
				Steps: []resource.TestStep{{
					Config:      fmt.Sprintf("data \"lbplanner_plan\" \"p\" {\n  cloud = \"aws\"\n  region = \"us-east-1\"\n  services = %s\n}\n", c.services),
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config: `data "lbplanner_plan" "p" {
  cloud    = "aws"
  region   = "mars-1"
  services = {"default/a" = { protocol = "TCP", port = 1, audience = "vpc" }}
}`,
			ExpectError: regexp.MustCompile(`(?s)region\s*=\s*"mars-1".*unknown aws region "mars-1" \(known: ap-northeast-1`),
		}},
	})
}

func TestAccPlanDataSource_thousandServices(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: `
data "lbplanner_plan" "big" {
  cloud      = "aws"
  region     = "us-west-2"
  strategies = ["alb"]
  services = { for i in range(1000) : "default/svc-${i}" => {
    protocol = "HTTP"
    port     = 8080
    audience = i % 4 == 0 ? "vpc" : "internet"
    hosts    = ["svc-${i}.example.com"]
    traffic  = { requests_per_second = i % 50, gb_per_month = i % 7 }
  } }
}
output "albs" {
  value = length([for lb in data.lbplanner_plan.big.load_balancers : lb if lb.kind == "alb"])
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.big", tfjsonpath.New("service_plans"), knownvalue.MapSizeExact(1000)),
				statecheck.ExpectKnownValue("data.lbplanner_plan.big", svcPlan("default/svc-999", "exposure"), knownvalue.StringExact("Ingress")),
				statecheck.ExpectKnownOutputValue("albs", knownvalue.NumberFunc(func(v *big.Float) error {
					// 750 internet rules need at least 8 ALBs, 250 internal ones at least 3
					if n, _ := v.Int64(); n < 11 {
						return fmt.Errorf("%d ALBs for 1,000 one-rule services", n)
					}
					return nil
				})),
				statecheck.ExpectKnownValue("data.lbplanner_plan.big", tfjsonpath.New("optimality"), knownvalue.StringRegexp(regexp.MustCompile("^heuristic"))),
			},
		}},
	})
}

func TestAccFunctions(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: `
output "alb" {
  value = tostring(provider::lbplanner::lb_monthly_cost("aws", "us-east-1", "alb", { gb_per_month = 730 }))
}
output "alb_rules" {
  value = provider::lbplanner::lb_monthly_cost("aws", "us-east-1", "alb", { rule_evaluations_per_second = 20000, public_ipv4_addresses = 2 })
}
output "nlb_eu" {
  value = provider::lbplanner::lb_monthly_cost("aws", "eu-central-1", "nlb", {})
}
output "lcu_price" {
  value = provider::lbplanner::price("aws", "us-east-1", "alb-lcu-hour")
}
output "gcp_sixth_rule" {
  value = provider::lbplanner::lb_monthly_cost("gcp", "us-central1", "passthrough-nlb", { existing_rules = 5 })
}
output "gcp_passthrough_data" {
  value = provider::lbplanner::lb_monthly_cost("gcp", "us-central1", "passthrough-nlb", { existing_rules = 5, gb_per_month = 1073.741824 })
}
output "gce_ingress" {
  value = provider::lbplanner::lb_monthly_cost("gcp", "us-central1", "gce-ingress", { gb_per_month = 1073.741824 })
}
output "azure_public_lb" {
  value = provider::lbplanner::lb_monthly_cost("azure", "eastus", "azure-lb", { gb_per_month = 100, public_ipv4_addresses = 1 })
}
output "appgw" {
  value = provider::lbplanner::lb_monthly_cost("azure", "eastus", "appgw", {})
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("alb", knownvalue.StringExact("22.265")),
				statecheck.ExpectKnownOutputValue("alb_rules", numberText("140.525")),
				statecheck.ExpectKnownOutputValue("nlb_eu", numberText("19.71")),
				statecheck.ExpectKnownOutputValue("lcu_price", numberText("0.008")),
				// GCP: a sixth forwarding rule 730 x $0.010; GKE Ingress 730 x $0.025 (its scope's first five) + 1,000 GiB x $0.008
				statecheck.ExpectKnownOutputValue("gcp_sixth_rule", numberText("7.3")),
				statecheck.ExpectKnownOutputValue("gce_ingress", numberText("26.25")),
				// a passthrough load balancer processes data at the same regional rate: 730 x $0.010 + 1,000 GiB x $0.008
				statecheck.ExpectKnownOutputValue("gcp_passthrough_data", numberText("15.3")),
				// Azure: a public frontend on the cluster load balancer (the outbound rule paid the five): IP 730 x $0.005 + 100 GB x $0.005
				statecheck.ExpectKnownOutputValue("azure_public_lb", numberText("4.15")),
				// Application Gateway v2: 730 x $0.246 fixed + its public IP $3.65
				statecheck.ExpectKnownOutputValue("appgw", numberText("183.23")),
			},
		}, {
			Config:      `output "x" { value = provider::lbplanner::lb_monthly_cost("aws", "us-east-1", "glb", {}) }`,
			ExpectError: regexp.MustCompile(`unknown aws load balancer kind "glb"`),
		}, {
			Config:      `output "x" { value = provider::lbplanner::lb_monthly_cost("gcp", "us-central1", "passthrough-nlb", { existing_rules = 1.5 }) }`,
			ExpectError: regexp.MustCompile(`usage existing_rules: want\s+a\s+whole\s+number`),
		}, {
			Config:      `output "x" { value = provider::lbplanner::lb_monthly_cost("aws", "us-east-1", "alb", { bytes = 1 }) }`,
			ExpectError: regexp.MustCompile(`unknown usage key "bytes"`),
		}},
	})
}

func TestAccPricesDataSource(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config: `data "lbplanner_prices" "p" {
  cloud  = "aws"
  region = "eu-central-1"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_prices.p", tfjsonpath.New("prices"), knownvalue.MapSizeExact(10)),
				statecheck.ExpectKnownValue("data.lbplanner_prices.p", tfjsonpath.New("prices").AtMapKey("inter-az-gb").AtMapKey("price"), numberText("0.01")),
				statecheck.ExpectKnownValue("data.lbplanner_prices.p", tfjsonpath.New("prices").AtMapKey("alb-hour"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"item": knownvalue.StringExact("alb-hour"), "price": numberText("0.027"), "unit": knownvalue.StringExact("hour"),
				})),
				statecheck.ExpectKnownValue("data.lbplanner_prices.p", tfjsonpath.New("catalog_date"), knownvalue.StringExact("2026-11-22")),
			},
		}, {
			Config: `data "lbplanner_prices" "p" {
  cloud  = "aws"
  region = "nowhere"
}`,
			ExpectError: regexp.MustCompile(`unknown aws region "nowhere"`),
		}},
	})
}

func TestAttributePaths(t *testing.T) {
	for field, want := range map[string]string{
		"traffic.gbPerMonth": `services["shop/c"].traffic.gb_per_month`,
		"hosts[1]":           `services["shop/c"].hosts[1]`,
		"latencyBudgetMs":    `services["shop/c"].latency_budget_ms`,
		"name":               `services["shop/c"]`,
		"namespace":          `services["shop/c"]`,
	} {
		if got := attributePath(&planner.FieldError{Index: 2, Field: field}, []string{"shop/a", "shop/b", "shop/c"}).String(); got != want {
			t.Errorf("%s -> %s, want %s", field, got, want)
		}
	}
	for field, want := range map[string]string{
		"strategies[1]":             "strategies[1]",
		"proxy.memoryGiB":           "proxy.memory_gib",
		"proxy.redirectsHTTP":       "proxy.redirects_http",
		"awsLoadBalancerController": "aws_load_balancer_controller",
		"latency.nodeHopMs":         "latency.node_hop_ms",
	} {
		if got := attributePath(&planner.FieldError{Index: -1, Field: field}, nil).String(); got != want {
			t.Errorf("%s -> %s, want %s", field, got, want)
		}
	}
	if !strings.Contains(snake("newConnectionsPerSecond"), "new_connections_per_second") {
		t.Fatal(snake("newConnectionsPerSecond"))
	}
}

func TestAccPlanDataSource_gcpAndAzure(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: `
data "lbplanner_plan" "gcp" {
  cloud      = "gcp"
  region     = "us-central1"
  strategies = []
  existing_forwarding_rules = { regional = 5 }
  services = {
    "default/a" = { protocol = "TCP", port = 1, audience = "internet" },
    "default/b" = { protocol = "TCP", port = 2, audience = "vpc" },
  }
}
data "lbplanner_plan" "azure" {
  cloud  = "azure"
  region = "eastus"
  existing_load_balancer_rules = { public = 1 }
  app_gateway = { min_instances = 1 }
  services = {
    "default/a" = { protocol = "TCP", port = 1, audience = "internet" },
  }
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				// two regional rules past the fifth: 2 x 730 x $0.010
				statecheck.ExpectKnownValue("data.lbplanner_plan.gcp", tfjsonpath.New("monthly_cost"), numberText("14.6")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.gcp", svcPlan("default/b", "annotations"), knownvalue.MapExact(map[string]knownvalue.Check{
					"networking.gke.io/load-balancer-type": knownvalue.StringExact("Internal"),
				})),
				// the cluster load balancer's outbound rule already pays the flat five: one public IP
				statecheck.ExpectKnownValue("data.lbplanner_plan.azure", tfjsonpath.New("monthly_cost"), numberText("3.65")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.azure", svcPlan("default/a", "load_balancer"), knownvalue.StringExact("aks-lb-public")),
			},
		}},
	})
}

// The provider's catalog_file and hours_per_month settings reach the plan.
func TestAccProviderSettings(t *testing.T) {
	data, err := os.ReadFile("../pricing/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	// the same catalog with the us-east-1 NLB hour doubled
	var cat map[string]any
	if err := json.Unmarshal(data, &cat); err != nil {
		t.Fatal(err)
	}
	for _, p := range cat["prices"].([]any) {
		if pm := p.(map[string]any); pm["cloud"] == "aws" && pm["region"] == "us-east-1" && pm["item"] == "nlb-hour" {
			pm["price"] = "0.045"
		}
	}
	doubled, _ := json.Marshal(cat)
	file := filepath.Join(t.TempDir(), "prices.json")
	if err := os.WriteFile(file, doubled, 0o644); err != nil {
		t.Fatal(err)
	}
	plan := `
data "lbplanner_plan" "p" {
  cloud    = "aws"
  region   = "us-east-1"
  services = {"default/db" = { protocol = "TCP", port = 5432, audience = "vpc" }}
}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			// default catalog, 730 hours: 730 x 0.0225
			Config:            `provider "lbplanner" {}` + plan,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.lbplanner_plan.p", tfjsonpath.New("monthly_cost"), numberText("16.43"))},
		}, {
			// 720 hours: 720 x 0.0225 = 16.20
			Config:            `provider "lbplanner" { hours_per_month = 720 }` + plan,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.lbplanner_plan.p", tfjsonpath.New("monthly_cost"), numberText("16.2"))},
		}, {
			// another catalog: 730 x 0.045 = 32.85
			Config:            fmt.Sprintf(`provider "lbplanner" { catalog_file = %q }`, file) + plan,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.lbplanner_plan.p", tfjsonpath.New("monthly_cost"), numberText("32.85"))},
		}, {
			Config:      `provider "lbplanner" { catalog_file = "/nonexistent/prices.json" }` + plan,
			ExpectError: regexp.MustCompile(`(?s)Cannot load the price catalog.*/nonexistent/prices.json`),
		}, {
			Config:      `provider "lbplanner" { hours_per_month = 800 }` + plan,
			ExpectError: regexp.MustCompile(`Invalid hours_per_month`),
		}, {
			// a valid configuration last, for the harness's final destroy
			Config: `provider "lbplanner" {}` + plan,
		}},
	})
}

// Today's Application Gateway for Containers with two frontends, declared in
// Terraform: 730 x ($0.017 + 2 x $0.01 + $0.12) = $114.61 today (no traffic,
// no capacity units); kept to AGC, the two share one frontend: $107.31.
func TestAccPlanDataSource_applicationGatewayForContainers(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: `
data "lbplanner_plan" "agc" {
  cloud      = "azure"
  region     = "eastus2"
  strategies = ["agc"]
  services = {
    "default/shop" = { protocol = "HTTPS", port = 443, audience = "internet", hosts = ["shop.contoso.com"], pin = "Ingress",
      current = "Ingress", current_load_balancer = { kind = "agc", name = "alb-infra/alb", frontend = "gateway:shop/gw" }
    },
    "default/blog" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["blog.contoso.com"], pin = "Ingress",
      current = "Ingress", current_load_balancer = { kind = "agc", name = "alb-infra/alb", frontend = "gateway:blog/gw" }
    },
  }
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.agc", tfjsonpath.New("current_monthly_cost"), numberText("114.61")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.agc", tfjsonpath.New("monthly_cost"), numberText("107.31")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.agc", tfjsonpath.New("services").AtMapKey("default/shop").AtMapKey("current_load_balancer"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"kind": knownvalue.StringExact("agc"), "frontend": knownvalue.StringExact("gateway:shop/gw")})),
				statecheck.ExpectKnownValue("data.lbplanner_plan.agc", svcPlan("default/shop", "gateway_class_name"), knownvalue.StringExact("azure-alb-external")),
			},
		}},
	})
}

// Today's ingress-nginx beside Envoy Gateway, declared in Terraform with
// ingress-nginx's three pods sized apart (proxy.today), as
// planner.TestTodaysProxySizedApart: $32.88 for the Gateway, $33.48 for
// ingress-nginx (its pods 3 x 0.1 vCPU, $8.87, and 3 x 0.09 GiB, $0.88),
// $66.36 today and planned; a bad entry is an error naming its attribute.
func TestAccPlanDataSource_todaysProxies(t *testing.T) {
	config := func(today string) string {
		return `
data "lbplanner_plan" "two" {
  cloud  = "aws"
  region = "us-east-1"
  proxy  = { implementation = "envoy-gateway", today = [` + today + `] }
  services = {
    "web/blog" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["blog.example.com"], needs = ["rewrite"],
      current = "Ingress", current_load_balancer = { kind = "proxy", name = "nginx" } },
    "web/shop" = { protocol = "HTTP", port = 80, audience = "internet", hosts = ["shop.example.com"], needs = ["rewrite"],
      current = "Ingress", current_load_balancer = { kind = "proxy", name = "gateway:edge/edge" } },
  }
}`
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config:      config(`{ name = "nginx-internal" }`),
			ExpectError: regexp.MustCompile(`proxy.today\[0\].name: no service is on an in-cluster proxy "nginx-internal"`),
		}, {
			Config: config(`{ name = "nginx", implementation = "ingress-nginx", replicas = 3 }`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.two", tfjsonpath.New("current_monthly_cost"), numberText("66.36")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.two", tfjsonpath.New("monthly_cost"), numberText("66.36")),
			},
		}},
	})
}

// Today's GKE Ingress serving plain HTTP beside HTTPS (http_frontend), with
// five global forwarding rules already in the project: 2 x 730 h x $0.01 =
// $14.60 today, and in the plan, which keeps plain HTTP (a client may use
// it; an opportunity says turning it off saves 730 h x $0.01 = $7.30).
func TestAccPlanDataSource_gkeIngressHTTPFrontend(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: `
data "lbplanner_plan" "gke" {
  cloud                     = "gcp"
  region                    = "us-central1"
  strategies                = ["gce"]
  existing_forwarding_rules = { global = 5 }
  services = {
    "default/shop" = { protocol = "HTTPS", port = 443, audience = "internet", hosts = ["shop.example.com"],
      current = "Ingress", current_load_balancer = { kind = "gce", name = "default/shop", http_frontend = true }
    },
  }
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.gke", tfjsonpath.New("current_monthly_cost"), numberText("14.6")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.gke", tfjsonpath.New("monthly_cost"), numberText("14.6")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.gke", tfjsonpath.New("opportunities").AtSliceIndex(0).AtMapKey("monthly_saving"), numberText("7.3")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.gke", tfjsonpath.New("opportunities").AtSliceIndex(0).AtMapKey("service"), knownvalue.StringExact("default/shop")),
			},
		}},
	})
}

// Today's GKE Gateway whose HTTP listener redirects to HTTPS (http_frontend
// and http_redirect), with five global forwarding rules already in the
// project: its HTTPS and HTTP rules are 2 x 730 h x $0.01 = $14.60 today and
// in the plan, which keeps the redirect; the opportunity is dropping the
// redirect's listener, $7.30. A redirect without the frontend it belongs to
// is an error naming the attribute.
func TestAccPlanDataSource_gatewayHTTPRedirect(t *testing.T) {
	config := func(frontend bool) string {
		return fmt.Sprintf(`
data "lbplanner_plan" "gke" {
  cloud                     = "gcp"
  region                    = "us-central1"
  strategies                = ["gateway"]
  existing_forwarding_rules = { global = 5 }
  services = {
    "web/shop" = { protocol = "HTTPS", port = 443, audience = "internet", hosts = ["shop.example.com"],
      current = "Ingress", current_load_balancer = { kind = "gateway", name = "gateway:edge/edge", http_frontend = %v, http_redirect = true }
    },
  }
}`, frontend)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: config(true),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.gke", tfjsonpath.New("current_monthly_cost"), numberText("14.6")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.gke", tfjsonpath.New("monthly_cost"), numberText("14.6")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.gke", tfjsonpath.New("opportunities").AtSliceIndex(0).AtMapKey("monthly_saving"), numberText("7.3")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.gke", tfjsonpath.New("opportunities").AtSliceIndex(0).AtMapKey("action"),
					knownvalue.StringRegexp(regexp.MustCompile(`^drop the plain-HTTP listener of gateway:edge/edge and its redirect to HTTPS`))),
			},
		}},
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config:      config(false),
			ExpectError: regexp.MustCompile(`(?s)services\["web/shop"\]\.current_load_balancer\.http_redirect:.*set\s+httpFrontend\s+too`),
		}},
	})
}

// Twelve paths of one ALB Ingress today, pNN at 5,000 + 100 x NN requests a
// second, at rule positions 1-12 (rule_position, p00 first): today is
// billed in that order, rules 11 and 12 being p10 and p11: 18,200
// evaluations a second = 18.2 LCU x 730 h x $0.008 = $106.29, with $16.43 of
// hours and $7.30 of addresses $130.02; the plan orders them busiest first
// (15,100 a second, $88.18): $111.91.
func TestAccPlanDataSource_rulePositionToday(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: `
data "lbplanner_plan" "alb" {
  cloud      = "aws"
  region     = "us-east-1"
  strategies = ["alb"]
  services = { for n in range(12) : format("api/p%02d", n) => {
    protocol = "HTTP", port = 8080, audience = "internet", hosts = ["api.example.com"], paths = [format("/p%02d", n)],
    traffic = { requests_per_second = 5000 + 100 * n },
    current = "Ingress", current_load_balancer = { kind = "alb", name = "api/api", rule_position = n + 1 }
  } }
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.alb", tfjsonpath.New("current_monthly_cost"), numberText("130.02")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.alb", tfjsonpath.New("monthly_cost"), numberText("111.91")),
			},
		}},
	})
}

// Attribute validators catch a typo whatever else is unknown at plan time
// (traffic from a resource not created yet), and report every typo at once,
// each with its path.
func TestAccPlanDataSource_typoBesideAnUnknown(t *testing.T) {
	config := `
resource "terraform_data" "gb" {
  input = 5
}
data "lbplanner_plan" "p" {
  cloud      = "aws"
  region     = "us-east-1"
  strategies = ["alb", "traefik"]
  services = {
    "default/web" = { protocol = "HTTX", port = 80, audience = "internet", traffic = { gb_per_month = terraform_data.gb.output, requests_per_second = -3 } },
    "default/db" = { protocol = "TCP", port = 70000, audience = "vpc", needs = ["fast"] },
  }
}`
	var steps []resource.TestStep
	for _, want := range []string{`services\["default/web"\]\.protocol\s+value\s+must\s+be\s+one\s+of`, `services\["default/db"\]\.needs\[0\]\s+value\s+must\s+be\s+one\s+of`,
		`services\["default/db"\]\.port\s+value\s+must\s+be\s+between\s+1\s+and\s+65535,\s+got:\s+70000`, `strategies\[1\] value must be one of`,
		`services\["default/web"\]\.traffic\.requests_per_second\s+must\s+not\s+be\s+negative,\s+got\s+-3`} {
		steps = append(steps, resource.TestStep{Config: config, PlanOnly: true, ExpectError: regexp.MustCompile(want)})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: protoV6, TerraformVersionChecks: needTerraform18, Steps: steps})
}

// With an unknown value in one service, the others' cross-field errors are
// still caught at plan time (paths on a TCP service), and the unknown one waits.
func TestAccPlanDataSource_knownPartChecked(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "gb" {
  input = 5
}
data "lbplanner_plan" "p" {
  cloud  = "aws"
  region = "us-east-1"
  services = {
    "default/web" = { protocol = "HTTP", port = 80, audience = "internet", traffic = { gb_per_month = terraform_data.gb.output } },
    "default/db" = { protocol = "TCP", port = 5432, audience = "vpc", paths = ["/x"] },
  }
}`,
			PlanOnly:    true, // caught at plan, before the unknown value is known
			ExpectError: regexp.MustCompile(`(?s)services\["default/db"\]\.paths: service "default/db": paths route HTTP\s+requests;\s+protocol\s+TCP has none`),
		}},
	})
}

// The docs' budget postcondition works as written: two HTTPS services on one
// ALB ($16.43 + $7.30 for two zones' addresses = $23.73) fail a $10 budget.
func TestAccPlanDataSource_budgetPostcondition(t *testing.T) {
	config := func(budget int) string {
		return strings.Replace(docSnippet(t, "index.md.tmpl", "postcondition"), "default = 100", fmt.Sprintf("default = %d", budget), 1)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{
			{Config: config(10), ExpectError: regexp.MustCompile(`(?s)would cost 23\.73 a month, over the 10\s+budget`)},
			{Config: config(100), ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.shop", tfjsonpath.New("monthly_cost"), numberText("23.73"))}},
		},
	})
}

// docSnippet is the ```terraform block of a docs template that contains marker.
func docSnippet(t *testing.T, file, marker string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "templates", file))
	if err != nil {
		t.Fatal(err)
	}
	for _, block := range strings.Split(string(data), "```terraform\n")[1:] {
		if code, _, _ := strings.Cut(block, "```"); strings.Contains(code, marker) {
			return code
		}
	}
	t.Fatalf("%s has no terraform block with %q", file, marker)
	return ""
}
