package kernel_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/e2e/kernel"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// start starts one kernel per test with the checkout in its go.work.
func start(t *testing.T) *kernel.Kernel {
	t.Helper()
	return kernel.StartT(t, kernel.Options{GoWork: []string{testenv.RepoRoot(t)}})
}

func run(t *testing.T, k *kernel.Kernel, code string, onInput kernel.InputFunc) *kernel.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	res, err := k.Execute(ctx, code, onInput)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cell: %s", res)
	if res.Status != "ok" {
		t.Fatalf("cell status %q, want ok", res.Status)
	}
	return res
}

func TestPrint(t *testing.T) {
	k := start(t)
	res := run(t, k, "%%\nfmt.Println(\"hello from gonb\")\nfmt.Fprintln(os.Stderr, \"to stderr\")", nil)
	if got := res.Stdout(); got != "hello from gonb\n" {
		t.Errorf("stdout = %q", got)
	}
	if got := res.Stderr(); !strings.Contains(got, "to stderr") {
		t.Errorf("stderr = %q", got)
	}
	// Declarations carry over to the next cell (a new process).
	run(t, k, "func twice(n int) int { return 2 * n }", nil)
	if got := run(t, k, "%%\nfmt.Println(twice(21))", nil).Stdout(); got != "42\n" {
		t.Errorf("stdout of second cell = %q", got)
	}
}

func TestCellError(t *testing.T) {
	k := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	res, err := k.Execute(ctx, "%%\nundefinedThing()", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "error" || res.Error() == nil {
		t.Fatalf("want an error output, got %s", res)
	}
	if e := res.Error(); !strings.Contains(e.Evalue+strings.Join(e.Traceback, ""), "undefinedThing") {
		t.Errorf("error does not name the identifier: %+v", e)
	}
}

const displayCell = `import "github.com/janpfeifer/gonb/gonbui"

%%
gonbui.DisplayHTML("<b>static</b>")
gonbui.UpdateHTML("card", "<i>first</i>")
gonbui.UpdateHTML("card", "<i>second</i>")
gonbui.Sync()
`

// pinGonbui pins gonbui: GoNB resolves a new import with a bare `go get` (@latest), which the
// module proxy here refuses for gonb.
const pinGonbui = "!*go get github.com/janpfeifer/gonb/gonbui@v0.11.5"

func TestDisplayAndUpdate(t *testing.T) {
	k := start(t)
	run(t, k, pinGonbui, nil)
	res := run(t, k, displayCell, nil)
	var got []string
	for _, o := range res.Outputs {
		if o.HTML != "" {
			got = append(got, o.Type+" "+o.DisplayID+" "+o.HTML)
		}
	}
	want := []string{"display_data  <b>static</b>", "display_data card <i>first</i>", "update_display_data card <i>second</i>"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("displays:\n got %q\nwant %q", got, want)
	}
}

const inputCell = `import "github.com/janpfeifer/gonb/gonbui"

%%
gonbui.RequestInput("code", true)
var line string
fmt.Scanln(&line)
fmt.Printf("got %q\n", line)
`

func TestRequestInput(t *testing.T) {
	k := start(t)
	// Instead of pinning: with --go_work the workspace (this checkout requires gonb v0.11.5)
	// already provides gonbui; %noautoget stops GoNB's `go get` that would look up @latest.
	run(t, k, "%noautoget", nil)
	var prompts []string
	res := run(t, k, inputCell, func(prompt string, password bool) (string, error) {
		prompts = append(prompts, prompt)
		if !password {
			t.Errorf("password = false, want true")
		}
		return "s3cret-42", nil
	})
	if len(prompts) != 1 || prompts[0] != "code" {
		t.Errorf("prompts = %q, want [code]", prompts)
	}
	if got := res.Stdout(); got != "got \"s3cret-42\"\n" {
		t.Errorf("stdout = %q", got)
	}
}
