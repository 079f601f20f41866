package manifests

import (
	"regexp"
	"strings"
	"testing"
)

// sharedAddressCluster is a bare-metal cluster: Pi-hole's DNS on UDP and TCP
// sharing one address (the key pihole, at 192.168.1.53 as its manifests ask),
// and a Minecraft server and an MQTT broker on addresses of their own, one
// said by its status (a manifest read from the cluster), one by MetalLB's
// annotation. The plan puts all four on one address (three today).
func sharedAddressCluster(pin string) string {
	lb := func(name, ns, ann, spec, port, status string) string {
		return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + ns + ", annotations: {" + ann + "}}\n" +
			"spec: {type: LoadBalancer" + spec + ", selector: {app: " + name + "}, ports: [" + port + "]}\n" + status
	}
	return strings.Join([]string{
		lb("dns-udp", "pihole", "metallb.universe.tf/allow-shared-ip: pihole", pin, "{name: dns, port: 53, protocol: UDP}", ""),
		lb("dns-tcp", "pihole", "metallb.universe.tf/allow-shared-ip: pihole", pin, "{name: dns-tcp, port: 53, protocol: TCP}", ""),
		lb("minecraft", "games", "", "", "{name: mc, port: 25565}", "status: {loadBalancer: {ingress: [{ip: 192.168.1.60}]}}\n"),
		lb("mosquitto", "home", "metallb.universe.tf/loadBalancerIPs: 192.168.1.61", "", "{name: mqtt, port: 1883}", ""),
	}, "---\n")
}

// MetalLB keeps the address a Service has: a sharing key alone moves no
// Service onto another's address. Render gives the Services that join a
// shared address that address (it wrote the key alone, and each kept its own:
// three addresses where the plan counted one).
func TestSharedAddressPinned(t *testing.T) {
	srcs := []Source{{Name: "c.yaml", Data: []byte(sharedAddressCluster(", loadBalancerIP: 192.168.1.53"))}}
	opts := Options{Cloud: "baremetal", Region: "home"}
	res, p := planSources(t, srcs, opts)
	if len(p.LoadBalancers) != 1 {
		t.Fatalf("%d addresses, want one", len(p.LoadBalancers))
	}
	r := mustRender(t, srcs, res, p, opts)
	out := joined(applyRendering(srcs, r))
	for _, name := range []string{"minecraft", "mosquitto"} {
		re := regexp.MustCompile(`metadata: \{name: ` + name + `, [^\n]*(metallb.universe.tf/allow-shared-ip: pihole[,}][^\n]*metallb.universe.tf/loadBalancerIPs: 192.168.1.53[,}]|metallb.universe.tf/loadBalancerIPs: 192.168.1.53[,}][^\n]*metallb.universe.tf/allow-shared-ip: pihole[,}])`)
		if !re.MatchString(out) {
			t.Errorf("%s not given 192.168.1.53:\n%s", name, out)
		}
	}
	if strings.Count(out, "loadBalancerIP: 192.168.1.53") != 2 || len(r.Warnings) != 0 {
		t.Errorf("Pi-hole's Services changed, or warnings %v:\n%s", r.Warnings, out)
	}
	// read back, all four share the address
	res2, p2 := planSources(t, applyRendering(srcs, r), opts)
	if len(p2.LoadBalancers) != 1 {
		t.Errorf("rendered: %d addresses", len(p2.LoadBalancers))
	}
	for _, s := range res2.Declaration.Services {
		if c := s.CurrentLoadBalancer; c == nil || c.Name != "pihole" {
			t.Errorf("rendered, %s is on %+v: want the address pihole", s.Key(), c)
		}
	}
}

// Where the manifests do not say the shared address, render says to give
// each Service one.
func TestSharedAddressUnknownWarned(t *testing.T) {
	srcs := []Source{{Name: "c.yaml", Data: []byte(strings.ReplaceAll(strings.ReplaceAll(sharedAddressCluster(""),
		"status: {loadBalancer: {ingress: [{ip: 192.168.1.60}]}}\n", ""), "metallb.universe.tf/loadBalancerIPs: 192.168.1.61", ""))}}
	opts := Options{Cloud: "baremetal", Region: "home"}
	res, p := planSources(t, srcs, opts)
	r := mustRender(t, srcs, res, p, opts)
	w := strings.Join(r.Warnings, "\n")
	if !strings.Contains(w, "shared address pihole (") || !strings.Contains(w, "the allocator keeps the address a Service has, and the manifests do not say this one's") ||
		strings.Contains(string(r.New)+joined(applyRendering(srcs, r)), "loadBalancerIPs") {
		t.Errorf("warnings:\n%s", w)
	}
}
