package provider

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/lbplanner/terraform-provider-lbplanner/manifests"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// planConfig is an lbplanner_plan configuration, read from its raw value.
type planConfig struct {
	o object
	// keys are the services map's keys in the order the declaration lists
	// them (sorted), so that a planner error's index names its service.
	keys []string
	// services are the map's values by key.
	services map[string]tftypes.Value
}

// readPlanConfig decodes the configuration; ok is false when it is null or unknown.
func readPlanConfig(raw tftypes.Value) (*planConfig, bool) {
	o, ok := objectOf(raw)
	if !ok {
		return nil, false
	}
	c := &planConfig{o: o, services: o.entries("services")}
	c.keys = slices.Sorted(maps.Keys(c.services))
	return c, true
}

// splitKey splits a services key, namespace/name.
func splitKey(key string) (namespace, name string) {
	if ns, n, ok := strings.Cut(key, "/"); ok {
		return ns, n
	}
	return "", key
}

// fieldErrors collects planner field errors while converting.
type fieldErrors struct{ es planner.Errors }

func (f *fieldErrors) add(index int, service, field string, err error) {
	f.es = append(f.es, &planner.FieldError{Index: index, Service: service, Field: field, Msg: err.Error()})
}

// quantity reads an optional non-negative number of at most six decimals.
func (f *fieldErrors) quantity(o object, attr string, index int, service, field string) *planner.Quantity {
	n := o.number(attr)
	if n == nil {
		return nil
	}
	q, err := quantityOfFloat(n)
	if err != nil {
		f.add(index, service, field, err)
	}
	return &q
}

// traffic reads a traffic object; missing figures are 0.
func (f *fieldErrors) traffic(o object, index int, service, prefix string) planner.Traffic {
	q := func(attr, field string) planner.Quantity {
		if v := f.quantity(o, attr, index, service, prefix+field); v != nil {
			return *v
		}
		return 0
	}
	return planner.Traffic{RequestsPerSecond: q("requests_per_second", "requestsPerSecond"),
		NewConnectionsPerSecond: q("new_connections_per_second", "newConnectionsPerSecond"),
		ActiveConnections:       q("active_connections", "activeConnections"), GBPerMonth: q("gb_per_month", "gbPerMonth")}
}

func optInt(o object, attr string) *int {
	if n, ok := o.integer(attr); ok {
		return &n
	}
	return nil
}

// declaration builds the planner's input from the configuration.
func (c *planConfig) declaration() (*planner.Declaration, error) {
	var fe fieldErrors
	o := c.o
	zones, _ := o.integer("zones")
	d := &planner.Declaration{
		Cloud: o.str("cloud"), Region: o.str("region"), Zones: zones, Mesh: o.str("mesh"),
		LoadBalancer: o.str("bare_metal_load_balancer"), AWSLoadBalancerController: o.boolean("aws_load_balancer_controller"),
		ContainerNative: o.boolean("container_native"),
	}
	if b := o.boolean("allow_node_port"); b != nil {
		d.AllowNodePort = *b
	}
	if o.set("strategies") {
		d.Strategies = o.strs("strategies")
	}
	c.settings(d, &fe)
	if o.set("manifests") {
		read, err := c.fromManifests(d)
		if err != nil {
			return nil, err
		}
		c.readSettings(d, read)
		d.Services = read.Services
		return d, nil
	}
	d.Services = make([]planner.Service, 0, len(c.keys))
	for i, key := range c.keys {
		s, _ := objectOf(c.services[key])
		d.Services = append(d.Services, serviceOf(key, s, i, &fe))
	}
	if len(fe.es) > 0 {
		return d, fe.es // with each bad number left out, for validation to go on
	}
	return d, nil
}

// settings reads the declaration-wide nested settings.
func (c *planConfig) settings(d *planner.Declaration, fe *fieldErrors) {
	o := c.o
	if l, ok := o.obj("latency"); ok {
		d.Latency = &planner.LatencyAssumptions{
			LoadBalancerMs: fe.quantity(l, "load_balancer_ms", -1, "", "latency.loadBalancerMs"),
			ProxyMs:        fe.quantity(l, "proxy_ms", -1, "", "latency.proxyMs"),
			NodeHopMs:      fe.quantity(l, "node_hop_ms", -1, "", "latency.nodeHopMs"),
			SidecarMs:      fe.quantity(l, "sidecar_ms", -1, "", "latency.sidecarMs"),
		}
	}
	if p, ok := o.obj("proxy"); ok {
		d.Proxy = &planner.ProxySizing{Implementation: p.str("implementation"), Replicas: optInt(p, "replicas"),
			CPU: fe.quantity(p, "cpu", -1, "", "proxy.cpu"), MemoryGiB: fe.quantity(p, "memory_gib", -1, "", "proxy.memoryGiB")}
		if b := p.boolean("redirects_http"); b != nil {
			d.Proxy.RedirectsHTTP = *b
		}
		if b := p.boolean("replace_today"); b != nil {
			d.Proxy.ReplaceToday = *b
		}
		for j, v := range p.elements("today") {
			if t, ok := objectOf(v); ok {
				field := fmt.Sprintf("proxy.today[%d].", j)
				d.Proxy.Today = append(d.Proxy.Today, planner.TodaysProxy{Name: t.str("name"), Implementation: t.str("implementation"), Replicas: optInt(t, "replicas"),
					CPU: fe.quantity(t, "cpu", -1, "", field+"cpu"), MemoryGiB: fe.quantity(t, "memory_gib", -1, "", field+"memoryGiB")})
			}
		}
	}
	if r, ok := o.obj("existing_forwarding_rules"); ok {
		g, _ := r.integer("global")
		rg, _ := r.integer("regional")
		d.ExistingForwardingRules = &planner.ForwardingRules{Global: g, Regional: rg}
	}
	if c, ok := o.obj("cross_zone"); ok {
		d.CrossZone = &planner.CrossZone{NLB: c.boolean("nlb"), Proxy: c.boolean("proxy")}
	}
	if r, ok := o.obj("existing_load_balancer_rules"); ok {
		d.ExistingLoadBalancerRules = &planner.LoadBalancerRules{Public: optInt(r, "public"), Internal: optInt(r, "internal")}
	}
	if a, ok := o.obj("app_gateway"); ok {
		d.AppGateway = &planner.AppGatewaySizing{MinInstances: optInt(a, "min_instances")}
	}
	if a, ok := o.obj("address_pool"); ok {
		d.AddressPool = &planner.AddressPool{Size: optInt(a, "size"),
			MonthlyCostPerAddress: fe.quantity(a, "monthly_cost_per_address", -1, "", "addressPool.monthlyCostPerAddress")}
	}
	if n, ok := o.obj("node_cost"); ok {
		d.NodeCost = &planner.NodeCost{VCPUHour: fe.quantity(n, "vcpu_hour", -1, "", "nodeCost.vCPUHour"),
			GiBHour: fe.quantity(n, "gib_hour", -1, "", "nodeCost.gibHour")}
	}
}

// serviceOf reads one element of the services map.
func serviceOf(key string, s object, i int, fe *fieldErrors) planner.Service {
	ns, name := splitKey(key)
	port, _ := s.integer("port")
	svc := planner.Service{
		Name: name, Namespace: ns, Protocol: s.str("protocol"), Port: port, Audience: s.str("audience"),
		Hosts: s.strs("hosts"), Paths: s.strs("paths"), Certificate: s.str("certificate"), Needs: s.strs("needs"),
		Current: planner.Exposure(s.str("current")), Pin: planner.Exposure(s.str("pin")), Labels: s.strMap("labels"),
		LatencyBudgetMs: fe.quantity(s, "latency_budget_ms", i, key, "latencyBudgetMs"),
		RoutedWith:      s.strs("routed_with"), Calls: s.strs("calls"), StaticAddresses: s.strs("static_addresses"),
	}
	if h := s.boolean("headless"); h != nil {
		svc.Headless = *h
	}
	svc.ClusterPorts = s.ints("cluster_ports")
	if c, ok := s.obj("current_load_balancer"); ok {
		lb := currentLB(c)
		svc.CurrentLoadBalancer = &lb
	}
	for _, v := range s.elements("also_on") {
		if c, ok := objectOf(v); ok {
			svc.AlsoOn = append(svc.AlsoOn, currentLB(c))
		}
	}
	for _, v := range s.elements("ports") {
		if p, ok := objectOf(v); ok {
			n, _ := p.integer("port")
			svc.Ports = append(svc.Ports, planner.ServicePort{Port: n, Protocol: p.str("protocol")})
		}
	}
	if t, ok := s.obj("traffic"); ok {
		svc.Traffic = fe.traffic(t, i, key, "traffic.")
	}
	return svc
}

func currentLB(c object) planner.CurrentLB {
	lb := planner.CurrentLB{Kind: c.str("kind"), Name: c.str("name"), Scheme: c.str("scheme"), Frontend: c.str("frontend")}
	if b := c.boolean("http_frontend"); b != nil {
		lb.HTTPFrontend = *b
	}
	if b := c.boolean("http_redirect"); b != nil {
		lb.HTTPRedirect = *b
	}
	if n, ok := c.integer("rule_position"); ok {
		lb.RulePosition = n
	}
	lb.AccessPolicy = c.str("access_policy")
	return lb
}

// readSettings takes the settings read from the manifests that the
// configuration leaves unset, as the lbplanner command does: today's proxy
// (its implementation, pods and redirect, and those sized apart), cross-zone load balancing, the
// bare-metal address pool and load balancer.
func (c *planConfig) readSettings(d, read *planner.Declaration) {
	if p := read.Proxy; p != nil {
		if d.Proxy == nil {
			d.Proxy = &planner.ProxySizing{}
		}
		q := d.Proxy
		if q.Implementation == "" {
			q.Implementation = p.Implementation
		}
		q.Replicas, q.CPU, q.MemoryGiB = cmp.Or(q.Replicas, p.Replicas), cmp.Or(q.CPU, p.CPU), cmp.Or(q.MemoryGiB, p.MemoryGiB)
		if q.Today == nil {
			q.Today = p.Today
		}
		if po, ok := c.o.obj("proxy"); !ok || po.boolean("redirects_http") == nil {
			q.RedirectsHTTP = p.RedirectsHTTP
		}
	}
	if d.CrossZone == nil {
		d.CrossZone = read.CrossZone
	} else if read.CrossZone != nil {
		d.CrossZone.NLB, d.CrossZone.Proxy = cmp.Or(d.CrossZone.NLB, read.CrossZone.NLB), cmp.Or(d.CrossZone.Proxy, read.CrossZone.Proxy)
	}
	if d.AddressPool == nil {
		d.AddressPool = read.AddressPool
	}
	if d.LoadBalancer == "" {
		d.LoadBalancer = read.LoadBalancer
	}
}

// fromManifests reads the declaration of the manifests attribute, with the
// traffic attribute's figures by namespace/name.
func (c *planConfig) fromManifests(d *planner.Declaration) (*planner.Declaration, error) {
	var fe fieldErrors
	traffic := map[string]planner.Traffic{}
	entries := c.o.entries("traffic")
	for _, key := range slices.Sorted(maps.Keys(entries)) {
		if t, ok := objectOf(entries[key]); ok {
			traffic[key] = fe.traffic(t, -1, "", "traffic["+key+"].")
		}
	}
	if len(fe.es) > 0 {
		return nil, fe.es
	}
	res, err := manifests.Read([]manifests.Source{{Name: "manifests", Data: []byte(c.o.str("manifests"))}},
		manifests.Options{Cloud: d.Cloud, Region: d.Region, Traffic: traffic})
	if err != nil {
		return nil, err
	}
	return res.Declaration, nil
}

// knownPart keeps the errors of services whose every value is known: with
// unknown values, the others (and the declaration-wide ones) wait until known.
func (c *planConfig) knownPart(err error) error {
	var es planner.Errors
	if !errors.As(err, &es) {
		return nil
	}
	var kept planner.Errors
	for _, e := range es {
		if e.Index >= 0 && e.Index < len(c.keys) && c.services[c.keys[e.Index]].IsFullyKnown() {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}
