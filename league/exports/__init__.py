"""Exports of league data as CSV, XLSX and JSON.

``registry`` holds the datasets the apps register; ``writers`` turns a
dataset's columns and rows into a file in constant memory.
"""
