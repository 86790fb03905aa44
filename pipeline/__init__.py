"""Soleimani dataset pipeline: raw source documents to validated, citable tables.

Plain, Dagster-free functions live in the subpackages (``parsers``, ``extract``)
and the top-level modules; ``pipeline.defs`` only wires them as Dagster assets.
"""
