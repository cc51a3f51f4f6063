package ingest

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync/atomic"

	"github.com/rhythm-team/rhythm"
)

// Limits bound what an archive may unpack to, against decompression bombs.
type Limits struct {
	MaxEntries int   // files and folders in the archive
	MaxTotal   int64 // uncompressed bytes of all entries together
	MaxEntry   int64 // uncompressed bytes of one entry
	// MaxRatio is the largest uncompressed:compressed ratio of an entry
	// bigger than RatioFloor bytes.
	MaxRatio   int64
	RatioFloor int64
}

// DefaultLimits are generous for real exports (a large workspace's export
// has hundreds of thousands of small day files compressed about 10:1) and
// refuse archives that only a bomb would have.
func DefaultLimits() Limits {
	return Limits{
		MaxEntries: 2_000_000,
		MaxTotal:   64 << 30,
		MaxEntry:   1 << 30,
		MaxRatio:   200,
		RatioFloor: 1 << 20,
	}
}

// Zip is a zip archive checked against path traversal, links and
// decompression bombs. It is an fs.FS whose files enforce the limits while
// they are read, whatever the headers claim.
type Zip struct {
	name   string
	zr     *zip.Reader
	closer io.Closer
	lim    Limits
	total  atomic.Int64
}

// OpenZip opens and checks the zip archive at path.
func OpenZip(path string, lim Limits) (*Zip, error) { return OpenZipAs(path, path, lim) }

// OpenZipAs is OpenZip with another name for the archive in errors.
func OpenZipAs(path, name string, lim Limits) (*Zip, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	z, err := NewZip(f, st.Size(), name, lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	z.closer = f
	return z, nil
}

// NewZip checks the zip archive in r of the given size; name is used in
// errors.
func NewZip(r io.ReaderAt, size int64, name string, lim Limits) (*Zip, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: not a readable zip archive (truncated or damaged): %v", name, err)
		}
		if errors.Is(err, zip.ErrInsecurePath) {
			return nil, rhythm.Errorf(rhythm.EINVALID, "%s: refused: %v", name, err)
		}
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, err)
	}
	z := &Zip{name: name, zr: zr, lim: lim}
	if err := z.check(size); err != nil {
		return nil, err
	}
	return z, nil
}

func (z *Zip) refuse(format string, args ...any) error {
	return rhythm.Errorf(rhythm.EINVALID, "%s: refused: %s", z.name, fmt.Sprintf(format, args...))
}

// check looks at every header before anything is read.
func (z *Zip) check(size int64) error {
	if len(z.zr.File) > z.lim.MaxEntries {
		return z.refuse("%d entries, more than the limit of %d", len(z.zr.File), z.lim.MaxEntries)
	}
	var total, compressed uint64
	seen := make(map[string]bool, len(z.zr.File))
	for _, f := range z.zr.File {
		if err := SafePath(f.Name); err != nil {
			return z.refuse("entry %q: %v", f.Name, err)
		}
		mode := f.Mode()
		if mode&fs.ModeSymlink != 0 {
			return z.refuse("entry %q is a symbolic link", f.Name)
		}
		if !mode.IsRegular() && !mode.IsDir() {
			return z.refuse("entry %q is not a regular file or folder", f.Name)
		}
		key := strings.TrimSuffix(f.Name, "/")
		if seen[key] {
			return z.refuse("entry %q appears twice", f.Name)
		}
		seen[key] = true
		if f.UncompressedSize64 > uint64(z.lim.MaxEntry) {
			return z.refuse("entry %q unpacks to %d bytes, more than the limit of %d", f.Name, f.UncompressedSize64, z.lim.MaxEntry)
		}
		if f.UncompressedSize64 > uint64(z.lim.RatioFloor) && f.UncompressedSize64 > uint64(z.lim.MaxRatio)*max(f.CompressedSize64, 1) {
			return z.refuse("entry %q is compressed more than %d:1, as only a decompression bomb is", f.Name, z.lim.MaxRatio)
		}
		total += f.UncompressedSize64
		compressed += f.CompressedSize64
		// The extra fields are read (sizes, times) and no longer needed:
		// dropping them frees the header buffer of each entry, a fair part
		// of the memory a large archive's directory takes.
		f.Extra, f.Comment = nil, ""
	}
	if total > uint64(z.lim.MaxTotal) {
		return z.refuse("unpacks to %d bytes, more than the limit of %d", total, z.lim.MaxTotal)
	}
	// Entries that share compressed data (overlapping files) claim more
	// compressed bytes than the archive has.
	if compressed > uint64(size) {
		return z.refuse("entries overlap, as only a decompression bomb's do")
	}
	return nil
}

// SafePath returns an error if name, an archive entry's name, is absolute,
// climbs out of the archive (..), uses backslashes or a drive letter, or is
// otherwise not a plain relative path.
func SafePath(name string) error {
	switch {
	case name == "":
		return errors.New("empty name")
	case strings.HasPrefix(name, "/"):
		return errors.New("absolute path")
	case strings.Contains(name, `\`):
		return errors.New("backslash in path")
	case len(name) >= 2 && name[1] == ':':
		return errors.New("drive letter in path")
	case strings.ContainsRune(name, 0):
		return errors.New("NUL in path")
	}
	for _, el := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if el == ".." {
			return errors.New("path climbs out of the archive (..)")
		}
	}
	if !fs.ValidPath(strings.TrimSuffix(name, "/")) {
		return errors.New("not a valid relative path")
	}
	return nil
}

// Name returns the archive's name as used in errors.
func (z *Zip) Name() string { return z.name }

// Close closes the archive file if OpenZip opened it.
func (z *Zip) Close() error {
	if z.closer != nil {
		return z.closer.Close()
	}
	return nil
}

// Open implements fs.FS. Files enforce the limits while they are read.
func (z *Zip) Open(name string) (fs.File, error) {
	f, err := z.zr.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return f, err
	}
	var csize uint64
	if h, ok := st.Sys().(*zip.FileHeader); ok {
		csize = h.CompressedSize64
	}
	return &zipFile{File: f, z: z, name: name, csize: int64(csize)}, nil
}

// ReadDir implements fs.ReadDirFS.
func (z *Zip) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(z.zr, name) }

type zipFile struct {
	fs.File
	z     *Zip
	name  string
	csize int64
	n     int64
}

func (f *zipFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.n += int64(n)
	lim := &f.z.lim
	switch {
	case f.n > lim.MaxEntry:
		return n, f.z.refuse("entry %q unpacks to more than the limit of %d bytes", f.name, lim.MaxEntry)
	case f.n > lim.RatioFloor && f.n > lim.MaxRatio*max(f.csize, 1):
		return n, f.z.refuse("entry %q is compressed more than %d:1, as only a decompression bomb is", f.name, lim.MaxRatio)
	case f.z.total.Add(int64(n)) > lim.MaxTotal:
		return n, f.z.refuse("unpacks to more than the limit of %d bytes", lim.MaxTotal)
	}
	if err != nil && err != io.EOF {
		return n, rhythm.Errorf(rhythm.EINVALID, "%s: %s: %v (the archive is damaged or truncated)", f.z.name, f.name, err)
	}
	return n, err
}
