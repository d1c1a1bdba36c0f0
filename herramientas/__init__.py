"""Tooling that is not part of the application: benchmarks and scripts run by hand or by `make`."""
