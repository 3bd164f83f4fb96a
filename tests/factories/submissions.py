"""Factories of the submissions app."""
