"""Permission-matrix rows for the panoramica pages."""

from ..permessi import Row

RIGHE: dict[str, Row] = {}
