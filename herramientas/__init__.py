"""Tooling that is not part of the application: benchmarks, generated data, load tests and reports.

Scripts run with ``python -m herramientas....`` and, under ``management/commands``, ``manage.py`` commands
(``generar_datos``, ``bench_tablero``, ``bench_pdf``, ``informe_seguridad``); `make` runs both. An installed
app only so those commands are found: no app imports it (``lint-imports``).
"""
