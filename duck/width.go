package duck

// NextCluster returns where the character cluster starting at byte i of s ends (a base
// character with its combining marks, variation selectors, emoji modifiers and
// zero-width-joined parts, or a flag) and how many terminal columns it takes, as
// DisplayWidth counts them: the pipeline pads the caret it prints under an analyst's
// line with it, as DuckDB pads its own.
func NextCluster(s string, i int) (end, width int) { return nextCluster(s, i) }
