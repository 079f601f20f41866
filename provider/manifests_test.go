package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// One IngressGroup "shop" today: / to the busy storefront and /checkout to
// the quiet checkout on one host. By hand (us-east-1, 2 zones): ALB 730 h x
// $0.0225 = $16.43; 730 GB / 730 h = 1 LCU x 730 h x $0.008 = $5.84; 2 public
// IPv4 x 730 h x $0.005 = $7.30: $29.57; and voip/dns's internal NLB (the
// controller's default scheme), $16.43: $46.00 today and planned (nothing moves).
const manifestsConfig = `
data "lbplanner_plan" "k8s" {
  cloud  = "aws"
  region = "us-east-1"
  manifests = <<-EOT
    apiVersion: v1
    kind: Service
    metadata: {name: storefront, namespace: shop}
    spec: {ports: [{name: http, port: 80}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: checkout, namespace: shop}
    spec: {ports: [{name: http, port: 80}]}
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: dns
      namespace: voip
      annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external}
    spec:
      type: LoadBalancer
      ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53}]
    ---
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: shop
      namespace: shop
      annotations:
        alb.ingress.kubernetes.io/group.name: shop
        alb.ingress.kubernetes.io/scheme: internet-facing
    spec:
      ingressClassName: alb
      rules:
        - host: shop.example.com
          http:
            paths:
              - {path: /, pathType: Prefix, backend: {service: {name: storefront, port: {number: 80}}}}
              - {path: /checkout, pathType: Prefix, backend: {service: {name: checkout, port: {number: 80}}}}
  EOT
  traffic = {
    "shop/storefront" = { requests_per_second = 500, gb_per_month = 730 }
    "shop/checkout"   = { requests_per_second = 5 }
  }
}
`

func TestAccPlanDataSource_manifests(t *testing.T) {
	lb := lbAttr("shop", "rule_order")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: manifestsConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", tfjsonpath.New("service_plans"), knownvalue.MapSizeExact(3)),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", tfjsonpath.New("services"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", svcPlan("voip/dns", "protocol"), knownvalue.StringExact("UDP")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", svcPlan("voip/dns", "port"), knownvalue.Int64Exact(53)),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", svcPlan("voip/dns", "audience"), knownvalue.StringExact("vpc")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", svcPlan("voip/dns", "exposure"), knownvalue.StringExact("LoadBalancer")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", svcPlan("shop/checkout", "name"), knownvalue.StringExact("checkout")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", svcPlan("shop/checkout", "namespace"), knownvalue.StringExact("shop")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", svcPlan("shop/storefront", "load_balancer"), knownvalue.StringExact("shop")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", svcPlan("shop/storefront", "annotations"), knownvalue.MapPartial(map[string]knownvalue.Check{
					"alb.ingress.kubernetes.io/group.name":  knownvalue.StringExact("shop"),
					"alb.ingress.kubernetes.io/group.order": knownvalue.StringExact("2"),
				})),
				// the busier / goes after /checkout, which it would hide
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", lb,
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("shop/checkout"), knownvalue.StringExact("shop/storefront")})),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", tfjsonpath.New("monthly_cost"), numberText("46")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", tfjsonpath.New("current_monthly_cost"), numberText("46")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", tfjsonpath.New("increase_forced_by"), knownvalue.Null()),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

func TestAccPlanDataSource_servicesOrManifests(t *testing.T) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		Steps: []resource.TestStep{{
			Config: `data "lbplanner_plan" "p" {
  cloud  = "aws"
  region = "us-east-1"
}`,
			ExpectError: regexp.MustCompile(`set exactly one of services`),
		}, {
			Config: `data "lbplanner_plan" "p" {
  cloud     = "aws"
  region    = "us-east-1"
  manifests = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 99999}]}\n"
}`,
			ExpectError: regexp.MustCompile(`(?s)manifests: service\s+"default/a": field port: want 1 to\s+65535`),
		}},
	})
}

// Manifests of ingress-nginx with its Deployment (3 replicas requesting
// 100m and 90Mi) and four Services it routes, the proxy strategy alone: the
// provider prices today's proxy as the lbplanner command does, with the
// implementation and pods read from the manifests. By hand (us-east-1): its
// NLB $16.43, two public IPv4 addresses $7.30, 219 vCPU-hours x $0.04048 =
// $8.87, 0.087891 GiB x 3 x 730 = 192.48129 GiB-hours x $0.004445 = $0.86:
// $33.46, today and planned. (The provider priced it as Envoy Gateway's two
// default pods, $32.88, against the command's $33.46.)
func TestAccPlanDataSource_manifestsProxy(t *testing.T) {
	var services, ingresses string
	for _, n := range []string{"web0", "web1", "web2", "web3"} {
		services += "    ---\n    apiVersion: v1\n    kind: Service\n    metadata: {name: " + n + ", namespace: shop}\n    spec: {ports: [{name: http, port: 80}]}\n"
		ingresses += "    ---\n    apiVersion: networking.k8s.io/v1\n    kind: Ingress\n    metadata: {name: " + n + ", namespace: shop}\n    spec:\n      ingressClassName: nginx\n" +
			"      rules: [{host: " + n + ".example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: " + n + ", port: {number: 80}}}}]}}]\n"
	}
	config := `
data "lbplanner_plan" "k8s" {
  cloud      = "aws"
  region     = "us-east-1"
  strategies = ["proxy"]
  manifests  = <<-EOT
    apiVersion: v1
    kind: Service
    metadata:
      name: ingress-nginx-controller
      namespace: ingress-nginx
      labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
    spec:
      type: LoadBalancer
      selector: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
      ports: [{name: http, port: 80}, {name: https, port: 443}]
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
    spec:
      replicas: 3
      selector: {matchLabels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}}
      template:
        metadata: {labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}}
        spec:
          containers: [{name: controller, image: registry.k8s.io/ingress-nginx/controller:v1.13.3, resources: {requests: {cpu: 100m, memory: 90Mi}}}]
    ---
    apiVersion: networking.k8s.io/v1
    kind: IngressClass
    metadata: {name: nginx}
    spec: {controller: k8s.io/ingress-nginx}
` + services + ingresses + `  EOT
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6,
		TerraformVersionChecks:   needTerraform18,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", tfjsonpath.New("monthly_cost"), numberText("33.46")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", tfjsonpath.New("current_monthly_cost"), numberText("33.46")),
			},
		}, {
			// proxy.replace_today: off ingress-nginx, on Envoy Gateway's proxy: its NLB and addresses $23.73 and
			// two pods (146 vCPU-h x $0.04048 = $5.91, 730 GiB-h x $0.004445 = $3.24), $32.88; today as it is
			Config: strings.Replace(config, `strategies = ["proxy"]`, `strategies = ["proxy"]
  proxy      = { replace_today = true }`, 1),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", tfjsonpath.New("monthly_cost"), numberText("32.88")),
				statecheck.ExpectKnownValue("data.lbplanner_plan.k8s", tfjsonpath.New("current_monthly_cost"), numberText("33.46")),
			},
		}},
	})
}
