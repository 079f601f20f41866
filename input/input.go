// Package input reads what lbplanner is given — declarations, manifests,
// catalogs, traffic files — only from regular files or standard input, and
// never more than MaxBytes: a FIFO, a device such as /dev/zero or a folder
// named as a file is refused at once instead of read forever.
package input

import (
	"fmt"
	"io"
	"os"
)

// MaxBytes is the most one input may hold (256 MiB).
const MaxBytes = 256 << 20

// ReadFile reads a regular file of at most MaxBytes, checking both before reading.
func ReadFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s); lbplanner reads files, and standard input as -", path, Kind(info.Mode()))
	}
	if info.Size() > MaxBytes {
		return nil, fmt.Errorf("%s: %d bytes, over the %d MiB an input may hold", path, info.Size(), MaxBytes>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// read into one buffer of the file's size (plus one byte to see it grew)
	data := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			rest, err := Read(f, path) // the file grew while read
			if err != nil {
				return nil, err
			}
			if data = append(data, rest...); len(data) > MaxBytes {
				return nil, fmt.Errorf("%s: over the %d MiB an input may hold", path, MaxBytes>>20)
			}
			return data, nil
		}
	}
}

// Kind says what a file that is not a regular file is, for messages.
func Kind(m os.FileMode) string {
	switch {
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}

// Read reads at most MaxBytes from r (standard input), named name in errors.
func Read(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%s: over the %d MiB an input may hold", name, MaxBytes>>20)
	}
	return data, nil
}
