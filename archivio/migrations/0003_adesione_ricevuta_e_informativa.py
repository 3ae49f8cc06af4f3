import django.core.validators
import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import ExtractYear

# Kept here, not imported: a migration runs against the models as they were.
def _numero(codice: str, anno: int, progressivo: int) -> str:
    return f"ADE-{codice}-{anno}-{progressivo:06d}"


def numera_le_richieste_gia_ricevute(apps, schema_editor):
    """Earlier requests get their numbers in the order they arrived, per ambito and year."""
    Adesione = apps.get_model("archivio", "Adesione")
    contatori: dict[tuple[int, int], int] = {}
    righe = (
        Adesione.objects.select_related("ambito")
        .annotate(anno=ExtractYear("creata_il"))
        .order_by("creata_il", "pk")
    )
    for adesione in righe:
        chiave = (adesione.ambito_id, adesione.anno)
        contatori[chiave] = contatori.get(chiave, 0) + 1
        adesione.ricevuta_anno = adesione.anno
        adesione.ricevuta_progressivo = contatori[chiave]
        adesione.ricevuta = _numero(adesione.ambito.codice, adesione.anno, contatori[chiave])
        adesione.save(update_fields=["ricevuta_anno", "ricevuta_progressivo", "ricevuta"])


class Migration(migrations.Migration):

    dependencies = [
        ("archivio", "0002_adesione_revoca"),
        ("pianizona", "0005_api"),
    ]

    operations = [
        migrations.AddField(
            model_name="adesione",
            name="ricevuta_anno",
            field=models.PositiveSmallIntegerField(
                editable=False, null=True, verbose_name="anno della ricevuta"
            ),
        ),
        migrations.AddField(
            model_name="adesione",
            name="ricevuta_progressivo",
            field=models.PositiveIntegerField(
                editable=False, null=True, verbose_name="progressivo nell'anno"
            ),
        ),
        migrations.AddField(
            model_name="adesione",
            name="ricevuta",
            field=models.CharField(
                default="", editable=False, max_length=40, verbose_name="numero di ricevuta"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(numera_le_richieste_gia_ricevute, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="adesione",
            name="ricevuta_anno",
            field=models.PositiveSmallIntegerField(
                editable=False, verbose_name="anno della ricevuta"
            ),
        ),
        migrations.AlterField(
            model_name="adesione",
            name="ricevuta_progressivo",
            field=models.PositiveIntegerField(editable=False, verbose_name="progressivo nell'anno"),
        ),
        migrations.AddConstraint(
            model_name="adesione",
            constraint=models.UniqueConstraint(
                fields=("ambito", "ricevuta_anno", "ricevuta_progressivo"),
                name="adesione_ricevuta_unica_per_ambito_e_anno",
            ),
        ),
        migrations.CreateModel(
            name="InformativaAdesioni",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("titolare", models.CharField(choices=[("capofila", "Ente capofila dell'ambito"), ("regione", "Regione")], default="capofila", help_text="Chi decide sulle adesioni e ne tratta i dati.", max_length=20, verbose_name="titolare del trattamento")),
                ("denominazione_titolare", models.CharField(blank=True, help_text="Vuoto: «Comune di …» (il comune capofila) per l'ente capofila, «Regione …» per la Regione. Da indicare per un'unione, un consorzio o un'azienda.", max_length=200, verbose_name="denominazione del titolare")),
                ("indirizzo_titolare", models.CharField(blank=True, max_length=250, verbose_name="sede del titolare")),
                ("pec_titolare", models.EmailField(blank=True, max_length=254, verbose_name="PEC del titolare")),
                ("email_titolare", models.EmailField(blank=True, max_length=254, verbose_name="e-mail dell'Ufficio di Piano")),
                ("email_rpd", models.EmailField(blank=True, max_length=254, verbose_name="e-mail del Responsabile della protezione dei dati (RPD/DPO)")),
                ("pec_rpd", models.EmailField(blank=True, max_length=254, verbose_name="PEC del Responsabile della protezione dei dati")),
                ("conservazione_anni", models.PositiveSmallIntegerField(default=10, help_text="Dalla conclusione dell'adesione (rigetto, revoca o fine dell'Accordo), secondo il piano di conservazione dell'ente.", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(99)], verbose_name="anni di conservazione")),
                ("aggiornata_il", models.DateTimeField(auto_now=True, verbose_name="aggiornata il")),
                ("ambito", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="informativa_adesioni", to="pianizona.ambito")),
            ],
            options={
                "verbose_name": "informativa sulle adesioni",
                "verbose_name_plural": "informative sulle adesioni",
            },
        ),
    ]
