"""`make bench`: the benchmark (docs/benchmark.md)."""
