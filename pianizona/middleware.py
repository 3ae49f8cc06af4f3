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


# Nothing here uses the camera, the microphone, the position, payments or USB devices.
PERMISSIONS_POLICY = "camera=(), geolocation=(), microphone=(), payment=(), usb=()"


class IntestazioniMiddleware:
    """The headers Django has no setting for, on every response (static files included).

    What a signed-in user sees (pages, documents, exports) and every API answer is never stored
    by the browser or a shared cache: a public computer's history or a proxy must not keep a
    plan or a key's data. Anonymous public pages, open data and static files stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if self._riservata(request):
            response["Cache-Control"] = "no-store"
            del response["Expires"]
        return response

    @staticmethod
    def _riservata(request) -> bool:
        if request.path.startswith("/api/"):
            return True
        user = getattr(request, "user", None)  # absent on static files: WhiteNoise answers first
        return user is not None and user.is_authenticated
