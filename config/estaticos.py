"""The static files app, with what `collectstatic` leaves out of STATIC_ROOT."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class EstaticosConfig(StaticFilesConfig):
    # drf-spectacular-sidecar ships Redoc beside Swagger UI; the API's documentation is Swagger UI
    # (transparencia/api_urls.py), so Redoc's 4.8 MB would only be copied, hashed and compressed.
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "drf_spectacular_sidecar/redoc/*"]
