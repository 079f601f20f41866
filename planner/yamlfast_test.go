package planner

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// yamlSeeds are declarations in the YAML people write, and the corners where
// YAML and JSON read a scalar differently.
var yamlSeeds = []string{
	"cloud: aws\nregion: us-east-1\nservices:\n- name: web\n  protocol: HTTP\n  port: 80\n  audience: internet\n",
	"---\ncloud: aws # a comment\nregion: 'us-east-1'\nzones: 3\nservices:\n  - name: \"web\"\n    protocol: HTTPS\n    port: 443\n    audience: internet\n    hosts: [a.example.com, \"b.example.com\"]\n    traffic: {requestsPerSecond: 12.5, gbPerMonth: 3}\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: db\n  protocol: TCP\n  port: 5432\n  audience: vpc\n  needs:\n  - staticIP\n  labels:\n    team: data\n    tier: '1'\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- {name: a, protocol: UDP, port: 53, audience: vpc}\n- name: b\n  protocol: HTTP\n  port: 80\n  audience: cluster\n  paths:\n  - /\n  - =/exact\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: web\n  protocol: HTTP\n  port: 80.5\n  audience: internet\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: web\n  protocol: HTTP\n  port: 0x50\n  audience: internet\n",
	"cloud: aws\nregion: us-east-1\nallowNodePort: yes\nservices: []\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: 1.5\n  protocol: HTTP\n  port: 80\n  audience: internet\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: web\n  protocol: HTTP\n  port: 80\n  audience: internet\n  traffic:\n    requestsPerSecond: \"40\"\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: web\n  protocol: HTTP\n  port: 80\n  audience: internet\n  traffic:\n    requestsPerSecond: 1_000\n",
	"cloud: aws\nregion: us-east-1\nregion: eu-west-1\nservices: []\n",
	"cloud: aws\nregion: us-east-1\nCloud: gcp\nservices: []\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: web\n  protocol: HTTP\n  port: 80\n  audience: internet\n  labels: {a: 'it''s', b: \"q\\\"t\\\\\", c: x#y, d: null, e: ~}\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: web\n  protocol: HTTP\n  port: 80\n  audience: internet\n  labels:\n    note: a long\n      folded value\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- &x\n  name: web\n  protocol: HTTP\n  port: 80\n  audience: internet\n- *x\n",
	"cloud: aws\nregion: us-east-1\nhoursPerMonth: 1e3\nservices: []\n",
	"cloud: aws\nregion: us-east-1\nhoursPerMonth: -0\nservices: []\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: web\n  protocol: HTTP\n  port: 80\n  audience: internet\n  labels:\n    empty:\n    list: [a, b,]\n",
	"cloud: aws\n  region: us-east-1\nservices: []\n",
	"cloud: aws\nregion: us-east-1\nservices: []\n---\ncloud: gcp\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: web\n  protocol: HTTP\n  port: 80\n  audience: internet\n  hosts: [\"a.example.com\"]#x\n",
	"cloud: aws\nregion: us-east-1\nservices:\n- name: web\n  protocol: HTTP\n  port: 80\n  audience: internet\n  pin: Ingress\n  current: NodePort\n  currentLoadBalancer: {kind: alb, name: shop}\n  alsoOn:\n  - kind: nlb\n    name: edge\n    scheme: internal\n  routedWith: [default/web-v2]\n  ports:\n  - {port: 80, protocol: HTTP}\n  - port: 443\n    protocol: HTTPS\n",
}

// normalised treats empty and nil slices and maps alike (JSON and YAML
// disagree on nothing else that a declaration can tell apart).
func normalised(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			normalised(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				normalised(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 && v.CanSet() {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		if v.Kind() == reflect.Slice {
			for i := 0; i < v.Len(); i++ {
				normalised(v.Index(i))
			}
		}
	}
}

// FuzzYAMLFastPath holds the YAML fast path to the full YAML path: whatever
// it accepts, the YAML path accepts too and reads the same.
func FuzzYAMLFastPath(f *testing.F) {
	for _, s := range yamlSeeds {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("../examples/plans/*.yaml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		js, ok := yamlAsJSON(data)
		// read with every sequence in runs of one item, at once: the same bytes
		defer func(n int) { itemsPerRun = n }(itemsPerRun)
		itemsPerRun = 1
		if inRuns, okRuns := yamlAsJSON(data); okRuns != ok || !bytes.Equal(inRuns, js) {
			t.Fatalf("%q: read in runs %v %s, in one piece %v %s", data, okRuns, inRuns, ok, js)
		}
		if !ok {
			return
		}
		fast, ok, _ := parseJSON(js)
		if !ok {
			return
		}
		slow, err := parseYAML(data, "fuzz.yaml")
		if err != nil {
			t.Fatalf("the fast path read %q, the YAML path rejects it: %v\n(as JSON: %s)", data, err, js)
		}
		normalised(reflect.ValueOf(fast))
		normalised(reflect.ValueOf(slow))
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("the fast path and the YAML path read %q differently:\nfast %+v\nslow %+v\n(as JSON: %s)", data, fast, slow, js)
		}
	})
}

// The fast path takes the plain YAML of the examples and the seeds above,
// and declines the corners it leaves to the YAML path.
func TestYAMLFastPathCoverage(t *testing.T) {
	files, _ := filepath.Glob("../examples/plans/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := yamlAsJSON(data); !ok {
			t.Errorf("%s: the fast path declined a plain example", file)
		}
	}
	for _, s := range yamlSeeds[:4] {
		js, ok := yamlAsJSON([]byte(s))
		if !ok {
			t.Errorf("declined %q", s)
			continue
		}
		if _, ok, _ := parseJSON(js); !ok {
			t.Errorf("%q as JSON %s does not decode", s, js)
		}
	}
	for _, corner := range []string{"port: 0x50", "allowNodePort: yes", "name: 1.5", "requestsPerSecond: 1_000", "region: eu-west-1",
		"folded value", "&x", "hoursPerMonth: 1e3", "  region: us", "---\ncloud: gcp", "]#x"} {
		for _, s := range yamlSeeds {
			if strings.Contains(s, corner) {
				if js, ok := yamlAsJSON([]byte(s)); ok {
					if _, ok, _ := parseJSON(js); ok && corner != "hoursPerMonth: 1e3" {
						t.Errorf("the fast path took %q (as %s)", corner, js)
					}
				}
			}
		}
	}
}

// A long mapping's duplicate key is found past the keys kept without a map.
func TestKeySetManyKeys(t *testing.T) {
	var k keySet
	for i := range 40 {
		if !k.add(strconv.Itoa(i)) {
			t.Fatalf("key %d seen twice", i)
		}
	}
	for _, dup := range []string{"3", "20", "39"} {
		if k.add(dup) {
			t.Fatalf("duplicate %s not found", dup)
		}
	}
}

// A realistic declaration long enough to be read in runs on every processor
// reads from its YAML exactly as from its JSON, through the fast path.
func TestYAMLFastPathLongDeclaration(t *testing.T) {
	d := SyntheticDeclaration(3*itemsPerRun + 17)
	js, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	y, err := yaml.JSONToYAML(js)
	if err != nil {
		t.Fatal(err)
	}
	asJSON, ok := yamlAsJSON(y)
	if !ok {
		t.Fatal("the fast path declined a plain declaration")
	}
	fromYAML, ok, _ := parseJSON(asJSON)
	if !ok {
		t.Fatal("its JSON does not decode")
	}
	fromJSON, err := ParseRaw(js, "d.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(fromYAML.Services) != len(d.Services) || !reflect.DeepEqual(fromYAML, fromJSON) {
		t.Fatalf("YAML and JSON read differently (%d and %d services)", len(fromYAML.Services), len(fromJSON.Services))
	}
}
