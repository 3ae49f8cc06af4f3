"""Drills: load, faults, attack and restore, one Makefile target each, exiting non-zero on a broken promise.

Each drill records its figures with `tests.drills.figure.registra`, which keeps one JSON per drill in
docs/prove/ and rewrites the table in docs/PROVE.md (date, machine, command).
"""
