package rhythm_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeLayoutMatchesTree checks that README's "Layout" names every
// top-level folder of the repository exactly once, and no folder that is
// not there.
func TestReadmeLayoutMatchesTree(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, layout, ok := strings.Cut(string(b), "## Layout")
	if !ok {
		t.Fatal("README.md has no Layout section")
	}
	_, block, _ := strings.Cut(layout, "```\n")
	block, _, _ = strings.Cut(block, "```")
	listed := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^([a-z][a-z0-9_]*)/`).FindAllStringSubmatch(block, -1) {
		listed[m[1]]++
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if n := listed[e.Name()]; n != 1 {
			t.Errorf("README Layout lists %s/ %d times, want once", e.Name(), n)
		}
		delete(listed, e.Name())
	}
	for name := range listed {
		t.Errorf("README Layout lists %s/, which is not in the tree", name)
	}
}
