package notebooks_test

// JupyterLab 4.6 and Notebook 7.6 (the same notebook packages) refuse to run any cell while an
// input box is open ("Cell not executed due to pending input"). A login that ends without the
// code box being answered must not leave it open: after each way a login can end, the next cell
// runs. (Success by paste and by one click: TestUICopyCode, TestUIOneClick.)

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/kernel"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// The cells of the endings notebook.
const (
	endTimeout = iota // a login nobody completes, with a short timeout
	endLogin          // a login completed (or not) in the browser
	endNext           // the next cell
)

// TestUILoginEndings: in one notebook, in JupyterLab (lab) and in Notebook 7 (notebook7), a
// login ends by timeout, by an error of the token endpoint after a one-click login, and by the
// user cancelling on the login page. After each, the next cell runs: the card's last update
// closed the code box.
func TestUILoginEndings(t *testing.T) { forLabFamily(t, loginEndings) }

func loginEndings(t *testing.T, ui uiKind) {
	waitPortFree(t, loopbackPort, 10*time.Second)
	f := newUIFixture(t, cartotest.Config{LoginPage: true}, ui)
	mustOK(t, kernel.WriteNotebook(filepath.Join(f.dir, "endings.ipynb"),
		loginCell("4 * time.Second"), loginCell("3 * time.Minute"),
		"%%\nfmt.Println(\"the next cell ran\")"))
	nb := f.open(t, "endings.ipynb")
	art := testenv.Artifacts(t)
	// Each ending in turn, each bounded by 2 minutes; a failed one stops the rest (the page
	// would be stuck behind its open box).
	endings := []struct {
		name, want string
		run        func(ctx context.Context, t *testing.T) int // starts the login, returns its cell
	}{
		{"timeout", "the login timed out", func(ctx context.Context, t *testing.T) int {
			mustOK(t, nb.RunCell(ctx, endTimeout))
			_, err := nb.WaitInput(ctx, endTimeout)
			mustOK(t, err)
			return endTimeout
		}},
		{"token error", "500", func(ctx context.Context, t *testing.T) int {
			f.srv.Inject(cartotest.EndpointTokenCode, cartotest.Fault{Status: 500})
			oneClickInBrowser(ctx, t, nb, endLogin, func(tab *rod.Page) error { return fillLoginPage(ctx, tab) })
			return endLogin
		}},
		{"denied", "access denied", func(ctx context.Context, t *testing.T) int {
			oneClickInBrowser(ctx, t, nb, endLogin, func(tab *rod.Page) error {
				deny, err := tab.Context(ctx).Element("#deny") // the login page's Cancel
				if err != nil {
					return err
				}
				return deny.Click(proto.InputMouseButtonLeft, 1)
			})
			return endLogin
		}},
	}
	for _, e := range endings {
		ok := t.Run(e.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			loginEnds(ctx, t, nb, e.run(ctx, t), e.want, art)
		})
		if !ok {
			return
		}
	}
	if e := cachedTokens(t, f.cache); len(e) != 0 {
		t.Errorf("%d cached logins after three failed ones", len(e))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	checkPageNoLeak(ctx, t, nb, secrets(t, f.srv, f.cache)) // the code of the failed exchange
}

// loginEnds waits until the login in cell i has failed with a status containing want, then
// checks that the code box is closed and the next cell runs.
func loginEnds(ctx context.Context, t *testing.T, nb *browser.Notebook, i int, want, art string) {
	t.Helper()
	mustOK(t, nb.WaitAttr(ctx, i, ".carto-login", "data-state", "failed"))
	mustOK(t, nb.WaitCellDone(ctx, i))
	if text, _ := nb.OutputText(ctx, i); !strings.Contains(text, want) {
		t.Errorf("the failed card does not say %q: %q", want, text)
	}
	name := strings.ReplaceAll(t.Name()[strings.LastIndexByte(t.Name(), '/')+1:], " ", "-")
	mustOK(t, nb.Screenshot(ctx, i, "", filepath.Join(art, name+"-cell.png")))
	if err := waitNoInputBox(ctx, nb); err != nil {
		t.Error(err)
	}
	waitPortFree(t, loopbackPort, 5*time.Second)
	nextCellRuns(ctx, t, nb, endNext, "the next cell ran", art)
}

// oneClickInBrowser runs the login cell i, waits for the card's one-click link, clicks it and
// does act on the login page; the login page then sends the browser back to the kernel's
// listener, whose tab is closed.
func oneClickInBrowser(ctx context.Context, t *testing.T, nb *browser.Notebook, i int, act func(*rod.Page) error) {
	t.Helper()
	mustOK(t, nb.RunCell(ctx, i))
	_, err := nb.WaitInput(ctx, i)
	mustOK(t, err)
	waitOneClick(ctx, t, nb, i)
	tab, err := nb.ClickLink(ctx, i, ".carto-login-oneclick")
	mustOK(t, err)
	mustOK(t, act(tab))
	back := fmt.Sprintf("http://localhost:%d/callback/", loopbackPort)
	if err := tab.Context(ctx).Wait(rod.Eval(`(u) => location.href.startsWith(u)`, back)); err != nil {
		t.Fatalf("the login tab did not come back to the kernel's listener (now %s): %v", pageURL(t, tab), err)
	}
	mustOK(t, tab.Close())
	_, err = nb.Page.Activate()
	mustOK(t, err)
}
