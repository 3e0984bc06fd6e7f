package pipeline

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// maxFuncLines is the longest a function in pipeline/ may be, counted from
// its func line to its closing brace (issue 16): a function that does not
// fit on a screen usually does more than one thing.
const maxFuncLines = 60

// TestFunctionLength keeps every function and method in pipeline/ and its
// subpackages (test files aside) within maxFuncLines.
func TestFunctionLength(t *testing.T) {
	fset := token.NewFileSet()
	var long []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		long = append(long, longFuncs(fset, f, maxFuncLines)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range long {
		t.Errorf("%s: split it into functions that each do one thing", l)
	}
}

// longFuncs describes each function declared in f that spans more than limit
// lines, from its func keyword to its closing brace.
func longFuncs(fset *token.FileSet, f *ast.File, limit int) []string {
	var long []string
	for _, decl := range f.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		start, end := fset.Position(fd.Pos()), fset.Position(fd.End())
		if n := end.Line - start.Line + 1; n > limit {
			long = append(long, fmt.Sprintf("%s:%d: %s is %d lines, over %d", start.Filename, start.Line, fd.Name.Name, n, limit))
		}
	}
	return long
}

// TestLongFuncs checks the counter itself on functions of known length.
func TestLongFuncs(t *testing.T) {
	body := func(n int) string { return strings.Repeat("\t_ = 0\n", n) }
	for _, tc := range []struct {
		name string
		src  string
		max  int
		want int // functions reported
	}{
		{"at the limit", "package p\nfunc f() {\n" + body(3) + "}\n", 5, 0},
		{"one over", "package p\nfunc f() {\n" + body(4) + "}\n", 5, 1},
		{"method and a short one", "package p\ntype T int\nfunc (T) m() {\n" + body(9) + "}\nfunc g() {}\n", 5, 1},
		{"declaration without body", "package p\nfunc h()\n", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "p.go", tc.src, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := longFuncs(fset, f, tc.max); len(got) != tc.want {
				t.Errorf("longFuncs(max %d) = %q, want %d", tc.max, got, tc.want)
			}
		})
	}
}
