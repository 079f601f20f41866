package planner

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// yamlAsJSON is the fast path for a YAML declaration: it rewrites the plain
// subset of YAML that declarations are written in (block mappings and
// sequences, plain and quoted scalars on one line, one-line flow collections,
// comments) as JSON, for parseJSON. It gives up (ok false) on anything else
// — anchors, tags, block or multi-line scalars, tabs, non-ASCII text, odd
// indentation, a duplicate key, a scalar YAML might read as a number that
// JSON would not — and on any doubt; the full YAML path then reads the file
// and reports each problem with its line. It never accepts what that path
// would reject or read differently (a differential fuzz test holds it to that).
func yamlAsJSON(data []byte) ([]byte, bool) {
	for _, c := range data {
		if (c < 0x20 && c != '\n') || c >= 0x7f {
			return nil, false // tabs, CR, control and non-ASCII bytes: the YAML path's rules
		}
	}
	y := &yamlReader{out: bytes.NewBuffer(make([]byte, 0, len(data)+len(data)/4))}
	y.split(data)
	if y.skipDocStart(); y.bad || y.i >= len(y.lines) {
		return nil, false
	}
	if y.node(y.lines[y.i].indent); y.bad || y.i < len(y.lines) {
		return nil, false
	}
	return y.out.Bytes(), true
}

// yamlLine is one line with content: its indentation and its text after it.
type yamlLine struct {
	indent int
	text   string
}

type yamlReader struct {
	lines []yamlLine
	i     int
	out   *bytes.Buffer
	bad   bool
	inRun bool // a reader of one run of a long sequence's items
}

func (y *yamlReader) split(data []byte) {
	// data's own bytes, not a copy (a large fresh copy is slow): the lines
	// are read only while yamlAsJSON runs, which never changes data, and
	// what they say is copied into the output
	s := unsafe.String(unsafe.SliceData(data), len(data))
	y.lines = make([]yamlLine, 0, bytes.Count(data, []byte{'\n'})+1)
	for len(s) > 0 {
		line, rest, _ := strings.Cut(s, "\n")
		s = rest
		text := strings.TrimLeft(line, " ")
		if text == "" || text[0] == '#' {
			continue
		}
		y.lines = append(y.lines, yamlLine{indent: len(line) - len(text), text: text})
	}
}

func (y *yamlReader) skipDocStart() {
	if y.i < len(y.lines) && y.lines[y.i].indent == 0 && strings.HasPrefix(y.lines[y.i].text, "---") {
		if rest := strings.TrimSpace(y.lines[y.i].text[3:]); rest != "" && rest[0] != '#' {
			y.bad = true
			return
		}
		y.i++
	}
	for _, l := range y.lines[y.i:] {
		if l.indent == 0 && (strings.HasPrefix(l.text, "---") || strings.HasPrefix(l.text, "...")) {
			y.bad = true // a second document or an end marker
		}
	}
}

func isSeqItem(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

// node reads the block node whose lines start at the current line, indented by indent.
func (y *yamlReader) node(indent int) {
	l := y.lines[y.i]
	switch {
	case l.indent != indent:
		y.bad = true
	case isSeqItem(l.text):
		y.sequence(indent)
	default:
		if _, _, ok := splitKey(l.text); ok {
			y.mapping(indent)
			return
		}
		y.i++ // a scalar or flow collection alone: an item of a sequence
		y.inlineValue(l.text)
		if y.i < len(y.lines) && y.lines[y.i].indent > indent {
			y.bad = true
		}
	}
}

func (y *yamlReader) sequence(indent int) {
	if !y.inRun {
		if starts, end := y.itemStarts(indent); len(starts) > itemsPerRun {
			y.sequenceInParts(indent, starts, end)
			return
		}
	}
	y.out.WriteByte('[')
	for n := 0; !y.bad && y.i < len(y.lines) && y.lines[y.i].indent == indent && isSeqItem(y.lines[y.i].text); n++ {
		if n > 0 {
			y.out.WriteByte(',')
		}
		y.item(indent)
	}
	y.out.WriteByte(']')
}

// item reads the sequence item at the current line.
func (y *yamlReader) item(indent int) {
	start := y.out.Len()
	item := strings.TrimLeft(y.lines[y.i].text[1:], " ")
	if item == "" || item[0] == '#' {
		y.i++
		y.nested(indent, false)
	} else {
		// the item's own text starts a node at its column: read it as that line
		col := indent + len(y.lines[y.i].text) - len(item)
		y.lines[y.i] = yamlLine{indent: col, text: item}
		y.node(col)
	}
	y.notNullItem(start)
}

// itemsPerRun: a sequence longer than this (a declaration's services) is
// read in runs of this many items at once on every processor (a variable
// for the tests, which read every sequence so).
var itemsPerRun = 2048

// itemStarts finds the lines that start the items of the sequence at the
// current line, and the line after it.
func (y *yamlReader) itemStarts(indent int) (starts []int, end int) {
	for end = y.i; end < len(y.lines); end++ {
		l := y.lines[end]
		if l.indent < indent || (l.indent == indent && !isSeqItem(l.text)) {
			break
		}
		if l.indent == indent {
			starts = append(starts, end)
		}
	}
	return starts, end
}

// sequenceInParts reads a long sequence as consecutive runs of items, each
// by its own reader, and joins what they write: the bytes are the one
// reader's, and a run whose items do not end exactly where the next run
// starts declines the whole.
func (y *yamlReader) sequenceInParts(indent int, starts []int, end int) {
	runs := (len(starts) + itemsPerRun - 1) / itemsPerRun
	outs, bad := make([][]byte, runs), make([]bool, runs)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for r := range runs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			to := end
			if next := (r + 1) * itemsPerRun; next < len(starts) {
				to = starts[next]
			}
			outs[r], bad[r] = y.run(indent, starts[r*itemsPerRun], to)
		}()
	}
	wg.Wait()
	if y.i = end; slices.Contains(bad, true) {
		y.bad = true
		return
	}
	y.out.WriteByte('[')
	for r, out := range outs {
		if r > 0 {
			y.out.WriteByte(',')
		}
		y.out.Write(out)
	}
	y.out.WriteByte(']')
}

// run reads the items of a sequence at indent on lines [from, to), by a
// reader of its own (which reads nested sequences in one piece), and says
// whether they did not fill exactly those lines.
func (y *yamlReader) run(indent, from, to int) ([]byte, bool) {
	sub := &yamlReader{lines: y.lines[:to], i: from, out: new(bytes.Buffer), inRun: true}
	for n := 0; !sub.bad && sub.i < to; n++ {
		if l := sub.lines[sub.i]; l.indent != indent || !isSeqItem(l.text) {
			return nil, true
		}
		if n > 0 {
			sub.out.WriteByte(',')
		}
		sub.item(indent)
	}
	return sub.out.Bytes(), sub.bad
}

// notNullItem declines a null list item: YAML drops it from a list of
// structs, JSON decodes a zero value.
func (y *yamlReader) notNullItem(start int) {
	if string(y.out.Bytes()[start:]) == "null" {
		y.bad = true
	}
}

// nested reads the value of a key or item whose text ended on its line: a
// block more indented than parent (for a key, a sequence may share its
// indentation), or null.
func (y *yamlReader) nested(parent int, sameIndentSeq bool) {
	if y.i < len(y.lines) {
		l := y.lines[y.i]
		if l.indent > parent || (sameIndentSeq && l.indent == parent && isSeqItem(l.text)) {
			y.node(l.indent)
			return
		}
	}
	y.out.WriteString("null")
}

func (y *yamlReader) mapping(indent int) {
	y.out.WriteByte('{')
	var keys keySet
	for n := 0; !y.bad && y.i < len(y.lines) && y.lines[y.i].indent == indent; n++ {
		text := y.lines[y.i].text
		if isSeqItem(text) {
			y.bad = true
			return
		}
		key, rest, ok := splitKey(text)
		if !ok || !keys.add(key) {
			y.bad = true
			return
		}
		if n > 0 {
			y.out.WriteByte(',')
		}
		writeJSONString(y.out, key)
		y.out.WriteByte(':')
		y.i++
		if rest == "" || rest[0] == '#' {
			y.nested(indent, true)
			continue
		}
		y.inlineValue(rest)
		if y.i < len(y.lines) && y.lines[y.i].indent > indent {
			y.bad = true // a plain scalar continued on the next line, or odd indentation
		}
	}
	y.out.WriteByte('}')
}

// splitKey splits "key: value" (or "key:") into a plain or quoted key and the value text.
func splitKey(text string) (key, rest string, ok bool) {
	if text[0] == '"' || text[0] == '\'' {
		k, n, ok := quoted(text)
		if !ok || !strings.HasPrefix(text[n:], ":") {
			return "", "", false
		}
		rest = text[n+1:]
		if rest != "" && rest[0] != ' ' {
			return "", "", false
		}
		return k, strings.TrimLeft(rest, " "), true
	}
	if strings.ContainsRune("[]{},&*!|>%@`?<=-#'\"", rune(text[0])) {
		return "", "", false
	}
	j := strings.Index(text, ": ")
	if j < 0 {
		if !strings.HasSuffix(text, ":") {
			return "", "", false
		}
		j = len(text) - 1
	}
	key = strings.TrimRight(text[:j], " ")
	if strings.Contains(key, " #") || resolvesNonString(key) {
		return "", "", false
	}
	return key, strings.TrimLeft(text[j+1:], " "), true
}

// inlineValue writes the value that fills the rest of a line: a quoted or
// plain scalar or a flow collection, optionally followed by a comment.
func (y *yamlReader) inlineValue(text string) {
	n, ok := y.flowValue(text, false)
	if !ok {
		y.bad = true
		return
	}
	// then nothing but a comment, which needs a space before its #
	if rest := strings.TrimLeft(text[n:], " "); rest != "" {
		at := len(text) - len(rest)
		if rest[0] != '#' || text[at-1] != ' ' {
			y.bad = true
		}
	}
}

// flowValue writes one value starting at text and returns how much it used.
// Inside a flow collection (inFlow) a plain scalar ends at , ] or }.
func (y *yamlReader) flowValue(text string, inFlow bool) (int, bool) {
	if text == "" {
		return 0, false
	}
	switch c := text[0]; c {
	case '"', '\'':
		s, n, ok := quoted(text)
		if ok {
			writeJSONString(y.out, s)
		}
		return n, ok
	case '[':
		return y.flowSeq(text)
	case '{':
		return y.flowMap(text)
	case '&', '*', '!', '|', '>', '%', '@', '`', '?', ',', ']', '}', '#':
		return 0, false
	case '-', ':':
		if len(text) > 1 && text[1] == ' ' || len(text) == 1 {
			return 0, false
		}
	}
	// a plain scalar ends at a comment (" #") or, in a flow collection, at , ] or }
	end := len(text)
	for i := 1; i < len(text); i++ {
		if c := text[i]; (c == '#' && text[i-1] == ' ') || (inFlow && (c == ',' || c == ']' || c == '}')) {
			end = i
			if c == '#' {
				end--
			}
			break
		}
	}
	plain := strings.TrimRight(text[:end], " ")
	if strings.Contains(plain, ": ") || strings.HasSuffix(plain, ":") || (inFlow && strings.ContainsAny(plain, "[{")) {
		return 0, false
	}
	if !writePlain(y.out, plain) {
		return 0, false
	}
	return end, true
}

func (y *yamlReader) flowSeq(text string) (int, bool) {
	y.out.WriteByte('[')
	i := 1
	for n := 0; ; n++ {
		i += countSpaces(text[i:])
		if i >= len(text) {
			return 0, false // continued on another line
		}
		if text[i] == ']' {
			y.out.WriteByte(']')
			return i + 1, true
		}
		if n > 0 {
			y.out.WriteByte(',')
		}
		start := y.out.Len()
		used, ok := y.flowValue(text[i:], true)
		if y.notNullItem(start); !ok || y.bad {
			return 0, false
		}
		i += used
		i += countSpaces(text[i:])
		if i < len(text) && text[i] == ',' {
			i++
		} else if i >= len(text) || text[i] != ']' {
			return 0, false
		}
	}
}

func (y *yamlReader) flowMap(text string) (int, bool) {
	y.out.WriteByte('{')
	keys := map[string]bool{}
	i := 1
	for n := 0; ; n++ {
		i += countSpaces(text[i:])
		if i >= len(text) {
			return 0, false
		}
		if text[i] == '}' {
			y.out.WriteByte('}')
			return i + 1, true
		}
		// a plain key up to ": ", or a quoted one
		var key string
		if text[i] == '"' || text[i] == '\'' {
			k, used, ok := quoted(text[i:])
			if !ok {
				return 0, false
			}
			key, i = k, i+used
		} else {
			j := strings.Index(text[i:], ": ")
			if j <= 0 || strings.ContainsAny(text[i:i+j], ",[]{}#&*!|>'\"%@`?") {
				return 0, false
			}
			key = strings.TrimRight(text[i:i+j], " ")
			if resolvesNonString(key) {
				return 0, false
			}
			i += j
		}
		if !strings.HasPrefix(text[i:], ": ") || keys[key] {
			return 0, false
		}
		keys[key] = true
		i += 2 + countSpaces(text[i+2:])
		if n > 0 {
			y.out.WriteByte(',')
		}
		writeJSONString(y.out, key)
		y.out.WriteByte(':')
		used, ok := y.flowValue(text[i:], true)
		if !ok {
			return 0, false
		}
		i += used
		i += countSpaces(text[i:])
		if i < len(text) && text[i] == ',' {
			i++
		} else if i >= len(text) || text[i] != '}' {
			return 0, false
		}
	}
}

func countSpaces(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// quoted reads a single- or double-quoted scalar that ends on this line,
// with only the escapes YAML and JSON share.
func quoted(text string) (string, int, bool) {
	q := text[0]
	var b strings.Builder
	for i := 1; i < len(text); i++ {
		c := text[i]
		switch {
		case c == q && q == '\'' && i+1 < len(text) && text[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case c == q:
			return b.String(), i + 1, true
		case c == '\\' && q == '"':
			if i+1 >= len(text) {
				return "", 0, false
			}
			i++
			switch e := text[i]; e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			default:
				return "", 0, false // \u, \x and YAML's own escapes: the YAML path
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// yamlWords are the plain scalars YAML (1.1 or 1.2) may read as a boolean or null.
var yamlWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("y Y yes Yes YES n N no No NO on On ON off Off OFF true True TRUE false False FALSE null Null NULL ~") {
		yamlWords[w] = true
	}
}

// resolvesNonString reports whether a plain scalar might be anything but a
// string to YAML: a number of any syntax (it starts like one), a boolean or
// null. Those are left to the YAML path unless JSON reads them alike.
func resolvesNonString(s string) bool {
	if s == "" || yamlWords[s] {
		return true
	}
	t := s
	if t[0] == '+' || t[0] == '-' {
		t = t[1:]
	}
	switch {
	case t == "":
		return false
	case t[0] >= '0' && t[0] <= '9':
		return true
	case t[0] == '.' && len(t) > 1:
		return (t[1] >= '0' && t[1] <= '9') || strings.EqualFold(t[1:], "inf") || strings.EqualFold(t[1:], "nan")
	}
	return false
}

// isJSONNumber reports whether s is a number in JSON's syntax.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// writePlain writes a plain scalar as JSON: null, true, false, a number in
// JSON's own syntax, or a string when YAML could read it as nothing else.
func writePlain(out *bytes.Buffer, s string) bool {
	switch {
	case s == "" || s == "null" || s == "~":
		out.WriteString("null")
	case s == "true" || s == "false":
		out.WriteString(s)
	case isJSONNumber(s):
		out.WriteString(s)
	case resolvesNonString(s):
		return false
	default:
		writeJSONString(out, s)
	}
	return true
}

// writeJSONString writes s as a JSON string (s is ASCII or decoded escapes).
func writeJSONString(out *bytes.Buffer, s string) {
	simple := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			simple = false
			break
		}
	}
	out.WriteByte('"')
	if simple {
		out.WriteString(s)
	} else {
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c == '"' || c == '\\':
				out.WriteByte('\\')
				out.WriteByte(c)
			case c < 0x20 || c >= 0x7f:
				fmt.Fprintf(out, "\\u%04x", c)
			default:
				out.WriteByte(c)
			}
		}
	}
	out.WriteByte('"')
}

// keySet is a mapping's keys: a service's few without allocating, a long
// mapping's (labels, annotations) in a map.
type keySet struct {
	few  [16]string
	n    int
	many map[string]bool
}

// add adds key, reporting false when it was there already.
func (k *keySet) add(key string) bool {
	if k.many == nil && k.n < len(k.few) {
		if slices.Contains(k.few[:k.n], key) {
			return false
		}
		k.few[k.n] = key
		k.n++
		return true
	}
	if k.many == nil {
		k.many = make(map[string]bool, 2*len(k.few))
		for _, f := range k.few {
			k.many[f] = true
		}
	}
	if k.many[key] {
		return false
	}
	k.many[key] = true
	return true
}
