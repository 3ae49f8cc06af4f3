"""How a plan travels between district and Region: transitions, frozen versions, review, history."""

from django.db import models
from django.utils import timezone

from .piani import Piano


class Transizione(models.Model):
    """One move of a plan from a state to another: who, when, from, to, why."""

    class Azione(models.TextChoices):
        INVIO = "invio", "Invio alla Regione"
        PRESA_IN_CARICO = "presa_in_carico", "Presa in carico"
        RICHIESTA_INTEGRAZIONI = "richiesta_integrazioni", "Richiesta di integrazioni"
        APPROVAZIONE = "approvazione", "Approvazione"

    class Osservazioni(models.TextChoices):
        """What the approving officer chose for the remarks still open."""

        CHIUSE = "chiuse", "Chiuse con l'approvazione"
        LASCIATE_APERTE = "lasciate_aperte", "Lasciate aperte"

    # A version's outcome: the decision the Region took on it.
    ESITI = {
        Azione.APPROVAZIONE: "Approvata",
        Azione.RICHIESTA_INTEGRAZIONI: "Integrazioni richieste",
    }

    piano = models.ForeignKey(Piano, on_delete=models.CASCADE, related_name="transizioni")
    azione = models.CharField(max_length=30, choices=Azione.choices)
    da_stato = models.CharField("dallo stato", max_length=30, choices=Piano.Stato.choices)
    a_stato = models.CharField("allo stato", max_length=30, choices=Piano.Stato.choices)
    utente = models.ForeignKey("pianizona.User", on_delete=models.PROTECT, related_name="+")
    commento = models.TextField(blank=True)
    versione = models.ForeignKey(
        "pianizona.Versione",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transizioni",
        help_text="La versione di cui tratta il passaggio: inviata, presa in carico, rimandata "
        "per integrazioni o approvata.",
    )
    eseguita_il = models.DateTimeField(default=timezone.now)
    osservazioni = models.CharField(
        "osservazioni aperte all'approvazione",
        max_length=20,
        choices=Osservazioni.choices,
        blank=True,
        help_text="La scelta di chi approva sulle osservazioni ancora aperte; vuota se non ce n'erano.",
    )
    osservazioni_aperte = models.PositiveIntegerField(
        "osservazioni aperte",
        default=0,
        help_text="Quante erano aperte al momento dell'approvazione.",
    )

    class Meta:
        verbose_name = "passaggio di stato"
        verbose_name_plural = "passaggi di stato"
        ordering = ["piano", "eseguita_il", "pk"]
        indexes = [models.Index(fields=["piano", "-eseguita_il"])]

    def __str__(self) -> str:
        return f"{self.get_azione_display()} – {self.piano}"

    @property
    def esito_osservazioni(self) -> str:
        """What an approval did to the remarks still open, in a sentence (empty if none were)."""
        n = self.osservazioni_aperte
        if self.osservazioni == self.Osservazioni.CHIUSE:
            return (
                "Chiusa l'osservazione aperta." if n == 1 else f"Chiuse le {n} osservazioni aperte."
            )
        if self.osservazioni == self.Osservazioni.LASCIATE_APERTE:
            return (
                "Un'osservazione resta aperta." if n == 1 else f"{n} osservazioni restano aperte."
            )
        return ""

    @property
    def esito(self) -> str:
        """The outcome this move gives its version («Approvata», …); empty for other moves."""
        return self.ESITI.get(self.azione, "")


class VersioneImmutabile(Exception):
    pass


class Versione(models.Model):
    """The whole plan frozen at a submission: later edits never change it."""

    piano = models.ForeignKey(Piano, on_delete=models.CASCADE, related_name="versioni")
    numero = models.PositiveIntegerField()
    creata_il = models.DateTimeField(default=timezone.now)
    creata_da = models.ForeignKey("pianizona.User", on_delete=models.PROTECT, related_name="+")
    contenuto = models.JSONField(help_text="L'istantanea del piano (pianizona.iter.istantanee).")
    impronta = models.CharField("impronta SHA-256", max_length=64)

    class Meta:
        verbose_name = "versione del piano"
        verbose_name_plural = "versioni del piano"
        ordering = ["piano", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["piano", "numero"], name="versione_unica_per_piano")
        ]

    def __str__(self) -> str:
        return f"Versione {self.numero} – {self.piano}"

    def save(self, *args, **kwargs) -> None:
        # The record of what was submitted: written once, never rewritten.
        if not self._state.adding:
            raise VersioneImmutabile("Una versione inviata non si modifica.")
        super().save(*args, **kwargs)


class Commento(models.Model):
    """A review remark on a section of a plan, or a reply to one; remarks are open until resolved."""

    piano = models.ForeignKey(Piano, on_delete=models.CASCADE, related_name="commenti")
    sezione = models.CharField(max_length=60, help_text="«generale» o una sezione registrata.")
    risposta_a = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="risposte"
    )
    versione = models.ForeignKey(
        Versione, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    autore = models.ForeignKey("pianizona.User", on_delete=models.PROTECT, related_name="+")
    testo = models.TextField()
    creato_il = models.DateTimeField(default=timezone.now)
    risolto_il = models.DateTimeField(null=True, blank=True)
    risolto_da = models.ForeignKey(
        "pianizona.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "osservazione"
        verbose_name_plural = "osservazioni"
        ordering = ["piano", "creato_il", "pk"]
        indexes = [models.Index(fields=["piano", "risolto_il"])]

    def __str__(self) -> str:
        return f"Osservazione su {self.piano} del {self.creato_il:%d/%m/%Y}"

    @property
    def aperto(self) -> bool:
        return self.risposta_a_id is None and self.risolto_il is None


class Modifica(models.Model):
    """One write to a plan's data — from a form, an import or a service — and what it changed."""

    class Origine(models.TextChoices):
        MODULO = "modulo", "Modulo"
        IMPORTAZIONE = "importazione", "Importazione da foglio di calcolo"
        SISTEMA = "sistema", "Procedura automatica"

    piano = models.ForeignKey(Piano, on_delete=models.CASCADE, related_name="modifiche")
    utente = models.ForeignKey(
        "pianizona.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    eseguita_il = models.DateTimeField(default=timezone.now)
    operazione = models.CharField(max_length=200)
    origine = models.CharField(max_length=20, choices=Origine.choices, default=Origine.MODULO)

    class Meta:
        verbose_name = "modifica del piano"
        verbose_name_plural = "cronologia delle modifiche"
        ordering = ["piano", "-eseguita_il", "-pk"]
        indexes = [models.Index(fields=["piano", "-eseguita_il"])]

    def __str__(self) -> str:
        return f"{self.operazione} – {self.eseguita_il:%d/%m/%Y %H:%M}"


class VoceModifica(models.Model):
    """One value that changed: which table, which row, which field, old → new."""

    class Tipo(models.TextChoices):
        AGGIUNTA = "aggiunta", "Aggiunta"
        RIMOZIONE = "rimozione", "Rimozione"
        MODIFICA = "modifica", "Modifica"

    modifica = models.ForeignKey(Modifica, on_delete=models.CASCADE, related_name="voci")
    tabella = models.CharField(max_length=120)
    riga = models.CharField(max_length=300)
    campo = models.CharField(max_length=120, blank=True)
    tipo = models.CharField(max_length=20, choices=Tipo.choices)
    prima = models.TextField(blank=True)
    dopo = models.TextField(blank=True)

    class Meta:
        verbose_name = "dettaglio della modifica"
        verbose_name_plural = "dettagli della modifica"
        ordering = ["modifica", "pk"]

    def __str__(self) -> str:
        return f"{self.tabella} · {self.riga} · {self.campo}"
