from django.db import models


class RevisioneTabella(models.Model):
    """The revision number of one editable table, for optimistic concurrency control.

    ``chiave`` names the table and its owner, e.g. ``pianizona.piano:12:cofinanziamento``.
    """

    chiave = models.CharField(max_length=120, unique=True)
    numero = models.PositiveIntegerField(default=0)
    modificata_da = models.ForeignKey(
        "pianizona.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modificata_il = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "revisione di tabella"
        verbose_name_plural = "revisioni di tabella"

    def __str__(self) -> str:
        return f"{self.chiave} r{self.numero}"
