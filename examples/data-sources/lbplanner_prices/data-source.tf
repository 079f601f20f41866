data "lbplanner_prices" "frankfurt" {
  cloud  = "aws"
  region = "eu-central-1"
}

output "alb_hour" {
  value = one([for p in data.lbplanner_prices.frankfurt.prices : p.price if p.item == "alb-hour"])
}
