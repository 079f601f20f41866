package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lbplanner/terraform-provider-lbplanner/planner"
	"sigs.k8s.io/yaml"
)

// benchmarkCLI runs the lbplanner binary end to end, as a user does, on a
// 100,000-service declaration (planner.SyntheticDeclaration) written as
// JSON or YAML, plan to JSON on standard output (or validate): ns/op is the
// wall time of the fastest of cliRuns runs (a shared machine's neighbours
// slow single runs by up to a third), peak-MB the highest peak resident
// memory of any run.
func benchmarkCLI(b *testing.B, format, command string) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "lbplanner")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	d := planner.SyntheticDeclaration(100_000)
	data, err := json.Marshal(d)
	if err == nil && format == "yaml" {
		data, err = yaml.JSONToYAML(data)
	}
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(dir, "declaration."+format)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		b.Fatal(err)
	}
	var peakKB int64
	best := time.Duration(math.MaxInt64)
	b.ResetTimer()
	for i := 0; i < b.N*cliRuns; i++ {
		// through a small helper process: a child started straight from
		// this (large) benchmark process would inherit its peak memory
		// in the kernel's accounting
		helper := exec.Command(os.Args[0], "-test.run=^TestPeakMemoryHelper$")
		helper.Env = append(os.Environ(), "LBPLANNER_PEAK_HELPER="+bin+string(os.PathListSeparator)+file, "LBPLANNER_PEAK_COMMAND="+command)
		out, err := helper.Output()
		if err != nil {
			b.Fatalf("lbplanner plan: %v\n%s", err, out)
		}
		var kb, ns int64
		if _, err := fmt.Sscan(string(out), &kb, &ns); err != nil {
			b.Fatalf("helper said %q: %v", out, err)
		}
		peakKB = max(peakKB, kb)
		best = min(best, time.Duration(ns))
	}
	b.ReportMetric(float64(best.Nanoseconds()), "ns/op")
	b.ReportMetric(float64(peakKB)/1024, "peak-MB")
}

// cliRuns is how many runs benchmarkCLI takes the fastest of.
const cliRuns = 3

// TestPeakMemoryHelper is the helper process of benchmarkCLI: it runs
// lbplanner plan and prints its peak resident memory in KB and its wall
// time in nanoseconds.
func TestPeakMemoryHelper(t *testing.T) {
	bin, file, ok := strings.Cut(os.Getenv("LBPLANNER_PEAK_HELPER"), string(os.PathListSeparator))
	if !ok {
		t.Skip("run by benchmarkCLI only")
	}
	args := []string{"plan", file, "-o", "json"}
	if os.Getenv("LBPLANNER_PEAK_COMMAND") == "validate" {
		args = []string{"validate", file}
	}
	cmd := exec.Command(bin, args...)
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	cmd.Stdout, cmd.Stderr = devnull, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start)
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Fatal("no resource usage")
	}
	fmt.Println(ru.Maxrss, wall.Nanoseconds())
}

func BenchmarkCLIPlan100kJSON(b *testing.B) { benchmarkCLI(b, "json", "plan") }
func BenchmarkCLIPlan100kYAML(b *testing.B) { benchmarkCLI(b, "yaml", "plan") }

// BenchmarkCLIValidate100kJSON is lbplanner validate on the same file: what
// planning adds to reading and checking it is the difference.
func BenchmarkCLIValidate100kJSON(b *testing.B) { benchmarkCLI(b, "json", "validate") }
