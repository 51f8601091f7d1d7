package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killTrial is one process of a crash test: a command, the event after which it gets a
// signal, a further random delay, and the signal.
type killTrial struct {
	name   string
	args   []string
	event  int // the signal goes after this many of the run's own events (hook points and log lines)
	delay  time.Duration
	signal syscall.Signal
}

// startAndSignal runs tr in a child process and signals it after tr.event events plus
// tr.delay. It reports whether the signal was sent before the process ended by itself, and
// the process's exit.
func startAndSignal(t *testing.T, tr killTrial) (signalled bool, exit error, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], tr.args...)
	cmd.Env = append(os.Environ(), "BLUEBOOK_TEST_SUBPROCESS=1", "BLUEBOOK_TEST_EVENTS=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderrPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Events come from both streams: hook points on stdout, log lines on stderr.
	events := make(chan string, 1024)
	var errText strings.Builder
	done := make(chan struct{}, 2)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "EVENT ") {
				events <- sc.Text()
			}
		}
		done <- struct{}{}
	}()
	go func() {
		sc := bufio.NewScanner(stderrPipe)
		for sc.Scan() {
			errText.WriteString(sc.Text() + "\n")
			events <- "LOG " + sc.Text()
		}
		done <- struct{}{}
	}()
	ended := make(chan struct{})
	go func() { <-done; <-done; close(ended) }()
	seen := 0
	deadline := time.After(5 * time.Minute) // a safety net for a hung child, not a speed bound
wait:
	for seen < tr.event {
		select {
		case <-events:
			seen++
		case <-ended:
			break wait
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("%s: no event for 5 minutes", tr.name)
		}
	}
	if seen >= tr.event {
		time.Sleep(tr.delay)
		signalled = cmd.Process.Signal(tr.signal) == nil
	}
	go func() {
		for range events {
		}
	}()
	<-ended
	exit = cmd.Wait()
	close(events)
	if exit == nil {
		signalled = false // it finished before the signal took effect
	}
	return signalled, exit, errText.String()
}

// TestKillAnywhere kills real bluebook processes with SIGKILL, SIGTERM and SIGINT at many
// points of first runs on a new database, later runs, --force runs, build and publish:
// after each, the next run opens the database and completes, the ledger says what
// happened, and a report published before the kill is intact. The points are the run's
// own events (hook points and log lines) counted from the start, plus a random delay, so
// they do not depend on the machine's speed.
func TestKillAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("kills dozens of runs; skipped with -short")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := bluebook(t, "generate", "--out", data, "--scale", "800"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	plainRun := func(db, site string) []string {
		return []string{"run", "--data", data, "--db", db, "--out", site, "--as-of", "2026-10-31", "--quiet"}
	}
	runArgs := func(db, site string, extra ...string) []string {
		return append([]string{"run", "--data", data, "--db", db, "--out", site, "--as-of", "2026-10-31", "--log-format", "json"}, extra...)
	}

	// How many events a whole run has, to spread the kills over all of it.
	calDB := filepath.Join(dir, "cal", "bb.duckdb")
	os.MkdirAll(filepath.Dir(calDB), 0o755)
	_, exit, errs := startAndSignal(t, killTrial{name: "calibration", args: runArgs(calDB, filepath.Join(dir, "cal", "site")), event: 1 << 30})
	if exit != nil {
		t.Fatalf("calibration run: %v\n%s", exit, errs)
	}
	total := countEvents(t, runArgs(filepath.Join(dir, "cal", "bb2.duckdb"), filepath.Join(dir, "cal", "site2")))
	if total < 10 {
		t.Fatalf("a run has only %d events", total)
	}
	t.Logf("a first run has %d events", total)

	signals := []syscall.Signal{syscall.SIGKILL, syscall.SIGKILL, syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT}
	pick := func(n int) (int, time.Duration, syscall.Signal) {
		return rng.IntN(n + 1), time.Duration(rng.IntN(40)) * time.Millisecond, signals[rng.IntN(len(signals))]
	}
	trials, signalled, recovered := 0, 0, 0
	check := func(t *testing.T, tr killTrial, db, site, goodRun, killedBefore string, sent bool, exit error, stderr string) {
		t.Helper()
		trials++
		if sent {
			signalled++
		}
		// A report published before the kill is intact at every instant.
		if goodRun != "" {
			index, err := os.ReadFile(filepath.Join(site, "index.html"))
			if err != nil {
				t.Fatalf("%s: report gone after the signal: %v", tr.name, err)
			}
			if !strings.Contains(string(index), "</html>") {
				t.Errorf("%s: the report's index.html is not whole", tr.name)
			}
		}
		// SIGTERM and SIGINT: the run recorded itself as interrupted before it exited.
		if sent && tr.signal != syscall.SIGKILL && strings.Contains(stderr, "bluebook: run failed") {
			t.Errorf("%s: a stopped run reports a failure: %s", tr.name, stderr)
		}
		// The next run opens the database and completes.
		code, _, errs := bluebook(t, plainRun(db, site)...)
		if code != 0 {
			t.Fatalf("%s (event %d, delay %v, %v): the next run: exit %d: %s\nkilled run's stderr:\n%s", tr.name, tr.event, tr.delay, tr.signal, code, errs, stderr)
		}
		recovered++
		if _, err := os.Stat(filepath.Join(site, "index.html")); err != nil {
			t.Fatalf("%s: no report after the next run: %v", tr.name, err)
		}
		if got := queryCSV(t, db, "SELECT count(*) FROM runs WHERE status = 'running'"); got[0][0] != "0" {
			t.Errorf("%s: runs left as running: %s", tr.name, got[0][0])
		}
		if sent && tr.signal != syscall.SIGKILL {
			if got := queryCSV(t, db, "SELECT count(*) FROM runs WHERE status = 'killed'"); got[0][0] != killedBefore {
				t.Errorf("%s: a run stopped by %v is recorded as killed, not interrupted", tr.name, tr.signal)
			}
		}
		if stale, _ := filepath.Glob(filepath.Join(filepath.Dir(site), ".site.new-*")); len(stale) > 0 {
			t.Errorf("%s: staging folders remain: %v", tr.name, stale)
		}
	}

	// 1. First runs on a new database.
	for i := range 14 {
		ev, delay, sig := pick(total)
		tdir := filepath.Join(dir, fmt.Sprintf("first%02d", i))
		os.MkdirAll(tdir, 0o755)
		db, site := filepath.Join(tdir, "bb.duckdb"), filepath.Join(tdir, "site")
		tr := killTrial{name: fmt.Sprintf("first run %d", i), args: runArgs(db, site), event: ev, delay: delay, signal: sig}
		sent, exit, stderr := startAndSignal(t, tr)
		check(t, tr, db, site, "", "0", sent, exit, stderr)
	}

	// 2. Later runs (--force rebuilds everything) on a database with a good run.
	ldir := filepath.Join(dir, "later")
	os.MkdirAll(ldir, 0o755)
	db, site := filepath.Join(ldir, "bb.duckdb"), filepath.Join(ldir, "site")
	if code, _, errs := bluebook(t, plainRun(db, site)...); code != 0 {
		t.Fatalf("first good run: %s", errs)
	}
	if code, _, errs := bluebook(t, "publish", "--year", "2025", "--db", db); code != 0 {
		t.Fatalf("first publish: %s", errs)
	}
	for i := range 12 {
		ev, delay, sig := pick(total)
		tr := killTrial{name: fmt.Sprintf("later run %d", i), args: runArgs(db, site, "--force"), event: ev, delay: delay, signal: sig}
		good := lastRunID(t, db, "success")
		killed := queryCSV(t, db, "SELECT count(*) FROM runs WHERE status = 'killed'")[0][0]
		sent, exit, stderr := startAndSignal(t, tr)
		check(t, tr, db, site, good, killed, sent, exit, stderr)
	}

	// 3. build and publish on that database.
	for i := range 6 {
		_, delay, sig := pick(0)
		var tr killTrial
		if i%2 == 0 {
			tr = killTrial{name: fmt.Sprintf("build %d", i), args: []string{"build", "--db", db, "--year", "2025", "--as-of", "2026-10-31", "--log-format", "json"}, event: rng.IntN(8), delay: delay, signal: sig}
		} else {
			tr = killTrial{name: fmt.Sprintf("publish %d", i), args: []string{"publish", "--year", "2025", "--db", db, "--revision", "--log-format", "json"}, event: rng.IntN(3), delay: delay * 3, signal: sig}
		}
		good := lastRunID(t, db, "success")
		killed := queryCSV(t, db, "SELECT count(*) FROM runs WHERE status = 'killed'")[0][0]
		sent, exit, stderr := startAndSignal(t, tr)
		check(t, tr, db, site, good, killed, sent, exit, stderr)
	}
	t.Logf("kill trials: %d, signal sent before the process ended: %d, recovered: %d", trials, signalled, recovered)
	if trials < 30 {
		t.Errorf("only %d trials", trials)
	}
}

// countEvents runs args once in a child and counts its events.
func countEvents(t *testing.T, args []string) int {
	t.Helper()
	os.MkdirAll(filepath.Dir(args[4]), 0o755)
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "BLUEBOOK_TEST_SUBPROCESS=1", "BLUEBOOK_TEST_EVENTS=1")
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("count events: %v\n%s", err, errb.String())
	}
	return strings.Count(out.String(), "EVENT ") + strings.Count(errb.String(), "\n")
}
