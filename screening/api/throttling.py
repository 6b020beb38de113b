from rest_framework.throttling import SimpleRateThrottle


class CallerRateThrottle(SimpleRateThrottle):
    """One budget per API client or per signed-in user; anonymous callers by address."""

    scope = "caller"

    def get_cache_key(self, request, view):
        user = request.user
        if user is not None and user.is_authenticated:
            ident = user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
