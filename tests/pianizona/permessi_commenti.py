"""Permission-matrix rows for the commenti pages."""

from ..permessi import Row

RIGHE: dict[str, Row] = {}
