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
