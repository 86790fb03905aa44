"""Celery settings for ``celery -A dagster_celery.app worker``: dagster-celery's app imports a
top-level module of this name, so this folder goes on a worker's PYTHONPATH (see the README's
"Run on a cluster"). Values come from the environment so that every host reads the same file.
"""

import os

broker_url = os.environ.get("DAGSTER_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
result_backend = os.environ.get("DAGSTER_CELERY_BACKEND_URL") or broker_url
broker_connection_retry_on_startup = True
# One step at a time per worker process: a step is seconds to minutes of work, never worth prefetching.
worker_prefetch_multiplier = 1
# Keep the worker's own logging (the build's log is Dagster's event log, not Celery's).
worker_hijack_root_logger = False
