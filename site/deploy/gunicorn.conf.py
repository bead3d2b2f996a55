"""Gunicorn for Pramen (started by systemd/pramen-web.service; see docs/install.md).

Values come from the environment file (/etc/pramen/pramen.env), with sensible defaults:
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT.
Access logs are written by nginx (JSON, with the request id); gunicorn logs errors to stderr,
which systemd hands to journald.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
# 127.0.0.1: only the proxy on this machine talks to gunicorn. Behind a proxy on another
# machine, bind the private address and allow only the proxy in the firewall.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("GUNICORN_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Long enough for a large PDF or an XLSX export; the proxy buffers uploads before passing them on.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory held by large exports).
max_requests = 1000
max_requests_jitter = 100
worker_tmp_dir = "/dev/shm"  # noqa: S108 - heartbeat files, in memory
# The proxy's X-Forwarded-* headers are trusted from these addresses only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
limit_request_line = 8190
limit_request_fields = 100
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = True
proc_name = "pramen"
# No control socket (gunicorn >= 24): systemd manages the process (reload: SIGHUP).
control_socket_disable = True
