"""Scoring of prediction files against an answer key: pure, no database."""
