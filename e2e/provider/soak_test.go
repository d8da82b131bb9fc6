package provider

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/e2e/testenv"
	"github.com/carto-go/carto-auth/internal/cache"
)

// The soak: workers (separate processes) share one token cache and call AccessToken in a loop
// against the real provider through a fault proxy (5xx answers, dropped connections, slow
// answers), with 4-second tokens (a refresh every two seconds), while workers are SIGKILLed at
// random moments, one kill in four while its lock record says it is renewing. Its duration is
// $SOAK (default 40s; `make soak` uses SOAK=10m unless given).
//
// A kill after a refresh request left but before its answer was saved loses the rotated
// refresh token: the next refresh presents the spent one, and the provider revokes the grant.
// No client can prevent that. Such a loss must follow a kill of a renewing worker; every worker
// must then say "log in again" within its bound, and the soak logs in again and goes on. Any
// other reuse the provider sees fails the soak.

const (
	soakWorkers = 6
	soakBound   = 45 * time.Second // the longest one AccessToken call may take
)

type soakCall struct {
	At     int64  `json:"at"`
	Millis int64  `json:"ms"`
	OK     bool   `json:"ok"`
	Valid  bool   `json:"valid"`
	LogIn  bool   `json:"login"`
	Err    string `json:"err"`
	API    int    `json:"api"`
	// Checked is when the API answered about the token (Unix milliseconds).
	Checked int64 `json:"checked"`
	Expiry  int64 `json:"expiry"`
	worker  int
}

type soakWorker struct {
	id   int
	cmd  *exec.Cmd
	done chan struct{}
}

type kill struct {
	at       time.Time
	renewing bool // the lock record named this worker, renewing
}

type soak struct {
	t      *testing.T
	e      env
	p      *Provider
	proxy  *FaultProxy
	person *Person
	logs   string // the artifacts folder

	mu      sync.Mutex
	calls   []soakCall
	workers map[int]*soakWorker // by pid
	nextID  int

	kills     []kill
	pending   []kill // renewing kills not yet followed by a refresh that proves no loss
	losses    []kill // the kills the provider's reuse detections were attributed to
	windows   [][2]int64
	reuse     int // reuse detections seen
	stray     int // reuse detections no kill explains
	relogins  int
	maxLogInS time.Duration // longest time for every worker to say "log in again"
}

func soakDuration(t *testing.T) time.Duration {
	v := os.Getenv("SOAK")
	if v == "" {
		return 40 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 10*time.Second {
		t.Fatalf("SOAK=%q: give a duration of at least 10s, e.g. SOAK=10m", v)
	}
	return d
}

func TestSoak(t *testing.T) {
	d := soakDuration(t)
	port := testenv.FreePortT(t)
	proxy, err := StartFaultProxy(fmt.Sprintf("http://127.0.0.1:%d", port), DefaultFaultRates)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	p := Start(t, Options{Port: port, AccessTTL: 4 * time.Second, RedirectURIs: []string{proxy.URL + "/auth/token"}})
	e := newEnv(t, p)
	e.server = proxy.URL
	t.Setenv("CARTO_AUTH_SERVER", proxy.URL)
	s := &soak{t: t, e: e, p: p, proxy: proxy, person: NewPerson("ana@example.com"),
		logs: testenv.Artifacts(t), workers: map[int]*soakWorker{}}
	s.login(false)
	proxy.Enable(true)
	for range soakWorkers {
		s.spawn()
	}
	t.Cleanup(s.stopAll)

	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		s.watch(time.Duration(500+rand.IntN(2000)) * time.Millisecond)
		if rand.IntN(4) == 0 {
			s.killRenewing(3 * time.Second)
		} else {
			s.killAny()
		}
		s.spawn()
	}
	s.watch(time.Second)
	proxy.Enable(false)
	s.finish()
}

// login logs the person in through the proxy with the faults off (ForceLogin after a loss:
// the cached access token may look valid while the provider revoked it).
func (s *soak) login(force bool) {
	s.t.Helper()
	s.proxy.Enable(false)
	copyCodeLogin(s.t, s.person, &carto.OAuthOptions{ForceLogin: force})
}

// spawn starts a worker.
func (s *soak) spawn() {
	s.t.Helper()
	cmd := exec.Command(bin(s.t, "soakworker"), "-api", s.p.APIBaseURL(), "-bound", soakBound.String())
	cmd.Env = s.e.vars()
	out, err := cmd.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	s.mu.Unlock()
	stderr, err := os.Create(filepath.Join(s.logs, fmt.Sprintf("worker-%03d.stderr", id)))
	if err != nil {
		s.t.Fatal(err)
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	w := &soakWorker{id: id, cmd: cmd, done: make(chan struct{})}
	s.mu.Lock()
	s.workers[cmd.Process.Pid] = w
	s.mu.Unlock()
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var c soakCall
			if json.Unmarshal(sc.Bytes(), &c) == nil {
				c.worker = id
				s.mu.Lock()
				s.calls = append(s.calls, c)
				s.mu.Unlock()
			}
		}
		cmd.Wait()
		stderr.Close()
		close(w.done)
	}()
}

// lockRecord reads the cache's lock record: the pid holding it and whether it is renewing.
func (s *soak) lockRecord() (pid int, renewing bool) {
	locks, _ := filepath.Glob(filepath.Join(s.e.cache, "gonbauth-oauth-*.lock"))
	if len(locks) != 1 {
		return 0, false
	}
	b, err := os.ReadFile(locks[0])
	if err != nil || len(b) < 12 {
		return 0, false
	}
	pid, _ = strconv.Atoi(strings.TrimSpace(string(b[:10])))
	return pid, b[11] == 'r'
}

// killRenewing waits up to d for a worker to hold the lock renewing, and kills it then;
// otherwise it kills any worker.
func (s *soak) killRenewing(d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(2 * time.Millisecond) {
		if pid, renewing := s.lockRecord(); renewing && s.worker(pid) != nil {
			s.kill(pid)
			return
		}
	}
	s.killAny()
}

func (s *soak) killAny() {
	s.mu.Lock()
	pids := make([]int, 0, len(s.workers))
	for pid := range s.workers {
		pids = append(pids, pid)
	}
	s.mu.Unlock()
	if len(pids) > 0 {
		s.kill(pids[rand.IntN(len(pids))])
	}
}

func (s *soak) worker(pid int) *soakWorker {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.workers[pid]
}

// kill SIGKILLs a worker, noting whether the lock record said it was renewing right then.
func (s *soak) kill(pid int) {
	w := s.worker(pid)
	if w == nil {
		return
	}
	holder, renewing := s.lockRecord()
	w.cmd.Process.Signal(syscall.SIGKILL)
	k := kill{at: time.Now(), renewing: renewing && holder == pid}
	<-w.done
	s.mu.Lock()
	delete(s.workers, pid)
	s.mu.Unlock()
	s.kills = append(s.kills, k)
	if k.renewing {
		s.pending = append(s.pending, k)
	}
}

// watch polls the provider for d: a refresh that succeeds a while after a renewing kill shows
// that kill lost nothing; a reuse detection is a loss, handled at once.
func (s *soak) watch(d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
		s.poll()
	}
}

// poll looks at the provider once: a reuse it detected is a loss, handled at once; with one
// live grant, kills older than 10 s lost nothing.
func (s *soak) poll() {
	st := s.p.State(s.t)
	if st.Reuse > s.reuse {
		first := time.UnixMilli(st.ReuseTimes[s.reuse])
		n := st.Reuse - s.reuse
		s.reuse = st.Reuse
		s.loss(first, n)
		return
	}
	if len(st.AliveGrants("ana@example.com")) == 1 {
		s.pending = slices.DeleteFunc(s.pending, func(k kill) bool { return time.Since(k.at) > 10*time.Second })
	}
}

// loss handles n reuses the provider detected, the first at the given time: each is
// attributed to the oldest renewing kill pending; every worker must then say "log in again"
// within soakBound; then the soak logs in again.
func (s *soak) loss(at time.Time, n int) {
	failedBefore := refreshErrors(s.p.State(s.t))
	for range n {
		if len(s.pending) == 0 {
			s.stray++
			s.t.Errorf("the provider detected a refresh token reuse at %s that no kill of a renewing worker explains (kills: %d)", at.Format(time.TimeOnly), len(s.kills))
			continue
		}
		s.losses = append(s.losses, s.pending[0])
		s.pending = s.pending[1:]
	}
	// Every live worker must report a "log in again" after the loss, within the bound.
	for {
		missing := s.workersNotSayingLogIn(at.UnixMilli())
		if len(missing) == 0 {
			break
		}
		if time.Since(at) > soakBound {
			s.t.Fatalf("after a lost rotation, workers %v did not say \"log in again\" within %v", missing, soakBound)
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.maxLogInS = max(s.maxLogInS, time.Since(at))
	// No loop: the refused refresh token is forgotten, so the provider sees it a few times at
	// most, not once per call.
	if n := refreshErrors(s.p.State(s.t)) - failedBefore; n > soakWorkers {
		s.t.Errorf("after a lost rotation the provider saw %d failed refreshes before every worker said \"log in again\"", n)
	}
	s.login(true)
	s.relogins++
	// Tokens of the revoked grant are handed out from then until each worker's renewal finds the
	// new login: at most a token lifetime after it was made.
	s.windows = append(s.windows, [2]int64{at.UnixMilli(), time.Now().Add(s.p.AccessTTL).UnixMilli()})
	s.proxy.Enable(true)
}

// refreshErrors counts the refresh_token grants the provider refused.
func refreshErrors(st State) int {
	n := 0
	for k, v := range st.GrantErrors {
		if strings.HasPrefix(k, "refresh_token:") {
			n += v
		}
	}
	return n
}

func (s *soak) workersNotSayingLogIn(since int64) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	said := map[int]bool{}
	for _, c := range s.calls {
		if c.At >= since && c.LogIn {
			said[c.worker] = true
		}
	}
	var missing []int
	for _, w := range s.workers {
		if !said[w.id] {
			missing = append(missing, w.id)
		}
	}
	return missing
}

// stopAll SIGKILLs every worker. One that was renewing then is a renewing kill like any other
// (its rotation may be lost, and the provider then detects a reuse at the next refresh): the
// lock record, which a killed holder leaves as it was, names it.
func (s *soak) stopAll() {
	s.mu.Lock()
	ws := make([]*soakWorker, 0, len(s.workers))
	for _, w := range s.workers {
		ws = append(ws, w)
	}
	s.workers = map[int]*soakWorker{}
	s.mu.Unlock()
	killed := map[int]bool{}
	for _, w := range ws {
		w.cmd.Process.Signal(syscall.SIGKILL)
		<-w.done
		killed[w.cmd.Process.Pid] = true
	}
	if holder, renewing := s.lockRecord(); renewing && killed[holder] {
		k := kill{at: time.Now(), renewing: true}
		s.kills = append(s.kills, k)
		s.pending = append(s.pending, k)
	}
}

// inLossWindow reports whether a token was checked while a lost login was being noticed and
// made again (its tokens may be revoked ones).
func (s *soak) inLossWindow(at int64) bool {
	for _, w := range s.windows {
		if at >= w[0] && at <= w[1] {
			return true
		}
	}
	return false
}

var tmpFile = regexp.MustCompile(`^\.gonbauth-oauth-[0-9a-f]+\.json\.[0-9]+\.tmp$`)

// finish stops the workers and checks the end state and every call.
func (s *soak) finish() {
	t := s.t
	s.stopAll()
	// The cache: only this login's files, whole, 0600.
	entries, err := os.ReadDir(s.e.cache)
	if err != nil {
		t.Fatal(err)
	}
	temps := 0
	for _, de := range entries {
		name, path := de.Name(), filepath.Join(s.e.cache, de.Name())
		fi, _ := os.Lstat(path)
		switch {
		case tmpFile.MatchString(name): // a writer killed mid-write: readers never look at it
			temps++
		case strings.HasSuffix(name, ".lock") && strings.HasPrefix(name, "gonbauth-oauth-"):
		case strings.HasSuffix(name, ".json") && strings.HasPrefix(name, "gonbauth-oauth-"):
			if c, err := cache.ReadEntry(path); err != nil || c.AccessToken == "" {
				t.Errorf("cache file %s is torn or empty", name)
			}
		default:
			t.Errorf("a foreign file in the cache folder: %s", name)
		}
		if fi != nil && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %o, want 0600", name, fi.Mode().Perm())
		}
	}
	// The login is alive: a new process gets a valid token with no fault in the way. Two
	// refusals are not the client's fault, and are asked about once more: a reuse the provider
	// detected after the last poll (a worker killed while renewing just before the stop: a
	// loss, handled as any other, with a new login), and a token that expired between its
	// printing and the check (tokens live 4 s here, and are printed up to a second before
	// their end). A token the API refuses twice is an error.
	for attempt := 1; ; attempt++ {
		s.poll()
		r := s.e.run(t, "token")
		if r.code != 0 {
			t.Errorf("after the soak, cartoauth token: exit %d: %s", r.code, r.stderr)
			break
		}
		_, err := s.p.Whoami(strings.TrimSpace(r.stdout))
		if err == nil {
			break
		}
		if attempt == 2 {
			t.Errorf("after the soak, the API refused the token cartoauth token printed, twice: %v", err)
			break
		}
		t.Logf("after the soak, the API refused the token cartoauth token printed (%v); asking once more", err)
	}
	st := s.p.State(t)
	if alive := st.AliveGrants("ana@example.com"); len(alive) != 1 {
		t.Errorf("live grants at the end: %+v, want one", st.Grants)
	}

	var n, ok, invalid, invalidInLoss, logIn, otherErr int
	var worst time.Duration
	var waits []int64
	errs := map[string]int{}
	for _, c := range s.calls {
		n++
		wait := time.Duration(c.Millis) * time.Millisecond
		worst = max(worst, wait)
		waits = append(waits, c.Millis)
		switch {
		case c.OK && c.Valid:
			ok++
		case c.OK && s.inLossWindow(max(c.At, c.Checked)): // revoked by a loss before the API saw it
			invalidInLoss++
		case c.OK:
			invalid++
			if invalid <= 5 {
				t.Logf("worker %d at %s got a token the API answered %d to; gonbauth said it expires %+dms later",
					c.worker, time.UnixMilli(c.At).Format("15:04:05.000"), c.API, c.Expiry-c.At)
			}
		case c.LogIn:
			logIn++
			errs[errClass(c.Err)]++
		default:
			otherErr++
			errs[errClass(c.Err)]++
		}
		if strings.Contains(c.Err, "context deadline exceeded") && wait >= soakBound-time.Second {
			t.Errorf("a call hit the soak's own bound (%v): %s", soakBound, c.Err)
		}
	}
	slices.Sort(waits)
	p99 := time.Duration(0)
	if len(waits) > 0 {
		p99 = time.Duration(waits[len(waits)*99/100]) * time.Millisecond
	}
	renewingKills := 0
	for _, k := range s.kills {
		if k.renewing {
			renewingKills++
		}
	}
	t.Logf("soak figures: %d calls (%d valid tokens, %d clear errors asking to log in again, %d other clear errors, %d tokens refused by the API outside a loss, %d inside one); "+
		"%d refreshes at the provider; %d kills (%d while renewing); faults %v; %d lost rotations (each after a renewing kill), %d stray reuse detections; %d logins made again; "+
		"every worker said \"log in again\" within %v of a loss; worst wait %v, p99 %v; %d temporary files left by killed writers",
		n, ok, logIn, otherErr, invalid, invalidInLoss, st.Refreshes(), len(s.kills), renewingKills, s.proxy.Counts(),
		len(s.losses), s.stray, s.relogins, s.maxLogInS.Round(time.Millisecond), worst.Round(time.Millisecond), p99.Round(time.Millisecond), temps)
	t.Logf("errors by kind: %v", errs)
	if invalid > 0 {
		t.Errorf("%d calls returned a token the API refused, outside any loss", invalid)
	}
	if worst > soakBound {
		t.Errorf("the worst call took %v, over the bound %v", worst, soakBound)
	}
	if ok == 0 || n < 10*soakWorkers {
		t.Errorf("too few calls (%d, %d valid) to say anything", n, ok)
	}
}

var digits = regexp.MustCompile(`[0-9]+(\.[0-9]+)?(ms|s|m)?`)

// errClass shortens an error message to its kind (numbers dropped), for the tally.
func errClass(msg string) string {
	msg = digits.ReplaceAllString(msg, "N")
	if len(msg) > 140 {
		msg = msg[:140] + "…"
	}
	return msg
}
