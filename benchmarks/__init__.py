"""Benchmarks: ``python -m benchmarks`` prints each figure against a baseline measured in the same run."""
