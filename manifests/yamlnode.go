package manifests

import (
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Helpers to edit a YAML document in place, keeping its comments, key order
// and every field the edit does not touch.

// child returns the value of key in mapping n, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// path follows keys through nested mappings.
func path(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n = child(n, k)
	}
	return n
}

// scalar is the value of a scalar child, or "".
func scalar(n *yaml.Node, keys ...string) string {
	if v := path(n, keys...); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

// ensureMap returns the mapping under key, creating it when absent.
func ensureMap(n *yaml.Node, key string) *yaml.Node {
	if v := child(n, key); v != nil {
		if v.Kind == yaml.MappingNode {
			return v
		}
		// a null or scalar placeholder (annotations: {} parsed as flow, or ~)
		v.Kind, v.Tag, v.Value, v.Content, v.Style = yaml.MappingNode, "!!map", "", nil, 0
		return v
	}
	v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	n.Style &^= yaml.FlowStyle // a flow mapping ({name: x}) grows into a block one
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
	return v
}

// setScalar sets key to a string value; it reports whether anything changed.
func setScalar(n *yaml.Node, key, value string) bool {
	if v := child(n, key); v != nil {
		if v.Kind == yaml.ScalarNode && v.Value == value {
			return false
		}
		v.Kind, v.Tag, v.Value, v.Content = yaml.ScalarNode, "!!str", value, nil
		if v.Style&yaml.FlowStyle != 0 {
			v.Style = 0
		}
		return true
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value})
	return true
}

// deleteKey removes key from mapping n; it reports whether it was there.
func deleteKey(n *yaml.Node, key string) bool {
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			n.Content = append(n.Content[:i], n.Content[i+2:]...)
			return true
		}
	}
	return false
}

// str is a plain string scalar node.
func str(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

// mapping builds a mapping node from key, value pairs (values are nodes).
func mapping(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(kv); i += 2 {
		var v *yaml.Node
		switch x := kv[i+1].(type) {
		case *yaml.Node:
			v = x
		case string:
			v = str(x)
		case int:
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(x)}
		case bool:
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
		default:
			panic(fmt.Sprintf("mapping: value of %s is a %T", kv[i], x)) // a programming error, caught by any test that writes it
		}
		n.Content = append(n.Content, str(kv[i].(string)), v)
	}
	return n
}

func seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

// dropEmpty removes key from mapping n when its value is an empty mapping.
func dropEmpty(n *yaml.Node, key string) {
	if v := child(n, key); v != nil && v.Kind == yaml.MappingNode && len(v.Content) == 0 {
		deleteKey(n, key)
	}
}

// cloneNode copies a node and everything under it.
func cloneNode(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = cloneNode(k)
	}
	c.Alias = cloneNode(n.Alias)
	return &c
}
