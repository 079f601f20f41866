package manifests

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// ingressesEach is n Services of namespace web (of type NodePort when
// nodePort), each routed by an Ingress of its own (annotations given) for a
// host of its own.
func ingressesEach(n int, nodePort bool, annotations, class string) []Source {
	var docs []string
	typ := ""
	if nodePort {
		typ = "\n  type: NodePort"
	}
	for i := range n {
		docs = append(docs, fmt.Sprintf(`apiVersion: v1
kind: Service
metadata: {name: s%[1]d, namespace: web}
spec:%[2]s
  ports: [{name: http, port: 8080, targetPort: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: s%[1]d, namespace: web, annotations: {%[3]s}}
spec:%[4]s
  rules:
    - host: s%[1]d.example.com
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: s%[1]d, port: {name: http}}}}]`, i, typ, annotations, class))
	}
	return []Source{{Name: "c.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
}

// A NodePort Service behind an ALB (instance targets, the AWS Load Balancer
// Controller's default, need a node port) is exposed by that ALB: read as
// of type NodePort with the ALB beside it, every ALB was kept as it is and
// three cost three. By hand (us-east-1, no traffic): an ALB's hour
// (730 x $0.0225 = $16.425) and two addresses (1,460 x $0.005 = $7.30),
// $23.73 each; today three, $71.19; planned one IngressGroup, $23.73. The
// Services stay of type NodePort (their Ingresses keep instance targets).
func TestNodePortBehindALBIsItsIngress(t *testing.T) {
	srcs := ingressesEach(3, true, "alb.ingress.kubernetes.io/scheme: internet-facing", "\n  ingressClassName: alb")
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	res, p := planSources(t, srcs, opts)
	for _, s := range res.Declaration.Services {
		if s.Current != planner.Ingress || len(s.AlsoOn) != 0 {
			t.Fatalf("%s read as %s (also on %v), want Ingress", s.Key(), s.Current, s.AlsoOn)
		}
	}
	if p.Totals.CurrentMonthlyCost.Dollars() != "$71.19" || p.Totals.MonthlyCost.Dollars() != "$23.73" {
		t.Fatalf("today %s, planned %s; want $71.19 and $23.73", p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
	}
	r := mustRender(t, srcs, res, p, opts)
	if out := joined(applyRendering(srcs, r)); strings.Count(out, "type: NodePort") != 3 || strings.Count(out, "group.name: web-s0") != 3 {
		t.Fatalf("want the three Services NodePort still, their Ingresses in one group:\n%s", out)
	}
	planRenderReplan(t, "NodePort behind ALBs", srcs, opts)
}

// Seven GKE Ingresses are seven global forwarding rules: the first five
// $0.025 an hour together, the others $0.01 each (730 h: $18.25 + 2 x $7.30
// = $32.85); planned as five, $18.25. The Ingress the plan keeps for three
// of them (web/s0) takes the others' rules: it keeps its address (it was
// deleted for a new Ingress, s0-lb). Read the same whether the Services are
// of type NodePort (instance groups) or not (network endpoint groups), and
// when web/s0's Ingress names a reserved address, which it keeps (the others
// could not join it: render wrote a new Ingress, without the address).
func TestGKEIngressKeptTakesOthersRules(t *testing.T) {
	for _, c := range []struct{ nodePort, address bool }{{false, false}, {true, false}, {false, true}} {
		nodePort := c.nodePort
		srcs := ingressesEach(7, nodePort, "kubernetes.io/ingress.class: gce", "")
		if c.address {
			srcs[0].Data = []byte(strings.Replace(string(srcs[0].Data), "{name: s0, namespace: web, annotations: {", "{name: s0, namespace: web, annotations: {kubernetes.io/ingress.global-static-ip-name: shop-ip, ", 1))
		}
		opts := Options{Cloud: "gcp", Region: "us-central1"}
		res, p := planSources(t, srcs, opts)
		if p.Totals.CurrentMonthlyCost.Dollars() != "$32.85" || p.Totals.MonthlyCost.Dollars() != "$18.25" {
			t.Fatalf("NodePort %v: today %s, planned %s; want $32.85 and $18.25", nodePort, p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
		}
		r := mustRender(t, srcs, res, p, opts)
		if c.address && !strings.Contains(joined(applyRendering(srcs, r)), "global-static-ip-name: shop-ip") {
			t.Fatalf("the reserved address left behind")
		}
		if r.New != nil || !slices.Equal(r.Deleted, []string{"Ingress web/s5", "Ingress web/s6"}) ||
			!slices.Contains(r.Changes, "Ingress web/s0: routes web/s5 too") || !slices.Contains(r.Changes, "Ingress web/s0: routes web/s6 too") {
			t.Fatalf("NodePort %v: want Ingress web/s0 to route web/s5 and web/s6, theirs deleted, nothing new; deleted %v, changes %v\n%s", nodePort, r.Deleted, r.Changes, r.New)
		}
		planRenderReplan(t, fmt.Sprintf("GKE Ingresses, NodePort %v", nodePort), srcs, opts)
	}
}

// Where today's ALBs and NLBs all send requests to node ports (target-type
// instance, the controller's default), render's do too: ip targets need pods
// the VPC reaches, which such a cluster may not have. The LoadBalancer
// Service moved onto the ALB becomes NodePort (its Ingress targets
// instances). One ALB Ingress of ip targets today (by its annotation, or
// by routing ClusterIP Services, which instance targets cannot reach: EKS
// Auto Mode's default), and render writes ip.
// By hand (us-east-1): two ALBs and an NLB, each its hour and two public
// addresses, $23.73 each, $71.19; planned one ALB, $23.73.
func TestRenderKeepsInstanceTargets(t *testing.T) {
	nlb := `
---
apiVersion: v1
kind: Service
metadata:
  name: s2
  namespace: web
  annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing, service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: instance, lbplanner.io/protocol: HTTP, lbplanner.io/hosts: s2.example.com}
spec:
  type: LoadBalancer
  ports: [{name: http, port: 8080, targetPort: 80}]
`
	for _, c := range []struct {
		ipIngress, clusterIP bool
		target, svcTyp       string
	}{{false, false, "instance", "NodePort"}, {true, false, "ip", "ClusterIP"}, {false, true, "ip", "ClusterIP"}} {
		srcs := ingressesEach(2, !c.clusterIP, "alb.ingress.kubernetes.io/scheme: internet-facing", "\n  ingressClassName: alb")
		data := string(srcs[0].Data) + nlb
		if c.ipIngress {
			data = strings.Replace(data, "{name: s1, namespace: web, annotations: {", "{name: s1, namespace: web, annotations: {alb.ingress.kubernetes.io/target-type: ip, ", 1)
		}
		srcs[0].Data = []byte(data)
		opts := Options{Cloud: "aws", Region: "us-east-1"}
		res, p := planSources(t, srcs, opts)
		if p.Totals.CurrentMonthlyCost.Dollars() != "$71.19" || p.Totals.MonthlyCost.Dollars() != "$23.73" {
			t.Fatalf("ip %v: today %s, planned %s; want $71.19 and $23.73", c.ipIngress, p.Totals.CurrentMonthlyCost, p.Totals.MonthlyCost)
		}
		r := mustRender(t, srcs, res, p, opts)
		out := joined(applyRendering(srcs, r))
		s2 := out[strings.Index(out, "name: s2\n"):]
		if !strings.Contains(string(r.New), "alb.ingress.kubernetes.io/target-type: "+c.target) || !strings.Contains(s2[:200], "type: "+c.svcTyp) {
			t.Errorf("ip %v: want the new Ingress target-type %s, Service s2 %s:\n%s", c.ipIngress, c.target, c.svcTyp, out)
		}
		planRenderReplan(t, "instance targets", srcs, opts)
	}
}
