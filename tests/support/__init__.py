"""The test harness shared by ``tests/`` and ``benchmarks/``: paths to the seeds and dev
corpora, generated prose and corpora, the simulator, web-page layouts, a throw-away
PostgreSQL server and the CLI runners. Nothing here imports from ``benchmarks/``."""
