"""Permission-matrix rows for the workflow pages."""

from ..permessi import Row

RIGHE: dict[str, Row] = {}
