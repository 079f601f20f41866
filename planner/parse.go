package planner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Parse reads a declaration in YAML or JSON (JSON is YAML), strictly: an
// unknown field is an error. The result is defaulted and validated; every
// error names the file, the line, the service and the field it concerns.
func Parse(data []byte, file string) (*Declaration, error) {
	d, err := ParseRaw(data, file)
	if err != nil {
		return nil, err
	}
	if err := ValidateFile(d, data, file); err != nil {
		return nil, err
	}
	return d, nil
}

// ParseRaw decodes a declaration strictly without validating it, so that a
// caller can apply overrides before ValidateFile.
func ParseRaw(data []byte, file string) (*Declaration, error) {
	if d, ok, err := parseJSON(data); ok || err != nil {
		return d, withFileName(err, file)
	}
	if bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) {
		return parseYAML(data, file) // JSON held to JSON's rules there, with lines
	}
	if js, ok := yamlAsJSON(data); ok {
		if d, ok, _ := parseJSON(js); ok {
			return d, nil
		}
	}
	return parseYAML(data, file)
}

// withFileName names the file in a FieldError that lacks it.
func withFileName(err error, file string) error {
	if fe, ok := err.(*FieldError); ok && fe.File == "" {
		fe.File = file
	}
	return err
}

// parseYAML is the full YAML path, which every input that the fast paths
// decline goes through, and which words every error with its line.
func parseYAML(data []byte, file string) (*Declaration, error) {
	// one YAML pass: the node tree, checked for unknown fields, then decoded
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if sm := lineRe.FindStringSubmatch(msg); sm != nil {
			return nil, fmt.Errorf("%s:%s: %s", file, sm[1], sm[2])
		}
		return nil, fmt.Errorf("%s: %s", file, msg)
	}
	if len(root.Content) == 0 {
		return nil, &FieldError{File: file, Index: -1, Msg: "empty declaration: want cloud, region and services"}
	}
	if root.Content[0].Kind != yaml.MappingNode {
		return nil, &FieldError{File: file, Line: root.Content[0].Line, Index: -1, Msg: "a declaration is a mapping with cloud, region and services"}
	}
	if seq := servicesNode(&root); seq != nil && len(seq.Content) > MaxServices {
		// before the services are decoded into structs, which is where the memory goes
		return nil, &FieldError{File: file, Line: seq.Line, Index: -1, Field: "services", Msg: fmt.Sprintf("at most %d services, got %d", MaxServices, len(seq.Content))}
	}
	if es := fractions(&root, file); len(es) > 0 {
		return nil, es
	}
	if err := strictJSON(data, file); err != nil {
		return nil, err
	}
	if es := unknownFields(&root, file); len(es) > 0 {
		return nil, es
	}
	var d Declaration
	if err := root.Decode(&d); err != nil {
		return nil, decodeErrors(err, file, &root)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &FieldError{File: file, Line: extra.Line, Index: -1, Msg: "a declaration is a single YAML document"}
	}
	return &d, nil
}

// jsonFields are the declaration's JSON field names, and by lower case.
var jsonFields, jsonFieldsLower = func() (map[string]bool, map[string]bool) {
	exact, lower := map[string]bool{}, map[string]bool{}
	var walk func(t reflect.Type)
	seen := map[reflect.Type]bool{}
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
				exact[name], lower[strings.ToLower(name)] = true, true
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(Declaration{}))
	return exact, lower
}()

// miscasedKey reports whether a JSON document has a key that matches a
// declaration field only when case is ignored ("Cloud"): encoding/json would
// take it, the strict YAML path rejects it.
func miscasedKey(data []byte) bool {
	for i := 0; i < len(data); i++ {
		if data[i] != '"' {
			continue
		}
		j := i + 1
		for j < len(data) && data[j] != '"' {
			if data[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(data) {
			return false
		}
		key := data[i+1 : j]
		k := j + 1
		for k < len(data) && (data[k] == ' ' || data[k] == '\t' || data[k] == '\n' || data[k] == '\r') {
			k++
		}
		if k < len(data) && data[k] == ':' && !jsonFields[string(key)] && jsonFieldsLower[strings.ToLower(string(key))] {
			return true
		}
		i = j
	}
	return false
}

// strictJSON holds a declaration that looks like JSON to JSON's rules (YAML
// would accept trailing commas and comments).
func strictJSON(data []byte, file string) error {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Valid(data) {
		return nil
	}
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return &FieldError{File: file, Line: line, Index: -1, Msg: "not valid JSON: " + se.Error()}
	}
	return nil
}

// ValidateFile validates a declaration parsed from data and locates each
// problem in the file by line.
func ValidateFile(d *Declaration, data []byte, file string) error {
	err := Validate(d)
	if err == nil {
		return nil
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root) // already parsed once: cannot fail
	var es Errors
	if errors.As(err, &es) {
		for _, e := range es {
			e.File = file
			e.Line = lineOf(&root, e.Index, e.Field)
		}
	}
	return err
}

var (
	lineRe         = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownFieldRe = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	typeRe         = regexp.MustCompile(`^cannot unmarshal (\S+)(?: ` + "`" + `[^` + "`" + `]*` + "`" + `)? into (\S+)$`)
)

// decodeErrors turns yaml.v3 decoding errors into FieldErrors naming the service at that line.
func decodeErrors(err error, file string, root *yaml.Node) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var es Errors
	for _, m := range msgs {
		fe := &FieldError{File: file, Index: -1, Msg: m}
		if sm := lineRe.FindStringSubmatch(m); sm != nil {
			fe.Line, _ = strconv.Atoi(sm[1])
			fe.Msg = sm[2]
			if um := unknownFieldRe.FindStringSubmatch(fe.Msg); um != nil {
				fe.Msg = fmt.Sprintf("unknown field %q", um[1])
			} else if tm := typeRe.FindStringSubmatch(fe.Msg); tm != nil {
				fe.Msg = fmt.Sprintf("wrong type: got %s, want %s", strings.TrimPrefix(tm[1], "!!"), friendlyType(tm[2]))
			}
			fe.Index, fe.Service = serviceAt(root, fe.Line)
			switch {
			case strings.HasPrefix(fe.Msg, "unknown field"):
			case fe.Index >= 0:
				fe.Field = fieldAt(servicesNode(root).Content[fe.Index], fe.Line, "", fe.Msg)
			case len(root.Content) > 0:
				fe.Field = fieldAt(root.Content[0], fe.Line, "", fe.Msg)
			}
		}
		es = append(es, fe)
	}
	return es
}

func friendlyType(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case t == "int":
		return "a whole number"
	case t == "bool":
		return "true or false"
	case t == "string", t == "planner.Exposure":
		return "a string"
	default:
		return "a mapping"
	}
}

func mappingValue(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

func servicesNode(root *yaml.Node) *yaml.Node {
	if len(root.Content) == 0 {
		return nil
	}
	_, s := mappingValue(root.Content[0], "services")
	if s == nil || s.Kind != yaml.SequenceNode {
		return nil
	}
	return s
}

// serviceAt finds the service whose block contains line.
func serviceAt(root *yaml.Node, line int) (int, string) {
	seq := servicesNode(root)
	if seq == nil {
		return -1, ""
	}
	idx := -1
	for i, n := range seq.Content {
		if n.Line <= line {
			idx = i
		}
	}
	if idx < 0 || (len(seq.Content) > 0 && line < seq.Content[0].Line) {
		return -1, ""
	}
	n := seq.Content[idx]
	_, name := mappingValue(n, "name")
	_, ns := mappingValue(n, "namespace")
	key := ""
	if name != nil && name.Kind == yaml.ScalarNode {
		key = name.Value
		if ns != nil && ns.Kind == yaml.ScalarNode && ns.Value != "" {
			key = ns.Value + "/" + name.Value
		}
	}
	return idx, key
}

// fieldAt finds the dotted path of the field whose value sits at line; on a
// line of several (flow style), the one whose value the message quotes.
func fieldAt(n *yaml.Node, line int, prefix, msg string) string {
	first := ""
	var walk func(n *yaml.Node, prefix string) string
	walk = func(n *yaml.Node, prefix string) string {
		if n == nil || n.Kind != yaml.MappingNode {
			return ""
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			path := k.Value
			if prefix != "" {
				path = prefix + "." + k.Value
			}
			if v.Kind == yaml.MappingNode {
				if f := walk(v, path); f != "" {
					return f
				}
			}
			if k.Line == line && v.Kind != yaml.MappingNode || v.Line == line && v.Kind == yaml.ScalarNode {
				if v.Kind == yaml.ScalarNode && v.Value != "" && strings.Contains(msg, v.Value) {
					return path
				}
				if first == "" {
					first = path
				}
			}
		}
		return ""
	}
	if f := walk(n, prefix); f != "" {
		return f
	}
	return first
}

// unknownFields finds the keys no field of the declaration takes, with their
// lines (what yaml's KnownFields reports, without decoding the file twice).
func unknownFields(root *yaml.Node, file string) Errors {
	var es Errors
	var walk func(n *yaml.Node, t reflect.Type)
	walk = func(n *yaml.Node, t reflect.Type) {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
			fields := yamlFields(t)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				ft, ok := fields[k.Value]
				if !ok {
					fe := &FieldError{File: file, Line: k.Line, Index: -1, Msg: fmt.Sprintf("unknown field %q", k.Value)}
					fe.Index, fe.Service = serviceAt(root, k.Line)
					es = append(es, fe)
					continue
				}
				walk(v, ft)
			}
		case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
			for _, item := range n.Content {
				walk(item, t.Elem())
			}
		}
	}
	if len(root.Content) > 0 {
		walk(root.Content[0], reflect.TypeOf(Declaration{}))
	}
	return es
}

// yamlFieldsCache holds, per struct type, its fields by YAML name.
var yamlFieldsCache sync.Map

func yamlFields(t reflect.Type) map[string]reflect.Type {
	if f, ok := yamlFieldsCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name != "" && name != "-" && f.IsExported() {
			fields[name] = f.Type
		}
	}
	yamlFieldsCache.Store(t, fields)
	return fields
}

// wholeNumberFields are the declaration's integer fields.
var wholeNumberFields = map[string]bool{"zones": true, "port": true, "replicas": true, "global": true, "regional": true,
	"public": true, "internal": true, "minInstances": true}

// fractions finds integer fields written with a fraction (port: 443.9),
// which decoding would truncate.
func fractions(root *yaml.Node, file string) Errors {
	var es Errors
	var walk func(n *yaml.Node, path string, index int)
	walk = func(n *yaml.Node, path string, index int) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				if wholeNumberFields[k.Value] && v.Kind == yaml.ScalarNode && v.Tag == "!!float" {
					fe := &FieldError{File: file, Line: v.Line, Index: index, Field: p, Msg: fmt.Sprintf("want a whole number, got %s", v.Value)}
					if index >= 0 {
						_, fe.Service = serviceAt(root, v.Line)
					}
					es = append(es, fe)
				}
				if path == "" && index < 0 && k.Value == "services" && v.Kind == yaml.SequenceNode {
					for j, s := range v.Content {
						walk(s, "", j)
					}
					continue
				}
				walk(v, p, index)
			}
		case yaml.SequenceNode:
			for j, item := range n.Content {
				walk(item, fmt.Sprintf("%s[%d]", path, j), index)
			}
		}
	}
	if len(root.Content) > 0 {
		walk(root.Content[0], "", -1)
	}
	return es
}

var segRe = regexp.MustCompile(`^([A-Za-z0-9]+)(?:\[(\d+)\])?$`)

// lineOf finds the line of a dotted field path, in a service (index >= 0) or at the top level.
func lineOf(root *yaml.Node, index int, field string) int {
	if len(root.Content) == 0 {
		return 0
	}
	n := root.Content[0]
	best := n.Line
	if index >= 0 {
		seq := servicesNode(root)
		if seq == nil || index >= len(seq.Content) {
			return 0
		}
		n = seq.Content[index]
		best = n.Line
	}
	if field == "" {
		return best
	}
	for _, seg := range strings.Split(field, ".") {
		m := segRe.FindStringSubmatch(seg)
		if m == nil {
			return best
		}
		k, v := mappingValue(n, m[1])
		if k == nil {
			return best
		}
		best, n = k.Line, v
		if m[2] != "" && v.Kind == yaml.SequenceNode {
			i, _ := strconv.Atoi(m[2])
			if i < len(v.Content) {
				best, n = v.Content[i].Line, v.Content[i]
			}
		}
	}
	return best
}
