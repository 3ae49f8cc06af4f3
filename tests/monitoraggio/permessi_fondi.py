"""Permission-matrix rows: permessi_fondi."""

from ..permessi import Row

RIGHE: dict[str, Row] = {}
