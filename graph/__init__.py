"""The graph layer: schema as data, settings, errors and the two stores.

``graph`` imports none of ``ingest``, ``queries``, ``api`` or ``viz``.
"""
