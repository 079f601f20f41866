# A runnable example: plan a small shop's services and print the plan.
#   make build && cd examples/terraform/shop && terraform plan
# with a dev_overrides CLI configuration pointing lbplanner/lbplanner at the
# built provider (see the README), no `terraform init` needed.
terraform {
  required_providers {
    lbplanner = {
      source = "lbplanner/lbplanner"
    }
  }
}

provider "lbplanner" {}

locals {
  web = { protocol = "HTTPS", port = 443, audience = "internet" }
}

data "lbplanner_plan" "shop" {
  cloud      = "aws"
  region     = "us-east-1"
  strategies = ["alb", "proxy"]

  # Keyed by namespace/name: the keys stay known even when a value is not.
  services = {
    "shop/storefront" = merge(local.web, {
      hosts   = ["shop.example.com"], paths = ["/"], certificate = "wildcard-example"
      traffic = { requests_per_second = 300, new_connections_per_second = 20, active_connections = 2500, gb_per_month = 900 }
      current = "LoadBalancer"
    })
    "shop/checkout" = merge(local.web, {
      hosts             = ["shop.example.com"], paths = ["/checkout"], certificate = "wildcard-example"
      traffic           = { requests_per_second = 120, new_connections_per_second = 10, active_connections = 1500, gb_per_month = 300 }
      latency_budget_ms = 20, needs = ["clientIP"], current = "LoadBalancer"
    })
    "shop/catalog-api" = merge(local.web, {
      protocol = "GRPC", port = 8443, hosts = ["api.example.com"], certificate = "wildcard-example"
      traffic  = { requests_per_second = 200, new_connections_per_second = 5, active_connections = 400, gb_per_month = 150 }
      current  = "LoadBalancer"
    })
    "ops/statsd" = {
      protocol = "UDP", port = 8125, audience = "vpc"
      traffic  = { new_connections_per_second = 50, active_connections = 200, gb_per_month = 20 }
      current  = "LoadBalancer"
    }
    "shop/postgres" = { protocol = "TCP", port = 5432, audience = "cluster" }
  }
}

output "monthly_cost" {
  description = "The plan's monthly load-balancer cost in USD."
  value       = data.lbplanner_plan.shop.monthly_cost
}

output "savings_vs_current" {
  description = "What the plan saves against today's exposures."
  value       = data.lbplanner_plan.shop.savings_vs_current
}

output "exposures" {
  description = "Each service's exposure and load balancer."
  value       = { for key, s in data.lbplanner_plan.shop.service_plans : key => "${s.exposure} ${coalesce(s.load_balancer, "-")}" }
}

output "shared_alb_check" {
  description = "The shared ALB priced on its own by the provider function, from the plan's own usage figures (LCU on bytes: 1,350 GB)."
  value       = provider::lbplanner::lb_monthly_cost("aws", "us-east-1", "alb", { gb_per_month = 1350, public_ipv4_addresses = 2 })
}
