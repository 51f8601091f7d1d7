package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"sync"
	"time"
)

// Session keeps the database open (and locked) for `bluebook serve`, so that an edit to
// one query rebuilds that model and its descendants only, then re-renders the report.
type Session struct {
	cfg  Config
	db   *sql.DB
	lock *Lock
	out  *Lock // the report folder's lock
	mu   sync.Mutex
	proj *Project // the last project that built, to tell which models changed
}

// OpenSession locks and opens the database and, when it holds no built report yet, runs
// every stage once.
func OpenSession(ctx context.Context, cfg Config) (*Session, error) {
	s, err := openSession(ctx, cfg)
	AttachSource(cfg, err)
	return s, err
}

// openSession is OpenSession before the source lines of its errors are attached (AttachSource).
func openSession(ctx context.Context, cfg Config) (*Session, error) {
	if err := cfg.validate(true); err != nil {
		return nil, err
	}
	lock, err := AcquireLock(cfg.DBPath, LockInfo{PID: os.Getpid(), Started: time.Now(), Command: "serve"})
	if err != nil {
		return nil, err
	}
	out, err := AcquireOutLock(absPath(cfg.OutDir), LockInfo{PID: os.Getpid(), Started: time.Now(), Command: "serve"})
	if err != nil {
		lock.Release()
		return nil, err
	}
	db, err := openDB(ctx, cfg.DBPath, cfg, false)
	if err != nil {
		out.Release()
		lock.Release()
		return nil, err
	}
	cfg.Preview = true
	s := &Session{cfg: cfg, db: db, lock: lock, out: out}
	if err := ensureLedger(ctx, db); err != nil {
		s.Close()
		return nil, err
	}
	res := &Result{RunID: newRunID(time.Now())}
	if err := runStages(ctx, db, cfg, res); err != nil && !isCheckFailure(err) {
		// The server still starts: the page shows the error until an edit fixes it.
		return s, err
	}
	s.proj, _ = LoadProject(cfg.Queries, cfg.QueriesDir)
	return s, nil
}

func isCheckFailure(err error) bool { return errors.Is(err, ErrCheckFailed) }

// Close releases the database and its lock.
func (s *Session) Close() {
	if s.db != nil {
		s.db.Close()
	}
	s.out.Release()
	s.lock.Release()
}

// Rebuild reloads the queries and templates from disk, rebuilds the models whose SQL
// changed since the last good build (with their descendants), runs the checks and renders
// the report. On error the last good report stays and the error is returned.
func (s *Session) Rebuild(ctx context.Context) (RebuildResult, error) {
	rr, err := s.rebuild(ctx)
	AttachSource(s.cfg, err)
	return rr, err
}

// rebuild is Rebuild before the source lines of its errors are attached (AttachSource).
func (s *Session) rebuild(ctx context.Context) (RebuildResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	var rr RebuildResult
	if err := sandbox(ctx, s.db, s.cfg); err != nil { // idempotent; checks the chapters as edited
		return rr, err
	}
	proj, err := prepareModels(ctx, s.db, s.cfg)
	if err != nil {
		return rr, err
	}
	var spec []string
	for _, m := range proj.Models {
		old := (*Model)(nil)
		if s.proj != nil {
			old = s.proj.Model(m.Name)
		}
		if old == nil || old.SQL != m.SQL || old.Materialize != m.Materialize {
			spec = append(spec, m.Name+"+")
		}
	}
	if s.proj != nil {
		for _, seed := range proj.Seeds {
			if prev := findSeed(s.proj, seed.Name); prev == nil || string(prev.Data) != string(seed.Data) {
				for _, m := range proj.Models {
					for _, d := range m.Deps {
						if d == seed.Name {
							spec = append(spec, m.Name+"+")
						}
					}
				}
			}
		}
	}
	if len(spec) > 0 {
		models, err := proj.Select(joinSpec(spec))
		if err != nil {
			return rr, err
		}
		runs, err := buildModels(ctx, s.db, models, nil)
		if err != nil {
			return rr, err
		}
		for _, r := range runs {
			rr.Models = append(rr.Models, r.Name)
		}
		if _, err := runChecks(ctx, s.db, proj, "serve-"+time.Now().Format("20060102-150405"), nil); err != nil {
			return rr, err
		}
	}
	res := &Result{RunID: "serve-" + time.Now().Format("20060102-150405")}
	if err := render(ctx, s.db, s.cfg, proj, res); err != nil {
		return rr, err
	}
	s.proj = proj
	rr.Duration = time.Since(start)
	return rr, nil
}

// RebuildResult says what a rebuild did.
type RebuildResult struct {
	Models   []string
	Duration time.Duration
}

func findSeed(p *Project, name string) *Seed {
	for _, s := range p.Seeds {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func joinSpec(xs []string) string { return strings.Join(xs, " ") }
