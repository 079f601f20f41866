package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/lbplanner/terraform-provider-lbplanner/input"
)

// Files being written: a temporary file is removed if the command is
// interrupted (SIGINT, SIGTERM) before it is renamed into place.
var (
	tempMu    sync.Mutex
	tempFiles = map[string]bool{}
	watchOnce sync.Once
)

// watchSignals removes the temporary files on SIGINT or SIGTERM, then exits
// as the signal would (128 + its number).
func watchSignals() {
	watchOnce.Do(func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		go func() {
			sig := <-ch
			removeTemps()
			code := 130
			if sig == syscall.SIGTERM {
				code = 143
			}
			os.Exit(code)
		}()
	})
}

// beforeRename is a test hook: the moment between writing and renaming.
var beforeRename = func() {}

func removeTemps() {
	tempMu.Lock()
	defer tempMu.Unlock()
	for name := range tempFiles {
		os.Remove(name)
		delete(tempFiles, name)
	}
}

func trackTemp(name string, on bool) {
	tempMu.Lock()
	defer tempMu.Unlock()
	if on {
		tempFiles[name] = true
	} else {
		delete(tempFiles, name)
	}
}

// writeAtomic writes a file whole or not at all: into a temporary file in the
// same folder, synced to disk, then renamed into place (and the folder
// synced). It writes only to a new path or over a regular file, whose mode
// it keeps (a new file gets 0644); a symlink, device, FIFO or folder at the
// path is refused rather than replaced: to write to standard output, leave
// --out out.
func writeAtomic(path string, write func(io.Writer) error) error {
	mode := fs.FileMode(0o644)
	switch info, err := os.Lstat(path); {
	case err == nil && !info.Mode().IsRegular():
		return fmt.Errorf("write %s: not a regular file (%s); refusing to replace it", path, input.Kind(info.Mode()))
	case err == nil:
		mode = info.Mode().Perm()
	case !os.IsNotExist(err):
		return fmt.Errorf("write %s: %w", path, err)
	}
	watchSignals()
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	trackTemp(tmp.Name(), true)
	defer trackTemp(tmp.Name(), false)
	werr := writeSynced(tmp, write, mode)
	beforeRename()
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, werr)
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		dir.Sync() // the rename itself, on filesystems that need it
		dir.Close()
	}
	return nil
}

func writeSynced(f *os.File, write func(io.Writer) error, mode fs.FileMode) error {
	err := write(f)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
