package manifests

import (
	"encoding/json"
	"strings"

	"go.yaml.in/yaml/v3"
)

// albMatchPath is one path of an Ingress written from a route's match, with
// the match's precedence among equal paths (albConditions).
type albMatchPath struct {
	rank [3]int
	node *yaml.Node
}

// albMaxEvaluations is how many values an ALB rule may match on, host and
// path included (Elastic Load Balancing's "five match evaluations per rule").
const albMaxEvaluations = 5

// albConditions writes what an HTTPRoute match tests besides its path (its
// headers, query parameters and method) as the AWS Load Balancer
// Controller's conditions annotation: "" when it tests nothing else. rank
// orders matches on one path as Gateway API's precedence does (a method,
// then more headers, then more query parameters first). ok is false when
// an ALB cannot test it so: a regular expression, a value with an ALB
// wildcard (* or ?), or more values than a rule may match on.
func albConditions(m *yaml.Node, hosted bool) (conds string, rank [3]int, ok bool) {
	var out []map[string]any
	literal := func(v string) bool { return !strings.ContainsAny(v, "*?") }
	for _, h := range seqItems(child(m, "headers")) {
		name, value := scalar(h, "name"), scalar(h, "value")
		if t := scalar(h, "type"); (t != "" && t != "Exact") || name == "" || !literal(value) {
			return "", rank, false
		}
		out = append(out, map[string]any{"field": "http-header", "httpHeaderConfig": map[string]any{"httpHeaderName": name, "values": []string{value}}})
		rank[1]++
	}
	for _, q := range seqItems(child(m, "queryParams")) {
		name, value := scalar(q, "name"), scalar(q, "value")
		if t := scalar(q, "type"); (t != "" && t != "Exact") || name == "" || !literal(name) || !literal(value) {
			return "", rank, false
		}
		out = append(out, map[string]any{"field": "query-string", "queryStringConfig": map[string]any{"values": []map[string]string{{"key": name, "value": value}}}})
		rank[2]++
	}
	if method := scalar(m, "method"); method != "" {
		out = append(out, map[string]any{"field": "http-request-method", "httpRequestMethodConfig": map[string]any{"values": []string{method}}})
		rank[0] = 1
	}
	if len(out) == 0 {
		return "", rank, true
	}
	evaluations := 1 + len(out) // the path's, and one value per condition
	if hosted {
		evaluations++
	}
	if evaluations > albMaxEvaluations {
		return "", rank, false
	}
	js, err := json.Marshal(out)
	if err != nil {
		return "", rank, false
	}
	return string(js), rank, true
}
