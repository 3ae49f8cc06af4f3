from django.db import models


class RevisioneTabella(models.Model):
    """The revision number of one editable table of a plan, for optimistic concurrency control."""

    piano = models.ForeignKey("pianizona.Piano", on_delete=models.CASCADE, related_name="revisioni")
    tabella = models.CharField(max_length=50)
    numero = models.PositiveIntegerField(default=0)
    modificata_da = models.ForeignKey(
        "pianizona.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modificata_il = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "revisione di tabella"
        verbose_name_plural = "revisioni di tabella"
        constraints = [
            models.UniqueConstraint(fields=["piano", "tabella"], name="revisione_unica_per_tabella")
        ]

    def __str__(self) -> str:
        return f"{self.tabella} r{self.numero}"
