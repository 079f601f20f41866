package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/lbplanner/terraform-provider-lbplanner/compare"
	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"github.com/lbplanner/terraform-provider-lbplanner/pricing"
)

// referenceJSON is encoding/json's indented output of the whole value, which
// WriteJSON must reproduce byte for byte while streaming.
func referenceJSON(t *testing.T, v any) []byte {
	t.Helper()
	var compact, out bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

type pointerMarshaler struct{ n int }

func (p *pointerMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"p<>&"`), nil }

type oddShapes struct {
	Empty     []int             `json:"empty"`
	Nil       []int             `json:"nil"`
	Omitted   []int             `json:"omitted,omitempty"`
	Zero      float64           `json:"zero,omitempty"`
	Ptr       *int              `json:"ptr,omitempty"`
	Map       map[string]string `json:"map"`
	Bytes     []byte            `json:"bytes"`
	Marshaled []pointerMarshaler
	Nested    []map[string][]int `json:"nested"`
	HTML      string             `json:"html"`
	hidden    int
	Skipped   int `json:"-"`
}

func TestWriteJSONMatchesEncodingJSON(t *testing.T) {
	cat, err := pricing.Default()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{
		"odd shapes": &oddShapes{Empty: []int{}, Map: map[string]string{"b": "<", "a": ""}, Bytes: []byte("hi"),
			Marshaled: []pointerMarshaler{{1}, {2}}, Nested: []map[string][]int{{"x": {1, 2}}, {}}, HTML: "a<b>&c", hidden: 1},
		"all empty": &oddShapes{},
		"a map":     map[string]any{"prices": []int{1, 2}, "catalog": "x"},
		"a list":    []string{"a", "b"},
		"a string":  "plain",
		"no fields": struct{}{},
	}
	files, _ := filepath.Glob("../examples/plans/*.yaml")
	if len(files) < 5 {
		t.Fatalf("want the example plans, got %v", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := planner.Parse(data, f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := planner.Compute(d, cat)
		if err != nil {
			t.Fatal(err)
		}
		values[f] = p
		if f == "../examples/plans/shop.yaml" {
			c, err := compare.Compare(d, []string{"aws", "gcp", "azure"}, nil, cat)
			if err != nil {
				t.Fatal(err)
			}
			values["compare"] = c
		}
	}
	for name, v := range values {
		got, err := JSON(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := referenceJSON(t, v); !bytes.Equal(got, want) {
			t.Errorf("%s: streamed JSON differs from encoding/json's\n got: %s\nwant: %s", name, got, want)
		}
	}
}
