package main

import (
	"context"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"bluebook/pipeline"
)

// schedule runs the nightly job on spec until ctx ends. A tick that comes while the
// previous run is still going is skipped (logged), never queued.
func schedule(ctx context.Context, e *env, base pipeline.Config, rf runFlags, spec string) error {
	log := e.logger
	c := cron.New()
	running := make(chan struct{}, 1)
	_, err := c.AddFunc(spec, func() {
		select {
		case running <- struct{}{}:
		default:
			log.Warn("schedule: previous run still going; tick skipped")
			return
		}
		defer func() { <-running }()
		cfg := base
		// The extraction date and the default edition year follow the day of each run.
		rf.stageFlags.apply(&cfg, "")
		if rf.asOf == "" {
			cfg.AsOf = time.Now().UTC().Truncate(24 * time.Hour)
			if rf.year == 0 {
				cfg.Year = pipeline.LastFinishedYear(cfg.AsOf)
			}
		}
		res, err := pipeline.Run(ctx, cfg)
		code := report(e.stderr, err)
		if res != nil {
			log.Info("schedule: run finished", "run", res.RunID, "skipped", res.Skipped, "exit", code)
		}
	})
	if err != nil {
		return usageError{fmt.Sprintf("--cron %q: %v", spec, err)}
	}
	c.Start()
	log.Info("schedule: waiting", "cron", spec, "next", c.Entries()[0].Next.Format(time.RFC3339))
	<-ctx.Done()
	log.Info("schedule: stopping; waiting for a run in progress")
	<-c.Stop().Done()
	return nil
}
