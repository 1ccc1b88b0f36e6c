"""pdlint: find, map and gate personal data in Python code without running it."""

__version__ = "0.1.0"
