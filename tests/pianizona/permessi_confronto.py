"""Permission-matrix rows for the confronto pages."""

from ..permessi import Row

RIGHE: dict[str, Row] = {}
