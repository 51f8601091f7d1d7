package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
)

// progressBar draws one line of progress on a terminal, at most ten times a second. It is
// nil (and draws nothing) when stderr is not a terminal, so cron logs stay clean.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	last  time.Time
	label string
	drawn bool
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	if !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return nil
	}
	return &progressBar{w: w}
}

// update shows done of total for label.
func (p *progressBar) update(label string, done, total int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if label == p.label && time.Since(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.label, p.last, p.drawn = label, time.Now(), true
	const width = 30
	frac := 0.0
	if total > 0 {
		frac = min(float64(done)/float64(total), 1)
	}
	n := int(frac * width)
	fmt.Fprintf(p.w, "\r\033[K%-22s [%s%s] %3.0f%%", label, strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100)
}

// done clears the bar's line.
func (p *progressBar) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}
