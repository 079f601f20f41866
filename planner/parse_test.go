package planner

import (
	"bytes"
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

const okYAML = `cloud: aws
region: us-east-1
services:
  - name: web
    protocol: HTTP
    port: 80
    audience: internet
    traffic: {requestsPerSecond: 12.5, gbPerMonth: 0.000001}
`

func TestParseDefaultsAndExactNumbers(t *testing.T) {
	d, err := Parse([]byte(okYAML), "ok.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if d.Zones != 2 || *d.HoursPerMonth != Q(730) || !*d.AWSLoadBalancerController || strings.Join(d.Strategies, ",") != "alb,proxy" {
		t.Fatalf("defaults not applied: %+v", d)
	}
	if d.Services[0].Namespace != "default" || d.Services[0].Traffic.RequestsPerSecond != Quantity(12_500_000) || d.Services[0].Traffic.GBPerMonth != 1 {
		t.Fatalf("service %+v", d.Services[0])
	}
	if *d.Proxy.Replicas != 2 || *d.Proxy.CPU != Quantity(100_000) || *d.Latency.NodeHopMs != Quantity(200_000) {
		t.Fatalf("proxy/latency defaults %+v %+v", d.Proxy, d.Latency)
	}
}

func TestParseJSON(t *testing.T) {
	js := `{"cloud":"aws","region":"eu-west-1","services":[{"name":"api","protocol":"GRPC","port":443,"audience":"vpc","traffic":{"requestsPerSecond":3}}]}`
	d, err := Parse([]byte(js), "d.json")
	if err != nil {
		t.Fatal(err)
	}
	if d.Region != "eu-west-1" || d.Services[0].Protocol != ProtoGRPC {
		t.Fatalf("%+v", d)
	}
}

func TestParseErrorsNameFileLineServiceField(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"unknown field", strings.Replace(okYAML, "    port: 80\n", "    port: 80\n    colour: blue\n", 1),
			`bad.yaml:7: service "web" (services[0]): unknown field "colour"`},
		{"unknown top-level field", "cloud: aws\nregionn: x\n", `bad.yaml:2: unknown field "regionn"`},
		{"bad protocol", strings.Replace(okYAML, "protocol: HTTP", "protocol: HTTX", 1),
			`bad.yaml:5: service "default/web" (services[0]): field protocol: unknown protocol "HTTX" (want one of HTTP, HTTPS, GRPC, TCP, UDP, TLS)`},
		{"wrong type", strings.Replace(okYAML, "port: 80", "port: [80]", 1),
			`bad.yaml:6: service "web" (services[0]): field port: wrong type: got seq, want a whole number`},
		{"negative traffic", strings.Replace(okYAML, "12.5", "-1", 1),
			`bad.yaml:8: service "web" (services[0]): field traffic.requestsPerSecond: must not be negative, got -1`},
		{"too precise", strings.Replace(okYAML, "0.000001", "0.0000001", 1), "at most 6 decimal places"},
		{"yaml syntax", "cloud: aws\nservices: [\n", "bad.yaml:2: did not find expected node content"},
		{"empty", "", "bad.yaml: empty declaration"},
		{"duplicate service", okYAML + "  - {name: web, protocol: TCP, port: 1, audience: vpc}\n",
			`bad.yaml:9: service "default/web" (services[1]): field name: default/web is declared twice (also services[0])`},
		{"bad host", strings.Replace(okYAML, "    audience: internet\n", "    audience: internet\n    hosts: [ok.example.com, 'Bad Host']\n", 1),
			`bad.yaml:8: service "default/web" (services[0]): field hosts[1]: "Bad Host" is not a valid host name`},
		{"unknown strategy", strings.Replace(okYAML, "region: us-east-1\n", "region: us-east-1\nstrategies: [alb, traefik]\n", 1),
			`bad.yaml:3: field strategies[1]: unknown strategy "traefik" for aws (want one of alb, gateway, proxy)`},
		{"pin contradicts audience", strings.Replace(okYAML, "audience: internet", "audience: cluster\n    pin: LoadBalancer", 1),
			`field pin: LoadBalancer contradicts audience cluster`},
		{"passthrough on HTTP", strings.Replace(okYAML, "audience: internet", "audience: internet\n    needs: [tlsPassthrough]", 1),
			`field needs: tlsPassthrough needs protocol HTTPS or TLS, got HTTP`},
		{"paths on TCP", "cloud: aws\nregion: us-east-1\nservices:\n  - {name: db, protocol: TCP, port: 5432, audience: vpc, paths: [/x]}\n",
			`field paths: paths route HTTP requests; protocol TCP has none`},
		{"two documents", okYAML + "---\ncloud: aws\n", "a declaration is a single YAML document"},
		{"unknown cloud", strings.Replace(okYAML, "cloud: aws", "cloud: oci", 1), `bad.yaml:1: field cloud: unknown cloud "oci" (want aws, gcp, azure or baremetal)`},
		{"unknown proxy", strings.Replace(okYAML, "region: us-east-1\n", "region: us-east-1\nproxy: {implementation: nginx-plus}\n", 1),
			`bad.yaml:3: field proxy.implementation: unknown implementation "nginx-plus" (want one of envoy-gateway, nginx-gateway-fabric, traefik, haproxy, istio, contour, ingress-nginx)`},
		{"alias and its name", strings.Replace(okYAML, "region: us-east-1\n", "region: us-east-1\nstrategies: [proxy, nginx]\n", 1),
			`field strategies[1]: strategy "proxy" listed twice`},
		{"gcp strategy on aws", strings.Replace(okYAML, "region: us-east-1\n", "region: us-east-1\nstrategies: [gce]\n", 1), `field strategies[0]: unknown strategy "gce" for aws (want one of alb, gateway, proxy)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.doc), "bad.yaml")
			if err == nil {
				t.Fatalf("want an error containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("\n got %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestExamplesParseAndPlanDeterministically(t *testing.T) {
	files, _ := filepath.Glob("../examples/plans/*.yaml")
	if len(files) < 3 {
		t.Fatalf("want at least 3 example plans, found %v", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var outs [][]byte
		for i := 0; i < 2; i++ {
			d, err := Parse(data, f)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Compute(d, defaultCatalog(t))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			b, _ := json.Marshal(p)
			outs = append(outs, b)
		}
		if !bytes.Equal(outs[0], outs[1]) {
			t.Fatalf("%s: two runs differ", f)
		}
	}
}

// Reordering the declaration's services changes nothing in the plan.
func TestPlanIndependentOfServiceOrder(t *testing.T) {
	d1, d2 := parseFile(t, "../examples/plans/mixed.yaml"), parseFile(t, "../examples/plans/mixed.yaml")
	for i, j := 0, len(d2.Services)-1; i < j; i, j = i+1, j-1 {
		d2.Services[i], d2.Services[j] = d2.Services[j], d2.Services[i]
	}
	p1, err := Compute(d1, defaultCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := Compute(d2, defaultCatalog(t))
	b1, _ := json.Marshal(p1)
	b2, _ := json.Marshal(p2)
	if !bytes.Equal(b1, b2) {
		t.Fatalf("plans differ when services are reordered:\n%s\n%s", b1, b2)
	}
}

func TestParseRejectsFractionsTrailingCommasAndNamesTheField(t *testing.T) {
	cases := []struct{ doc, want string }{
		{"cloud: aws\nregion: us-east-1\nzones: 2.9\nservices:\n  - {name: web, protocol: HTTP, port: 443.9, audience: internet}\n",
			"d.yaml:3: field zones: want a whole number, got 2.9\nd.yaml:5: service \"web\" (services[0]): field port: want a whole number, got 443.9"},
		{`{"cloud": "aws", "region": "us-east-1", "services": [{"name": "web", "protocol": "HTTP", "port": 80, "audience": "internet",}]}`,
			"d.yaml:1: not valid JSON"},
		{"cloud: aws\nregion: us-east-1\nservices:\n  - {name: web, protocol: HTTP, port: 80, audience: internet, traffic: {gbPerMonth: -5}}\n",
			`field traffic.gbPerMonth: must not be negative, got -5`},
		{"cloud: aws\nregion: us-east-1\nservices: web\n", "d.yaml:3: field services: wrong type"},
		{"cloud: aws\nregion: us-east-1\nproxy: {replicas: 1.5}\nservices:\n  - {name: web, protocol: HTTP, port: 80, audience: internet}\n",
			"d.yaml:3: field proxy.replicas: want a whole number, got 1.5"},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.doc), "d.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.doc, err, c.want)
		}
	}
	// strict JSON that is valid still parses
	if _, err := Parse([]byte(`{"cloud": "aws", "region": "us-east-1", "services": [{"name": "web", "protocol": "HTTP", "port": 80, "audience": "internet"}]}`), "d.json"); err != nil {
		t.Fatal(err)
	}
}

func TestServiceLimitBeforeDecoding(t *testing.T) {
	var b strings.Builder
	b.WriteString("cloud: aws\nregion: us-east-1\nservices:\n")
	for i := 0; i <= MaxServices; i++ {
		b.WriteString("- {}\n")
	}
	_, err := Parse([]byte(b.String()), "big.yaml")
	if err == nil || !strings.Contains(err.Error(), "big.yaml:4: field services: at most 500000 services, got 500001") {
		t.Fatalf("got %v", err)
	}
}

// The JSON fast path is as strict as the YAML one: a key in the wrong case is
// an unknown field, not a match.
func TestJSONKeysAreCaseSensitive(t *testing.T) {
	doc := `{"Cloud": "aws", "region": "us-east-1", "services": [{"name": "web", "protocol": "HTTP", "port": 80, "audience": "internet", "labels": {"Team": "a"}}]}`
	if _, err := Parse([]byte(doc), "d.json"); err == nil || !strings.Contains(err.Error(), `unknown field "Cloud"`) {
		t.Fatalf("got %v", err)
	}
	ok := strings.Replace(doc, `"Cloud"`, `"cloud"`, 1)
	if d, err := Parse([]byte(ok), "d.json"); err != nil || d.Services[0].Labels["Team"] != "a" {
		t.Fatalf("got %v", err)
	}
	if !miscasedKey([]byte(`{"PORT": 1}`)) || miscasedKey([]byte(`{"port": 1, "x": "\"Port\": 2"}`)) {
		t.Fatal("miscasedKey")
	}
}

// The fast path for plain decimals agrees with the exact general path.
func TestPlainQuantityAgreesWithTheGeneralPath(t *testing.T) {
	for _, s := range []string{"0", "120", "0.25", "1.000001", "10000000", "10000000.000001", "99999999", "1.", ".5", "01", "1e3", "-1", "1.2345678", "12345678.1"} {
		fast, ok := plainQuantity(s)
		r, err := money.ParseDecimal(s)
		var slow Quantity
		exact := err == nil && r.Sign() >= 0
		if exact {
			r.Mul(r, big.NewRat(QuantityScale, 1))
			exact = r.IsInt() && r.Cmp(new(big.Rat).SetInt64(int64(MaxQuantity))) <= 0
			if exact {
				slow = Quantity(r.Num().Int64())
			}
		}
		if ok && (!exact || fast != slow) {
			t.Errorf("%q: fast %v, general %v (%v)", s, fast, slow, exact)
		}
	}
}

// The hand-written name checks accept exactly what the Kubernetes patterns do.
func TestNameChecksMatchPatterns(t *testing.T) {
	dns1035 := regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	dns1123 := regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	host := regexp.MustCompile(`^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	alphabet := []byte("ab09-.*Z_")
	rng := rand.New(rand.NewPCG(3, 4))
	cases := []string{"", "a", "0", "-", "a-", "-a", "a.b", "*.a.b", "*.", ".", "a..b", "*a.b", "a.*.b", "a.-b", "a-.b", "0a", "a0"}
	for range 20000 {
		b := make([]byte, rng.IntN(8))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		if got, want := dnsLabel(s, false), dns1035.MatchString(s); got != want {
			t.Errorf("dnsLabel(%q, false) = %v, pattern %v", s, got, want)
		}
		if got, want := dnsLabel(s, true), dns1123.MatchString(s); got != want {
			t.Errorf("dnsLabel(%q, true) = %v, pattern %v", s, got, want)
		}
		if got, want := hostName(s), host.MatchString(s); got != want {
			t.Errorf("hostName(%q) = %v, pattern %v", s, got, want)
		}
	}
}
