"""The S3Storage options, built in one place for the settings and for the tests' local S3 server."""

from __future__ import annotations

from typing import Any


def opciones_s3(
    *,
    bucket: str,
    endpoint_url: str | None,
    access_key: str | None,
    secret_key: str | None,
    region: str | None,
    prefijo: str = "",
    addressing_style: str = "path",
    expira: int = 60,
) -> dict[str, Any]:
    from botocore.config import Config

    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url,
        "access_key": access_key,
        "secret_key": secret_key,
        "region_name": region,
        "location": prefijo,
        # Given whole, this Config replaces django-storages' own (hence addressing style and
        # signature here). Short timeouts and few retries: a dead store must show up in /salud/
        # within seconds, not hold a gunicorn worker for minutes.
        "client_config": Config(
            s3={"addressing_style": addressing_style},
            signature_version="s3v4",
            connect_timeout=5,
            read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
        # Objects are private; downloads go through a view that checks permissions and then
        # redirects to a presigned URL valid for `expira` seconds (operacion/almacenamiento.py).
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": expira,
        # Never replace a stored file: evidence and issued documents are immutable.
        "file_overwrite": False,
    }
