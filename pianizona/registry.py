"""Where phase apps plug into the core, which never imports them (they register in ``ready()``)."""

import random
from collections.abc import Callable

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
