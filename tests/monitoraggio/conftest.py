"""Monitoring tests reuse the allocation phase's cast: catalogue, funds and a budget to allocate."""

from tests.programmazione.conftest import (  # noqa: F401 (fixtures)
    budget,
    catalogo,
    ciclo_configurato,
    fonti,
    riferimenti,
)
