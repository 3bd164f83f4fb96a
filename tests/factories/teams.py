"""Factories of the teams app."""
