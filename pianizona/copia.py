"""Copying a row field by field, read from its model, so that a new field is never left behind.

A ``Copia`` names a model, the fields its caller sets itself (the new parent, the related rows
it copies on its own) and the fields that must not carry over, each with the reason. Every other
field is copied; ``non_dichiarati`` lists the relations nobody has decided about, and a test
fails on them (``tests/pianizona/iter/test_copia_attuativo.py``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

_copie: list["Copia"] = []


@dataclass(frozen=True)
class Copia:
    modello: type[models.Model]
    a_parte: frozenset[str]  # set or copied by the caller: the new parent, the related rows
    esclusi: Mapping[str, str] = field(default_factory=dict)  # field → why it does not carry over

    def __post_init__(self) -> None:
        _copie.append(self)

    def _dichiarati(self) -> set[str]:
        return set(self.a_parte) | set(self.esclusi)

    @property
    def campi(self) -> list[models.Field]:
        """The model's own columns that carry over as they are."""
        return [
            f
            for f in self.modello._meta.concrete_fields
            if f.name not in self._dichiarati() and not f.primary_key
        ]

    @property
    def molti_a_molti(self) -> list[str]:
        return [f.name for f in self.modello._meta.many_to_many if f.name not in self._dichiarati()]

    @property
    def copiati(self) -> list[str]:
        return [f.name for f in self.campi] + self.molti_a_molti

    def non_dichiarati(self) -> list[str]:
        """Relations from other tables (child rows) nobody decided about, and names that no
        longer exist: what the test refuses."""
        nomi = {f.name for f in self.modello._meta.get_fields()}
        figli = [
            f.name
            for f in self.modello._meta.get_fields()
            if f.auto_created and not f.concrete and f.name not in self._dichiarati()
        ]
        inesistenti = sorted(self._dichiarati() - nomi)
        return figli + inesistenti

    def valori(self, oggetto: models.Model) -> dict[str, Any]:
        return {f.attname: getattr(oggetto, f.attname) for f in self.campi}

    def nuovo(self, oggetto: models.Model, **impostati: Any) -> models.Model:
        """An unsaved copy of ``oggetto`` with ``impostati`` (the fields the caller sets)."""
        return self.modello(**{**self.valori(oggetto), **impostati})

    def copia_molti_a_molti(self, da: models.Model, a: models.Model) -> None:
        for nome in self.molti_a_molti:
            getattr(a, nome).set(getattr(da, nome).all())


def copie() -> Iterable[Copia]:
    """Every copy the apps declare: what the test checks."""
    return list(_copie)
