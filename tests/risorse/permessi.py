"""Permission-matrix rows for risorse URLs (merged into tests/test_permission_matrix.py).

Conventions: region pages answer GET to the funzionario and the administrator (read-only) and
403 to district users; district pages answer GET to the ambito's users, the funzionario and the
administrator, 404 to another ambito. Writes (POST) are for the roles that act.
"""

from ..permessi import LOGIN, TUTTI, Row, per_ruolo  # noqa: F401

RIGHE: dict[str, Row] = {}
