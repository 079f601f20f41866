// Package discoverytest is a local Elastic Load Balancing v2 endpoint for
// tests: it speaks the service's query protocol (form-encoded POST, XML).
package discoverytest

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/discovery"
)

// LB is one load balancer the server knows.
type LB struct {
	Name, Kind, Scheme string // Kind: application, network
	Zones              int
	Tags               map[string]string
}

// Server speaks the ELBv2 query protocol (form-encoded POST, XML answers):
// DescribeLoadBalancers pages of 10 with NextMarker, DescribeTags for up to 20 ARNs.
type Server struct {
	lbs []LB
	// TagCalls counts the load balancers asked for in each DescribeTags call.
	TagCalls []int
	// RepeatMarker makes every page after the first name the same next page, as a broken endpoint would.
	RepeatMarker bool
}

// NewServer serves the given load balancers.
func NewServer(lbs []LB) *Server { return &Server{lbs: lbs} }

// ARN is the ARN the server gives a load balancer.
func ARN(name string) string {
	return "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/" + name
}

// ServeHTTP answers DescribeLoadBalancers and DescribeTags.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost || r.Form.Get("Version") != "2015-12-01" || r.Header.Get("Authorization") == "" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>bad request</Message></Error></ErrorResponse>`)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	const ns = `xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"`
	esc := func(v string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(v))
		return b.String()
	}
	switch r.Form.Get("Action") {
	case "DescribeLoadBalancers":
		start, _ := strconv.Atoi(r.Form.Get("Marker"))
		end := min(start+10, len(s.lbs))
		var b strings.Builder
		fmt.Fprintf(&b, `<DescribeLoadBalancersResponse %s><DescribeLoadBalancersResult><LoadBalancers>`, ns)
		for _, lb := range s.lbs[start:end] {
			fmt.Fprintf(&b, `<member><LoadBalancerArn>%s</LoadBalancerArn><LoadBalancerName>%s</LoadBalancerName><Type>%s</Type><Scheme>%s</Scheme><AvailabilityZones>`,
				esc(ARN(lb.Name)), esc(lb.Name), lb.Kind, lb.Scheme)
			for z := 0; z < lb.Zones; z++ {
				fmt.Fprintf(&b, `<member><ZoneName>us-east-1%c</ZoneName></member>`, 'a'+z)
			}
			b.WriteString(`</AvailabilityZones></member>`)
		}
		b.WriteString(`</LoadBalancers>`)
		switch {
		case s.RepeatMarker && start > 0:
			fmt.Fprintf(&b, `<NextMarker>%d</NextMarker>`, start)
		case end < len(s.lbs):
			fmt.Fprintf(&b, `<NextMarker>%d</NextMarker>`, end)
		}
		b.WriteString(`</DescribeLoadBalancersResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>`)
		fmt.Fprint(w, b.String())
	case "DescribeTags":
		var arns []string
		for i := 1; ; i++ {
			v := r.Form.Get("ResourceArns.member." + strconv.Itoa(i))
			if v == "" {
				break
			}
			arns = append(arns, v)
		}
		s.TagCalls = append(s.TagCalls, len(arns))
		if len(arns) > 20 {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>too many</Message></Error></ErrorResponse>`)
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, `<DescribeTagsResponse %s><DescribeTagsResult><TagDescriptions>`, ns)
		for _, a := range arns {
			for _, lb := range s.lbs {
				if ARN(lb.Name) != a {
					continue
				}
				fmt.Fprintf(&b, `<member><ResourceArn>%s</ResourceArn><Tags>`, esc(a))
				for k, v := range lb.Tags {
					fmt.Fprintf(&b, `<member><Key>%s</Key><Value>%s</Value></member>`, esc(k), esc(v))
				}
				b.WriteString(`</Tags></member>`)
			}
		}
		b.WriteString(`</TagDescriptions></DescribeTagsResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></DescribeTagsResponse>`)
		fmt.Fprint(w, b.String())
	default:
		w.WriteHeader(http.StatusBadRequest)
	}
}

// Fleet is a sample: load balancers of cluster prod owned by Services and an
// IngressGroup, an orphan, an in-tree one, one of cluster staging, and twenty
// untagged ones of other teams.
func Fleet() []LB {
	lbs := []LB{
		{"k8s-shop-checkout", "network", "internet-facing", 2, map[string]string{discovery.TagServiceStack: "shop/checkout", discovery.TagCluster: "prod"}},
		{"k8s-ops-statsd", "network", "internal", 2, map[string]string{discovery.TagServiceStack: "ops/statsd", discovery.TagCluster: "prod"}},
		{"k8s-web-group", "application", "internet-facing", 3, map[string]string{discovery.TagIngressStack: "web", discovery.TagCluster: "prod"}},
		{"k8s-old-forgotten", "network", "internet-facing", 2, map[string]string{discovery.TagServiceStack: "old/forgotten", discovery.TagCluster: "prod"}},
		{"intree-legacy", "network", "internet-facing", 2, map[string]string{discovery.TagServiceName: "shop/legacy", "kubernetes.io/cluster/prod": "owned"}},
		{"other-cluster", "application", "internet-facing", 2, map[string]string{discovery.TagServiceStack: "x/y", discovery.TagCluster: "staging"}},
	}
	for i := 0; i < 20; i++ { // untagged load balancers of other teams, to page and batch through
		lbs = append(lbs, LB{fmt.Sprintf("team-%02d", i), "application", "internal", 2, map[string]string{"team": "other"}})
	}
	return lbs
}
