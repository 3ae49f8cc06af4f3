"""Charts drawn on the server as SVG: the same markup serves the page and the PDF.

Every chart has a title and a description for screen readers, and the page always shows the same
data as a table. Colours have at least 3:1 contrast on white (WCAG 1.4.11) and the legend names
each series, so colour is never the only cue.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from .money import format_euro

# Okabe–Ito derived palette, darkened where needed for 3:1 on white.
COLORI = ["#0066cc", "#b35900", "#00805a", "#a3007d", "#5c6f82", "#8a6d00", "#c2185b", "#1f2a44"]


@dataclass(frozen=True)
class Serie:
    nome: str
    valori: list[Decimal]


def barre_impilate(
    *, titolo: str, descrizione: str, categorie: list[str], serie: list[Serie], id_grafico: str
) -> str:
    """Vertical stacked bars, one per category (e.g. year), one segment per series."""
    larghezza, altezza = 640, 320
    margine_sx, margine_dx, margine_su, margine_giu = 110, 20, 20, 40
    area_l = larghezza - margine_sx - margine_dx
    area_a = altezza - margine_su - margine_giu
    totali = [sum((s.valori[i] for s in serie), Decimal(0)) for i in range(len(categorie))]
    massimo = max(totali, default=Decimal(0)) or Decimal(1)
    passo = area_l / max(len(categorie), 1)
    barra = passo * 0.55

    parti = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {larghezza} {altezza + 24 * ((len(serie) + 2) // 3)}" '
        f'role="img" aria-labelledby="{id_grafico}-t {id_grafico}-d" class="grafico">',
        f'<title id="{id_grafico}-t">{escape(titolo)}</title>',
        f'<desc id="{id_grafico}-d">{escape(descrizione)}</desc>',
    ]
    for frazione in (Decimal(0), Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1)):
        y = margine_su + area_a - float(frazione) * area_a
        parti.append(
            f'<line x1="{margine_sx}" x2="{larghezza - margine_dx}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9dadb"/>'
        )
        etichetta = format_euro(massimo * frazione).split(",")[0] + " €"
        parti.append(
            f'<text x="{margine_sx - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#1a1a1a">{escape(etichetta)}</text>'
        )
    for i, categoria in enumerate(categorie):
        x = margine_sx + passo * i + (passo - barra) / 2
        base = margine_su + area_a
        for j, s in enumerate(serie):
            valore = s.valori[i]
            if valore <= 0:
                continue
            h = float(valore / massimo) * area_a
            base -= h
            parti.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{barra:.1f}" height="{h:.1f}" '
                f'fill="{COLORI[j % len(COLORI)]}" stroke="#ffffff" stroke-width="1">'
                f"<title>{escape(s.nome)} {escape(categoria)}: {escape(format_euro(valore))}</title></rect>"
            )
        parti.append(
            f'<text x="{x + barra / 2:.1f}" y="{margine_su + area_a + 18}" text-anchor="middle" '
            f'font-size="13" fill="#1a1a1a">{escape(categoria)}</text>'
        )
    for j, s in enumerate(serie):
        colonna, riga = j % 3, j // 3
        lx, ly = margine_sx + colonna * 180, altezza + riga * 24
        parti.append(
            f'<rect x="{lx}" y="{ly - 11}" width="14" height="14" fill="{COLORI[j % len(COLORI)]}"/>'
        )
        parti.append(
            f'<text x="{lx + 20}" y="{ly + 1}" font-size="12" fill="#1a1a1a">{escape(s.nome)}</text>'
        )
    parti.append("</svg>")
    return "".join(parti)
