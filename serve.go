package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"bluebook/data/demo"
	"bluebook/pipeline"
)

// liveScript is injected into every page the server sends (never into the files on disk):
// it listens for rebuilds and shows a build error over the last good page.
const liveScript = `<script>(function(){
var es=new EventSource("/__bluebook/events");
function box(){var d=document.getElementById("__bb_err");if(!d){d=document.createElement("pre");d.id="__bb_err";
d.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:45%;overflow:auto;margin:0;padding:12px 16px;background:#fff1f0;color:#a8071a;border-top:3px solid #a8071a;font:13px/1.5 monospace;z-index:99999;white-space:pre-wrap";
document.body.appendChild(d);}return d;}
es.addEventListener("reload",function(){location.reload();});
es.addEventListener("error",function(e){if(e.data){box().textContent="bluebook: the last edit does not build; the page shows the last good report.\n\n"+e.data;}});
es.addEventListener("ok",function(){var d=document.getElementById("__bb_err");if(d)d.remove();});
})();</script>`

// hub fans build events out to the open pages.
type hub struct {
	mu      sync.Mutex
	clients map[chan [2]string]bool
	last    [2]string // the latest event, replayed to a page that connects after it
}

func (h *hub) publish(kind, data string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.last = [2]string{kind, data}
	for c := range h.clients {
		select {
		case c <- h.last:
		default:
		}
	}
}

func (h *hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	c := make(chan [2]string, 4)
	h.mu.Lock()
	h.clients[c] = true
	last := h.last
	h.mu.Unlock()
	defer func() { h.mu.Lock(); delete(h.clients, c); h.mu.Unlock() }()
	if last[0] == "error" {
		writeEvent(w, last)
		fl.Flush()
	}
	fmt.Fprint(w, ": connected\n\n")
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev := <-c:
			writeEvent(w, ev)
			fl.Flush()
		}
	}
}

func writeEvent(w http.ResponseWriter, ev [2]string) {
	fmt.Fprintf(w, "event: %s\n", ev[0])
	for _, line := range strings.Split(ev[1], "\n") {
		fmt.Fprintf(w, "data: %s\n", line)
	}
	fmt.Fprint(w, "\n")
}

// siteHandler serves the report folder dir and nothing else, injecting liveScript into
// HTML pages. Every request is resolved inside dir after net/http has decoded its path
// once: a path with a "." or ".." segment, a backslash, a NUL or a "%" left by double
// encoding is not found, whatever it names; so is a folder without index.html (no
// listings) and anything a link inside dir would lead out to.
func siteHandler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		name, ok := resolve(dir, r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		if !strings.HasSuffix(name, ".html") {
			http.ServeContent(w, r, name, st.ModTime(), f)
			return
		}
		b, err := io.ReadAll(f)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if i := bytes.LastIndex(b, []byte("</body>")); i >= 0 {
			b = append(b[:i:i], append([]byte(liveScript), b[i:]...)...)
		} else {
			b = append(b, liveScript...)
		}
		w.Write(b)
	})
}

// resolve maps a decoded URL path to a file inside dir; ok is false when the path is not
// a plain relative path or would lead outside dir (through a symbolic link too).
func resolve(dir, urlPath string) (string, bool) {
	if !plainPath(urlPath) {
		return "", false
	}
	rel := strings.TrimPrefix(urlPath, "/")
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", false
	}
	name, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return "", false
	}
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		name = filepath.Join(name, "index.html")
	}
	if inside, err := filepath.Rel(root, name); err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) || filepath.IsAbs(inside) {
		return "", false
	}
	return name, true
}

// plainPath reports whether a decoded URL path is absolute and made of plain names only:
// no "." or ".." segment, no empty segment but a final one, no backslash, NUL or "%".
func plainPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\%\x00") {
		return false
	}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		if seg == "." || seg == ".." || (seg == "" && i < len(segs)-1) {
			return false
		}
	}
	return true
}

// hostGuard answers only requests for a plain path (see plainPath) whose Host is 127.0.0.1, localhost or the address the
// server was given, with the port it listens on: a page of another site that a DNS
// rebinding points at the preview cannot read it.
func hostGuard(addr net.Addr, given string, next http.Handler) http.Handler {
	_, port, _ := net.SplitHostPort(addr.String())
	allowed := map[string]bool{
		net.JoinHostPort("127.0.0.1", port): true,
		net.JoinHostPort("localhost", port): true,
	}
	if h, _, err := net.SplitHostPort(given); err == nil && h != "" {
		if ip := net.ParseIP(h); ip == nil || !ip.IsUnspecified() {
			allowed[net.JoinHostPort(h, port)] = true
		}
	}
	if ip := net.ParseIP(strings.Split(addr.String(), "%")[0]); ip != nil && ip.IsLoopback() && ip.To4() == nil {
		allowed[net.JoinHostPort("::1", port)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.ToLower(r.Host)
		if port == "80" && !strings.Contains(host, ":") {
			host = net.JoinHostPort(host, port)
		}
		if !allowed[host] {
			http.Error(w, "bluebook serve answers only http://127.0.0.1:"+port+"/ or http://localhost:"+port+"/", http.StatusMisdirectedRequest)
			return
		}
		if !plainPath(r.URL.Path) { // before ServeMux, which would redirect to a cleaned path
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// previewHandler is everything the preview server answers: the report folder out and the
// event stream of rebuilds, behind hostGuard. addr is where it listens, given the --addr.
func previewHandler(addr net.Addr, given, out string, events http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/__bluebook/events", events)
	mux.Handle("/", siteHandler(out))
	return hostGuard(addr, given, mux)
}

// previewFolder creates the folder a preview writes its report into when --out is not
// given: a new folder only the user can read (mode 0700) in the system's temporary folder,
// never one fixed path that every user of the machine shares. remove deletes it.
func previewFolder() (out string, remove func(), err error) {
	base, err := os.MkdirTemp("", "bluebook-serve-")
	if err != nil {
		return "", nil, fmt.Errorf("create the preview folder: %w", err)
	}
	if err := os.Chmod(base, 0o700); err != nil {
		os.RemoveAll(base)
		return "", nil, fmt.Errorf("create the preview folder: %w", err)
	}
	return filepath.Join(base, "site"), func() { os.RemoveAll(base) }, nil
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fset, c := newFlags(e, "serve", "serve --data DIR --db FILE [--out DIR] [--addr 127.0.0.1:8080]")
	var rf runFlags
	rf.register(fset)
	addr := fset.String("addr", "127.0.0.1:8080", "address to listen on")
	cfg, err := c.parse(e, fset, args)
	if err != nil {
		return err
	}
	if rf.out == "" && cfg.OutDir == "" {
		out, remove, err := previewFolder()
		if err != nil {
			return err
		}
		defer remove()
		rf.out = out
	}
	if err := rf.apply(&cfg, "serve"); err != nil {
		return err
	}
	cfg.Trigger = "serve"
	previewDemo(ctx, &cfg)
	if _, isDir := cfg.Queries.(interface {
		ReadDir(string) ([]fs.DirEntry, error)
	}); !isDir || strings.HasPrefix(cfg.QueriesDir, "(built-in") {
		return usageError{"serve watches the project's queries/ and reports/chapters/ folders; run `bluebook init` first to get editable copies"}
	}
	log := e.logger
	h := &hub{clients: map[chan [2]string]bool{}}
	sess, err := pipeline.OpenSession(ctx, cfg)
	if sess == nil {
		return err
	}
	defer sess.Close()
	if err != nil {
		fmt.Fprintln(e.stderr, pipeline.DiagnosticText(err))
		h.publish("error", pipeline.DiagnosticText(err))
	}
	watcher, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	defer watcher.Close()
	for _, root := range []string{filepath.Join(cfg.ProjectDir, "queries"), filepath.Join(cfg.ProjectDir, "reports", "chapters")} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				watcher.Add(p)
			}
			return nil
		})
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageError{fmt.Sprintf("--addr %s: %v", *addr, err)}
	}
	srv := &http.Server{Handler: previewHandler(ln.Addr(), *addr, cfg.OutDir, h), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	fmt.Fprintf(e.stdout, "serving http://%s/ (edit queries/ or reports/chapters/; Ctrl-C to stop)\n", ln.Addr())

	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-watcher.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					watcher.Add(ev.Name)
				}
			}
			base := filepath.Base(ev.Name)
			if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") {
				continue // editor swap and backup files
			}
			timer = time.After(80 * time.Millisecond) // editors write in bursts
		case err := <-watcher.Errors:
			log.Warn("watch", "error", err)
		case <-timer:
			timer = nil
			rr, err := sess.Rebuild(ctx)
			if err != nil {
				msg := pipeline.DiagnosticText(err)
				fmt.Fprintln(e.stderr, msg)
				h.publish("error", html.UnescapeString(msg))
				continue
			}
			log.Info("rebuilt", "models", strings.Join(rr.Models, " "), "duration", rr.Duration.Round(time.Millisecond))
			h.publish("ok", "")
			h.publish("reload", "")
		}
	}
}

// previewDemo makes the preview of demo data read as the report `bluebook demo` built: the
// 演示数据 notice on every page and the demo city, unless the configuration names a city.
// The data are demo data when the newest run of the database other than a preview was
// `bluebook demo`, or when the data folder holds the planted.csv the demo generator writes.
func previewDemo(ctx context.Context, cfg *pipeline.Config) {
	isDemo := false
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "planted.csv")); err == nil {
		isDemo = true
	}
	if _, err := os.Stat(cfg.DBPath); err == nil && !isDemo {
		if runs, err := pipeline.History(ctx, *cfg, 1000); err == nil {
			for _, r := range runs {
				if r.Trigger != "serve" {
					isDemo = r.Trigger == "demo"
					break
				}
			}
		}
	}
	if !isDemo {
		return
	}
	cfg.Demo = true
	if cfg.City == "" || cfg.City == "本市" {
		cfg.City = demo.City
	}
}
