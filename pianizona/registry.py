"""Where phase apps plug into the core, which never imports them (they register in ``ready()``)."""

import random
from collections.abc import Callable
from dataclasses import dataclass

from .models import Ambito, Regione

# (regione, ambiti, rng, scale) → None: adds a phase's demo data after the core's.
DemoBuilder = Callable[[Regione, list[Ambito], random.Random, str], None]
_demo_builders: list[DemoBuilder] = []


def registra_demo(builder: DemoBuilder) -> DemoBuilder:
    if builder not in _demo_builders:
        _demo_builders.append(builder)
    return builder


def demo_builders() -> list[DemoBuilder]:
    return list(_demo_builders)


@dataclass(frozen=True)
class Collegamento:
    """A page a phase app adds to a plan (or to a cycle): listed on the core's pages."""

    titolo: str
    descrizione: str
    url_name: str  # reversed with the plan's (or the cycle's) pk
    ordine: int


_sezioni_piano: list[Collegamento] = []
_pagine_ciclo: list[Collegamento] = []


def _registra(elenco: list[Collegamento], collegamento: Collegamento) -> None:
    if collegamento not in elenco:
        elenco.append(collegamento)
        elenco.sort(key=lambda c: c.ordine)


def registra_sezione_piano(titolo: str, descrizione: str, url_name: str, ordine: int) -> None:
    _registra(_sezioni_piano, Collegamento(titolo, descrizione, url_name, ordine))


def registra_pagina_ciclo(titolo: str, descrizione: str, url_name: str, ordine: int) -> None:
    _registra(_pagine_ciclo, Collegamento(titolo, descrizione, url_name, ordine))


def sezioni_piano() -> list[Collegamento]:
    return list(_sezioni_piano)


def pagine_ciclo() -> list[Collegamento]:
    return list(_pagine_ciclo)
