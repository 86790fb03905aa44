"""The data dictionary and everything generated from it (pandera models, Frictionless schema)."""
