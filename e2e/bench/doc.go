// Package bench measures what users wait for: a GoNB cell that logs in from the cache, against
// cells that do less, each compiled from new source as a new cell is (BenchmarkCell*). Run it
// through `make bench` (scripts/bench.sh), which also times the cartoauth CLI against a bare Go
// program (cmd/clibench) and runs the library's own benchmarks.
package bench
