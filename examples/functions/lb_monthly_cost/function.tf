# An ALB in us-east-1 processing 730 GB a month: 730 h x $0.0225 + 730 LCU-hours x $0.008 = 22.265
output "alb_monthly_cost" {
  value = provider::lbplanner::lb_monthly_cost("aws", "us-east-1", "alb", { gb_per_month = 730 })
}

# An internet-facing NLB in two zones with 1,600 new TCP connections a second.
output "nlb_monthly_cost" {
  value = provider::lbplanner::lb_monthly_cost("aws", "us-east-1", "nlb", {
    new_connections_per_second = 1600
    public_ipv4_addresses      = 2
  })
}

# A sixth regional forwarding rule in a GCP project whose scope has five: 730 h x $0.010 = 7.30
output "gcp_passthrough_monthly_cost" {
  value = provider::lbplanner::lb_monthly_cost("gcp", "us-central1", "passthrough-nlb", { existing_rules = 5 })
}

# An idle Application Gateway v2 in East US: 730 h x $0.246 fixed + its public IP 730 h x $0.005 = 183.23
output "appgw_monthly_cost" {
  value = provider::lbplanner::lb_monthly_cost("azure", "eastus", "appgw", {})
}
