"""JSON out, encoded by orjson: a screening answer is tens of kilobytes, and the standard
encoder spent a tenth of the request on it (docs/benchmark.md). The bytes mean the same as
DRF's: compact UTF-8, UTC times ending in "Z", UUIDs as strings."""

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z
_fallback = JSONEncoder().default  # lazy strings, Decimals, ... as DRF writes them


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            return orjson.dumps(data, default=_fallback, option=_OPTIONS)
        except (TypeError, orjson.JSONEncodeError):
            # What orjson refuses (an integer beyond 64 bits, a lone surrogate echoed back
            # in an error) the standard encoder still writes.
            return super().render(data, accepted_media_type, renderer_context)
