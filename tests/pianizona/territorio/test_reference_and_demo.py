from io import StringIO

import pytest
from django.core.management import call_command

from pianizona.demo import DEMO_PASSWORD, EMAIL_DEMO, seed_demo
from pianizona.models import (
    Ambito,
    AreaInterventoFnps,
    Comune,
    FonteFinanziamento,
    Membership,
    ObiettivoServizio,
    Piano,
    PrestazioneSiuss,
    Regione,
    User,
)
from pianizona.territorio.riferimento import load_reference

pytestmark = pytest.mark.django_db


def test_load_reference_brings_every_municipality_and_code_list():
    load_reference()
    assert Comune.objects.count() == 7896  # ISTAT's list since 22 January 2024
    assert Regione.objects.count() == 20
    assert Comune.objects.filter(regione__nome="Puglia").count() == 257
    bari = Comune.objects.get(codice_istat="072006")
    assert (bari.nome, bari.sigla_provincia, bari.popolazione) == ("Bari", "BA", 316015)
    assert (bari.popolazione_anno, bari.eta_0_17, bari.eta_65_piu, bari.eta_75_piu) == (
        2023,
        45330,
        80620,
        41318,
    )
    assert ObiettivoServizio.objects.filter(macro_livello__codice=1).count() == 3
    assert AreaInterventoFnps.objects.get(codice=1).nome.startswith("Infanzia")
    assert PrestazioneSiuss.objects.filter(codice="A3.03").exists()
    assert FonteFinanziamento.objects.first().codice == "FNPS"  # the file's order is kept


def test_load_reference_twice_duplicates_nothing_and_keeps_ambiti():
    load_reference()
    ambito = Ambito.objects.create(
        regione=Regione.objects.get(codice_istat="16"), codice="X", nome="X"
    )
    Comune.objects.filter(codice_istat="072006").update(ambito=ambito, nome="Nome cambiato")
    load_reference()
    assert Comune.objects.count() == 7896
    bari = Comune.objects.get(codice_istat="072006")
    assert bari.nome == "Bari"  # the reference wins on its own fields
    assert bari.ambito == ambito  # the grouping into ambiti is ours and survives


def test_the_list_is_istats_current_one_with_the_2021_move_and_the_2024_mergers():
    load_reference()
    montecopiolo = Comune.objects.get(nome="Montecopiolo")
    assert (montecopiolo.codice_istat, montecopiolo.regione.nome) == ("099030", "Emilia-Romagna")
    assert Comune.objects.get(nome="Sassofeltrio").regione.nome == "Emilia-Romagna"
    # Setteville: Alano di Piave and Quero Vas merged on 22 January 2024.
    setteville = Comune.objects.get(codice_istat="025075")
    assert (setteville.nome, setteville.popolazione) == ("Setteville", 5760)
    assert not Comune.objects.filter(
        nome__in=["Alano di Piave", "Quero Vas", "Gambugliano"]
    ).exists()
    assert Comune.objects.filter(nome="Misiliscemi", regione__nome="Sicilia").exists()
    assert Comune.objects.filter(soppresso=False).count() == 7896
    assert Comune.objects.filter(popolazione_anno=2023).count() == 7893  # 3 absent from the file


def test_seed_demo_builds_45_ambiti_on_pugliass_257_municipalities():
    seed_demo(scale="small")
    assert Ambito.objects.count() == 45
    assert Comune.objects.filter(regione__codice_istat="16", ambito__isnull=True).count() == 0
    bari = Ambito.objects.get(codice="BA01")
    assert bari.comune_capofila.nome == "Bari"
    stati = set(Piano.objects.values_list("stato", flat=True))
    assert stati == set(Piano.Stato.values)
    assert set(User.objects.filter(is_active=True).values_list("email", flat=True)) == set(
        EMAIL_DEMO
    )
    assert User.objects.get(email="operatore.ba01@pianizona.demo").check_password(DEMO_PASSWORD)


def test_seed_demo_is_deterministic_and_rerunnable():
    seed_demo(scale="small", seed=7)
    prima = list(
        Piano.objects.order_by("ambito__codice", "ciclo__anno_inizio", "anno").values_list(
            "ambito__codice", "stato"
        )
    )
    conteggi = (
        Ambito.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Piano.objects.count(),
    )
    seed_demo(scale="small", seed=7)
    dopo = list(
        Piano.objects.order_by("ambito__codice", "ciclo__anno_inizio", "anno").values_list(
            "ambito__codice", "stato"
        )
    )
    assert dopo == prima
    assert conteggi == (
        Ambito.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Piano.objects.count(),
    )


def test_full_scale_gives_every_ambito_its_district_users():
    seed_demo(scale="full")
    assert Membership.objects.filter(ruolo="responsabile").values("ambito").distinct().count() == 45
    assert Membership.objects.filter(ruolo="operatore").values("ambito").distinct().count() == 45


def test_the_command_prints_the_demo_logins_and_skips_when_present():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", "--if-empty", stdout=out)
    testo = out.getvalue()
    assert "già presenti" in testo
    for email in EMAIL_DEMO:
        assert email in testo
    assert DEMO_PASSWORD in testo
