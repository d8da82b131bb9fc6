package flow

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The loopback login opens the browser on a private page rather than on its start link, the
// way Jupyter's server opens its -open.html file: an opener's arguments are visible to every
// user of the machine (/proc/<pid>/cmdline, ps), and whoever loaded the start link first could
// log this process in to their own account. The page is a 0600 file in a fresh 0700 folder of
// the current user, so only the person's browser can read where it leads.

// openFileName is the page's name in its folder.
const openFileName = "open.html"

// openFile is the page that sends the browser to a login's start link, and its folder.
type openFile struct {
	dir, path string
	root      *os.Root // the folder, opened without following links
	once      sync.Once
}

// openFileParent is where the page's folder is made: runtimeDir ($XDG_RUNTIME_DIR) when it is
// private (an absolute path to a real folder of the current user that no one else may enter;
// on Linux a tmpfs emptied at logout), else os.TempDir(). Neither is sure to be readable by a
// sandboxed browser: a snap-packaged one (Firefox and Chromium on Ubuntu) has its own /tmp, may
// see no more of /run/user/<uid>, and cannot read dot-folders under $HOME (Jupyter's
// ~/.local/share/jupyter/runtime fails there); $HOME is not used, since anywhere else in it the
// page would show among the person's files. Such a browser shows "file not found", and the
// person uses the login link the prompter shows anyway; an opener that fails says so on the
// status line instead (see loopbackOrCopyCode).
func openFileParent(runtimeDir string) string {
	if d := runtimeDir; checksOwner && d != "" && filepath.IsAbs(d) {
		if fi, err := os.Lstat(d); err == nil && privateFolder(fi) == nil {
			return d
		}
	}
	return os.TempDir()
}

// writeOpenFile writes the page that sends the browser to link, in a fresh folder under
// openFileParent(runtimeDir).
func writeOpenFile(runtimeDir, link string) (*openFile, error) {
	dir, err := os.MkdirTemp(openFileParent(runtimeDir), "carto-auth-login-")
	if err != nil {
		return nil, err
	}
	f := &openFile{dir: dir, path: filepath.Join(dir, openFileName)}
	if err := f.write(link); err != nil {
		f.remove()
		return nil, err
	}
	return f, nil
}

// write checks that f's folder is a real folder of the current user, makes it 0700 whatever
// the umask, and creates the page in it (0600), never through a link.
func (f *openFile) write(link string) error {
	fi, err := os.Lstat(f.dir)
	if err != nil {
		return err
	}
	if err := privateFolder(fi); err != nil {
		return fmt.Errorf("the folder %s: %w", f.dir, err)
	}
	if f.root, err = os.OpenRoot(f.dir); err != nil {
		return err
	}
	if rfi, err := f.root.Stat("."); err != nil || !os.SameFile(fi, rfi) {
		return fmt.Errorf("the folder %s was replaced", f.dir)
	}
	if err := f.root.Chmod(".", 0o700); err != nil {
		return err
	}
	w, err := f.root.OpenFile(openFileName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = w.WriteString(openPage(link))
	return errors.Join(err, w.Chmod(0o600), w.Close())
}

// url is the page's file:// URL, for the opener.
func (f *openFile) url() string {
	p := filepath.ToSlash(f.path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/… on Windows
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// remove deletes the page and its folder; f may be nil.
func (f *openFile) remove() {
	if f == nil {
		return
	}
	f.once.Do(func() {
		if f.root != nil {
			f.root.Remove(openFileName)
			f.root.Close()
		}
		os.Remove(f.dir)
	})
}

// openPage is the page: a script replaces it with the start link (so that going back does not
// load the link again, which would stop the login), a refresh does so without scripts, and a
// link remains for a browser that does neither. The refresh is inside <noscript> so that the
// link is never loaded twice.
func openPage(link string) string {
	js, _ := json.Marshal(link) // escapes <, > and &: safe inside <script>
	attr := html.EscapeString(link)
	return fmt.Sprintf(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<title>Opening the CARTO login</title>
<script>location.replace(%[2]s)</script>
<noscript><meta http-equiv="refresh" content="0;url=%[1]s"></noscript>
</head>
<body style="font-family:system-ui,sans-serif;margin:3em auto;max-width:32em;color:#2c3032">
<h1 style="font-size:1.4em;color:#162945">Opening the CARTO login…</h1>
<p>If nothing happens, <a href="%[1]s">continue to the login</a>. The link works once, for this login only.</p>
</body></html>
`, attr, js)
}
