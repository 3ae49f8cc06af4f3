"""Long operations run by a worker (a plan's PDF, a regional batch, a large export): one row each."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


def percorso_file_job(job: "Job", nome: str) -> str:
    # One folder per job: a re-run clears it first, so a job never leaves two result files.
    return f"job/{job.pk}/{nome}"


class Job(models.Model):
    """Who asked for what, on which plan or cycle, how far it got, and the file it produced."""

    class Stato(models.TextChoices):
        IN_CODA = "in_coda", "In coda"
        IN_CORSO = "in_corso", "In corso"
        COMPLETATO = "completato", "Completato"
        FALLITO = "fallito", "Non riuscito"

    STATI_CONCLUSI = (Stato.COMPLETATO, Stato.FALLITO)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tipo = models.CharField(max_length=60, help_text="Un tipo registrato in pianizona.lavori.tipi.")
    utente = models.ForeignKey(
        "pianizona.User",
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name="richiesto da",
    )
    piano = models.ForeignKey(
        "pianizona.Piano", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    ciclo = models.ForeignKey(
        "pianizona.Ciclo", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    parametri = models.JSONField(default=dict, blank=True)
    stato = models.CharField(max_length=20, choices=Stato.choices, default=Stato.IN_CODA)
    progresso = models.PositiveSmallIntegerField(default=0, help_text="Percentuale, da 0 a 100.")
    messaggio = models.CharField("passo in corso", max_length=300, blank=True)
    errore = models.TextField(blank=True, help_text="Il messaggio per l'utente, in italiano.")
    file = models.FileField(upload_to=percorso_file_job, max_length=300, blank=True)
    nome_file = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=150, blank=True)
    dimensione = models.PositiveBigIntegerField("dimensione in byte", null=True, blank=True)
    file_eliminato_il = models.DateTimeField(
        null=True, blank=True, help_text="Quando il file è stato eliminato dalla pulizia periodica."
    )
    tentativi = models.PositiveSmallIntegerField(default=0)
    esecuzione = models.CharField(
        max_length=64,
        blank=True,
        help_text="Il gettone dell'esecuzione che ha il lavoro in carico.",
    )
    creato_il = models.DateTimeField(default=timezone.now)
    iniziato_il = models.DateTimeField(null=True, blank=True)
    completato_il = models.DateTimeField(null=True, blank=True)
    aggiornato_il = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "lavoro"
        verbose_name_plural = "lavori"
        ordering = ["-creato_il"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progresso__lte=100), name="job_progresso_al_massimo_100"
            ),
        ]
        indexes = [
            models.Index(fields=["utente", "-creato_il"]),
            models.Index(fields=["stato", "completato_il"]),
        ]

    def __str__(self) -> str:
        return f"{self.tipo} – {self.creato_il:%d/%m/%Y %H:%M}"

    @property
    def concluso(self) -> bool:
        return self.stato in self.STATI_CONCLUSI

    @property
    def file_disponibile(self) -> bool:
        return self.stato == self.Stato.COMPLETATO and bool(self.file)

    @property
    def file_eliminato(self) -> bool:
        return (
            self.stato == self.Stato.COMPLETATO and not self.file and bool(self.file_eliminato_il)
        )
