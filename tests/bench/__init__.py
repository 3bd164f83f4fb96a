"""Benchmarks (`make bench`): ratios against baselines measured in the same run.

Never run by pytest (no ``test_`` files here); they need PostgreSQL and Redis.
"""
