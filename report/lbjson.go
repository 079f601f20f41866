package report

import (
	"strconv"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// A plan's load balancers are its other long list: appendLoadBalancer writes
// one without reflection, byte for byte as encoding/json's indented output
// does, which the tests hold it to.

// jsonObject appends an indented object's fields: in is the fields'
// indentation, and wrote says whether a field has been written.
type jsonObject struct {
	b     []byte
	in    string
	wrote bool
}

func (o *jsonObject) field(name string) {
	if o.wrote {
		o.b = append(o.b, ',')
	}
	o.wrote = true
	o.b = append(append(append(append(o.b, '\n'), o.in...), '"'), name...)
	o.b = append(o.b, '"', ':', ' ')
}

func (o *jsonObject) str(name, v string) {
	o.field(name)
	o.b = appendJSONString(o.b, v)
}

func (o *jsonObject) raw(name, v string) {
	o.field(name)
	o.b = append(o.b, v...)
}

func (o *jsonObject) int(name string, v int) {
	o.field(name)
	o.b = strconv.AppendInt(o.b, int64(v), 10)
}

// strings writes a list of strings: null when nil, [] when empty.
func (o *jsonObject) strings(name string, list []string) {
	o.field(name)
	switch {
	case list == nil:
		o.b = append(o.b, "null"...)
	case len(list) == 0:
		o.b = append(o.b, '[', ']')
	default:
		o.b = append(o.b, '[')
		for i, s := range list {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			o.b = append(append(append(o.b, '\n'), o.in...), ' ', ' ')
			o.b = appendJSONString(o.b, s)
		}
		o.b = append(append(append(o.b, '\n'), o.in...), ']')
	}
}

// end closes the object opened at indentation prefix.
func (o *jsonObject) end(prefix string) []byte {
	if !o.wrote {
		return append(o.b, '}')
	}
	return append(append(append(o.b, '\n'), prefix...), '}')
}

// appendLoadBalancer appends lb as encoding/json indents it at prefix, two spaces a level.
func appendLoadBalancer(b []byte, lb *planner.LoadBalancerPlan, prefix string) []byte {
	in := prefix + "  "
	o := jsonObject{b: append(b, '{'), in: in}
	o.str("id", lb.ID)
	o.str("kind", lb.Kind)
	o.str("strategy", lb.Strategy)
	o.str("scheme", lb.Scheme)
	o.strings("services", lb.Services)
	o.strings("ruleOrder", lb.RuleOrder)
	if q := lb.Quotas; q != nil {
		o.field("quotas")
		o.b = appendQuotas(o.b, q, in)
	}
	if lb.SplitReason != "" {
		o.str("splitReason", lb.SplitReason)
	}
	if r := lb.RuleEvaluations; r != nil {
		o.field("ruleEvaluations")
		e := jsonObject{b: append(o.b, '{'), in: in + "  "}
		e.str("priced", r.Priced)
		e.raw("perSecond", r.PerSecond.String())
		e.raw("worstCasePerSecond", r.WorstCasePerSecond.String())
		e.field("worstCaseMonthlyCost")
		e.b = r.WorstCaseMonthlyCost.AppendDecimal(e.b)
		o.b = e.end(in)
	}
	if len(lb.RulesBilledIn) > 0 {
		o.strings("rulesBilledIn", lb.RulesBilledIn)
	}
	o.field("costs")
	o.b = appendCostLines(o.b, lb.Costs, in)
	o.field("monthlyCost")
	o.b = lb.MonthlyCost.AppendDecimal(o.b)
	return o.end(prefix)
}

func appendQuotas(b []byte, q *planner.Quotas, prefix string) []byte {
	in := prefix + "  "
	o := jsonObject{b: append(b, '{'), in: in}
	o.quotaCounts(planner.QuotaLimits{Rules: q.Rules, Certificates: q.Certificates, TargetGroups: q.TargetGroups, Listeners: q.Listeners})
	o.field("limits")
	l := jsonObject{b: append(o.b, '{'), in: in + "  "}
	l.quotaCounts(q.Limits)
	o.b = l.end(in)
	return o.end(prefix)
}

// quotaCounts writes the four counts a quota use and its limits share.
func (o *jsonObject) quotaCounts(c planner.QuotaLimits) {
	o.int("rules", c.Rules)
	o.int("certificates", c.Certificates)
	o.int("targetGroups", c.TargetGroups)
	o.int("listeners", c.Listeners)
}

// appendCostLines appends a list of cost lines: null when nil, [] when empty.
func appendCostLines(b []byte, lines []planner.CostLine, prefix string) []byte {
	switch {
	case lines == nil:
		return append(b, "null"...)
	case len(lines) == 0:
		return append(b, '[', ']')
	}
	in := prefix + "  "
	b = append(b, '[')
	for i := range lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(append(b, '\n'), in...)
		l := &lines[i]
		o := jsonObject{b: append(b, '{'), in: in + "  "}
		o.str("name", l.Name)
		o.str("quantity", l.Quantity)
		o.str("unit", l.Unit)
		o.str("unitPrice", l.UnitPrice)
		o.field("monthlyCost")
		o.b = l.MonthlyCost.AppendDecimal(o.b)
		o.str("source", l.Source)
		o.str("date", l.Date)
		b = o.end(in)
	}
	return append(append(append(b, '\n'), prefix...), ']')
}
