"""How a Region names its districts and its local approval body, with Italian articles.

A fixed table, not a grammar engine: each name the Region may choose carries its gender, whether
it takes the elided article (l', dell', all'…), and its plural.
"""

import re
from dataclasses import dataclass

from pianizona.models import Regione

# Each form keyed by its masculine form before a consonant:
# (masculine, masculine before a vowel, feminine, feminine before a vowel).
_ARTICOLI_SINGOLARE: dict[str, tuple[str, str, str, str]] = {
    "il": ("il ", "l'", "la ", "l'"),
    "del": ("del ", "dell'", "della ", "dell'"),
    "al": ("al ", "all'", "alla ", "all'"),
    "dal": ("dal ", "dall'", "dalla ", "dall'"),
    "nel": ("nel ", "nell'", "nella ", "nell'"),
    "sul": ("sul ", "sull'", "sulla ", "sull'"),
    "un": ("un ", "un ", "una ", "un'"),
    "il mio": ("il mio ", "il mio ", "la mia ", "la mia "),
    "nessun": ("nessun ", "nessun ", "nessuna ", "nessuna "),
}
_ARTICOLI_PLURALE: dict[str, tuple[str, str, str, str]] = {
    "i": ("i ", "gli ", "le ", "le "),
    "dei": ("dei ", "degli ", "delle ", "delle "),
    "ai": ("ai ", "agli ", "alle ", "alle "),
    "dai": ("dai ", "dagli ", "dalle ", "dalle "),
    "nei": ("nei ", "negli ", "nelle ", "nelle "),
    "sui": ("sui ", "sugli ", "sulle ", "sulle "),
    "tutti i": ("tutti i ", "tutti gli ", "tutte le ", "tutte le "),
}
FORME = ("", "plurale", *_ARTICOLI_SINGOLARE, *_ARTICOLI_PLURALE)


@dataclass(frozen=True)
class Denominazione:
    singolare: str
    plurale: str
    femminile: bool
    vocale: bool  # begins with a vowel: takes l', dell', gli…

    def forma(self, articolo: str = "") -> str:
        """``forma("del")`` → «del distretto», «dell'ambito territoriale sociale», «della zona sociale».

        A capitalised form («Del», «I») capitalises the result, for the start of a sentence.
        """
        chiave = articolo.lower()
        if chiave == "":
            testo = self.singolare
        elif chiave == "plurale":
            testo = self.plurale
        elif chiave in _ARTICOLI_SINGOLARE:
            testo = self._articolo(_ARTICOLI_SINGOLARE[chiave]) + self.singolare
        elif chiave in _ARTICOLI_PLURALE:
            testo = self._articolo(_ARTICOLI_PLURALE[chiave]) + self.plurale
        else:
            raise ValueError(f"Forma sconosciuta: «{articolo}». Usare una di: {', '.join(FORME)}.")
        return testo[:1].upper() + testo[1:] if articolo[:1].isupper() else testo

    def _articolo(self, forme: tuple[str, str, str, str]) -> str:
        return forme[2 * self.femminile + self.vocale]


DA = Regione.DenominazioneAmbiti
OA = Regione.OrganoApprovazione

DISTRETTI: dict[str, Denominazione] = {
    DA.AMBITO: Denominazione(
        "ambito territoriale sociale", "ambiti territoriali sociali", femminile=False, vocale=True
    ),
    DA.DISTRETTO: Denominazione("distretto", "distretti", femminile=False, vocale=False),
    DA.ZONA_SOCIALE: Denominazione("zona sociale", "zone sociali", femminile=True, vocale=False),
    DA.ZONA_DISTRETTO: Denominazione(
        "zona-distretto", "zone-distretto", femminile=True, vocale=False
    ),
}

# Proper names of a body: they keep their capitals after the article.
ORGANI: dict[str, Denominazione] = {
    OA.COORDINAMENTO: Denominazione(
        "Coordinamento istituzionale", "Coordinamenti istituzionali", femminile=False, vocale=False
    ),
    OA.COMITATO: Denominazione(
        "Comitato di distretto", "Comitati di distretto", femminile=False, vocale=False
    ),
    OA.ASSEMBLEA: Denominazione(
        "Assemblea dei sindaci", "Assemblee dei sindaci", femminile=True, vocale=True
    ),
    OA.CONFERENZA: Denominazione(
        "Conferenza dei servizi", "Conferenze dei servizi", femminile=True, vocale=False
    ),
}


def regione_di(oggetto) -> Regione | None:
    """The Region of a Regione, an Ambito, a Piano or anything with one of those."""
    for _ in range(3):
        if oggetto is None or isinstance(oggetto, Regione):
            return oggetto
        oggetto = getattr(oggetto, "regione", None) or getattr(oggetto, "ambito", None)
    return None


def denominazione_distretti(oggetto) -> Denominazione:
    """How the Region of ``oggetto`` names its districts; «ambito territoriale sociale» if none."""
    regione = regione_di(oggetto)
    chiave = regione.denominazione_ambiti if regione else DA.AMBITO
    return DISTRETTI.get(chiave, DISTRETTI[DA.AMBITO])


def organo_approvazione(oggetto) -> Denominazione:
    regione = regione_di(oggetto)
    chiave = regione.organo_approvazione if regione else OA.COORDINAMENTO
    return ORGANI.get(chiave, ORGANI[OA.COORDINAMENTO])


# Only the known forms: any other brace in a registered text is left as it is.
_SEGNAPOSTO = re.compile(
    r"\{(" + "|".join(re.escape(f) for f in sorted(FORME, key=len, reverse=True)) + r")\}",
    re.IGNORECASE,
)


def con_denominazione(modello: str, oggetto) -> str:
    """``"Cruscotto {del}"`` → «Cruscotto del distretto»: a phase app's text in the Region's words.

    Each ``{forma}`` is one of ``FORME`` (``{}`` is the bare singular); other braces stay as they are.
    """
    denominazione = denominazione_distretti(oggetto)
    return _SEGNAPOSTO.sub(lambda m: denominazione.forma(m.group(1)), modello)


def nome_con_articolo(ambito, articolo: str = "il") -> str:
    """«del Distretto di Parma», «dell'Ambito di Bari»; «del distretto Pianura Est» otherwise.

    A district's name often begins with the Region's word for it: then it takes the article alone.
    """
    denominazione = denominazione_distretti(ambito)
    nome = ambito.nome
    if nome.lower().startswith(denominazione.singolare.split()[0].split("-")[0]):
        sostantivo = denominazione.forma(articolo)
        prefisso = sostantivo[: len(sostantivo) - len(denominazione.singolare)]
        return prefisso + nome
    return f"{denominazione.forma(articolo)} {nome}"
