"""Routers of the JSON API and the explorer page; each route parses, calls the core, returns."""
