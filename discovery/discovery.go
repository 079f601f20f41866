// Package discovery finds the load balancers a cluster already has on AWS
// (Elastic Load Balancing v2: ALBs and NLBs), which Kubernetes object owns
// each, and the least each costs a month, so that a plan can start from what
// is really running and point at load balancers nothing declares any more.
package discovery

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// Tags the AWS Load Balancer Controller and the in-tree provider put on load balancers.
const (
	TagServiceStack = "service.k8s.aws/stack"      // namespace/name of the Service (controller)
	TagIngressStack = "ingress.k8s.aws/stack"      // IngressGroup name, or namespace/name of a lone Ingress
	TagCluster      = "elbv2.k8s.aws/cluster"      // cluster name (controller)
	TagServiceName  = "kubernetes.io/service-name" // namespace/name of the Service (in-tree provider)
	tagClusterOwned = "kubernetes.io/cluster/"     // kubernetes.io/cluster/NAME: owned (in-tree provider)
)

// ELBv2API is the part of the Elastic Load Balancing v2 client discovery uses.
type ELBv2API interface {
	DescribeLoadBalancers(ctx context.Context, in *elbv2.DescribeLoadBalancersInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeLoadBalancersOutput, error)
	DescribeTags(ctx context.Context, in *elbv2.DescribeTagsInput, optFns ...func(*elbv2.Options)) (*elbv2.DescribeTagsOutput, error)
}

// LoadBalancer is one load balancer found, with its owner and monthly floor.
type LoadBalancer struct {
	Name    string `json:"name"`
	ARN     string `json:"arn"`
	Kind    string `json:"kind"` // alb, nlb, gwlb
	Scheme  string `json:"scheme"`
	Zones   int    `json:"zones"`
	Cluster string `json:"cluster,omitempty"`
	// Service is the namespace/name of the Service that owns it, if a Service does.
	Service string `json:"service,omitempty"`
	// IngressGroup is the IngressGroup (or namespace/name of a lone Ingress) that owns it, if one does.
	IngressGroup string `json:"ingressGroup,omitempty"`
	// MonthlyFloor is what it costs a month before any usage: its hours and, internet-facing, an IPv4 address per zone.
	MonthlyFloor money.Cents `json:"monthlyFloor"`
}

// Inventory is what discovery found in one region.
type Inventory struct {
	Region        string         `json:"region"`
	LoadBalancers []LoadBalancer `json:"loadBalancers"`
	MonthlyFloor  money.Cents    `json:"monthlyFloor"`
}

// AWS lists the region's ALBs and NLBs with their tags. cluster, if set,
// keeps only the load balancers tagged for that cluster. rp prices the floors.
func AWS(ctx context.Context, client ELBv2API, rp *pricing.RegionPrices, hours planner.Quantity, cluster string) (*Inventory, error) {
	inv := &Inventory{Region: rp.Region, LoadBalancers: []LoadBalancer{}}
	var found []LoadBalancer
	var marker *string
	seen := map[string]bool{}
	for {
		page, err := client.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{Marker: marker}, requireXML)
		if err != nil {
			return nil, fmt.Errorf("DescribeLoadBalancers: %w", err)
		}
		for _, lb := range page.LoadBalancers {
			kind := map[string]string{"application": "alb", "network": "nlb", "gateway": "gwlb"}[string(lb.Type)]
			found = append(found, LoadBalancer{Name: aws.ToString(lb.LoadBalancerName), ARN: aws.ToString(lb.LoadBalancerArn),
				Kind: kind, Scheme: string(lb.Scheme), Zones: len(lb.AvailabilityZones)})
		}
		next := aws.ToString(page.NextMarker)
		if next == "" {
			break
		}
		if seen[next] {
			return nil, fmt.Errorf("DescribeLoadBalancers: the endpoint repeated page marker %q; stopped", next)
		}
		seen[next], marker = true, page.NextMarker
	}
	// tags, at most 20 load balancers per call
	byARN := map[string]*LoadBalancer{}
	for i := range found {
		byARN[found[i].ARN] = &found[i]
	}
	for start := 0; start < len(found); start += 20 {
		var arns []string
		for _, lb := range found[start:min(start+20, len(found))] {
			arns = append(arns, lb.ARN)
		}
		out, err := client.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns}, requireXML)
		if err != nil {
			return nil, fmt.Errorf("DescribeTags: %w", err)
		}
		for _, td := range out.TagDescriptions {
			lb := byARN[aws.ToString(td.ResourceArn)]
			if lb == nil {
				continue
			}
			for _, t := range td.Tags {
				k, v := aws.ToString(t.Key), aws.ToString(t.Value)
				switch {
				case k == TagServiceStack || k == TagServiceName:
					lb.Service = v
				case k == TagIngressStack:
					lb.IngressGroup = v
				case k == TagCluster:
					lb.Cluster = v
				case strings.HasPrefix(k, tagClusterOwned) && lb.Cluster == "":
					lb.Cluster = strings.TrimPrefix(k, tagClusterOwned)
				}
			}
		}
	}
	hourly := map[string]string{"alb": pricing.ALBHour, "nlb": pricing.NLBHour}
	ipv4, err := rp.Price(pricing.PublicIPv4Hour)
	if err != nil {
		return nil, err
	}
	for _, lb := range found {
		if cluster != "" && lb.Cluster != cluster {
			continue
		}
		if item, ok := hourly[lb.Kind]; ok {
			p, err := rp.Price(item)
			if err != nil {
				return nil, err
			}
			lb.MonthlyFloor = money.Round(new(big.Rat).Mul(hours.Rat(), p.Value()))
			if lb.Scheme == "internet-facing" {
				ips := new(big.Rat).Mul(hours.Rat(), big.NewRat(int64(lb.Zones), 1))
				lb.MonthlyFloor += money.Round(ips.Mul(ips, ipv4.Value()))
			}
		}
		inv.LoadBalancers = append(inv.LoadBalancers, lb)
		inv.MonthlyFloor += lb.MonthlyFloor
	}
	sort.Slice(inv.LoadBalancers, func(a, b int) bool { return inv.LoadBalancers[a].Name < inv.LoadBalancers[b].Name })
	return inv, nil
}

// Apply marks declared services that a discovered load balancer of their own
// serves today as current LoadBalancer (where the declaration says nothing),
// and returns the load balancers owned by a Service the declaration does not
// have: orphans still being paid for, or services left out of the plan.
func Apply(inv *Inventory, d *planner.Declaration) (orphans []LoadBalancer) {
	declared := map[string]int{}
	for i := range d.Services {
		declared[d.Services[i].Key()] = i
	}
	for _, lb := range inv.LoadBalancers {
		if i, ok := declared[lb.Service]; ok && lb.Service != "" {
			if d.Services[i].Current == "" {
				d.Services[i].Current = planner.LoadBalancer
			}
			continue
		}
		if lb.Service != "" {
			orphans = append(orphans, lb)
		}
		// IngressGroup load balancers are matched through their Ingresses; untagged ones belong to nobody we know.
	}
	return orphans
}
