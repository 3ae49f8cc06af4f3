"""National code lists, loaded from pianizona/data/reference by ``manage.py load_reference``."""

from django.db import models
from django.db.models import Q


class UsoFonte(models.TextChoices):
    """Where a fund's money may be entered or programmed: decided by its level."""

    TRASFERIMENTO = "trasferimento", "nei trasferimenti e nei riparti della Regione"
    ALTRA_RISORSA = "altra_risorsa", "tra le altre risorse"
    RESIDUO = "residuo", "come fondo di provenienza di residui ed economie"
    ALLOCAZIONE = "allocazione", "negli importi delle schede"


# Why a fund is refused, per use: the second half of the Italian message.
MOTIVI_RIFIUTO = {
    UsoFonte.TRASFERIMENTO: "la Regione trasferisce e ripartisce solo fondi statali e regionali.",
    UsoFonte.ALTRA_RISORSA: "i fondi statali e regionali arrivano con i trasferimenti della "
    "Regione; cofinanziamento comunale e residui hanno pagine proprie.",
    UsoFonte.RESIDUO: "indicare il fondo da cui proviene la somma (es. FNPS).",
    UsoFonte.ALLOCAZIONE: "residui ed economie si programmano sul fondo di provenienza.",
}


def usi_della_fonte(livello: str) -> frozenset[str]:
    """The one rule: which uses a fund of this level admits (the section only places it)."""
    if livello == "mista":  # the residui aggregate (RES): residui are entered by fund of origin
        return frozenset()
    if livello == "comunale":  # co-financing has its own page; its budget is programmed
        return frozenset({UsoFonte.ALLOCAZIONE})
    # Each fund enters the budget one way only, or the same money would count twice.
    usi = {UsoFonte.ALLOCAZIONE, UsoFonte.RESIDUO}
    if livello in ("statale", "regionale"):  # the Region transfers them, whatever the section
        usi.add(UsoFonte.TRASFERIMENTO)
    else:  # ASL share, European and other funds: the district brings them in itself
        usi.add(UsoFonte.ALTRA_RISORSA)
    return frozenset(usi)


class FonteQuerySet(models.QuerySet):
    def della_regione(self, regione_id: int) -> "FonteQuerySet":
        """The national funds and the Region's own: never another Region's."""
        return self.filter(Q(regione__isnull=True) | Q(regione_id=regione_id))

    def per_uso(self, uso: str) -> "FonteQuerySet":
        """The funds ``usi_della_fonte`` admits for ``uso``, as a filter on their level."""
        livelli = [liv for liv in FonteFinanziamento.Livello.values if uso in usi_della_fonte(liv)]
        return self.filter(livello__in=livelli)


class MacroLivello(models.Model):
    codice = models.PositiveSmallIntegerField(unique=True)
    nome = models.CharField(max_length=200)

    class Meta:
        verbose_name = "macro-livello FNPS"
        verbose_name_plural = "macro-livelli FNPS"
        ordering = ["codice"]

    def __str__(self) -> str:
        return f"{self.codice}. {self.nome}"


class ObiettivoServizio(models.Model):
    macro_livello = models.ForeignKey(
        MacroLivello, on_delete=models.PROTECT, related_name="obiettivi"
    )
    codice = models.CharField(max_length=10, unique=True)
    nome = models.CharField(max_length=200)

    class Meta:
        verbose_name = "obiettivo di servizio FNPS"
        verbose_name_plural = "obiettivi di servizio FNPS"
        ordering = ["codice"]

    def __str__(self) -> str:
        return f"{self.codice} {self.nome}"


class AreaInterventoFnps(models.Model):
    codice = models.PositiveSmallIntegerField(unique=True)
    nome = models.CharField(max_length=200)

    class Meta:
        verbose_name = "area di intervento FNPS"
        verbose_name_plural = "aree di intervento FNPS"
        ordering = ["codice"]

    def __str__(self) -> str:
        return self.nome


class AreaUtenzaIstat(models.Model):
    codice = models.CharField(max_length=10, unique=True)
    nome = models.CharField(max_length=200)

    class Meta:
        verbose_name = "area di utenza ISTAT"
        verbose_name_plural = "aree di utenza ISTAT"
        ordering = ["codice"]

    def __str__(self) -> str:
        return self.nome


class PrestazioneSiuss(models.Model):
    codice = models.CharField(max_length=10, unique=True)
    nome = models.CharField(max_length=250)

    class Meta:
        verbose_name = "prestazione SIUSS"
        verbose_name_plural = "prestazioni SIUSS"
        ordering = ["codice"]

    def __str__(self) -> str:
        return f"{self.codice} {self.nome}"


class FonteFinanziamento(models.Model):
    class Livello(models.TextChoices):
        STATALE = "statale", "Statale"
        REGIONALE = "regionale", "Regionale"
        COMUNALE = "comunale", "Comunale"
        SANITARIA = "sanitaria", "Sanitaria (ASL/AUSL)"
        EUROPEA = "europea", "Europea"
        MISTA = "mista", "Mista"
        ALTRO = "altro", "Altro"

    class Sezione(models.TextChoices):
        ORDINARIE = "ordinarie", "Risorse ordinarie"
        ALTRE_RISORSE = "altre_risorse", "Altre risorse"

    codice = models.CharField(max_length=10, unique=True)
    nome = models.CharField(max_length=200)
    # Empty for the national funds every Region shares; set for a Region's own fund.
    regione = models.ForeignKey(
        "pianizona.Regione",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fonti_proprie",
        help_text="Vuoto per le fonti nazionali, comuni a tutte le regioni.",
    )
    livello = models.CharField(max_length=20, choices=Livello.choices)
    sezione = models.CharField(max_length=20, choices=Sezione.choices)
    note = models.TextField(blank=True)
    ordine = models.PositiveSmallIntegerField(default=0)

    objects = FonteQuerySet.as_manager()

    class Meta:
        verbose_name = "fonte di finanziamento"
        verbose_name_plural = "fonti di finanziamento"
        ordering = ["ordine", "codice"]

    def __str__(self) -> str:
        return self.nome

    def ammessa(self, uso: str) -> bool:
        return uso in usi_della_fonte(self.livello)

    def rifiuto(self, uso: str) -> str:
        """The Italian refusal a forged POST or an import row gets for a misplaced fund."""
        return (
            f"La fonte «{self.codice}» non può essere usata {UsoFonte(uso).label}: "
            f"{MOTIVI_RIFIUTO[uso]}"
        )
