"""Permission-matrix rows: permessi_cruscotti."""

from ..permessi import Row

RIGHE: dict[str, Row] = {}
