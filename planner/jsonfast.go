package planner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"
	"unicode/utf8"
)

// parseJSON is the fast path for a JSON declaration: encoding/json, strictly
// (unknown fields, duplicate keys, fractions in whole numbers, trailing data
// and syntax errors all fail), with the services decoded in chunks on every
// processor. ok is false when the YAML path must read the file instead (it
// reports each problem with its line); err is set for a problem found before
// decoding (too many services), so that a huge file is never decoded whole.
func parseJSON(data []byte) (d *Declaration, ok bool, err error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' || !yamlPrintable(trimmed) || miscasedKey(trimmed) {
		return nil, false, nil
	}
	top, services, ok := splitServices(trimmed)
	if !ok {
		return nil, false, nil
	}
	if len(services) > MaxServices {
		line := 1 + bytes.Count(trimmed[:services[0].from], []byte{'\n'}) + bytes.Count(data[:len(data)-len(trimmed)], []byte{'\n'})
		return nil, false, &FieldError{Line: line, Index: -1, Field: "services", Msg: fmt.Sprintf("at most %d services, got %d", MaxServices, len(services))}
	}
	d = &Declaration{}
	if !decodeStrict(top, d) {
		return nil, false, nil
	}
	if services == nil {
		return d, true, nil
	}
	d.Services = make([]Service, len(services))
	if !decodeServices(trimmed, services, d.Services) {
		return nil, false, nil
	}
	return d, true, nil
}

// yamlPrintable reports whether b is valid UTF-8 of the characters a YAML
// stream may hold (encoding/json would take invalid UTF-8 or a DEL that the
// YAML path refuses).
func yamlPrintable(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !(r == 0x85 || (r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd && r != 0xfeff) || r >= 0x10000) {
			return false
		}
		i += n
	}
	return true
}

// span is a value's bytes [from, to) in the document.
type span struct{ from, to int }

// splitServices finds the top-level "services" list and its elements, and
// returns the document with the list emptied, for the other fields.
// ok is false on anything but one well-formed object with no duplicate keys
// at its top level.
func splitServices(doc []byte) (top []byte, services []span, ok bool) {
	s := &jsonScanner{b: doc}
	var list span
	found := false
	keys := map[string]bool{}
	if s.peek() != '{' || !s.object(func(rawKey []byte, from int) bool {
		key := string(rawKey)
		if keys[key] {
			return false
		}
		keys[key] = true
		if key == "services" && s.peek() == '[' {
			found, list.from = true, s.i
			services = []span{}
			if !s.list(func(from int) bool {
				if s.peek() != '{' || !s.value() { // a service is an object (null or else: the YAML path)
					return false
				}
				services = append(services, span{from, s.i})
				return true
			}) {
				return false
			}
			list.to = s.i
			return true
		}
		return s.value()
	}) {
		return nil, nil, false
	}
	if s.skipSpace(); s.i != len(doc) {
		return nil, nil, false // trailing data
	}
	if !found {
		return doc, nil, true
	}
	top = make([]byte, 0, len(doc)-(list.to-list.from)+2)
	top = append(append(append(top, doc[:list.from]...), "[]"...), doc[list.to:]...)
	return top, services, true
}

// decodeStrict decodes one JSON value into v: unknown fields and duplicate
// keys fail.
func decodeStrict(b []byte, v any) bool {
	if !noDuplicateKeys(b) {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return false
	}
	_, err := dec.Token()
	return err == io.EOF
}

// decodeServices decodes the services in chunks on every processor, each
// chunk into its own part of out.
func decodeServices(doc []byte, services []span, out []Service) bool {
	const chunk = 2048
	var failed sync.Once
	ok := true
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for lo := 0; lo < len(services); lo += chunk {
		hi := min(lo+chunk, len(services))
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fast := true // each element without reflection, unless one is declined
			for k := lo; k < hi && fast; k++ {
				fast = decodeServiceFast(doc[services[k].from:services[k].to], &out[k])
			}
			if fast {
				return
			}
			clear(out[lo:hi]) // encoding/json decodes into what is there
			// the chunk's elements as one list, decoded into its own part of out
			part := doc[services[lo].from:services[hi-1].to]
			list := make([]byte, 0, len(part)+2)
			list = append(append(append(list, '['), part...), ']')
			dst := out[lo:lo:hi]
			if !decodeStrict(list, &dst) || len(dst) != hi-lo {
				failed.Do(func() { ok = false })
			}
		}()
	}
	wg.Wait()
	return ok
}

// noDuplicateKeys reports whether no object in a well-formed JSON value
// repeats a key (encoding/json would keep the last; YAML, and lbplanner,
// refuse it).
func noDuplicateKeys(b []byte) bool {
	s := &jsonScanner{b: b, checkKeys: true}
	return s.value()
}

// jsonScanner walks JSON structure without decoding it: enough to split a
// list into its elements and to find repeated keys. Anything it does not
// understand is reported as not ok; encoding/json has the last word.
type jsonScanner struct {
	b         []byte
	i         int
	checkKeys bool
}

func (s *jsonScanner) skipSpace() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

func (s *jsonScanner) peek() byte {
	s.skipSpace()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *jsonScanner) value() bool {
	switch s.peek() {
	case '{':
		var keys [][]byte
		var big map[string]bool
		return s.object(func(key []byte, _ int) bool {
			if s.checkKeys {
				if big == nil && len(keys) < 16 {
					for _, k := range keys {
						if bytes.Equal(k, key) {
							return false
						}
					}
					keys = append(keys, key)
				} else {
					if big == nil {
						big = map[string]bool{}
						for _, k := range keys {
							big[string(k)] = true
						}
					}
					if big[string(key)] {
						return false
					}
					big[string(key)] = true
				}
			}
			return s.value()
		})
	case '[':
		return s.list(func(int) bool { return s.value() })
	case '"':
		_, ok := s.str()
		return ok
	case 0:
		return false
	}
	// a number or literal: up to the next delimiter; encoding/json checks it
	start := s.i
	for ; s.i < len(s.b); s.i++ {
		if c := s.b[s.i]; c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			break
		}
	}
	return s.i > start
}

func (s *jsonScanner) object(member func(key []byte, from int) bool) bool {
	s.i++ // {
	if s.peek() == '}' {
		s.i++
		return true
	}
	for {
		if s.peek() != '"' {
			return false
		}
		key, ok := s.str()
		if !ok || bytes.IndexByte(key, '\\') >= 0 || s.peek() != ':' {
			return false // a key spelled with escapes: the YAML path compares it decoded
		}
		s.i++
		s.skipSpace()
		if !member(key, s.i) {
			return false
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

func (s *jsonScanner) list(elem func(from int) bool) bool {
	s.i++ // [
	if s.peek() == ']' {
		s.i++
		return true
	}
	for {
		s.skipSpace()
		if !elem(s.i) {
			return false
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return true
		default:
			return false
		}
	}
}

// str reads a string and returns its bytes between the quotes, as written.
func (s *jsonScanner) str() ([]byte, bool) {
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch s.b[j] {
		case '\\':
			j++
		case '"':
			s.i = j + 1
			return s.b[start:j], true
		}
	}
	return nil, false
}
