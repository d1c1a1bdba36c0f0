"""Celery application: `celery -A config worker` and `celery -A config beat` (docs/deploy.md).

Configuration comes from Django's settings (the CELERY_* names in config/settings/base.py).
Without CELERY_BROKER_URL every task runs inline (CELERY_TASK_ALWAYS_EAGER).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
