"""One dashboard chart as data: the table beside it, the chart's series and its CSV are the same rows.

A ``Grafico`` holds typed columns and raw values (Decimal, int, str). The page formats them the
Italian way, the CSV writes them machine-readable (dot decimals), the chart reads them as numbers.
"""

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from pianizona.esportazioni import scrittore_csv
from pianizona.money import format_euro, format_percentuale

EURO = "euro"
PERCENTUALE = "percentuale"
NUMERO = "numero"
TESTO = "testo"

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Colonna:
    nome: str  # snake_case, the CSV header
    etichetta: str  # the table header
    tipo: str = TESTO

    @property
    def numerica(self) -> bool:
        return self.tipo != TESTO


@dataclass
class Grafico:
    """A chart and its accessible table: the first column labels the rows, ``serie`` are drawn."""

    nome: str  # the ?grafico= value of the CSV export
    titolo: str
    descrizione: str  # the table's caption and the chart's aria-label
    colonne: list[Colonna]
    righe: list[list] = field(default_factory=list)
    serie: list[str] = field(default_factory=list)  # names of the columns drawn
    tipo: str = "bar"  # Chart.js type: bar, line
    orizzontale: bool = False
    impilato: bool = False
    vuoto: str = "Nessun dato per i filtri scelti."

    @property
    def altezza(self) -> int:
        """Pixels of the chart's box: horizontal bars grow with the rows, so labels stay legible."""
        if self.orizzontale:
            return max(240, 60 + 26 * len(self.righe) * max(len(self.serie), 1))
        return 320

    def indice(self, nome: str) -> int:
        return next(i for i, c in enumerate(self.colonne) if c.nome == nome)

    def celle(self) -> list[list[tuple[Colonna, str]]]:
        """Rows as the table shows them: (column, formatted value)."""
        return [
            [(c, formatta(v, c.tipo)) for c, v in zip(self.colonne, riga, strict=True)]
            for riga in self.righe
        ]

    def dati_grafico(self) -> dict:
        """What cruscotti.js draws: labels, series as numbers, the unit of the axis."""
        serie = [self.colonne[self.indice(nome)] for nome in self.serie]
        return {
            "tipo": self.tipo,
            "orizzontale": self.orizzontale,
            "impilato": self.impilato,
            "etichette": [str(riga[0]) for riga in self.righe],
            "unita": serie[0].tipo if serie else NUMERO,
            "serie": [
                {
                    "nome": colonna.etichetta,
                    "valori": [
                        None
                        if riga[self.indice(colonna.nome)] is None
                        else float(riga[self.indice(colonna.nome)])
                        for riga in self.righe
                    ],
                }
                for colonna in serie
            ],
        }

    def csv(self) -> bytes:
        """Comma-separated, UTF-8, a snake_case header; numbers with a dot, empty for no value."""
        uscita = io.StringIO()
        scrittore = scrittore_csv(uscita, lineterminator="\n")
        scrittore.writerow([c.nome for c in self.colonne])
        for riga in self.righe:
            scrittore.writerow([grezzo(v, c.tipo) for c, v in zip(self.colonne, riga, strict=True)])
        return uscita.getvalue().encode("utf-8")


def grezzo(valore, tipo: str = TESTO) -> str:
    """A value for machines: amounts and percentages with two decimals and a dot, none empty."""
    if valore is None:
        return ""
    if tipo in (EURO, PERCENTUALE):
        valore = Decimal(valore).quantize(CENT, rounding=ROUND_HALF_UP)
    if isinstance(valore, Decimal):
        return format(valore, "f")
    return str(valore)


def formatta(valore, tipo: str) -> str:
    if valore is None:
        return "—"
    if tipo == EURO:
        return format_euro(valore)
    if tipo == PERCENTUALE:
        return format_percentuale(valore)
    if tipo == NUMERO:
        if isinstance(valore, Decimal) and valore != valore.to_integral_value():
            return format_euro(valore, simbolo=False)
        return f"{int(valore):,}".replace(",", ".")
    return str(valore)


def quota(parte: Decimal | None, totale: Decimal | None) -> Decimal | None:
    """``parte`` as a percentage of ``totale`` with two decimals; None when there is no total."""
    if not totale:
        return None
    return (Decimal(parte or 0) * 100 / Decimal(totale)).quantize(CENT, rounding=ROUND_HALF_UP)


def per_abitante(importo: Decimal | None, abitanti: int | None) -> Decimal | None:
    if not abitanti:
        return None
    return (Decimal(importo or 0) / abitanti).quantize(CENT, rounding=ROUND_HALF_UP)
