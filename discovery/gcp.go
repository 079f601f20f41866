package discovery

import (
	"context"
	"errors"
	"fmt"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/api/iterator"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// GCPForwardingRules counts a project's forwarding rules in the global scope
// and in one region (the aggregated list across scopes), for the tiered
// forwarding-rule prices: a plan's added rules are priced on top of these.
func GCPForwardingRules(ctx context.Context, client *compute.ForwardingRulesClient, project, region string) (planner.ForwardingRules, error) {
	var counts planner.ForwardingRules
	it := client.AggregatedList(ctx, &computepb.AggregatedListForwardingRulesRequest{Project: project})
	// a page token asked for twice means the endpoint loops; pages with no
	// items are fetched inside the iterator, where the context's deadline stops them
	asked := map[string]bool{}
	for {
		if tok := it.PageInfo().Token; it.PageInfo().Remaining() == 0 && tok != "" {
			if asked[tok] {
				return counts, fmt.Errorf("forwardingRules.aggregatedList %s: the endpoint repeated page token %q; stopped", project, tok)
			}
			asked[tok] = true
		}
		pair, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return counts, fmt.Errorf("forwardingRules.aggregatedList %s: %w", project, err)
		}
		if pair.Value == nil {
			continue
		}
		switch pair.Key {
		case "global":
			counts.Global += len(pair.Value.ForwardingRules)
		case "regions/" + region:
			counts.Regional += len(pair.Value.ForwardingRules)
		}
	}
	return counts, nil
}
