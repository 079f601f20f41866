output "lcu_hour" {
  value = provider::lbplanner::price("aws", "us-east-1", "alb-lcu-hour")
}
