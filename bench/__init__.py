"""Benchmarks of the live rooms and the REST API (bench/README.md). Dev tooling, not runtime."""
