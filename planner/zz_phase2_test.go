package planner

import (
	"os"
	"strconv"
	"testing"
)

func TestZZCompute(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ZZC"))
	if n == 0 {
		t.Skip()
	}
	cat := defaultCatalog(t)
	decl := SyntheticDeclaration(n)
	for rep := 0; rep < 1; rep++ {
		d := *decl
		d.Services = append([]Service(nil), decl.Services...)
		if _, err := Compute(&d, cat); err != nil {
			t.Fatal(err)
		}
	}
}
