package rhythm_test

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rhythm-team/rhythm/decide"
)

// theArticle is a mention of the text rhythm was first written from,
// which users have never read: the product says what a rule is based on
// instead.
var theArticle = regexp.MustCompile(`(?i)\bthe\s+(source\s+)?article\b|\barticle's\b`)

// TestNoMentionOfTheArticle fails when a template, a policy or playbook
// file, a document, the README, the embedded policy text or a string in
// the Go source (help texts, messages) mentions "the article".
func TestNoMentionOfTheArticle(t *testing.T) {
	if m := theArticle.FindString(string(decide.DefaultPolicyYAML())); m != "" {
		t.Errorf("the embedded decide policy mentions %q", m)
	}
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(path)
		switch {
		case ext == ".html" || ext == ".yaml" || ext == ".yml" || ext == ".md" || ext == ".css" || ext == ".txt":
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			checked++
			for i, line := range strings.Split(string(b), "\n") {
				if m := theArticle.FindString(line); m != "" {
					t.Errorf("%s:%d mentions %q", path, i+1, m)
				}
			}
		case ext == ".go" && !strings.HasSuffix(path, "_test.go"):
			checked++
			return checkGoStrings(t, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Errorf("only %d files checked", checked)
	}
}

// checkGoStrings reports the string literals of a Go file that mention
// the article: help texts and messages a user reads.
func checkGoStrings(t *testing.T, path string) error {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return nil
		}
		if tok == token.STRING {
			if m := theArticle.FindString(lit); m != "" {
				t.Errorf("%s mentions %q in a string", fset.Position(pos), m)
			}
		}
	}
}
