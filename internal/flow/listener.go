package flow

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carto-go/carto-auth/internal/wire"
)

// loopback is the local listener of the loopback flow: it receives the browser's redirect on
// /callback/ and answers the card's reachability probe on /probe.
type loopback struct {
	port        int
	redirectURI string // exactly as registered: http://localhost:<port>/callback/
	startURL    string // http://localhost:<port>/start/<random>: redirects to authURL, once
	startPath   string
	authURL     atomic.Pointer[string] // set only when a browser is opened on startURL
	started     atomic.Bool            // startURL was loaded
	expired     atomic.Bool            // startURL may no longer be loaded (see expire)
	probeURL    string
	state       string
	nonce       string
	result      chan callback // one result, buffered
	probed      chan struct{} // closed when the user's browser loaded the probe
	once        [2]sync.Once  // result, probe
	servers     []*http.Server
	log         func(string, ...any)
}

// callback is what the browser brought back. The page it is shown waits on reply for the
// outcome of the code exchange, so it never says "logged in" for a login that failed.
type callback struct {
	code  string
	err   error
	reply chan error // buffered; nil for a callback that needs no exchange
}

// exchangeWait bounds how long the callback page waits for the code exchange.
const exchangeWait = 40 * time.Second

// errPortBusy means the loopback port could not be bound.
var errPortBusy = errors.New("the loopback port is in use")

// startLoopback listens on host:port; "localhost" means both 127.0.0.1 and ::1, since a
// browser may resolve localhost to either.
func startLoopback(host string, port int, state string, log func(string, ...any)) (*loopback, error) {
	addrs := []string{net.JoinHostPort(host, strconv.Itoa(port))}
	if host == "localhost" || host == "" {
		addrs = []string{net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), net.JoinHostPort("::1", strconv.Itoa(port))}
	}
	lb := &loopback{
		port:        port,
		redirectURI: fmt.Sprintf("http://localhost:%d/callback/", port),
		state:       state,
		nonce:       randomString(12),
		result:      make(chan callback, 1),
		probed:      make(chan struct{}),
		log:         log,
	}
	lb.probeURL = fmt.Sprintf("http://localhost:%d/probe?n=%s", port, lb.nonce)
	lb.startPath = "/start/" + randomString(12)
	lb.startURL = fmt.Sprintf("http://localhost:%d%s", port, lb.startPath)
	for i, addr := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			if i == 0 || addrInUse(err) { // another program would get the callback
				lb.close()
				return nil, fmt.Errorf("%w (%s): %v", errPortBusy, addr, err)
			}
			log("loopback: not listening on " + addr + ": " + err.Error()) // e.g. no IPv6
			continue
		}
		srv := &http.Server{Handler: lb, ReadHeaderTimeout: 10 * time.Second}
		lb.servers = append(lb.servers, srv)
		go srv.Serve(ln)
	}
	return lb, nil
}

// ServeHTTP accepts only the callback path with this login's state, and the probe. Anything
// else (a favicon, a stray request, another login's redirect) is answered and ignored.
func (lb *loopback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case lb.startPath:
		// The browser is opened here rather than on the authorization URL, so that no state or
		// PKCE challenge appears in the opener's command line. It works once, so that nobody
		// else who reaches the listener (bound to 0.0.0.0 in a container) learns them.
		if u := lb.authURL.Swap(nil); u != nil {
			lb.started.Store(true)
			w.Header().Set("Cache-Control", "no-store")
			http.Redirect(w, r, *u, http.StatusFound)
			return
		}
		if lb.started.Load() {
			// Someone loaded it before the person's browser did: whatever login comes back
			// may be theirs, so this one stops.
			page(w, http.StatusConflict, "This login link was already used",
				"It works once, and something else on this machine opened it first. The login has stopped: go back to your notebook or terminal and log in again.")
			lb.deliver(callback{err: ErrLoginLinkReused})
			return
		}
		if lb.expired.Load() {
			page(w, http.StatusGone, "This login link has expired",
				"The browser could not be opened on it, or its login has ended. Go back to your notebook or terminal and use the link shown there.")
			return
		}
		http.NotFound(w, r)
	case "/probe":
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Type", "image/gif")
		w.Write(pixelGIF)
		if r.URL.Query().Get("n") == lb.nonce {
			lb.once[1].Do(func() { close(lb.probed) })
		}
	case "/callback/", "/callback":
		lb.callback(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (lb *loopback) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("state") != lb.state {
		lb.log("ignoring a callback with another state")
		page(w, http.StatusBadRequest, "This login link is out of date",
			"It belongs to another login attempt. Go back to your notebook or terminal and use the latest link.")
		return
	}
	if e := q.Get("error"); e != "" {
		desc := wire.Clip(cmp.Or(q.Get("error_description"), e))
		page(w, http.StatusOK, "Login cancelled", "CARTO said: "+desc+". You can close this tab.")
		lb.deliver(callback{err: fmt.Errorf("%w: %s", ErrAccessDenied, desc)})
		return
	}
	if q.Get("code") == "" {
		page(w, http.StatusBadRequest, "No code in this callback", "Go back and log in again.")
		return
	}
	reply := make(chan error, 1)
	if !lb.deliver(callback{code: q.Get("code"), reply: reply}) {
		page(w, http.StatusConflict, "This login is already being completed",
			"Go back to your notebook or terminal to see how it ended.")
		return
	}
	select {
	case err := <-reply:
		if err != nil {
			page(w, http.StatusOK, "Login failed", Capitalize(err.Error())+". Go back to your notebook or terminal and try again.")
			return
		}
		page(w, http.StatusOK, "Logged in to CARTO", "You can close this tab and go back to your notebook or terminal.")
	case <-time.After(exchangeWait):
		page(w, http.StatusOK, "Still checking the login", "Go back to your notebook or terminal to see how it ends.")
	case <-r.Context().Done():
	}
}

// deliver hands the first callback to the login and reports whether c was that one.
func (lb *loopback) deliver(c callback) (first bool) {
	lb.once[0].Do(func() { lb.result <- c; first = true })
	return first
}

// expire disarms the start link for good: the browser could not be opened on it, or the
// login ended. It then answers that it expired, unless it was used.
func (lb *loopback) expire() {
	lb.expired.Store(true)
	lb.authURL.Store(nil)
}

// close expires the start link and shuts the listeners down gracefully, letting the last
// answer reach the browser.
func (lb *loopback) close() {
	lb.expire()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, s := range lb.servers {
		if s.Shutdown(ctx) != nil {
			s.Close()
		}
	}
}

func page(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!doctype html><meta charset="utf-8"><title>%[1]s</title>
<body style="font-family:system-ui,sans-serif;margin:3em auto;max-width:32em;color:#2c3032">
<h1 style="font-size:1.4em;color:#162945">%[1]s</h1><p>%[2]s</p></body>`, html.EscapeString(title), html.EscapeString(text))
}

// pixelGIF is a transparent 1×1 GIF.
var pixelGIF = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// host is the host:port the browser is sent back to.
func (lb *loopback) host() string { return "localhost:" + strconv.Itoa(lb.port) }
