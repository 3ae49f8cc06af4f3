"""Archive tests use the core cast only (archivio depends only on pianizona).

Every test writes its files under its own temporary MEDIA_ROOT, so "nothing stored" can be
checked on disk and parallel runs never see each other's files.
"""

from pathlib import Path

import pytest
from django.core.cache import cache

from pianizona.models import AreaInterventoFnps, AreaUtenzaIstat

from .utili import aree_di_riferimento


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def file_salvati(media):
    """The files written under the archive's folder so far."""

    def elenco() -> list[Path]:
        cartella = media / "archivio"
        return sorted(p for p in cartella.rglob("*") if p.is_file()) if cartella.exists() else []

    return elenco


@pytest.fixture(autouse=True)
def limiti_azzerati():
    """The adhesion form's rate limit lives in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def aree(db) -> tuple[AreaInterventoFnps, AreaUtenzaIstat]:
    return aree_di_riferimento()
