"""Tests mirror the package layout; a regular package so `tests.*` never resolves to a
stray top-level `tests` package some dependency installs into site-packages."""
