"""Permission-matrix rows for the cronologia pages."""

from ..permessi import Row

RIGHE: dict[str, Row] = {}
