package codecheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// maxLines is the longest a function may be without saying why.
const maxLines = 80

// longBecause is what a longer function's doc comment says, with the
// reason: "… is long because it is the route table, read top to bottom."
const longBecause = "long because"

// TestFunctionLength walks every Go file of the module except tests and
// fails on each function longer than maxLines lines whose doc comment does
// not say why it is long.
func TestFunctionLength(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			lines := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			if lines <= maxLines || strings.Contains(fn.Doc.Text(), longBecause) {
				continue
			}
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s:%d: %s is %d lines; split it, or say in its doc comment why it is %s …",
				rel, fset.Position(fn.Pos()).Line, funcName(fn), lines, longBecause)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	typ := fn.Recv.List[0].Type
	if s, ok := typ.(*ast.StarExpr); ok {
		typ = s.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}
