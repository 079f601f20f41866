package provider

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
)

// quantityOf converts a Terraform number to an exact Quantity (at most six decimals).
func quantityOf(n types.Number) (planner.Quantity, error) {
	f := n.ValueBigFloat()
	if f == nil {
		return 0, nil
	}
	return quantityOfFloat(f)
}

// quantityOfFloat converts a number to an exact Quantity (at most six decimals).
func quantityOfFloat(f *big.Float) (planner.Quantity, error) {
	if f.Sign() < 0 {
		return 0, fmt.Errorf("must not be negative, got %s", f.Text('g', -1))
	}
	q, err := planner.ParseQuantity(f.Text('f', 6))
	if err != nil {
		return 0, err
	}
	exact, _ := f.Rat(nil)
	if exact != nil && new(big.Rat).Sub(exact, q.Rat()).Abs(new(big.Rat).Sub(exact, q.Rat())).Cmp(big.NewRat(1, 1_000_000_000)) > 0 {
		return 0, fmt.Errorf("at most 6 decimal places, got %s", f.Text('g', 20))
	}
	return q, nil
}

// decimalNumber turns an exact decimal text into a Terraform number.
func decimalNumber(s string) types.Number {
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		return types.NumberNull()
	}
	return types.NumberValue(f)
}

var (
	segmentRe = regexp.MustCompile(`^([A-Za-z0-9]+)(?:\[(\d+)\])?$`)
	camelRe   = regexp.MustCompile(`[A-Z]`)
)

// snake converts a declaration field name to its Terraform attribute name.
func snake(s string) string {
	switch s {
	case "awsLoadBalancerController":
		return "aws_load_balancer_controller"
	case "memoryGiB":
		return "memory_gib"
	case "gbPerMonth":
		return "gb_per_month"
	case "redirectsHTTP":
		return "redirects_http"
	}
	out := camelRe.ReplaceAllStringFunc(s, func(m string) string { return "_" + string(unicode.ToLower(rune(m[0]))) })
	return strings.TrimPrefix(out, "_")
}

// attributePath maps a planner FieldError to the attribute it concerns; keys
// are the services map's keys by declaration index.
func attributePath(e *planner.FieldError, keys []string) path.Path {
	p := path.Empty()
	if e.Index >= 0 && e.Index < len(keys) {
		p = path.Root("services").AtMapKey(keys[e.Index])
		if e.Field == "name" || e.Field == "namespace" { // the map key
			return p
		}
	}
	if e.Field == "" {
		return p
	}
	for _, seg := range strings.Split(e.Field, ".") {
		m := segmentRe.FindStringSubmatch(seg)
		if m == nil {
			break
		}
		name := snake(m[1])
		if len(p.Steps()) == 0 {
			p = path.Root(name)
		} else {
			p = p.AtName(name)
		}
		if m[2] != "" {
			i, _ := strconv.Atoi(m[2])
			p = p.AtListIndex(i)
		}
	}
	return p
}

// plannerDiagnostics reports planner errors with attribute paths where known.
func plannerDiagnostics(err error, summary string, keys []string) diag.Diagnostics {
	var diags diag.Diagnostics
	var es planner.Errors
	var fe *planner.FieldError
	switch {
	case errors.As(err, &es):
		for _, e := range es {
			diags.Append(fieldDiagnostic(e, summary, keys))
		}
	case errors.As(err, &fe):
		diags.Append(fieldDiagnostic(fe, summary, keys))
	default:
		diags.AddError(summary, err.Error())
	}
	return diags
}

func fieldDiagnostic(e *planner.FieldError, summary string, keys []string) diag.Diagnostic {
	detail := e.Msg
	if e.Service != "" {
		detail = fmt.Sprintf("service %q: %s", e.Service, e.Msg)
	}
	p := attributePath(e, keys)
	if len(p.Steps()) == 0 {
		return diag.NewErrorDiagnostic(summary, detail)
	}
	// Terraform cannot always point at an attribute nested in a collection of objects, so the path is in the text too.
	return diag.NewAttributeErrorDiagnostic(p, summary, p.String()+": "+detail)
}
