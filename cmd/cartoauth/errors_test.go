package main

import (
	"net"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// checkOneLineError checks that stderr is exactly one "cartoauth: <what> — <what to do>" line.
func checkOneLineError(t *testing.T, r result) {
	t.Helper()
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not exactly one line:\n%s", r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "cartoauth: ") || !strings.Contains(r.stderr, " — ") {
		t.Errorf("stderr is not \"cartoauth: <what> — <what to do>\": %q", r.stderr)
	}
}

func TestErrorsAreOneLine(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{})
	good := t.TempDir() + "/m2m.json"
	if err := srv.WriteCredentialsFile(good); err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() }) // after the parallel subtests, unlike defer
	const validShape = `{"api_base_url": "%s", "client_id": "abcdefghijklmnopqrstuvwxyz012345", "client_secret": "` +
		`abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01"}`
	file := func(content string) string { return writeFile(t, "creds.json", content) }
	tests := []struct {
		name string
		env  []string
		args []string
		code int
	}{
		{"no command", nil, nil, exitUsage},
		{"unknown command", nil, []string{"frobnicate"}, exitUsage},
		{"help of unknown command", nil, []string{"help", "frobnicate"}, exitUsage},
		{"unknown flag", nil, []string{"login", "--bogus"}, exitUsage},
		{"bad flow", nil, []string{"login", "--flow", "sideways"}, exitUsage},
		{"negative timeout", nil, []string{"login", "--timeout", "-1s"}, exitUsage},
		{"bad timeout", nil, []string{"login", "--timeout", "soon"}, exitUsage},
		{"missing flag value", nil, []string{"token", "--m2m"}, exitUsage},
		{"extra argument", nil, []string{"token", "now"}, exitUsage},
		{"org with m2m", nil, []string{"login", "--m2m", good, "--org", "org_1"}, exitUsage},
		{"flow with m2m", nil, []string{"login", "--m2m", good, "--flow", "copy-code"}, exitUsage},
		{"bad bool", nil, []string{"status", "--json=maybe"}, exitUsage},
		{"logout argument", nil, []string{"logout", "--all"}, exitUsage},
		{"sandbox bad addr", nil, []string{"sandbox", "--addr", "nonsense"}, exitUsage},
		{"sandbox bad port", nil, []string{"sandbox", "--addr", "127.0.0.1:99999"}, exitUsage},
		{"sandbox remote", nil, []string{"sandbox", "--addr", "0.0.0.0:0"}, exitUsage},
		{"sandbox bad url", nil, []string{"sandbox", "--addr", "127.0.0.1:0", "--url", "ftp://x"}, exitUsage},
		{"sandbox busy port", nil, []string{"sandbox", "--addr", busy.Addr().String()}, exitFailure},
		{"missing m2m file", nil, []string{"token", "--m2m", "/nonexistent/m2m.json"}, exitFailure},
		{"m2m file not JSON", nil, []string{"token", "--m2m", file("client_id=x\n")}, exitFailure},
		{"m2m file missing field", nil, []string{"login", "--m2m", file(`{"api_base_url": "https://a.example", "client_id": "x"}`)}, exitFailure},
		{"m2m unknown client", nil, []string{"token", "--m2m", file(strings.Replace(validShape, "%s", srv.URL, 1))}, exitFailure},
		{"m2m insecure base URL", nil, []string{"token", "--m2m", file(strings.Replace(validShape, "%s", "http://carto.example.com", 1))}, exitFailure},
		{"bad CARTO_CREDENTIALS", []string{"CARTO_CREDENTIALS={"}, []string{"token"}, exitFailure},
		{"bad CARTO_AUTH_FLOW", []string{"CARTO_AUTH_FLOW=sideways"}, []string{"login"}, exitFailure},
		{"bad CARTO_AUTH_SERVER", []string{"CARTO_AUTH_SERVER=ftp://carto.example"}, []string{"token"}, exitFailure},
		{"token without login", nil, []string{"token"}, exitInteraction},
		{"dw-credentials without login", nil, []string{"dw-credentials"}, exitInteraction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newCLIEnv(t, srv.URL).with(tt.env...).run(t, nil, tt.args...)
			if r.code != tt.code {
				t.Errorf("cartoauth %s: exit %d, want %d; stderr %q", strings.Join(tt.args, " "), r.code, tt.code, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			checkOneLineError(t, r)
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t, "")
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"help", "token"}, {"login", "-h"},
		{"token", "--help"}, {"status", "-h"}, {"logout", "--help"}, {"dw-credentials", "-h"}, {"sandbox", "--help"}} {
		r := e.run(t, nil, args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, "Exit codes") || r.stderr != "" {
			t.Errorf("cartoauth %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
}
