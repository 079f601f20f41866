package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// JSON renders v as indented JSON with a trailing newline, without HTML
// escaping: the bytes WriteJSON writes.
func JSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteJSON writes v as indented JSON (two spaces, no HTML escaping, a
// trailing newline). A struct's fields are written one by one and the
// elements of its list fields one at a time, so that a plan of 100,000
// services is never held in memory as one document; the bytes are those of
// encoding/json's indented output of the whole value.
func WriteJSON(w io.Writer, v any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := &elementEncoder{}
	if err := enc.top(bw, reflect.ValueOf(v)); err != nil {
		return fmt.Errorf("render JSON: %w", err)
	}
	return bw.Flush()
}

// elementEncoder encodes one value at a time at a given indentation, with
// one encoder (and its buffers) per indentation.
type elementEncoder struct {
	scratch  []byte
	buf      bytes.Buffer
	encoders map[string]*json.Encoder
}

func (e *elementEncoder) write(w *bufio.Writer, v reflect.Value, prefix string) error {
	if v.CanAddr() { // most of a plan, written without reflection
		fast := true
		switch v.Type() {
		case servicePlanType:
			e.scratch = appendService(e.scratch[:0], v.Addr().Interface().(*planner.ServicePlan), prefix)
		case loadBalancerPlanType:
			e.scratch = appendLoadBalancer(e.scratch[:0], v.Addr().Interface().(*planner.LoadBalancerPlan), prefix)
		default:
			fast = false
		}
		if fast {
			_, err := w.Write(e.scratch)
			return err
		}
	}
	if v.CanAddr() {
		v = v.Addr() // encoding/json calls pointer-receiver marshalers on addressable values
	}
	e.buf.Reset()
	enc := e.encoders[prefix]
	if enc == nil {
		enc = json.NewEncoder(&e.buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent(prefix, "  ")
		if e.encoders == nil {
			e.encoders = map[string]*json.Encoder{}
		}
		e.encoders[prefix] = enc
	}
	if err := enc.Encode(v.Interface()); err != nil {
		return err
	}
	_, err := w.Write(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")))
	return err
}

var (
	marshalerType   = reflect.TypeFor[json.Marshaler]()
	servicePlanType = reflect.TypeFor[planner.ServicePlan]()
	// loadBalancerPlanType is the other long list, written without reflection too
	loadBalancerPlanType = reflect.TypeFor[planner.LoadBalancerPlan]()
)

// top writes a struct field by field; anything else (a map, a struct with
// embedded fields or its own marshaler) is encoded whole.
func (e *elementEncoder) top(w *bufio.Writer, v reflect.Value) error {
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	fields, ok := streamableFields(v)
	if !ok {
		if err := e.write(w, v, ""); err != nil {
			return err
		}
		return w.WriteByte('\n')
	}
	w.WriteByte('{')
	n := 0
	for _, f := range fields {
		fv := v.Field(f.index)
		if f.omitEmpty && isEmptyJSON(fv) {
			continue
		}
		if n > 0 {
			w.WriteByte(',')
		}
		n++
		key, _ := json.Marshal(f.name)
		fmt.Fprintf(w, "\n  %s: ", key)
		if err := e.field(w, fv); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if n > 0 {
		w.WriteByte('\n')
	}
	_, err := w.WriteString("}\n")
	return err
}

// field writes a top-level field's value; a non-empty list element by element.
func (e *elementEncoder) field(w *bufio.Writer, v reflect.Value) error {
	if v.Kind() != reflect.Slice || v.Len() == 0 || v.Type().Implements(marshalerType) || reflect.PointerTo(v.Type()).Implements(marshalerType) || v.Type().Elem().Kind() == reflect.Uint8 {
		return e.write(w, v, "  ")
	}
	w.WriteByte('[')
	err := encodeChunks(v.Len(), func(lo, hi int, out *bufio.Writer, enc *elementEncoder) error {
		for i := lo; i < hi; i++ {
			if i > 0 {
				out.WriteByte(',')
			}
			out.WriteString("\n    ")
			if err := enc.write(out, v.Index(i), "    "); err != nil {
				return err
			}
		}
		return nil
	}, w)
	if err != nil {
		return err
	}
	_, err = w.WriteString("\n  ]")
	return err
}

// chunkSize is how many list elements one worker encodes at a time.
const chunkSize = 1024

// encodeChunks encodes elements [0, n) in chunks on every processor and
// writes the chunks to w in order; at most two chunks per processor are held
// at once, so memory stays bounded however long the list.
func encodeChunks(n int, encode func(lo, hi int, out *bufio.Writer, enc *elementEncoder) error, w *bufio.Writer) error {
	workers := runtime.GOMAXPROCS(0)
	if n <= chunkSize || workers == 1 {
		return encode(0, n, w, &elementEncoder{})
	}
	type chunk struct {
		buf  *bytes.Buffer
		err  error
		done chan struct{}
	}
	pending := make(chan *chunk, 2*workers)
	sem := make(chan struct{}, workers)
	// written chunks' buffers are reused: growing a fresh one per chunk
	// cleared and copied a few hundred megabytes at 100,000 services. A
	// buffer is taken once the chunk has its place in pending, so that one
	// freed meanwhile is found; at most cap(free) are ever made.
	free := make(chan *bytes.Buffer, 2*workers+2)
	made := 0
	go func() {
		defer close(pending)
		for lo := 0; lo < n; lo += chunkSize {
			c := &chunk{done: make(chan struct{})}
			pending <- c // waits while 2 x workers chunks are unwritten
			sem <- struct{}{}
			select {
			case c.buf = <-free:
			default:
				if made < cap(free) {
					made++
					c.buf = new(bytes.Buffer)
				} else {
					c.buf = <-free // every chunk ahead has its buffer and is under way
				}
			}
			go func(lo, hi int) {
				defer func() { <-sem; close(c.done) }()
				out := bufio.NewWriter(c.buf)
				if c.err = encode(lo, hi, out, &elementEncoder{}); c.err == nil {
					c.err = out.Flush()
				}
			}(lo, min(lo+chunkSize, n))
		}
	}()
	var err error
	for c := range pending {
		<-c.done
		if err == nil {
			err = c.err
		}
		if err == nil {
			_, err = w.Write(c.buf.Bytes())
		}
		c.buf.Reset()
		select {
		case free <- c.buf:
		default:
		}
	}
	return err
}

type jsonField struct {
	name      string
	index     int
	omitEmpty bool
}

// streamableFields lists a struct's JSON fields as encoding/json names them,
// or says the value is not a plain struct this writer can stream.
func streamableFields(v reflect.Value) ([]jsonField, bool) {
	if v.Kind() != reflect.Struct || v.Type().Implements(marshalerType) || reflect.PointerTo(v.Type()).Implements(marshalerType) {
		return nil, false
	}
	t := v.Type()
	var fields []jsonField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			return nil, false
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(opts, "string") || strings.Contains(opts, "omitzero") {
			return nil, false
		}
		if name == "" {
			name = f.Name
		}
		fields = append(fields, jsonField{name: name, index: i, omitEmpty: strings.Contains(opts, "omitempty")})
	}
	return fields, true
}

// isEmptyJSON is encoding/json's omitempty test.
func isEmptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
