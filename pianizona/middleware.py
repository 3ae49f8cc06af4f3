"""Middleware of the whole site that belongs to no wing."""

from .views import healthz


class HealthzMiddleware:
    """Answer /healthz before host validation and the HTTPS redirect: probes call it by IP over HTTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
