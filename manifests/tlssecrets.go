package manifests

import (
	"slices"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// tlsSecret is a Secret that ends TLS for a host today: an Ingress's
// spec.tls, or a Gateway's HTTPS listener's certificate (its hostname,
// possibly a wildcard, or "" for every host of the Gateway, lb).
type tlsSecret struct {
	host, namespace, name string
	lb                    string // the Gateway (its load balancer's name) of a listener for every host
}

// noteIngressSecrets records the Secrets an Ingress's spec.tls names.
func (r *reader) noteIngressSecrets(ing *networkingv1.Ingress) {
	for _, t := range ing.Spec.TLS {
		if t.SecretName == "" {
			continue
		}
		for _, h := range t.Hosts { // (one without hosts: its Ingress's default certificate, for its hosts alone)
			r.res.tlsSecrets = append(r.res.tlsSecrets, tlsSecret{host: h, namespace: r.namespace(ing.Namespace), name: t.SecretName})
		}
	}
}

// noteListenerSecret records the first Secret an HTTPS listener of a
// Gateway in namespace ns, its load balancer lb, ends TLS with.
func (r *reader) noteListenerSecret(ns, lb string, l gatewayv1.Listener) {
	if l.Protocol != gatewayv1.HTTPSProtocolType || l.TLS == nil {
		return
	}
	for _, ref := range l.TLS.CertificateRefs {
		if (ref.Group != nil && *ref.Group != "") || (ref.Kind != nil && *ref.Kind != "Secret") {
			continue
		}
		host := ""
		if l.Hostname != nil {
			host = string(*l.Hostname)
		}
		if ref.Namespace != nil && *ref.Namespace != "" {
			ns = string(*ref.Namespace)
		}
		r.res.tlsSecrets = append(r.res.tlsSecrets, tlsSecret{host: host, namespace: ns, name: string(ref.Name), lb: lb})
		return
	}
}

// secretFor is the one Secret that ends TLS today for every one of hosts
// of a service today on load balancer lb (each host's most specific: its own
// name, then a wildcard of its parent domain, then its Gateway's for every
// host); false when a host has none or two hosts have different ones.
func secretFor(secrets []tlsSecret, hosts []string, lb string) (tlsSecret, bool) {
	if len(hosts) == 0 {
		hosts = []string{""}
	}
	var found *tlsSecret
	for _, h := range hosts {
		s := hostSecret(secrets, h, lb)
		if s == nil || (found != nil && *s != *found) {
			return tlsSecret{}, false
		}
		found = s
	}
	return *found, true
}

// hostSecret is the most specific Secret of secrets for host h (its own
// name, a wildcard of its parent domain, one for every host of load
// balancer lb), nil if none.
func hostSecret(secrets []tlsSecret, h, lb string) *tlsSecret {
	wants := []string{h}
	if _, parent, ok := strings.Cut(h, "."); ok && h != "" {
		wants = append(wants, "*."+parent)
	}
	for _, want := range wants {
		if i := slices.IndexFunc(secrets, func(s tlsSecret) bool { return want != "" && s.host == want }); i >= 0 {
			return &secrets[i]
		}
	}
	if i := slices.IndexFunc(secrets, func(s tlsSecret) bool { return s.host == "" && lb != "" && s.lb == lb }); i >= 0 {
		return &secrets[i]
	}
	return nil
}
