data "lbplanner_plan" "shop" {
  cloud      = "aws"
  region     = "us-east-1"
  zones      = 2
  strategies = ["alb", "proxy"]

  # Keyed by namespace/name.
  services = {
    "shop/storefront" = {
      protocol = "HTTPS"
      port     = 443
      audience = "internet"
      hosts    = ["shop.example.com"]
      traffic  = { requests_per_second = 300, new_connections_per_second = 20, active_connections = 2500, gb_per_month = 900 }
      current  = "LoadBalancer"
    }
    "shop/checkout" = {
      protocol          = "HTTPS"
      port              = 443
      audience          = "internet"
      hosts             = ["shop.example.com"]
      paths             = ["/checkout"]
      latency_budget_ms = 20
      needs             = ["clientIP"]
      traffic           = { requests_per_second = 120, new_connections_per_second = 10, active_connections = 1500, gb_per_month = 300 }
    }
    "default/statsd" = {
      protocol = "UDP"
      port     = 8125
      audience = "vpc"
    }
  }
}

output "monthly_cost" {
  value = data.lbplanner_plan.shop.monthly_cost
}

output "exposures" {
  value = { for key, s in data.lbplanner_plan.shop.service_plans : key => "${s.exposure} via ${coalesce(s.load_balancer, "-")}" }
}
