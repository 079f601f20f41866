package planner

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/money"
)

// FuzzParse feeds arbitrary bytes to the declaration parser: it must return
// a declaration or an error, never panic, and what it accepts must plan
// deterministically with shares that add up. Seeds: testdata/fuzz/FuzzParse
// and the example plans.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../examples/plans/*.yaml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	cat := defaultCatalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if d != nil {
				t.Fatal("a declaration and an error")
			}
			return
		}
		if len(d.Services) > 200 {
			return
		}
		p1, err := Compute(d, cat)
		if err != nil {
			return
		}
		checkPlan(t, p1)
		d2, err := Parse(data, "fuzz.yaml")
		if err != nil {
			t.Fatalf("second parse failed: %v", err)
		}
		p2, err := Compute(d2, cat)
		if err != nil {
			t.Fatalf("second plan failed: %v", err)
		}
		b1, _ := json.Marshal(p1)
		b2, _ := json.Marshal(p2)
		if !bytes.Equal(b1, b2) {
			t.Fatal("same input, different plans")
		}
	})
}

// FuzzPlan plans random valid declarations drawn from the fuzzer's seeds and
// checks them against brute force: same cost to the cent, same tie-breaks.
func FuzzPlan(f *testing.F) {
	f.Add(uint64(1), uint64(2), uint8(4))
	cat := defaultCatalog(f)
	f.Fuzz(func(t *testing.T, s1, s2 uint64, per uint8) {
		r := rand.New(rand.NewPCG(s1, s2))
		d := randomCloudDeclaration(r, []string{"aws", "gcp", "azure", CloudBareMetal}[s1%4], 1+int(per%7))
		m, err := newModel(d, cat)
		if err != nil {
			t.Fatal(err)
		}
		want, ok := bruteForce(m)
		p, err := Compute(d, cat)
		if !ok {
			if err == nil {
				t.Fatal("brute force finds no plan, optimiser does")
			}
			return
		}
		if err != nil {
			t.Fatalf("optimiser failed on a feasible instance: %v", err)
		}
		if got := planVal(p); !sameVal(got, want) {
			t.Fatalf("optimiser %+v, brute force %+v", got, want)
		}
		checkPlan(t, p)
	})
}

// checkPlan asserts the plan's arithmetic: lines add to load balancers,
// load balancers add to the total, and the services' shares add to it too.
func checkPlan(t *testing.T, p *Plan) {
	t.Helper()
	var total, shares money.Cents
	for _, s := range p.Services {
		if s.LoadBalancer == nil && s.MonthlyCost != 0 {
			t.Fatalf("%s/%s pays %s without a load balancer", s.Namespace, s.Name, s.MonthlyCost)
		}
		shares += s.MonthlyCost
	}
	byService := map[string]money.Cents{}
	for _, lb := range p.LoadBalancers {
		var sum money.Cents
		for _, c := range lb.Costs {
			if c.MonthlyCost < 0 {
				t.Fatalf("%s: negative line %+v", lb.ID, c)
			}
			sum += c.MonthlyCost
			var parts money.Cents
			for _, s := range c.Shares() {
				parts += s.Cents
				byService[s.Service] += s.Cents
			}
			if parts != c.MonthlyCost || len(c.Shares()) == 0 {
				t.Fatalf("%s: line %s of %s is shared out as %s", lb.ID, c.Name, c.MonthlyCost, parts)
			}
		}
		if sum != lb.MonthlyCost {
			t.Fatalf("%s costs %s; lines add to %s", lb.ID, lb.MonthlyCost, sum)
		}
		total += lb.MonthlyCost
	}
	for _, s := range p.Services {
		if key := s.Namespace + "/" + s.Name; byService[key] != s.MonthlyCost {
			t.Fatalf("%s: its shares of cost lines add to %s, its monthly cost is %s", key, byService[key], s.MonthlyCost)
		}
	}
	if total != p.Totals.MonthlyCost || shares != total {
		t.Fatalf("load balancers add to %s, shares to %s, total says %s", total, shares, p.Totals.MonthlyCost)
	}
}
