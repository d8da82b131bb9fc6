//go:build !nosandbox

package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/internal/maplibs"
)

const sandboxAbout = `
Serves a local stand-in for CARTO and its Auth0 tenant (package cartotest) with a login page,
the accounts/config discovery, the CARTO Data Warehouse token endpoint, a tiny SQL API, and a
BigQuery v2 stand-in under /bigquery/v2/ that accepts only the sandbox's DW tokens.

Log in on its page as ` + cartotest.TestUser + ` / ` + cartotest.TestPassword + ` (shown on the page).

It prints, on stdout, comment lines and the line to point gonbauth, notebooks and
cartoauth at it:

  export CARTO_AUTH_SERVER=http://127.0.0.1:8765

With --map-libs DIR (or $CARTOAUTH_MAP_LIBS) it also serves the map libraries that npm ci
installed into DIR (cartomap/js/node_modules) at /cartomap-libs/, and prints the line that
points cartomap at them (CARTOMAP_LIBRARY_URL).

It stops cleanly on Ctrl-C (SIGINT) or SIGTERM. It binds loopback addresses only, unless
--allow-remote: anyone who reaches it can log in with the test user.`

// sandboxFlags are the sandbox's settings.
type sandboxFlags struct {
	addr, credentials, publicURL string
	mapLibs                      string
	allowRemote, verbose         bool
	tokenLifetime                positiveDuration
}

// runSandbox is "cartoauth sandbox".
func runSandbox(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("sandbox", "cartoauth sandbox [--addr HOST:PORT] [--credentials FILE] [--url URL] [--allow-remote] [--token-lifetime D] [--map-libs DIR] [--verbose]", sandboxAbout)
	var f sandboxFlags
	f.tokenLifetime.d = 24 * time.Hour
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8765", "listen on `HOST:PORT` (port 0 picks a free port)")
	fs.StringVar(&f.credentials, "credentials", "", "write a ready M2M credentials `FILE` (0600) for this sandbox")
	fs.StringVar(&f.publicURL, "url", "", "base `URL` clients use, when it differs from the listen address (port mappings, Docker)")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow a non-loopback --addr such as 0.0.0.0:8765 (in a container)")
	fs.Var(&f.tokenLifetime, "token-lifetime", "lifetime of the access tokens it issues (short ones show refreshing)")
	fs.StringVar(&f.mapLibs, "map-libs", os.Getenv("CARTOAUTH_MAP_LIBS"), "serve the map libraries npm ci installed in `DIR` (cartomap/js/node_modules) at /cartomap-libs/")
	fs.BoolVar(&f.verbose, "verbose", false, "log one line per request on stderr (never tokens, codes or query strings)")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	base, err := f.check()
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", f.addr)
	if err != nil {
		return failure(fmt.Errorf("sandbox: %w", err), "choose another port with --addr 127.0.0.1:PORT (port 0 picks a free one)")
	}
	cfg := cartotest.Config{LoginPage: true, TokenLifetime: f.tokenLifetime.d}
	if f.verbose {
		cfg.Logf = func(format string, args ...any) { fmt.Fprintf(e.stderr, "sandbox: "+format+"\n", args...) }
	}
	srv := cartotest.NewUnstartedServer(cfg)
	srv.URL = base
	if srv.URL == "" {
		srv.URL = "http://" + loopbackHostPort(l.Addr())
	}
	bq := cartotest.NewBigQuery(srv.ValidDWToken)
	srv.Mount(cartotest.BigQueryPathPrefix, http.StripPrefix(cartotest.BigQueryPathPrefix, bq.Handler()))
	if f.mapLibs != "" {
		srv.Mount(mapLibsPrefix, http.StripPrefix(mapLibsPrefix+"/", maplibs.Handler(f.mapLibs)))
	}
	if f.credentials != "" {
		if err := srv.WriteCredentialsFile(f.credentials); err != nil {
			l.Close()
			return failure(fmt.Errorf("sandbox: %w", err), "give --credentials a path in a writable folder")
		}
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	writeSandboxBanner(e, srv.URL, f.credentials, f.mapLibs != "")
	select {
	case err := <-served:
		return failure(fmt.Errorf("sandbox stopped: %w", err), "check the address and start it again")
	case <-ctx.Done():
	}
	srv.Close()
	l.Close() // in case Close ran before Serve got going
	select {
	case <-served:
	case <-time.After(5 * time.Second):
	}
	fmt.Fprintln(e.stderr, "sandbox: stopped")
	return nil
}

// mapLibsPrefix is where the sandbox serves the map libraries (--map-libs).
const mapLibsPrefix = "/cartomap-libs"

// check validates the flags and returns the base URL to advertise ("" means derive it from
// the listener).
func (f *sandboxFlags) check() (string, error) {
	host, port, err := net.SplitHostPort(f.addr)
	if err != nil {
		return "", usageErrorf("sandbox: bad --addr %q: %v", f.addr, err).with("use HOST:PORT, e.g. 127.0.0.1:8765")
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", usageErrorf("sandbox: bad port in --addr %q", f.addr).with("use a port from 0 to 65535, e.g. 127.0.0.1:8765")
	}
	if !isLoopbackHost(host) && !f.allowRemote {
		return "", usageErrorf("sandbox: %q is not a loopback address, and anyone who reaches the sandbox can log in", f.addr).
			with("use 127.0.0.1:PORT, or add --allow-remote (in a container, with --url http://localhost:PORT)")
	}
	if f.publicURL != "" {
		u, err := url.Parse(f.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return "", usageErrorf("sandbox: bad --url %q", f.publicURL).with("use a base URL such as http://localhost:8765")
		}
		return u.Scheme + "://" + u.Host, nil
	}
	return "", nil
}

// isLoopbackHost reports whether host names this machine only.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackHostPort renders a listener address for a URL; an unspecified IP (0.0.0.0, ::)
// becomes 127.0.0.1, since the library accepts http:// only on loopback hosts.
func loopbackHostPort(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}

// writeSandboxBanner prints the sandbox's details as shell lines: comments, then the export.
func writeSandboxBanner(e *env, base, credentials string, mapLibs bool) {
	fmt.Fprintf(e.stdout, "# CARTO sandbox at %s (Ctrl-C to stop)\n", base)
	fmt.Fprintf(e.stdout, "# log in as: %s  password: %s\n", cartotest.TestUser, cartotest.TestPassword)
	fmt.Fprintf(e.stdout, "# BigQuery stand-in: %s%s/\n", base, cartotest.BigQueryPathPrefix)
	if credentials != "" {
		fmt.Fprintf(e.stdout, "# M2M credentials: export CARTO_CREDENTIALS_FILE=%s\n", credentials)
	}
	if mapLibs {
		fmt.Fprintf(e.stdout, "export %s=%s%s/\n", maplibs.EnvLibraryURL, base, mapLibsPrefix)
	}
	fmt.Fprintf(e.stdout, "export CARTO_AUTH_SERVER=%s\n", base)
}
