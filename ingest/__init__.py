"""Ingest: load -> segment -> extract -> resolve -> assemble.

Pure stages, text in and records out; ingest never talks to a store.
"""
