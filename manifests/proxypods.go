package manifests

import (
	"encoding/json"
	"math/big"
	"slices"
	"sort"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// workload is a Deployment or DaemonSet as the proxy's pods are priced
// from it: how many pods, and what each requests.
type workload struct {
	obj       object
	kind, key string // Deployment or DaemonSet; namespace/name
	labels    map[string]string
	replicas  *int32 // spec.replicas (a Deployment's; nil: unset)
	cpu, mem  *resource.Quantity
	args      []string // its containers' commands and arguments
}

// readWorkload records a Deployment or DaemonSet (apps/v1) whose pods a
// proxy's Service may select.
func (r *reader) readWorkload(o object) {
	if !strings.HasPrefix(o.api, "apps/") || (o.kind != "Deployment" && o.kind != "DaemonSet") {
		return
	}
	var meta struct {
		Metadata struct{ Name, Namespace string } `json:"metadata"`
	}
	_ = json.Unmarshal(o.raw, &meta)
	key := r.namespace(meta.Metadata.Namespace) + "/" + meta.Metadata.Name
	var wl struct { // what a Deployment and a DaemonSet share, and a Deployment's replicas
		Spec struct {
			Replicas *int32                 `json:"replicas"`
			Template corev1.PodTemplateSpec `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(o.raw, &wl); err != nil {
		r.warn("%s: %s %s not read (%v): a proxy's pods it runs are priced with the declared sizing", o.at(), o.kind, key, err)
		return
	}
	tmpl := wl.Spec.Template
	w := &workload{obj: o, kind: o.kind, key: key, labels: tmpl.Labels}
	if o.kind == "Deployment" {
		w.replicas = wl.Spec.Replicas
	}
	w.cpu, w.mem = podRequests(tmpl.Spec.Containers)
	for _, c := range tmpl.Spec.Containers {
		w.args = append(append(w.args, c.Command...), c.Args...)
	}
	r.workloads = append(r.workloads, w)
}

// podRequests sums a pod's containers' requests of CPU and memory (a
// container that sets a limit and no request requests its limit, as the API
// server defaults it); nil where no container requests any.
func podRequests(containers []corev1.Container) (cpu, mem *resource.Quantity) {
	add := func(sum **resource.Quantity, c corev1.Container, name corev1.ResourceName) {
		q, ok := c.Resources.Requests[name]
		if !ok {
			q, ok = c.Resources.Limits[name]
		}
		if !ok {
			return
		}
		if *sum == nil {
			*sum = &resource.Quantity{}
		}
		(*sum).Add(q)
	}
	for _, c := range containers {
		add(&cpu, c, corev1.ResourceCPU)
		add(&mem, c, corev1.ResourceMemory)
	}
	return cpu, mem
}

// readHPA records the fewest replicas a HorizontalPodAutoscaler keeps of
// the Deployment it scales (minReplicas, 1 unless set), by namespace/name.
func (r *reader) readHPA(o object) {
	if !strings.HasPrefix(o.api, "autoscaling/") {
		return
	}
	var h autoscalingv2.HorizontalPodAutoscaler
	if err := json.Unmarshal(o.raw, &h); err != nil {
		r.warn("%s: HorizontalPodAutoscaler not read (%v)", o.at(), err)
		return
	}
	if h.Spec.ScaleTargetRef.Kind != "Deployment" {
		return
	}
	min := int32(1)
	if h.Spec.MinReplicas != nil {
		min = *h.Spec.MinReplicas
	}
	if r.hpaMin == nil {
		r.hpaMin = map[string]int32{}
	}
	target := r.namespace(h.Namespace) + "/" + h.Spec.ScaleTargetRef.Name
	r.hpaMin[target] = min
	if r.hpaOf == nil {
		r.hpaOf = map[string][]string{}
	}
	r.hpaOf[target] = append(r.hpaOf[target], "HorizontalPodAutoscaler "+r.namespace(h.Namespace)+"/"+h.Name)
}

// recordProxyPods records, for render, each in-cluster proxy's own Service
// (its labels) and the objects that run its pods: the workload it selects
// and the autoscalers scaling it (none when the manifests lack them).
func (r *reader) recordProxyPods(proxySvcs []*svc) {
	for _, s := range proxySvcs {
		if r.res.proxyPods == nil {
			r.res.proxyPods = map[string]proxyPods{}
		}
		pods := proxyPods{labels: s.s.Labels}
		if w := r.workloadOf(s); w != nil {
			pods.objects = append([]string{w.kind + " " + w.key}, r.hpaOf[w.key]...)
		}
		r.res.proxyPods[s.s.Namespace+"/"+s.s.Name] = pods
	}
}

// proxySizing sizes the pods of today's proxies of implementation impl from
// the Deployment (or DaemonSet) each one's Service selects (proxySvcs, in
// key order): its replicas (a HorizontalPodAutoscaler's minReplicas when one
// scales it; a DaemonSet's are not known) and each pod's CPU and memory
// requests, rounded up to a millionth. What no workload says is left to the
// implementation's defaults. The first proxy's pods size the proxies (and
// the new ones a plan adds); today's proxies of another implementation, or
// whose pods differ, are sized apart (proxy.today, todaysProxies). Without a
// Service selecting them (render deletes an unused proxy's), the first
// workload whose pod labels name the implementation sizes them.
func (r *reader) proxySizing(impl string, proxySvcs []*svc, names []string) *planner.ProxySizing {
	p := &planner.ProxySizing{Implementation: impl, RedirectsHTTP: impl == planner.ProxyTraefik && r.traefikRedirect}
	var first *workload
	for _, s := range proxySvcs {
		if proxyImplOf(s.s.Labels) != impl {
			continue
		}
		if w := r.workloadOf(s); w != nil {
			first = w
			r.sizeFrom(p, w)
			break
		}
	}
	if w := r.proxyWorkload(impl); first == nil && w != nil { // no Service of its selects them: the controller's pods by their labels
		first = w
		r.sizeFrom(p, w)
	}
	p.Today = r.todaysProxies(p, first, proxySvcs, names)
	return p
}

// todaysProxies sizes apart each of today's proxies (by load balancer name)
// of another implementation than p's (by its own workload, else that
// implementation's defaults), and each of p's whose own workload (the one
// its Service selects) runs other pods than first, p's.
func (r *reader) todaysProxies(p *planner.ProxySizing, first *workload, proxySvcs []*svc, names []string) []planner.TodaysProxy {
	var out []planner.TodaysProxy
	for _, name := range names {
		impl := r.proxyImplOfLB[name]
		if impl == "" {
			impl = p.Implementation // a controller the planner does not know: priced as p's, as before
		}
		w := r.proxyWorkloadFor(name, impl, proxySvcs)
		if impl == p.Implementation && (w == nil || w == first || (first != nil && samePods(first, w, r.hpaMin))) {
			continue
		}
		t := planner.TodaysProxy{Name: name}
		if impl != p.Implementation {
			t.Implementation = impl
		}
		if w != nil {
			var sz planner.ProxySizing
			r.sizeFrom(&sz, w)
			t.Replicas, t.CPU, t.MemoryGiB = sz.Replicas, sz.CPU, sz.MemoryGiB
		}
		out = append(out, t)
	}
	return out
}

// proxyWorkloadFor is the workload that runs the pods of today's proxy
// name, of implementation impl: of those the proxies' own Services select
// (by their labels, proxyBehind), the first whose arguments name its
// IngressClass (ingress-nginx's --ingress-class or --controller-class: two
// controllers, one a class), else the first naming none; nil when none is.
func (r *reader) proxyWorkloadFor(name, impl string, proxySvcs []*svc) *workload {
	var anyClass *workload
	for _, s := range proxySvcs {
		if proxyImplOf(s.s.Labels) != impl || !r.proxyBehind(s)(name) {
			continue
		}
		w := r.workloadOf(s)
		if w == nil {
			continue
		}
		switch names, this := r.namesClass(w, name); {
		case this:
			return w
		case !names && anyClass == nil:
			anyClass = w
		}
	}
	return anyClass
}

// namesClass reports whether workload w's arguments name the IngressClasses
// it serves (ingress-nginx's --ingress-class, --controller-class), and
// whether class is one of them.
func (r *reader) namesClass(w *workload, class string) (names, this bool) {
	for i, a := range w.args {
		flag, v, ok := strings.Cut(a, "=")
		if !ok && i+1 < len(w.args) {
			v = w.args[i+1]
		}
		switch strings.TrimLeft(flag, "-") {
		case "ingress-class":
			names, this = true, this || v == class
		case "controller-class":
			names, this = true, this || (v != "" && v == r.classCtl[class])
		}
	}
	return names, this
}

// todaysProxyNames are the names of today's in-cluster proxies (the
// services' currentLoadBalancer and alsoOn of kind proxy), sorted.
func todaysProxyNames(d *planner.Declaration) []string {
	seen := map[string]bool{}
	for i := range d.Services {
		s := &d.Services[i]
		if c := s.CurrentLoadBalancer; c != nil && c.Kind == planner.CurrentProxy {
			seen[c.Name] = true
		}
		for _, c := range s.AlsoOn {
			if c.Kind == planner.CurrentProxy {
				seen[c.Name] = true
			}
		}
	}
	return sortedKeys(seen)
}

// proxyWorkload is the first workload (by kind and key) whose pod labels
// name proxy implementation impl (any, when ""); nil when none does.
func (r *reader) proxyWorkload(impl string) *workload {
	ws := slices.Clone(r.workloads)
	sort.Slice(ws, func(i, j int) bool { return ws[i].kind+ws[i].key < ws[j].kind+ws[j].key })
	for _, w := range ws {
		if got := proxyImplOf(w.labels); got != "" && (impl == "" || got == impl) {
			return w
		}
	}
	return nil
}

// workloadOf is the Deployment or DaemonSet whose pods Service s selects:
// in its namespace, with every label of its selector (the first in key order
// of several); nil when none is in the manifests.
func (r *reader) workloadOf(s *svc) *workload {
	sel := s.s.Spec.Selector
	if len(sel) == 0 {
		return nil
	}
	var found []*workload
	for _, w := range r.workloads {
		if !strings.HasPrefix(w.key, s.s.Namespace+"/") {
			continue
		}
		all := true
		for k, v := range sel {
			all = all && w.labels[k] == v
		}
		if all {
			found = append(found, w)
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].kind+found[i].key < found[j].kind+found[j].key })
	if len(found) == 0 {
		return nil
	}
	return found[0]
}

// sizeFrom sets p's replicas, CPU and memory from workload w, each where w
// says it and the value is one a declaration may hold.
func (r *reader) sizeFrom(p *planner.ProxySizing, w *workload) {
	at := w.obj.at()
	if n, ok := w.podCount(r.hpaMin); ok && n >= 1 && n <= planner.MaxProxyReplica {
		v := int(n)
		p.Replicas = &v
		if _, scaled := r.hpaMin[w.key]; scaled {
			r.warn("%s: proxy pods priced at the minReplicas (%d) of the HorizontalPodAutoscaler that scales %s %s: more pods cost more", at, n, w.kind, w.key)
		}
	} else if w.kind == "DaemonSet" {
		r.warn("%s: the proxy runs as DaemonSet %s, a pod per node: declare proxy.replicas to price its pods (priced with %d until then)", at, w.key, planner.DefaultProxyReplicas)
	}
	if q, ok := micro(w.cpu, 1); ok {
		p.CPU = &q
	}
	if q, ok := micro(w.mem, 1<<30); ok {
		p.MemoryGiB = &q
	}
}

// podCount is how many pods workload w runs: a HorizontalPodAutoscaler's
// minReplicas, else spec.replicas (1 when unset, as the API server
// defaults it); false for a DaemonSet.
func (w *workload) podCount(hpaMin map[string]int32) (int32, bool) {
	if w.kind != "Deployment" {
		return 0, false
	}
	if n, ok := hpaMin[w.key]; ok {
		return n, true
	}
	if w.replicas == nil {
		return 1, true
	}
	return *w.replicas, true
}

// samePods reports whether two workloads run as many pods of the same size.
func samePods(a, b *workload, hpaMin map[string]int32) bool {
	na, oka := a.podCount(hpaMin)
	nb, okb := b.podCount(hpaMin)
	eq := func(x, y *resource.Quantity) bool { return (x == nil) == (y == nil) && (x == nil || x.Cmp(*y) == 0) }
	return na == nb && oka == okb && eq(a.cpu, b.cpu) && eq(a.mem, b.mem)
}

// micro is q divided by unit as a planner Quantity (millionths), rounded up;
// false when q is nil or out of a Quantity's range.
func micro(q *resource.Quantity, unit int64) (planner.Quantity, bool) {
	if q == nil {
		return 0, false
	}
	d := q.AsDec()
	num := new(big.Int).Mul(d.UnscaledBig(), big.NewInt(planner.QuantityScale))
	den := big.NewInt(unit)
	if s := int64(d.Scale()); s > 0 {
		if s > 30 {
			return 0, false
		}
		den.Mul(den, new(big.Int).Exp(big.NewInt(10), big.NewInt(s), nil))
	} else if s < 0 {
		if s < -30 {
			return 0, false
		}
		num.Mul(num, new(big.Int).Exp(big.NewInt(10), big.NewInt(-s), nil))
	}
	if num.Sign() < 0 {
		return 0, false
	}
	v, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if rem.Sign() > 0 {
		v.Add(v, big.NewInt(1))
	}
	if !v.IsInt64() || v.Int64() > int64(planner.MaxQuantity) {
		return 0, false
	}
	return planner.Quantity(v.Int64()), true
}

// proxyImplOf is the planner's implementation of the proxy whose own
// Service has labels, "" when they do not tell.
func proxyImplOf(labels map[string]string) string {
	if labels["istio"] == "ingressgateway" || labels["app"] == "istio-ingressgateway" || labels["app.kubernetes.io/name"] == "istio-ingressgateway" {
		return planner.ProxyIstio
	}
	for _, k := range []string{"app.kubernetes.io/name", "app"} {
		if name, ok := proxyServiceControllers[labels[k]]; ok {
			return proxyImplementations[name]
		}
	}
	return ""
}
