"""gunicorn settings: `gunicorn -c config/gunicorn.conf.py` (docs/deploy.md). Tunable from the environment."""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the app is CPU- and database-bound, uploads are buffered by nginx.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only nginx (or the load balancer) on these addresses may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# operacion.middleware.BitacoraDePeticiones writes the request line (with the user); gunicorn's
# access log would repeat it. Errors go to stderr, which systemd keeps in the journal too.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Not used: several instances on one machine would fight over the same socket file.
control_socket_disable = True
