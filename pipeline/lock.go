package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Lock is bluebook's own lock beside the database file (<db>.lock). It is an advisory
// file lock (flock on Unix), so the kernel releases it when its holder dies, even by
// kill -9: a lock left by a killed process is simply free again. The file's contents say
// who holds it, for the message a second run prints.
type Lock struct {
	f    *os.File
	path string
}

// LockInfo is what the lock file records about its holder.
type LockInfo struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	RunID   string    `json:"run_id"`
	Command string    `json:"command"`
}

// LockedError says which process holds the database.
type LockedError struct {
	Path   string
	Holder LockInfo
}

func (e *LockedError) Error() string {
	if e.Holder.PID == 0 {
		return fmt.Sprintf("%s is held by another bluebook process", e.Path)
	}
	return fmt.Sprintf("%s is held by bluebook PID %d (%s, started %s); wait for it to finish or see `bluebook status`",
		e.Path, e.Holder.PID, e.Holder.Command, e.Holder.Started.Local().Format("2006-01-02 15:04:05"))
}

func (e *LockedError) Unwrap() error { return ErrLocked }

func lockPath(dbPath string) string { return dbPath + ".lock" }

// outLockPath is the lock of a report folder: a hidden file beside it, as the folder
// itself is replaced on every publication.
func outLockPath(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".lock")
}

// AcquireLock takes the lock of the database at dbPath without waiting; when another
// process holds it, it returns a *LockedError naming that process.
func AcquireLock(dbPath string, info LockInfo) (*Lock, error) {
	return acquire(lockPath(dbPath), dbPath, info)
}

// AcquireOutLock takes the lock of the report folder out without waiting, so that two
// runs with different databases never publish into one folder at once; when another
// process holds it, it returns a *LockedError naming that process.
func AcquireOutLock(out string, info LockInfo) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return nil, fmt.Errorf("create folder for %s: %w", out, err)
	}
	return acquire(outLockPath(out), out, info)
}

// acquire takes the lock file at path, which guards what (a database or a report folder).
func acquire(path, what string, info LockInfo) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := tryLock(f); err != nil {
		holder := readLockInfo(path)
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, &LockedError{Path: what, Holder: holder}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	b, _ := json.Marshal(info)
	if err := f.Truncate(0); err == nil {
		f.WriteAt(append(b, '\n'), 0)
		f.Sync()
	}
	return &Lock{f: f, path: path}, nil
}

// Release frees the lock. The file stays, holding the last holder's details.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	unlock(l.f)
	l.f.Close()
	l.f = nil
}

// CheckLock returns a *LockedError when a process holds the database, nil otherwise.
// Read-only commands call it to explain plainly why they cannot open the file.
func CheckLock(dbPath string) error {
	path := lockPath(dbPath)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil // never locked
	}
	defer f.Close()
	if err := tryLock(f); err != nil {
		if errors.Is(err, errWouldBlock) {
			return &LockedError{Path: dbPath, Holder: readLockInfo(path)}
		}
		return nil
	}
	unlock(f)
	return nil
}

func readLockInfo(path string) LockInfo {
	var info LockInfo
	b, err := os.ReadFile(path)
	if err == nil {
		json.Unmarshal([]byte(strings.TrimSpace(string(b))), &info)
	}
	return info
}
