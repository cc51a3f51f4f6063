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

// tooLong are the functions that were longer than maxLines, without a
// reason, when this check was written, with their length then. None may
// grow; each that is split or explained must leave the list (the test
// says so), so the list only shrinks.
var tooLong = map[string]int{
	"audit/auditor.go Auditor.addSync":             90,
	"audit/findings.go findings":                   112,
	"audit/report.go Auditor.summary":              162,
	"audit/weeks.go Auditor.personWeeks":           134,
	"cmd/rhythm/gen.go app.genCommand":             90,
	"cmd/rhythm/lint.go app.lintCommand":           140,
	"cmd/rhythm/ops.go app.storeCommand":           96,
	"cmd/rhythm/schedule.go app.scheduleCommand":   117,
	"cmd/rhythm/user.go app.userCommand":           94,
	"decide/advice.go Policy.advice":               85,
	"decide/engine.go Policy.Decide":               267,
	"decide/policy.go compile":                     281,
	"decide/request.go Request.Input":              97,
	"experiment/analyze.go Analyze":                97,
	"experiment/experiment.go Experiment.Validate": 94,
	"gen/gen.go New":                               141,
	"gen/ics.go Dataset.WriteICS":                  200,
	"gen/slack.go slackGen.conversation":           86,
	"gen/slack.go slackGen.message":                208,
	"holiday/regions.go lists":                     87,
	"ical/expand.go expander.expandSeries":         157,
	"ical/expand.go expander.collect":              95,
	"ical/parse.go parser.eventProp":               119,
	"ical/recur.go parseRecur":                     86,
	"ical/recur.go ruleIter.init":                  137,
	"ical/vtimezone.go vtz.location":               82,
	"ingest/mbox/date.go ParseDate":                82,
	"ingest/slack/slack.go Export.Import":          108,
	"ingest/slack/slack.go reader.interaction":     81,
	"lint/extras.go ScanExtras":                    129,
	"lint/planned.go Planned.Meeting":              127,
	"metric/file.go ReadCSV":                       90,
	"playbook/plan.go Instantiate":                 117,
	"playbook/template.go Template.Validate":       135,
	"schedule/overlap.go Overlap":                  86,
	"schedule/rotate.go prepared.accumulate":       136,
	"schedule/search.go searcher.pool":             100,
	"schedule/search.go searcher.enumerate":        120,
	"store/interactions.go DB.ImportInteractions":  95,
}

// TestFunctionLength walks every Go file of the module except tests and
// fails on each function longer than maxLines lines whose doc comment does
// not say why it is long, unless tooLong lists it at that length or more.
func TestFunctionLength(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	seen := map[string]bool{}
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
			rel, _ := filepath.Rel(root, path)
			key := filepath.ToSlash(rel) + " " + funcName(fn)
			was, listed := tooLong[key]
			seen[key] = true
			short := lines <= maxLines || strings.Contains(fn.Doc.Text(), longBecause)
			switch {
			case short && listed:
				t.Errorf("%s is short now (or says why it is long): remove it from tooLong", key)
				continue
			case short:
				continue
			case listed && lines <= was:
				continue
			case listed:
				t.Errorf("%s:%d: %s grew from %d to %d lines; split it", rel, fset.Position(fn.Pos()).Line, funcName(fn), was, lines)
				continue
			}
			t.Errorf("%s:%d: %s is %d lines; split it, or say in its doc comment why it is %s …",
				rel, fset.Position(fn.Pos()).Line, funcName(fn), lines, longBecause)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for key := range tooLong {
		if !seen[key] {
			t.Errorf("%s is gone: remove it from tooLong", key)
		}
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
