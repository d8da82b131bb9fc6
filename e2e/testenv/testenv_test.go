package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTB records how Missing ended the test instead of ending it.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Fatal(args ...any)     { f.fatal = args[0].(string) }
func (f *fakeTB) Skip(args ...any)      { f.skip = args[0].(string) }
func (f *fakeTB) Fatalf(string, ...any) {}

func TestMissing(t *testing.T) {
	for _, tc := range []struct {
		ci, strict string
		wantFail   bool
	}{{"true", "", true}, {"1", "", true}, {"", "", false}, {"false", "", false}, {"", "1", true}, {"false", "0", false}} {
		t.Run("CI="+tc.ci+",E2E_STRICT="+tc.strict, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			t.Setenv("E2E_STRICT", tc.strict)
			f := &fakeTB{}
			Missing(f, "gonb", "not on PATH")
			msg := f.skip
			if tc.wantFail {
				msg = f.fatal
			}
			if (f.fatal != "") != tc.wantFail || (f.skip != "") == tc.wantFail {
				t.Fatalf("fatal=%q skip=%q, want fail=%v", f.fatal, f.skip, tc.wantFail)
			}
			if !strings.Contains(msg, "scripts/install-deps.sh") || !strings.Contains(msg, "gonb") {
				t.Errorf("message %q must name the part and the install script", msg)
			}
		})
	}
}

func TestRepoRoot(t *testing.T) {
	root := RepoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "e2e", "go.mod")); err != nil {
		t.Fatalf("root %q has no e2e/go.mod: %v", root, err)
	}
}
