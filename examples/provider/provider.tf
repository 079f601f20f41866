terraform {
  required_providers {
    lbplanner = {
      source = "lbplanner/lbplanner"
    }
  }
}

# Plans from the catalog embedded in the provider: no credentials, no network.
provider "lbplanner" {
  # catalog_file  = "prices.json" # or LBPLANNER_CATALOG
  # hours_per_month = 730
}
