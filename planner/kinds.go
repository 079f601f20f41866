package planner

import "github.com/lbplanner/terraform-provider-lbplanner/pricing"

// kindSpec describes a load-balancer kind once; the planner reads it instead
// of switching on the kind. Each cloud registers its kinds from its own file
// (aws.go, gcp.go, azure.go); ClusterIP, NodePort and the in-cluster proxy,
// which every cloud offers, are registered here.
type kindSpec struct {
	label    string   // for people: "ALB", "Application Gateway"
	strategy string   // the shared-exposure strategy that offers it; "" for an exposure of its own
	exposure Exposure // how the service is declared in Kubernetes
	lbs      int      // load balancers a group of it adds (the tie-break counts them)
	limits   kindLimits
	current  string // the CurrentLB kind that names it today, if any

	// A kind described wholly by data (a newer kind; the older ones are
	// still partly in switches) sets these too.
	items      []string                                                   // optional catalog items it needs: offered only where they are priced
	id         string                                                     // LoadBalancerPlan.Kind
	hop        string                                                     // hop path, for people
	addedMs    func(lb, proxy, node Quantity) Quantity                    // added latency from the declared per-hop figures
	infeasible func(m *model, si *svcInfo) string                         // why a service cannot take it, "" if it can
	cost       func(m *model, g *group, add func(CostLine))               // its cost lines
	render     func(row *ServicePlan, a map[string]string, internal bool) // the Kubernetes objects' fields it sets
}

// cloudSpec describes a cloud once: the kinds a reachable service may take
// there (standalone first) and how a group of any of them is priced.
type cloudSpec struct {
	kinds []kind
	cost  func(m *model, g *group, add func(CostLine)) []ruleSlot
}

var (
	kindSpecs [numKinds]kindSpec
	clouds    = map[string]cloudSpec{}
)

func registerKind(k kind, s kindSpec) { kindSpecs[k] = s }

func registerCloud(name string, c cloudSpec) { clouds[name] = c }

func init() {
	registerKind(kClusterIP, kindSpec{label: "ClusterIP", exposure: ClusterIP})
	registerKind(kNodePort, kindSpec{label: "NodePort", exposure: NodePort})
	registerKind(kNginx, kindSpec{label: "nginx", strategy: StrategyNginx, exposure: Ingress, lbs: 1, current: CurrentProxy})
}

func (k kind) spec() *kindSpec { return &kindSpecs[k] }

// label names the kind for people.
func (k kind) label() string { return kindSpecs[k].label }

func (k kind) exposure() Exposure { return kindSpecs[k].exposure }

func (k kind) shared() bool { return kindSpecs[k].strategy != "" }

// lbCount is how many load balancers a group of a kind adds (for the tie-break).
func lbCount(k kind) int { return kindSpecs[k].lbs }

// kindOfCurrent is the kind a CurrentLB kind names on a cloud, if any.
func kindOfCurrent(cloud, current string) (kind, bool) {
	for _, k := range clouds[cloud].kinds {
		if kindSpecs[k].current == current {
			return k, true
		}
	}
	return 0, false
}

// PricedStrategies lists the strategies of a cloud whose load balancers the
// catalog prices in a region (some kinds are priced in some regions only).
func PricedStrategies(cat *pricing.Catalog, cloud, region string) []string {
	var out []string
	rp, err := cat.Region(cloud, region)
	if err != nil {
		return nil
	}
	r, err := loadRates(rp)
	if err != nil {
		return nil
	}
	for _, k := range offered(cloud, r) {
		if s := k.spec().strategy; s != "" {
			out = append(out, s)
		}
	}
	return out
}
