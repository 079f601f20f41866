package manifests

import (
	"encoding/json"
	"strings"
)

// gkeProtection is what a GKE BackendConfig (spec) or GCPBackendPolicy
// (spec.default) puts in front of a Service: Identity-Aware Proxy, a Cloud
// Armor security policy.
type gkeProtection struct {
	IAP *struct {
		Enabled bool `json:"enabled"`
	} `json:"iap"`
	SecurityPolicy json.RawMessage `json:"securityPolicy"` // a BackendConfig's {name: ...}, a policy's name
}

// protects reports whether it authenticates or restricts requests.
func (p gkeProtection) protects() bool {
	sp := strings.TrimSpace(string(p.SecurityPolicy))
	return (p.IAP != nil && p.IAP.Enabled) || (sp != "" && sp != "null" && sp != `""` && sp != "{}")
}

// readGKEBackendPolicies marks the Services that a BackendConfig (named by
// their cloud.google.com/backend-config annotation, a GKE Ingress's) or a
// GCPBackendPolicy (by targetRef, a GKE Gateway's) puts IAP or Cloud Armor
// in front of: they need auth, which only GKE's own load balancer keeps.
func (r *reader) readGKEBackendPolicies(configs, policies []object) {
	protecting := map[string]bool{} // BackendConfigs by namespace/name
	for _, o := range configs {
		var bc struct {
			Metadata struct{ Name, Namespace string } `json:"metadata"`
			Spec     gkeProtection                    `json:"spec"`
		}
		if err := json.Unmarshal(o.raw, &bc); err != nil {
			r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "BackendConfig", Msg: err.Error()})
			continue
		}
		protecting[r.namespace(bc.Metadata.Namespace)+"/"+bc.Metadata.Name] = bc.Spec.protects()
	}
	for _, s := range r.services {
		for _, k := range []string{"cloud.google.com/backend-config", "beta.cloud.google.com/backend-config"} {
			var ref struct {
				Default string            `json:"default"`
				Ports   map[string]string `json:"ports"`
			}
			if json.Unmarshal([]byte(s.s.Annotations[k]), &ref) != nil {
				continue
			}
			names := []string{ref.Default}
			for _, n := range ref.Ports {
				names = append(names, n)
			}
			for _, n := range names {
				s.auth = s.auth || (n != "" && protecting[s.s.Namespace+"/"+n])
			}
		}
	}
	for _, o := range policies {
		var p struct {
			Metadata struct{ Namespace string } `json:"metadata"`
			Spec     struct {
				TargetRef struct{ Group, Kind, Name string } `json:"targetRef"`
				Default   gkeProtection                      `json:"default"`
			} `json:"spec"`
		}
		if err := json.Unmarshal(o.raw, &p); err != nil {
			r.errs = append(r.errs, &Error{File: o.file, Line: o.line, Object: "GCPBackendPolicy", Msg: err.Error()})
			continue
		}
		t := p.Spec.TargetRef
		if s := r.services[r.namespace(p.Metadata.Namespace)+"/"+t.Name]; s != nil && (t.Kind == "" || t.Kind == "Service") && t.Group == "" && p.Spec.Default.protects() {
			s.auth = true
		}
	}
}
