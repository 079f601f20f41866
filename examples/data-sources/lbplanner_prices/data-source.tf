data "lbplanner_prices" "frankfurt" {
  cloud  = "aws"
  region = "eu-central-1"
}

output "alb_hour" {
  value = data.lbplanner_prices.frankfurt.prices["alb-hour"].price
}
