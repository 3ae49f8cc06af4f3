"""The vocabulary of permission-matrix rows, shared by the matrix and each app's rows."""

from collections.abc import Callable
from dataclasses import dataclass

from .conftest import RUOLI, Cast

__all__ = ["LOGIN", "RUOLI", "SOLO_AUTENTICATI", "TUTTI", "Row", "per_ruolo"]


@dataclass(frozen=True)
class Row:
    """Expected status per role for ``method`` (GET by default), and for a POST when ``post`` is set.

    ``kwargs`` builds the URL's arguments from the cast (it may create the objects it needs);
    ``data`` builds the POST body for a role.
    """

    statuses: dict[str, int]
    kwargs: Callable[[Cast], dict] = lambda cast: {}
    method: str = "get"
    data: Callable[[Cast, str], dict] = lambda cast, ruolo: {}
    post: dict[str, int] | None = None

    def richieste(self) -> list[tuple[str, dict[str, int]]]:
        richieste = [(self.method, self.statuses)]
        if self.post is not None:
            richieste.append(("post", self.post))
        return richieste


def per_ruolo(anonimo, operatore_a, responsabile_a, operatore_b, funzionario, admin) -> dict:
    return dict(
        zip(
            RUOLI,
            [anonimo, operatore_a, responsabile_a, operatore_b, funzionario, admin],
            strict=True,
        )
    )


TUTTI = per_ruolo(200, 200, 200, 200, 200, 200)
LOGIN = 302  # anonymous users are sent to the login page
SOLO_AUTENTICATI = per_ruolo(LOGIN, 200, 200, 200, 200, 200)
