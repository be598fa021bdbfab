"""Benchmarks run against the real pipeline (`make bench-accuracy`)."""
