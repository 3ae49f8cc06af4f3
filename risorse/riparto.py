"""The riparto calculator: a fund's total split across ambiti by weighted criteria, to the cent.

Shares are computed exactly (fractions); cents are assigned by the largest-remainder method, so the
amounts always add up to the total. Ties go to the ambito with the lower code, for repeatability.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from pianizona.dominio import ErroreDominio
from pianizona.money import CENT


@dataclass(frozen=True)
class Criterio:
    codice: str
    nome: str
    valori: dict[str, Decimal]  # ambito code → quantity (residents, minors, …)


@dataclass(frozen=True)
class QuotaAmbito:
    ambito: str
    quota: Fraction  # share of the total, between 0 and 1
    importo: Decimal


def calcola_riparto(
    totale: Decimal, criteri: list[Criterio], pesi: dict[str, Decimal], ambiti: list[str]
) -> list[QuotaAmbito]:
    """Split ``totale`` across ``ambiti``; ``pesi`` maps a criterion code to its weight (any scale)."""
    if totale < 0 or totale != totale.quantize(Decimal("0.01")):
        raise ErroreDominio("Il totale deve essere un importo positivo con al massimo 2 decimali.")
    if not ambiti:
        raise ErroreDominio("Non ci sono ambiti tra cui ripartire.")
    usati = [c for c in criteri if pesi.get(c.codice, 0) > 0]
    if any(p < 0 for p in pesi.values()):
        raise ErroreDominio("I pesi non possono essere negativi.")
    if not usati:
        raise ErroreDominio("Indicare un peso maggiore di zero per almeno un criterio.")
    peso_totale = sum(Fraction(pesi[c.codice]) for c in usati)

    quote = {a: Fraction(0) for a in ambiti}
    for criterio in usati:
        somma = sum(Fraction(criterio.valori.get(a, 0)) for a in ambiti)
        if somma == 0:
            raise ErroreDominio(f"Il criterio «{criterio.nome}» non ha valori per gli ambiti.")
        peso = Fraction(pesi[criterio.codice]) / peso_totale
        for a in ambiti:
            quote[a] += peso * Fraction(criterio.valori.get(a, 0)) / somma

    centesimi = int(totale * 100)
    esatti = {a: quote[a] * centesimi for a in ambiti}
    interi = {a: int(esatti[a]) for a in ambiti}  # floor: shares are never negative
    restanti = centesimi - sum(interi.values())
    per_resto = sorted(ambiti, key=lambda a: (-(esatti[a] - interi[a]), a))
    for a in per_resto[:restanti]:
        interi[a] += 1
    return [QuotaAmbito(a, quote[a], (Decimal(interi[a]) / 100).quantize(CENT)) for a in ambiti]
