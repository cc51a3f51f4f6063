package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestAPIAndPagesDoNotShareHandlers keeps web's three parts apart as if
// they were packages: the JSON API (api_*.go), the pages (ui_*.go) and the
// shared server (every other file: middleware, sessions, the route table,
// request reading, error mapping). A page may not use a function, method
// or type declared in an API file, nor the API one declared in a page
// file; what both need belongs in the application layer (app/) or in a
// shared file. It fails naming the file, the use and where it is declared.
func TestAPIAndPagesDoNotShareHandlers(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	part := func(file string) string {
		switch {
		case strings.HasSuffix(file, "_test.go"):
			return ""
		case strings.HasPrefix(file, "api_"):
			return "api"
		case strings.HasPrefix(file, "ui_"):
			return "ui"
		}
		return "shared"
	}
	fset := token.NewFileSet()
	parsed := map[string]*ast.File{}
	declared := map[string]string{} // name (Type.Method for methods) → file
	for _, f := range files {
		if part(f) == "" {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed[f] = af
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					declared[d.Name.Name] = f
				} else if recvType(d) == "Server" {
					declared["s."+d.Name.Name] = f
				} // methods of a file's own view types stay with it

			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.TypeSpec:
						declared[sp.Name.Name] = f
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							declared[n.Name] = f
						}
					}
				}
			}
		}
	}
	if len(parsed) < 10 {
		t.Fatalf("read only %d files of package web", len(parsed))
	}
	var bad []string
	for f, af := range parsed {
		from := part(f)
		if from == "shared" {
			continue
		}
		seen := map[string]bool{}
		ast.Inspect(af, func(n ast.Node) bool {
			var name string
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "s" {
					name = "s." + n.Sel.Name // a method of *Server
				} else {
					return true // a field, or another package's name
				}
			case *ast.Ident:
				name = n.Name
			default:
				return true
			}
			at, ok := declared[name]
			if !ok || seen[name] {
				return true
			}
			if to := part(at); to != "shared" && to != from {
				seen[name] = true
				bad = append(bad, f+" uses "+name+", declared in "+at)
			}
			return true
		})
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
}

// recvType is the name of a method's receiver type, without the star.
func recvType(d *ast.FuncDecl) string {
	t := d.Recv.List[0].Type
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}
