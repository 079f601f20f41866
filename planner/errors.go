package planner

import (
	"fmt"
	"strings"
)

// FieldError is a problem with one field of a declaration, located as
// precisely as is known: file, line, service and field.
type FieldError struct {
	File    string // the declaration's file name, if any
	Line    int    // 1-based line, 0 if unknown
	Index   int    // index in services, -1 for a top-level field
	Service string // namespace/name of the service, if known
	Field   string // dotted field path within the service or the declaration, e.g. "traffic.gbPerMonth"
	Msg     string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Index >= 0 {
		if e.Service != "" {
			fmt.Fprintf(&b, "service %q (services[%d]): ", e.Service, e.Index)
		} else {
			fmt.Fprintf(&b, "services[%d]: ", e.Index)
		}
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %s: ", e.Field)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is a list of problems found in one declaration, in file order.
type Errors []*FieldError

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap exposes each problem to errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func (es Errors) orNil() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
