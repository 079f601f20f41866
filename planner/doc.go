// Package planner is lbplanner's domain model and optimiser, pure Go with no
// I/O: the declaration of a cluster's services (Parse, Validate), the cost
// models of AWS, GCP and Azure load balancers priced exactly from a catalog,
// and Compute, which chooses for every service the cheapest exposure that
// honours its protocol, audience, latency budget and needs — exactly (by
// dynamic programming over partitions) for up to ExactLimit shareable
// services per scheme — and explains every cost line, hop and choice.
package planner
