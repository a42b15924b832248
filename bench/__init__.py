"""The load benchmark: `python -m bench.run` (see the README, section Benchmark)."""
