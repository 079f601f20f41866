package input

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadsOnlyRegularFilesAndStandardInput(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.yaml")
	os.WriteFile(ok, []byte("cloud: aws\n"), 0o644)
	if data, err := ReadFile(ok); err != nil || string(data) != "cloud: aws\n" {
		t.Fatalf("%q %v", data, err)
	}
	fifo := filepath.Join(dir, "x.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, "/dev/zero", dir} {
		if _, err := ReadFile(p); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := Read(io.LimitReader(zeros{}, MaxBytes+1), "<stdin>"); err == nil || !strings.Contains(err.Error(), "<stdin>: over the 256 MiB") {
		t.Errorf("stdin over the limit: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	f, _ := os.Create(big)
	f.Truncate(MaxBytes + 1)
	f.Close()
	if _, err := ReadFile(big); err == nil || !strings.Contains(err.Error(), "over the 256 MiB") {
		t.Errorf("big file: %v", err)
	}
}

// zeros is an endless stream of zero bytes, like /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
