package detect

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"strconv"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/ingest/csvevents"
	"github.com/rhythm-team/rhythm/ingest/icsevents"
	"github.com/rhythm-team/rhythm/ingest/mbox"
	"github.com/rhythm-team/rhythm/ingest/slack"
)

// Source is an opened input.
type Source interface {
	ingest.Importer
	io.Closer
}

// Options configure Open.
type Options struct {
	Limits ingest.Limits
	// Name is the input's name in errors (e.g. the name of an uploaded
	// file saved under a temporary path); the path when empty.
	Name string
}

// Open detects the format of path and opens it.
func Open(path string, res *ingest.Resolver, opt Options) (Source, Format, error) {
	name := opt.Name
	if name == "" {
		name = path
	}
	f, err := detectAs(path, name, opt.Limits)
	if err != nil {
		return nil, "", err
	}
	var src Source
	switch f {
	case Slack:
		src, err = slack.OpenAs(path, name, res, opt.Limits)
	case Mbox:
		src, err = mbox.OpenAs(path, name, res)
	case CSV:
		src, err = csvevents.OpenAs(path, name, res)
	case ICS:
		src, err = icsevents.OpenAs(path, name, res)
	}
	if err != nil {
		return nil, f, err
	}
	return src, f, nil
}

// Hash returns the SHA-256 (hex) of the content at path: of a file's
// bytes, or of a folder's files with their relative paths, in order.
func Hash(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if !st.IsDir() {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		if _, err := io.Copy(h, f); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	root, err := os.OpenRoot(path)
	if err != nil {
		return "", err
	}
	defer root.Close()
	fsys := root.FS()
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		io.WriteString(h, p+"\x00")
		n, err := io.Copy(h, f)
		io.WriteString(h, "\x00"+strconv.FormatInt(n, 10)+"\x00")
		return err
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
