"""Permission-matrix rows: permessi_documenti."""

from ..permessi import Row

RIGHE: dict[str, Row] = {}
