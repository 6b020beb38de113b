import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def name_key(name: str) -> str:
    """How two names are compared for uniqueness: case, accents, spaces and punctuation ignored."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _NOT_ALNUM.sub(" ", folded).strip()
