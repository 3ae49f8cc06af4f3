"""factory_boy factories: the small cast every test builds on."""

import factory
from factory.django import DjangoModelFactory

from pianizona.models import Ambito, Ciclo, Comune, Membership, Piano, Regione, Ruolo, User

PASSWORD = "password-di-prova-2025"


class RegioneFactory(DjangoModelFactory):
    class Meta:
        model = Regione
        django_get_or_create = ["codice_istat"]

    # Letters, so a factory region never takes a real ISTAT code such as Puglia's "16".
    codice_istat = factory.Sequence(lambda n: chr(65 + n // 26 % 26) + chr(65 + n % 26))
    nome = factory.Sequence(lambda n: f"Regione {n}")


class AmbitoFactory(DjangoModelFactory):
    class Meta:
        model = Ambito

    regione = factory.SubFactory(RegioneFactory)
    codice = factory.Sequence(lambda n: f"AMB{n:03d}")
    nome = factory.Sequence(lambda n: f"Ambito di prova {n}")


class ComuneFactory(DjangoModelFactory):
    class Meta:
        model = Comune

    codice_istat = factory.Sequence(lambda n: f"{900000 + n:06d}")
    nome = factory.Sequence(lambda n: f"Comune {n}")
    ambito = factory.SubFactory(AmbitoFactory)
    regione = factory.SelfAttribute("ambito.regione")
    provincia = "Bari"
    sigla_provincia = "BA"
    popolazione = 10_000


class CicloFactory(DjangoModelFactory):
    class Meta:
        model = Ciclo

    regione = factory.SubFactory(RegioneFactory)
    nome = factory.LazyAttribute(lambda o: f"Piano sociale {o.anno_inizio}–{o.anno_fine}")
    anno_inizio = factory.Sequence(lambda n: 2025 + 3 * n)
    anno_fine = factory.LazyAttribute(lambda o: o.anno_inizio + 2)


class PianoFactory(DjangoModelFactory):
    class Meta:
        model = Piano

    ambito = factory.SubFactory(AmbitoFactory)
    ciclo = factory.SubFactory(CicloFactory, regione=factory.SelfAttribute("..ambito.regione"))
    tipo = Piano.Tipo.TRIENNALE
    stato = Piano.Stato.BOZZA


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utente{n}@example.org")
    first_name = "Maria"
    last_name = factory.Sequence(lambda n: f"Rossi {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def salva(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    ruolo = Ruolo.OPERATORE
    ambito = factory.SubFactory(AmbitoFactory)
    regione = None


def piani_attuativi(piano: Piano) -> None:
    """An annual update of the triennial plan for each year of its cycle."""
    for anno in piano.ciclo.anni:
        PianoFactory(ambito=piano.ambito, ciclo=piano.ciclo, tipo="attuativo", anno=anno)


def approva_con_il_workflow(piano: Piano, *, autore: User, funzionario: User) -> Piano:
    """Through the workflow, as the Region would: a version frozen by ``autore``, then approved."""
    from pianizona.iter import workflow

    piano.stato = Piano.Stato.IN_ISTRUTTORIA
    piano.save(update_fields=["stato"])
    workflow._versione_congela(piano, autore, Piano.Stato.INVIATO)
    workflow.piano_approva(piano=piano, user=funzionario, stato_atteso=Piano.Stato.IN_ISTRUTTORIA)
    piano.refresh_from_db()
    return piano
