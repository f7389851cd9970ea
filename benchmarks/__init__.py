"""Benchmarks: scripts that print tables against a baseline measured in the same run."""
