package report

import (
	"slices"
	"unicode/utf8"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// A plan's services are most of its JSON: appendService writes one without
// reflection, byte for byte as encoding/json's indented output (no HTML
// escaping) does, which the tests hold it to.

// appendService appends s as encoding/json indents it at prefix, two spaces a level.
func appendService(b []byte, s *planner.ServicePlan, prefix string) []byte {
	in := prefix + "  "
	field := func(b []byte, first bool, name string) []byte {
		if !first {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = append(b, in...)
		b = append(b, '"')
		b = append(b, name...)
		return append(b, '"', ':', ' ')
	}
	str := func(b []byte, name, v string, omitEmpty bool) []byte {
		if omitEmpty && v == "" {
			return b
		}
		return appendJSONString(field(b, false, name), v)
	}
	b = append(b, '{')
	b = appendJSONString(field(b, true, "name"), s.Name)
	b = str(b, "namespace", s.Namespace, false)
	b = str(b, "exposure", string(s.Exposure), false)
	b = field(b, false, "loadBalancer")
	if s.LoadBalancer == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, *s.LoadBalancer)
	}
	b = str(b, "path", s.Path, false)
	b = append(field(b, false, "addedLatencyMs"), s.AddedLatencyMs.String()...)
	b = append(field(b, false, "chainLatencyMs"), s.ChainLatencyMs.String()...)
	if len(s.CriticalChain) > 0 {
		b = append(field(b, false, "criticalChain"), '[')
		for i, c := range s.CriticalChain {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '\n')
			b = append(b, in...)
			b = append(b, ' ', ' ')
			b = appendJSONString(b, c)
		}
		b = append(b, '\n')
		b = append(b, in...)
		b = append(b, ']')
	}
	b = s.MonthlyCost.AppendDecimal(field(b, false, "monthlyCost"))
	b = str(b, "reason", s.Reason, false)
	b = str(b, "serviceType", s.ServiceType, false)
	b = str(b, "ingressClassName", s.IngressClassName, true)
	b = str(b, "gatewayClassName", s.GatewayClassName, true)
	b = str(b, "gateway", s.Gateway, true)
	b = str(b, "externalTrafficPolicy", s.ExternalTrafficPolicy, true)
	b = field(b, false, "annotations")
	switch {
	case s.Annotations == nil:
		b = append(b, "null"...)
	case len(s.Annotations) == 0:
		b = append(b, '{', '}')
	default:
		keys := make([]string, 0, len(s.Annotations))
		for k := range s.Annotations {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '\n')
			b = append(b, in...)
			b = append(b, ' ', ' ')
			b = appendJSONString(b, k)
			b = append(b, ':', ' ')
			b = appendJSONString(b, s.Annotations[k])
		}
		b = append(b, '\n')
		b = append(b, in...)
		b = append(b, '}')
	}
	b = append(b, '\n')
	b = append(b, prefix...)
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends v quoted as encoding/json does without HTML
// escaping: \" \\ \b \f \n \r \t, other control characters as \u00XX, U+2028
// and U+2029 escaped, invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, v string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(v); {
		if c := v[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, v[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(v[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, v[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, v[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, v[start:]...)
	return append(b, '"')
}
