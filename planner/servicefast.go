package planner

import (
	"encoding/json"
	"slices"
	"strconv"
)

// decodeServiceFast decodes one service object of a JSON declaration without
// reflection, as strictly as encoding/json with unknown fields disallowed
// and duplicate keys refused. It declines (false) anything it is not sure to
// decode exactly as encoding/json would: an unknown or escaped key, null, a
// number that is not a plain JSON number, a fraction in a whole number.
// Declined chunks go through encoding/json, which words the errors; a fuzz
// test holds the two to the same results.
func decodeServiceFast(b []byte, s *Service) bool {
	d := &fastDecoder{b: b}
	ok := d.object(func(key string) bool {
		switch key {
		case "name":
			return d.str(&s.Name)
		case "namespace":
			return d.str(&s.Namespace)
		case "protocol":
			return d.str(&s.Protocol)
		case "port":
			return d.integer(&s.Port)
		case "audience":
			return d.str(&s.Audience)
		case "hosts":
			return d.strs(&s.Hosts)
		case "paths":
			return d.strs(&s.Paths)
		case "certificate":
			return d.str(&s.Certificate)
		case "traffic":
			return d.traffic(&s.Traffic)
		case "latencyBudgetMs":
			s.LatencyBudgetMs = new(Quantity)
			return d.quantity(s.LatencyBudgetMs)
		case "needs":
			return d.strs(&s.Needs)
		case "current":
			return d.str((*string)(&s.Current))
		case "pin":
			return d.str((*string)(&s.Pin))
		case "currentLoadBalancer":
			s.CurrentLoadBalancer = new(CurrentLB)
			return d.currentLB(s.CurrentLoadBalancer)
		case "alsoOn":
			return d.list(func() bool {
				s.AlsoOn = append(s.AlsoOn, CurrentLB{})
				return d.currentLB(&s.AlsoOn[len(s.AlsoOn)-1])
			}, func() { s.AlsoOn = []CurrentLB{} })
		case "ports":
			return d.list(func() bool {
				s.Ports = append(s.Ports, ServicePort{})
				p := &s.Ports[len(s.Ports)-1]
				return d.object(func(key string) bool {
					switch key {
					case "port":
						return d.integer(&p.Port)
					case "protocol":
						return d.str(&p.Protocol)
					}
					return false
				})
			}, func() { s.Ports = []ServicePort{} })
		case "routedWith":
			return d.strs(&s.RoutedWith)
		case "calls":
			return d.strs(&s.Calls)
		case "staticAddresses":
			return d.strs(&s.StaticAddresses)
		case "headless":
			return d.boolean(&s.Headless)
		case "clusterPorts":
			s.ClusterPorts = nil
			return d.list(func() bool {
				s.ClusterPorts = append(s.ClusterPorts, 0)
				return d.integer(&s.ClusterPorts[len(s.ClusterPorts)-1])
			}, func() { s.ClusterPorts = []int{} })
		case "labels":
			if s.Labels == nil {
				s.Labels = map[string]string{}
			}
			return d.object(func(key string) bool {
				var v string
				if !d.str(&v) {
					return false
				}
				s.Labels[key] = v
				return true
			})
		}
		return false
	})
	d.space()
	return ok && d.i == len(d.b)
}

// fastDecoder reads JSON values from b at i.
type fastDecoder struct {
	b []byte
	i int
}

func (d *fastDecoder) space() {
	for d.i < len(d.b) && (d.b[d.i] == ' ' || d.b[d.i] == '\t' || d.b[d.i] == '\n' || d.b[d.i] == '\r') {
		d.i++
	}
}

// next consumes c, after white space.
func (d *fastDecoder) next(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// object reads an object, calling field for each key (with d at its value);
// a repeated key declines.
func (d *fastDecoder) object(field func(key string) bool) bool {
	if !d.next('{') {
		return false
	}
	if d.next('}') {
		return true
	}
	var seenKeys [16]string // a service has fewer fields: no allocation
	seen := seenKeys[:0]
	for {
		var key string
		if d.space(); !d.plainString(&key) || slices.Contains(seen, key) || !d.next(':') {
			return false
		}
		seen = append(seen, key)
		if !field(key) {
			return false
		}
		if d.next(',') {
			continue
		}
		return d.next('}')
	}
}

// list reads an array, calling elem for each element; empty is called for [].
func (d *fastDecoder) list(elem func() bool, empty func()) bool {
	if !d.next('[') {
		return false
	}
	if d.next(']') {
		empty()
		return true
	}
	for {
		if !elem() {
			return false
		}
		if d.next(',') {
			continue
		}
		return d.next(']')
	}
}

// plainString reads a string without escapes or control characters (the
// document is valid UTF-8: checked before).
func (d *fastDecoder) plainString(out *string) bool {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return false
	}
	for j := d.i + 1; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			*out = string(d.b[d.i+1 : j])
			d.i = j + 1
			return true
		case c == '\\' || c < 0x20:
			return false
		}
	}
	return false
}

// str reads a string value; one with escapes is unquoted by encoding/json.
func (d *fastDecoder) str(out *string) bool {
	d.space()
	if d.plainString(out) {
		return true
	}
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return false
	}
	j := d.i + 1
	for ; j < len(d.b) && d.b[j] != '"'; j++ {
		if d.b[j] == '\\' {
			j++
		}
	}
	if j >= len(d.b) || json.Unmarshal(d.b[d.i:j+1], out) != nil {
		return false
	}
	d.i = j + 1
	return true
}

func (d *fastDecoder) strs(out *[]string) bool {
	*out = nil
	return d.list(func() bool {
		*out = append(*out, "")
		return d.str(&(*out)[len(*out)-1])
	}, func() { *out = []string{} })
}

// number returns a number token if it is a plain JSON number.
func (d *fastDecoder) number() ([]byte, bool) {
	d.space()
	from, b, i := d.i, d.b, d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > start
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return nil, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return nil, false
		}
	}
	d.i = i
	return b[from:i], true
}

// integer reads a whole number that fits an int; a fraction or exponent declines.
func (d *fastDecoder) integer(out *int) bool {
	tok, ok := d.number()
	if !ok {
		return false
	}
	n, err := strconv.Atoi(string(tok))
	if err != nil {
		return false
	}
	*out = n
	return true
}

func (d *fastDecoder) quantity(out *Quantity) bool {
	tok, ok := d.number()
	return ok && out.UnmarshalJSON(tok) == nil
}

func (d *fastDecoder) boolean(out *bool) bool {
	d.space()
	switch {
	case len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "true":
		*out, d.i = true, d.i+4
	case len(d.b)-d.i >= 5 && string(d.b[d.i:d.i+5]) == "false":
		*out, d.i = false, d.i+5
	default:
		return false
	}
	return true
}

func (d *fastDecoder) traffic(t *Traffic) bool {
	return d.object(func(key string) bool {
		switch key {
		case "requestsPerSecond":
			return d.quantity(&t.RequestsPerSecond)
		case "newConnectionsPerSecond":
			return d.quantity(&t.NewConnectionsPerSecond)
		case "activeConnections":
			return d.quantity(&t.ActiveConnections)
		case "gbPerMonth":
			return d.quantity(&t.GBPerMonth)
		}
		return false
	})
}

func (d *fastDecoder) currentLB(c *CurrentLB) bool {
	return d.object(func(key string) bool {
		switch key {
		case "kind":
			return d.str(&c.Kind)
		case "name":
			return d.str(&c.Name)
		case "scheme":
			return d.str(&c.Scheme)
		case "frontend":
			return d.str(&c.Frontend)
		case "httpFrontend":
			return d.boolean(&c.HTTPFrontend)
		case "httpRedirect":
			return d.boolean(&c.HTTPRedirect)
		case "rulePosition":
			return d.integer(&c.RulePosition)
		case "accessPolicy":
			return d.str(&c.AccessPolicy)
		}
		return false
	})
}
