package manifests

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomAWSCluster writes the manifests of a random AWS cluster: Services of
// every type (TCP and UDP LoadBalancers on NLBs, HTTP Services behind ALB
// Ingresses alone or in IngressGroups of either scheme or behind
// ingress-nginx, plain ClusterIP ones), hosts shared between Services, and
// traffic on some.
func randomAWSCluster(r *rand.Rand) []Source {
	var docs []string
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	nginx := r.IntN(3) == 0
	if nginx { // ingress-nginx behind its own NLB
		docs = append(docs, `apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: external
    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
spec:
  type: LoadBalancer
  ports:
    - {name: http, port: 80, targetPort: http}
    - {name: https, port: 443, targetPort: https}`, `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}`)
	}
	for i := range 2 + r.IntN(18) {
		ns, name := pick("shop", "web"), fmt.Sprintf("svc%d", i)
		annotations := ""
		if r.IntN(2) == 0 {
			annotations = fmt.Sprintf("\n    lbplanner.io/traffic: rps=%d,gbPerMonth=%d", r.IntN(500), r.IntN(2000))
		}
		switch r.IntN(4) {
		case 0: // a layer-4 LoadBalancer on an NLB of either scheme
			proto := pick("TCP", "UDP")
			docs = append(docs, fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: %s
  namespace: %s
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: external
    service.beta.kubernetes.io/aws-load-balancer-scheme: %s%s
spec:
  type: LoadBalancer
  ports: [{name: p, port: %d, protocol: %s}]`, name, ns, pick("internet-facing", "internal"), annotations, 5000+i, proto))
		case 1, 2: // HTTP behind an ALB Ingress, its own or a group's
			docs = append(docs, fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: %s
  namespace: %s
  annotations: {placeholder: "x"%s}
spec:
  ports: [{name: http, port: 80}]`, name, ns, strings.ReplaceAll(annotations, "\n    ", ", ")))
			scheme := pick("internet-facing", "internal")
			group, class := "", "alb"
			switch {
			case nginx && r.IntN(3) == 0:
				class, scheme = "nginx", "internet-facing"
			case r.IntN(2) == 0:
				group = fmt.Sprintf("\n    alb.ingress.kubernetes.io/group.name: team-%d-%s", r.IntN(2), scheme)
			}
			docs = append(docs, fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %s
  namespace: %s
  annotations:
    alb.ingress.kubernetes.io/scheme: %s%s
spec:
  ingressClassName: %s
  rules:
    - host: h%d.example.com
      http:
        paths: [{path: /p%d, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}]`, name, ns, scheme, group, class, r.IntN(3), i, name))
		default: // reachable inside the cluster only
			docs = append(docs, fmt.Sprintf(`apiVersion: v1
kind: Service
metadata: {name: %s, namespace: %s}
spec:
  ports: [{name: http, port: 80}]`, name, ns))
		}
	}
	return []Source{{Name: "cluster.yaml", Data: []byte(strings.Join(docs, "\n---\n") + "\n")}}
}

// Random AWS clusters, planned, rendered and read back: the rendered
// manifests plan the same way, today then costs what the plan costs, and
// rendering them again changes nothing (the plan is one a user can apply).
func TestRandomClustersRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 7))
	opts := Options{Cloud: "aws", Region: "us-east-1"}
	changed := 0
	for n := range 250 {
		srcs := randomAWSCluster(r)
		res, err := Read(srcs, opts)
		if err != nil {
			t.Fatalf("cluster %d: %v\n%s", n, err, srcs[0].Data)
		}
		_, p := planSources(t, srcs, opts)
		rendered, err := Render(srcs, res, p, opts)
		if err != nil {
			t.Fatalf("cluster %d: render: %v", n, err)
		}
		if len(rendered.Files) > 0 || rendered.New != nil {
			changed++
		}
		after := applyRendering(srcs, rendered)
		res2, p2 := planSources(t, after, opts)
		if p2.Totals.MonthlyCost != p.Totals.MonthlyCost || p2.Totals.CurrentMonthlyCost == nil || *p2.Totals.CurrentMonthlyCost != p.Totals.MonthlyCost {
			t.Fatalf("cluster %d: planned %s; the rendered manifests plan %s, today %v\n%s\n--- rendered:\n%s", n, p.Totals.MonthlyCost, p2.Totals.MonthlyCost,
				p2.Totals.CurrentMonthlyCost, srcs[0].Data, joined(after))
		}
		for _, s := range p.Services {
			s2 := planRow(t, p2, s.Namespace+"/"+s.Name)
			if s2.Exposure != s.Exposure || (s.LoadBalancer == nil) != (s2.LoadBalancer == nil) {
				t.Fatalf("cluster %d: %s/%s planned %s, after render %s", n, s.Namespace, s.Name, s.Exposure, s2.Exposure)
			}
		}
		again, err := Render(after, res2, p2, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Files) != 0 || again.New != nil || len(again.Deleted) != 0 {
			t.Fatalf("cluster %d: rendering the rendered manifests changes %v", n, again.Changes)
		}
	}
	if changed < 120 {
		t.Fatalf("only %d of 250 plans change the manifests: the clusters prove little", changed)
	}
}

func joined(srcs []Source) string {
	var b strings.Builder
	for _, s := range srcs {
		fmt.Fprintf(&b, "# %s\n%s\n", s.Name, s.Data)
	}
	return b.String()
}
