"""Permission-matrix rows: permessi_adesioni."""

from ..permessi import Row

RIGHE: dict[str, Row] = {}
