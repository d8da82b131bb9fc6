package browser

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/e2e/testenv"
)

// StartServerT starts a Jupyter server for a test, applying the skip policy when Jupyter or
// gonb is missing. Empty NotebookDir becomes t.TempDir(); empty DataDir gets a fresh gonb
// kernel spec (testenv.KernelSpec). The server is stopped on cleanup; its output is logged if
// the test failed.
func StartServerT(t testing.TB, opts ServerOptions) *Server {
	t.Helper()
	if opts.Jupyter == "" && opts.Lab == "" && opts.Notebook7 == "" {
		opts.Jupyter = testenv.Jupyter(t)
	}
	if opts.NotebookDir == "" {
		opts.NotebookDir = t.TempDir()
	}
	if opts.DataDir == "" {
		opts.DataDir = testenv.KernelSpec(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	s, err := StartServer(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s pid %d at %s ready in %v", filepath.Base(s.cmd.Path), s.PID(), s.URL, time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("--- server output ---\n%s", s.Output())
		}
	})
	return s
}

// LaunchT starts Chromium for a test (skip policy when missing) with the extra flags (see
// Launch) and closes it on cleanup.
func LaunchT(t testing.TB, flags ...string) *Browser {
	t.Helper()
	bin := testenv.Chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := Launch(ctx, bin, flags...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// OpenNotebookT opens a notebook for a test (60 s bound), failing the test on error.
func (b *Browser) OpenNotebookT(t testing.TB, url string) *Notebook {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	n, err := b.OpenNotebook(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("notebook open, kernel connected in %v", time.Since(start).Round(time.Millisecond))
	return n
}

// StartLabT starts the project's JupyterLab (jupyterlab/, see testenv.LabApp) for a test,
// with the same defaults and cleanup as StartServerT.
func StartLabT(t testing.TB, opts ServerOptions) *Server {
	t.Helper()
	opts.Lab = testenv.LabApp(t)
	return StartServerT(t, opts)
}

// OpenLabT opens a notebook in JupyterLab for a test (60 s bound), failing the test on error.
func (b *Browser) OpenLabT(t testing.TB, url string) *Notebook {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	n, err := b.OpenLab(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("JupyterLab notebook open, kernel connected in %v", time.Since(start).Round(time.Millisecond))
	return n
}

// StartHubT starts a JupyterHub for a test (skip policy when jupyterhub or the classic
// Notebook is missing), stopping it on cleanup and logging its output if the test failed.
func StartHubT(t testing.TB, opts HubOptions) *Hub {
	t.Helper()
	testenv.Command(t, "jupyterhub", "apt jupyterhub")
	testenv.Command(t, "configurable-http-proxy", "apt jupyterhub (node-configurable-http-proxy)")
	testenv.Jupyter(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	start := time.Now()
	h, err := StartHub(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("jupyterhub pid %d at %s ready in %v", h.PID(), h.URL, time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() {
		h.Stop()
		if t.Failed() {
			t.Logf("--- jupyterhub output ---\n%s", h.Output())
		}
	})
	return h
}

// StartNotebook7T starts the project's Notebook 7 (notebook7/, see testenv.Notebook7App) for a
// test, with the same defaults and cleanup as StartServerT.
func StartNotebook7T(t testing.TB, opts ServerOptions) *Server {
	t.Helper()
	opts.Notebook7 = testenv.Notebook7App(t)
	return StartServerT(t, opts)
}

// OpenNotebook7T opens a notebook in Notebook 7 for a test (60 s bound), failing the test on
// error (also when the page is not Notebook 7's own notebook page).
func (b *Browser) OpenNotebook7T(t testing.TB, url string) *Notebook {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	n, err := b.OpenNotebook7(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Notebook 7 notebook open, kernel connected in %v", time.Since(start).Round(time.Millisecond))
	return n
}
