"""The image-size check of the utilities; the other checks are redes' shared ones
(``redes._base.checks``)."""

from __future__ import annotations

from ..._base.checks import is_int
from ...i18n import _


def check_size(name: str, value):
    """An image size: one integer or a pair ``(height, width)``, each >= 1."""
    if is_int(value):
        value = (value, value)
    if not isinstance(value, (list, tuple)) or len(value) != 2 or not all(
            is_int(v) and v >= 1 for v in value):
        raise ValueError(_(
            "{name}: expected a tuple (height, width) of two integers >= 1, got {value!r}"
        ).format(name=name, value=value))
    return int(value[0]), int(value[1])
