package planner

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

var jsonSeeds = []string{
	`{"cloud":"aws","region":"us-east-1","services":[{"name":"web","protocol":"HTTP","port":80,"audience":"internet"}]}`,
	`{"cloud":"aws","region":"us-east-1","cloud":"gcp","services":[]}`,
	`{"cloud":"aws","region":"us-east-1","services":[{"name":"web","name":"api","protocol":"HTTP","port":80,"audience":"internet"}]}`,
	`{"cloud":"aws","region":"us-east-1","services":[{"name":"web","protocol":"HTTP","port":80,"audience":"internet","labels":{"a":"1","\u0061":"2"}}]}`,
	`{"cloud":"aws","region":"us-east-1","services":[{"name":"w\"e,b]}","protocol":"HTTP","port":80,"audience":"internet"}]} `,
	`{"cloud":"aws","region":"us-east-1","services":[{"name":"web","protocol":"HTTP","port":80,"audience":"internet"}]}{}`,
	`{"cloud":"aws","region":"us-east-1","services":[{"name":"web","protocol":"HTTP","port":80.0,"audience":"internet"}]}`,
	`{"cloud":"aws","region":"us-east-1","services":[null]}`,
	`{"cloud":"aws","region":"us-east-1","services":null}`,
	`{"cloud":"aws","region":"us-east-1","services":[{"name":"web","protocol":"HTTP","port":80,"audience":"internet","traffic":{"requestsPerSecond":"5"}}]}`,
	`{"cloud":"aws","region":"us-east-1","services":[{"name":"web","protocol":"HTTP","port":80,"audience":"internet","extra":1}]}`,
	`{"cloud":"aws","region":"us-east-1","services":[{"name":"web","protocol":"HTTP","port":80,"audience":"internet"},]}`,
	`{"Cloud":"aws","region":"us-east-1","services":[]}`,
}

// FuzzJSONFastPath holds the JSON fast path to the YAML path (JSON is
// YAML): whatever it accepts, the YAML path accepts and reads the same.
func FuzzJSONFastPath(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	big, _ := json.Marshal(SyntheticDeclaration(5000))
	f.Add(big)
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok, err := parseJSON(data)
		if !ok {
			if err != nil && !strings.Contains(err.Error(), "at most") {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		slow, err := parseYAML(data, "fuzz.json")
		if err != nil {
			t.Fatalf("the JSON fast path read %.300q, the YAML path rejects it: %v", data, err)
		}
		normalised(reflect.ValueOf(fast))
		normalised(reflect.ValueOf(slow))
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("the fast path and the YAML path read %.300q differently", data)
		}
	})
}

// Duplicate keys, escaped keys, trailing data and null services are left
// to the YAML path; a large file is read in chunks exactly; too many
// services are refused before decoding, with the line of the list.
func TestJSONFastPath(t *testing.T) {
	for _, s := range jsonSeeds[1:] {
		if _, ok, _ := parseJSON([]byte(s)); ok && s != jsonSeeds[4] && s != jsonSeeds[8] {
			t.Errorf("the fast path took %s", s)
		}
	}
	if _, ok, _ := parseJSON([]byte(jsonSeeds[4])); !ok {
		t.Errorf("the fast path declined %s", jsonSeeds[4])
	}
	d := SyntheticDeclaration(9000)
	data, _ := json.Marshal(d)
	got, ok, err := parseJSON(data)
	if !ok || err != nil {
		t.Fatalf("declined a plain declaration: %v", err)
	}
	if !reflect.DeepEqual(got.Services, d.Services) {
		t.Fatal("the services read in chunks differ from those written")
	}
	var b strings.Builder
	b.WriteString("{\"cloud\": \"aws\",\n \"region\": \"us-east-1\",\n \"services\": [")
	for i := 0; i <= MaxServices; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "{}")
	}
	b.WriteString("]}")
	_, err = Parse([]byte(b.String()), "big.json")
	if err == nil || !strings.Contains(err.Error(), "big.json:3: field services: at most 500000 services, got 500001") {
		t.Fatalf("got %v", err)
	}
}

// serviceSeeds are single services in JSON, every field among them.
var serviceSeeds = []string{
	`{"name":"web","namespace":"shop","protocol":"HTTPS","port":443,"audience":"internet","hosts":["a.example.com","*.b.example.com"],"paths":["/","/x"],` +
		`"certificate":"wild","traffic":{"requestsPerSecond":12.5,"newConnectionsPerSecond":3,"activeConnections":100,"gbPerMonth":1e3},"latencyBudgetMs":5.25,` +
		`"needs":["clientIP"],"current":"LoadBalancer","pin":"Ingress","currentLoadBalancer":{"kind":"alb","name":"g","scheme":"internal","frontend":"f","rulePosition":7},` +
		`"alsoOn":[{"kind":"nlb"},{"kind":"alb","name":"h"}],"ports":[{"port":443,"protocol":"HTTPS"},{"port":80,"protocol":"HTTP"}],"routedWith":["shop/b"],` +
		`"calls":["shop/db"],"staticAddresses":["eipalloc-1"],"headless":false,"clusterPorts":[9090,9091],"labels":{"team":"a","tier":"web"}}`,
	` { "name" : "dns" , "protocol" : "UDP" , "port" : 53 , "audience" : "vpc" , "hosts" : [ ] , "labels" : { } , "ports" : [ ] , "alsoOn" : [ ] , "headless" : true , "clusterPorts" : [ ] } `,
	`{"name":"w\"e\u0062","protocol":"TCP","port":-0,"audience":"cluster"}`,
	`{"name":"web","port":1.5}`, `{"currentLoadBalancer":{"rulePosition":2.5}}`, `{"name":"web","port":1e2}`, `{"name":"web","port":01}`, `{"name":null}`, `{"name":"a","name":"b"}`,
	`{"labels":{"a":"1","a":"2"}}`, `{"traffic":{"gbPerMonth":"5"}}`, `{"traffic":{"gbPerMonth":-1}}`, `{"latencyBudgetMs":0.0000001}`,
	`{"headless":tru}`, `{"Name":"x"}`, `{"hosts":["a",]}`, `{"hosts":["a"]]`, `{}`, `{"name":"\u00e9"}`, "{\"name\":\"a\tb\"}",
}

// decodeServiceFast reads what encoding/json, strictly, reads: whatever it
// accepts, encoding/json accepts into the same service.
func FuzzDecodeServiceFast(f *testing.F) {
	for _, s := range serviceSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !yamlPrintable(data) {
			return // the document is checked before
		}
		var fast, slow Service
		if !decodeServiceFast(data, &fast) {
			return
		}
		if !decodeStrict(data, &slow) {
			t.Fatalf("the fast decoder read %.300q, encoding/json rejects it", data)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%.300q: fast %+v, encoding/json %+v", data, fast, slow)
		}
	})
}

// The fast decoder takes every field a service has (it is the path large
// declarations go through) and declines what only encoding/json may word.
func TestDecodeServiceFast(t *testing.T) {
	for i, s := range serviceSeeds {
		var fast, slow Service
		got := decodeServiceFast([]byte(s), &fast)
		if want := i < 3 || s == `{}` || strings.Contains(s, `\u00e9`); got != want {
			t.Errorf("%s: fast %v, want %v", s, got, want)
		}
		if got && (!decodeStrict([]byte(s), &slow) || !reflect.DeepEqual(fast, slow)) {
			t.Errorf("%s: fast %+v, encoding/json %+v", s, fast, slow)
		}
	}
	var s Service
	if !decodeServiceFast([]byte(serviceSeeds[0]), &s) || len(s.AlsoOn) != 2 || s.Labels["tier"] != "web" || *s.LatencyBudgetMs != 5_250_000 || s.Traffic.GBPerMonth != Q(1000) {
		t.Fatalf("%+v", s)
	}
}
