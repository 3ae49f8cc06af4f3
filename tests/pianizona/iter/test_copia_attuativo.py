"""What the annual update copies is read from the models: nothing can be left behind unnoticed."""

from pianizona import copia
from programmazione.models import SchedaIntervento


def test_every_table_the_annual_update_copies_decides_about_each_of_its_relations():
    """A new child table of a sheet (or of any copied row) must be copied or excluded, with why."""
    da_decidere = {
        c.modello.__name__: c.non_dichiarati() for c in copia.copie() if c.non_dichiarati()
    }
    assert da_decidere == {}


def test_every_exclusion_says_why():
    assert [
        (c.modello.__name__, nome)
        for c in copia.copie()
        for nome, perche in c.esclusi.items()
        if not perche.strip()
    ] == []


def test_the_copies_cover_the_sheets_their_rows_the_narrative_and_the_plans_resources():
    assert {c.modello.__name__ for c in copia.copie()} >= {
        "SchedaIntervento",
        "FiguraProfessionale",
        "BeneficiariPrevisti",
        "Allocazione",
        "Narrativa",
        "ResiduoEconomia",
        "RisorsaAggiuntiva",
        "Cofinanziamento",
    }


def test_a_child_table_nobody_declared_is_named(monkeypatch):
    monkeypatch.setattr(copia, "_copie", [])  # a throwaway declaration, not the apps' list
    dimenticata = copia.Copia(
        SchedaIntervento,
        a_parte=frozenset({"piano", "voce", "numero", "scheda_origine", "figure", "allocazioni"}),
        esclusi={"id": "una riga nuova", "copie": "altri piani", "campo_sparito": "?"},
    )
    assert dimenticata.non_dichiarati() == ["beneficiari", "campo_sparito"]


def test_every_column_not_excluded_is_copied():
    scheda = next(c for c in copia.copie() if c.modello is SchedaIntervento)
    colonne = {f.name for f in SchedaIntervento._meta.concrete_fields} | {"aree_utenza"}
    assert set(scheda.copiati) == colonne - set(scheda.a_parte) - set(scheda.esclusi)
    assert "descrizione" in scheda.copiati and "creata_il" not in scheda.copiati
