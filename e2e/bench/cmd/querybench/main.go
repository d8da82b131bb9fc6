// Command querybench measures how much memory and time decoding a large SQL API answer takes,
// each decoder in a process of its own, against one server that serves the answer:
//
//	querybench serve -rows 200000 -dir DIR   # prints the API base URL, writes DIR/m2m.json
//	querybench decode -mode query|into|baseline -api URL -creds DIR/m2m.json
//
// serve builds an answer of -rows rows and 8 columns (INT64 as JSON numbers and strings,
// STRING, FLOAT64, TIMESTAMP, GEOGRAPHY) from a seed that changes each run, and serves it as
// the SQL API of a CARTO stand-in (package cartotest) whose M2M login decode uses. decode prints
// one line: the mode, rows, wall time of the query and the process's peak RSS (VmHWM). Modes:
// query is Auth.Query, into is carto.QueryInto into a struct, baseline is the plain way:
// json.NewDecoder(body) with UseNumber into struct{Rows []map[string]any}.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/cartotest"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: querybench serve|decode [flags]")
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2:])
	case "decode":
		decode(os.Args[2:])
	default:
		fail("unknown command " + os.Args[1])
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "querybench:", msg)
	os.Exit(2)
}

// row is the struct QueryInto fills.
type row struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Country    string    `json:"country"`
	Population int64     `json:"population"`
	Lat        float64   `json:"lat"`
	Lon        float64   `json:"lon"`
	Founded    time.Time `json:"founded"`
	Geom       string    `json:"geom"`
}

// answer builds the SQL API answer of n rows from seed.
func answer(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var b bytes.Buffer
	b.WriteString(`{"schema":[{"name":"id","type":"INT64"},{"name":"name","type":"STRING"},{"name":"country","type":"STRING"},` +
		`{"name":"population","type":"INT64"},{"name":"lat","type":"FLOAT64"},{"name":"lon","type":"FLOAT64"},` +
		`{"name":"founded","type":"TIMESTAMP"},{"name":"geom","type":"GEOGRAPHY"}],"rows":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		lat, lon := r.Float64()*180-90, r.Float64()*360-180
		id := fmt.Sprint(int64(1)<<53 + int64(i)) // beyond float64's exact integers
		if i%2 == 0 {
			id = `"` + id + `"` // CARTO may send an INT64 as a string
		}
		fmt.Fprintf(&b, `{"id":%s,"name":"city %d %x","country":"country %d","population":%d,"lat":%.6f,"lon":%.6f,"founded":"%s","geom":"POINT(%.6f %.6f)"}`,
			id, i, r.Uint32(), r.IntN(200), r.IntN(40_000_000), lat, lon,
			time.Unix(r.Int64N(4e9), 0).UTC().Format(time.RFC3339), lon, lat)
	}
	b.WriteString(`],"meta":{"cacheHit":false,"location":"US"}}`)
	return b.Bytes()
}

func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	rows := fs.Int("rows", 200_000, "rows in the answer")
	dir := fs.String("dir", "", "folder for m2m.json")
	fs.Parse(args)
	if *dir == "" {
		fail("serve: -dir is required")
	}
	body := answer(*rows, uint64(time.Now().UnixNano()))
	auth := cartotest.NewServer(cartotest.Config{})
	defer auth.Close()
	if err := auth.WriteCredentialsFile(filepath.Join(*dir, "m2m.json")); err != nil {
		fail(err.Error())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err.Error())
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !auth.ValidAccessToken(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	fmt.Printf("api=http://%s auth=%s bytes=%d\n", ln.Addr(), auth.URL, len(body))
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	select {
	case <-stop:
	case <-time.After(30 * time.Minute):
	}
}

func decode(args []string) {
	fs := flag.NewFlagSet("decode", flag.ExitOnError)
	mode := fs.String("mode", "query", "query, into or baseline")
	api := fs.String("api", "", "the API base URL serve printed")
	authURL := fs.String("auth", "", "the auth server serve printed")
	creds := fs.String("creds", "", "serve's m2m.json")
	fs.Parse(args)
	ctx := context.Background()
	a, err := carto.FromM2M(ctx, *creds, &carto.M2MOptions{APIBaseURL: *api, Common: carto.Common{AuthServer: *authURL, NoCache: true}})
	if err != nil {
		fail(err.Error())
	}
	sql := "SELECT * FROM big"
	start := time.Now()
	var n int
	switch *mode {
	case "query":
		res, err := a.Query(ctx, "carto_dw", sql, nil)
		if err != nil {
			fail(err.Error())
		}
		n = len(res.Rows)
	case "into":
		var rows []row
		if _, err := carto.QueryInto(ctx, a, "carto_dw", sql, &rows, nil); err != nil {
			fail(err.Error())
		}
		n = len(rows)
	case "baseline":
		resp, err := a.HTTPClient().Post(*api+"/v3/sql/carto_dw/query", "application/json", strings.NewReader(`{"q":"`+sql+`"}`))
		if err != nil {
			fail(err.Error())
		}
		dec := json.NewDecoder(resp.Body)
		dec.UseNumber()
		var v struct {
			Rows []map[string]any `json:"rows"`
		}
		if err := dec.Decode(&v); err != nil {
			fail(err.Error())
		}
		resp.Body.Close()
		n = len(v.Rows)
	default:
		fail("unknown mode " + *mode)
	}
	took := time.Since(start)
	fmt.Printf("mode=%s rows=%d ms=%d peak_rss_mb=%.1f\n", *mode, n, took.Milliseconds(), peakRSS())
}

// peakRSS is the process's peak resident set size in MiB (VmHWM), 0 where unknown.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(rest), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
