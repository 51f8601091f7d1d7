package main

import (
	"context"
	"fmt"

	"bluebook/pipeline"
)

// cmdRecover rebuilds a database that cannot be opened (see pipeline.Recover).
func cmdRecover(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "recover", "recover --db FILE")
	dbPath := fs.String("db", "", "the DuckDB database file that cannot be opened")
	cfg, err := c.parse(e, fs, args)
	if err != nil {
		return err
	}
	if err := dbFlag(&cfg, *dbPath, "recover"); err != nil {
		return err
	}
	res, err := pipeline.Recover(ctx, cfg)
	if err != nil {
		return err
	}
	if res.Healthy {
		fmt.Fprintf(e.stdout, "%s opens normally; nothing to recover\n", cfg.DBPath)
		return nil
	}
	fmt.Fprintf(e.stdout, "recovered %s\n  damaged files kept in %s\n  run history: %d runs kept\n  input files reloaded from the landing copies: %d\n",
		cfg.DBPath, res.MovedTo, res.RunsKept, res.FilesLoaded)
	if res.Note != "" {
		fmt.Fprintf(e.stdout, "  note: %s\n", res.Note)
	}
	fmt.Fprintln(e.stdout, "The next `bluebook run` rebuilds the models and the report.")
	return nil
}
