package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// agentEvent is what an agent reads of one line of `cartoauth login --json`.
type agentEvent struct {
	Event    string         `json:"event"`
	Flow     string         `json:"flow"`
	URL      string         `json:"url"`
	CodePage string         `json:"code_page"`
	Finish   string         `json:"finish"`
	Login    map[string]any `json:"login"`
	Error    string         `json:"error"`
	Hints    []string       `json:"hints"`
	ExitCode int            `json:"exit_code"`
}

// readEvents decodes every line of out as one event; a line that is not a JSON object fails.
func readEvents(t *testing.T, out string) []agentEvent {
	t.Helper()
	var evs []agentEvent
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev agentEvent
		if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.Event == "" {
			t.Fatalf("not an event: %q (%v)", line, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

// TestAgentLogsInThroughLoginJSON plays an agent: it reads the login event, logs in on the
// sandbox's page, writes the code as one line, and reads the logged_in event with the
// account; no token is ever on stdout.
func TestAgentLogsInThroughLoginJSON(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{LoginPage: true})
	e := newCLIEnv(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := e.command(ctx, "login", "--json", "--flow", "copy-code")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	lines := bufio.NewScanner(stdout)
	lines.Buffer(nil, 1<<20)
	var last agentEvent
	for lines.Scan() {
		all.WriteString(lines.Text() + "\n")
		var ev agentEvent
		if err := json.Unmarshal(lines.Bytes(), &ev); err != nil {
			t.Fatalf("not JSON: %q", lines.Text())
		}
		last = ev
		if ev.Event == "login" {
			if ev.Flow != "copy-code" || ev.CodePage == "" || !strings.HasPrefix(ev.URL, srv.URL) {
				t.Errorf("login event: %+v", ev)
			}
			code, err := serverBrowser(srv)(ev.URL)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(stdin, code+"\n")
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("login --json: %v\n%s", err, stderr.String())
	}
	if last.Event != "logged_in" || last.Login["email"] != cartotest.TestUser || last.Login["source"] != "interactive" {
		t.Errorf("last event: %+v", last)
	}
	tok := e.run(t, nil, "token")
	if access := strings.TrimSpace(tok.stdout); tok.code != 0 || access == "" || strings.Contains(all.String(), access) {
		t.Errorf("token: exit %d; in the events: %v", tok.code, strings.Contains(all.String(), access))
	}
	_, logins := statusJSON(t, e)
	if len(logins) != 1 || logins[0]["email"] != last.Login["email"] || logins[0]["cache_file"] != last.Login["cache_file"] {
		t.Errorf("status --json does not list the login the events gave: %v", logins)
	}
	again := e.run(t, nil, "login", "--json")
	if evs := readEvents(t, again.stdout); again.code != 0 || len(evs) != 1 || evs[0].Event != "logged_in" {
		t.Errorf("login --json when logged in: exit %d, %s", again.code, again.stdout)
	}
}

// TestLoginJSONStartFinish: --start prints the login and the pending event, then exits; the
// agent logs in and runs --finish CODE.
func TestLoginJSONStartFinish(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{LoginPage: true})
	e := newCLIEnv(t, srv.URL)
	r := e.run(t, nil, "login", "--json", "--start")
	if r.code != 0 {
		t.Fatalf("--start: exit %d\n%s", r.code, r.stderr)
	}
	evs := readEvents(t, r.stdout)
	i := slices.IndexFunc(evs, func(ev agentEvent) bool { return ev.Event == "login" })
	if i < 0 || evs[len(evs)-1].Event != "pending" || !strings.Contains(evs[len(evs)-1].Finish, "cartoauth login --finish") {
		t.Fatalf("--start events: %s", r.stdout)
	}
	code, err := serverBrowser(srv)(evs[i].URL)
	if err != nil {
		t.Fatal(err)
	}
	r = e.run(t, nil, "login", "--json", "--finish", code)
	evs = readEvents(t, r.stdout)
	if r.code != 0 || evs[len(evs)-1].Event != "logged_in" || evs[len(evs)-1].Login["email"] != cartotest.TestUser {
		t.Fatalf("--finish: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = e.run(t, nil, "login", "--json", "--finish", code)
	evs = readEvents(t, r.stdout)
	if last := evs[len(evs)-1]; r.code != 1 || last.Event != "error" || !slices.Contains(last.Hints, "start-login") || last.ExitCode != 1 {
		t.Errorf("--finish twice: exit %d\n%s", r.code, r.stdout)
	}
}

// TestLoginJSONNobodyAnswers: stdin closed before a code came: a typed error event with its
// hints, and exit 3.
func TestLoginJSONNobodyAnswers(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{LoginPage: true})
	e := newCLIEnv(t, srv.URL)
	r := e.run(t, strings.NewReader(""), "login", "--json", "--flow", "copy-code")
	evs := readEvents(t, r.stdout)
	last := evs[len(evs)-1]
	if r.code != exitInteraction || last.Event != "error" || last.ExitCode != exitInteraction || !slices.Contains(last.Hints, "log-in") || last.Error == "" {
		t.Errorf("exit %d, last event %+v", r.code, last)
	}
	if r := e.run(t, nil, "login", "--json", "--start", "--finish", "x"); r.code != exitUsage {
		t.Errorf("--start with --finish: exit %d", r.code)
	}
}
