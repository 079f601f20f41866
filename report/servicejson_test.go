package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// encodingJSON is encoding/json's indented output of v at prefix, as WriteJSON's elements are.
func encodingJSON(t *testing.T, v any, prefix string) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func TestAppendJSONStringIsEncodingJSONs(t *testing.T) {
	var all []byte
	for c := 0; c < 256; c++ {
		all = append(all, byte(c))
	}
	for _, s := range []string{"", "plain", string(all), "a\u2028b\u2029c", "é日本<>&'\"\\", "\xff\xfe", "tab\there\x7f"} {
		want := encodingJSON(t, s, "")
		if got := string(appendJSONString(nil, s)); got != want {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	f.Add("a\"b\\c\n\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendJSONString(nil, s)), encodingJSON(t, s, ""); got != want {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

func TestAppendServiceIsEncodingJSONs(t *testing.T) {
	lb := "alb-\"x\""
	rows := []planner.ServicePlan{
		{Name: "a", Namespace: "ns", Exposure: planner.Ingress, LoadBalancer: &lb, Path: "client -> ALB -> pod", AddedLatencyMs: planner.Q(1),
			ChainLatencyMs: planner.Q(3), CriticalChain: []string{"x\ny", "z"}, MonthlyCost: 1234, Reason: "why\u2028", ServiceType: "ClusterIP",
			IngressClassName: "alb", GatewayClassName: "eg", Gateway: "ns/gw", ExternalTrafficPolicy: "Local",
			Annotations: map[string]string{"b": "2", "a": "1\t"}},
		{Name: "b", Exposure: planner.ClusterIP, MonthlyCost: -5, Annotations: map[string]string{}},
		{Name: "c\xff"},
	}
	for _, r := range rows {
		for _, prefix := range []string{"", "    "} {
			if got, want := string(appendService(nil, &r, prefix)), encodingJSON(t, &r, prefix); got != want {
				t.Errorf("%s:\n got %s\nwant %s", r.Name, got, want)
			}
		}
	}
}
