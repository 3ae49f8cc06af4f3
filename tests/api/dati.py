"""Small builders for the API's tests and permission rows: one object of each kind, on an ambito."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from archivio.models import Adesione, FormaGiuridica
from monitoraggio.models import Dichiarazione, Indicatore, Rendicontazione, ValoreIndicatore
from pianizona.models import (
    Ambito,
    AreaInterventoFnps,
    AreaUtenzaIstat,
    Ciclo,
    FonteFinanziamento,
    MacroLivello,
    ObiettivoServizio,
    Piano,
    User,
)
from programmazione.models import SchedaIntervento, VoceCatalogo


def riferimenti() -> tuple[ObiettivoServizio, AreaInterventoFnps, AreaUtenzaIstat]:
    macro, _ = MacroLivello.objects.get_or_create(codice=1, defaults={"nome": "Accesso"})
    obiettivo, _ = ObiettivoServizio.objects.get_or_create(
        codice="1.1", defaults={"nome": "Accesso", "macro_livello": macro}
    )
    area, _ = AreaInterventoFnps.objects.get_or_create(codice=1, defaults={"nome": "Infanzia"})
    utenza, _ = AreaUtenzaIstat.objects.get_or_create(codice="FAM", defaults={"nome": "Famiglia"})
    return obiettivo, area, utenza


def fonte(codice: str = "FNPS") -> FonteFinanziamento:
    return FonteFinanziamento.objects.get_or_create(
        codice=codice, defaults={"nome": codice, "livello": "statale", "sezione": "ordinarie"}
    )[0]


def voce(ciclo: Ciclo, codice: str = "A1.01") -> VoceCatalogo:
    obiettivo, area, utenza = riferimenti()
    return VoceCatalogo.objects.get_or_create(
        ciclo=ciclo,
        codice=codice,
        defaults={
            "nome": "Segretariato sociale",
            "obiettivo_servizio": obiettivo,
            "area_intervento": area,
            "area_utenza": utenza,
        },
    )[0]


def scheda(piano: Piano) -> SchedaIntervento:
    numero = SchedaIntervento.objects.filter(piano=piano).count() + 1
    return SchedaIntervento.objects.create(
        piano=piano,
        sezione="ambito",
        voce=voce(piano.ciclo),
        numero=numero,
        titolo=f"Intervento {numero}",
        gestione="diretta",
    )


def dichiarazione(
    ambito: Ambito,
    ciclo: Ciclo,
    user: User,
    *,
    anno: int = 2025,
    stato: str = Rendicontazione.Stato.BOZZA,
    impegnato: str = "1000.00",
    liquidato: str = "400.00",
    data: date = date(2025, 12, 31),
) -> Dichiarazione:
    obiettivo, area, _ = riferimenti()
    rendicontazione, _ = Rendicontazione.objects.get_or_create(
        ambito=ambito, anno=anno, defaults={"ciclo": ciclo, "stato": stato}
    )
    return Dichiarazione.objects.create(
        rendicontazione=rendicontazione,
        fonte=fonte(),
        obiettivo_servizio=obiettivo,
        area_intervento=area,
        data=data,
        impegnato=Decimal(impegnato),
        liquidato=Decimal(liquidato),
        dichiarata_da=user,
    )


def valore_indicatore(
    ambito: Ambito | None, regione, *, anno: int = 2025, valore: str = "12.5"
) -> ValoreIndicatore:
    indicatore, _ = Indicatore.objects.get_or_create(
        regione=regione,
        codice="SPESA_AB",
        defaults={
            "nome": "Spesa sociale per abitante",
            "unita": Indicatore.Unita.EURO_ABITANTE,
            "direzione": Indicatore.Direzione.CRESCENTE,
            "tipo": Indicatore.Tipo.INSERITO,
        },
    )
    return ValoreIndicatore.objects.create(
        indicatore=indicatore,
        ambito=ambito,
        anno=anno,
        valore=Decimal(valore),
        aggiornato_il=timezone.now(),
    )


def adesione(
    ambito: Ambito, *, stato: str = Adesione.Stato.ACCETTATA, nome: str = "Il Faro"
) -> Adesione:
    _, area, utenza = riferimenti()
    adesione = Adesione.objects.create(
        ambito=ambito,
        denominazione=f"Cooperativa sociale {nome}",
        forma_giuridica=FormaGiuridica.COOPERATIVA,
        codice_fiscale="01234567890",
        indirizzo="Via Roma 1, Bari",
        referente="Maria Rossi",
        email="maria.rossi@ilfaro.example",
        attivita="Servizi educativi per minori e famiglie.",
        modulo="archivio/adesioni/modulo.pdf",
        modulo_nome="modulo.pdf",
        modulo_sha256="0" * 64,
        modulo_content_type="application/pdf",
        stato=stato,
        decisa_il=timezone.now() if stato != Adesione.Stato.IN_ATTESA else None,
    )
    adesione.aree_intervento.set([area])
    adesione.aree_utenza.set([utenza])
    return adesione
