"""Dagster wiring only: assets, checks, sensors and resources around plain functions.

``pipeline.defs.definitions:defs`` is the code location (see pyproject's
``[tool.dagster]``).
"""
