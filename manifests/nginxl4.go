package manifests

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// nginxL4Protocol is the protocol of ingress-nginx's layer-4 ConfigMap by
// name: tcp-services and udp-services as the controller's flags name them
// in its documentation, and the chart's <release>-ingress-nginx-tcp and -udp
// (values tcp and udp); "" for any other ConfigMap.
func nginxL4Protocol(name string) string {
	switch {
	case name == "tcp-services" || (strings.Contains(name, "nginx") && strings.HasSuffix(name, "-tcp")):
		return planner.ProtoTCP
	case name == "udp-services" || (strings.Contains(name, "nginx") && strings.HasSuffix(name, "-udp")):
		return planner.ProtoUDP
	}
	return ""
}

// readNginxL4 records the Services an ingress-nginx tcp-services or
// udp-services ConfigMap exposes through the controller's load balancer
// (data "5432": "shop/db:5432", a PROXY-protocol suffix or two allowed):
// routed by the proxy at layer 4, where they may stay. A value that is not
// namespace/name:port is an error naming the entry.
func (r *reader) readNginxL4(o object) {
	var cm struct {
		Metadata struct{ Name, Namespace string } `json:"metadata"`
		Data     map[string]string                `json:"data"`
	}
	if err := json.Unmarshal(o.raw, &cm); err != nil {
		r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "ConfigMap", Msg: err.Error()})
		return
	}
	proto := nginxL4Protocol(cm.Metadata.Name)
	if proto == "" {
		return
	}
	ns := r.namespace(cm.Metadata.Namespace)
	via := "ConfigMap " + ns + "/" + cm.Metadata.Name
	class, c := r.nginxClass()
	lb := &planner.CurrentLB{Kind: c.kind, Name: class, Scheme: planner.AudienceInternet}
	ports := make([]string, 0, len(cm.Data))
	for p := range cm.Data {
		ports = append(ports, p)
	}
	sort.Strings(ports)
	for _, p := range ports {
		field := "data[" + p + "]"
		key, port, err := nginxL4Target(p, cm.Data[p])
		if err != nil {
			r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: via, Field: field, Msg: err.Error()})
			continue
		}
		s := r.backend(o, via, field, key)
		if s == nil {
			continue
		}
		r.countProxy(c)
		r.res.proxyOf[class] = c.name
		r.noteProxyLB(class, c)
		rt := route{protocol: proto, via: via, lb: lb}
		if n, err := strconv.Atoi(port); err == nil {
			rt.port = int32(n)
		} else {
			rt.portName = port
		}
		s.routes = append(s.routes, rt)
	}
}

// nginxL4Target parses one entry of ingress-nginx's layer-4 ConfigMap: the
// load balancer's port and namespace/name:port[:PROXY[:PROXY]].
func nginxL4Target(lbPort, value string) (key, port string, err error) {
	if n, err := strconv.Atoi(lbPort); err != nil || n < 1 || n > 65535 {
		return "", "", fmt.Errorf("%q is not a port (1 to 65535)", lbPort)
	}
	parts := strings.Split(value, ":")
	for len(parts) > 2 && (parts[len(parts)-1] == "PROXY" || parts[len(parts)-1] == "") {
		parts = parts[:len(parts)-1]
	}
	if len(parts) != 2 || parts[1] == "" || strings.Count(parts[0], "/") != 1 || strings.HasPrefix(parts[0], "/") || strings.HasSuffix(parts[0], "/") {
		return "", "", fmt.Errorf("%q is not namespace/name:port", value)
	}
	return parts[0], parts[1], nil
}

// nginxClass is the IngressClass of the ingress-nginx controller the
// manifests declare (nginx when they declare none) and its controller.
func (r *reader) nginxClass() (string, controller) {
	var names []string
	for name, c := range r.ingressClass {
		if c.kind == planner.CurrentProxy && c.canary == annNginxCanary && !strings.HasSuffix(name, planner.InternalClassSuffix) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "nginx", ingressClasses["nginx"]
	}
	sort.Strings(names)
	return names[0], r.ingressClass[names[0]]
}

// nginxL4Map takes the Services the plan moves off ingress-nginx out of its
// tcp-services or udp-services ConfigMap (the controller's Service keeps the
// port: said, for it may be another's), and reports whether it changed it.
func (r *renderer) nginxL4Map(n *yaml.Node, ns, name string) bool {
	data := child(n, "data")
	if data == nil || data.Kind != yaml.MappingNode {
		return false
	}
	kept := data.Content[:0]
	var moved []string
	for i := 0; i+1 < len(data.Content); i += 2 {
		port, value := data.Content[i].Value, data.Content[i+1].Value
		key, _, err := nginxL4Target(port, value)
		row, planned := r.rows[key]
		if err != nil || !planned || (row.LoadBalancer != nil && r.proxyOf[*row.LoadBalancer] != "" && row.Exposure == planner.Ingress) {
			kept = append(kept, data.Content[i], data.Content[i+1])
			continue
		}
		moved = append(moved, fmt.Sprintf("%s (port %s)", key, port))
		if row.Exposure == planner.Ingress { // onto another shared load balancer (an NLB Gateway): routed there anew
			r.fresh[row.Namespace] = append(r.fresh[row.Namespace], key)
		}
	}
	if len(moved) == 0 {
		return false
	}
	data.Content = kept
	r.out.Changes = append(r.out.Changes, fmt.Sprintf("ConfigMap %s/%s: %s taken out (they move off ingress-nginx; remove their ports from its controller's Service)", ns, name, strings.Join(moved, ", ")))
	return true
}
