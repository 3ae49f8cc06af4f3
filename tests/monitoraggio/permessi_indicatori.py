"""Permission-matrix rows: permessi_indicatori."""

from ..permessi import Row

RIGHE: dict[str, Row] = {}
