from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class PianizonaUserManager(UserManager):
    """Users are identified by e-mail; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'indirizzo e-mail è obbligatorio.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("indirizzo e-mail", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = PianizonaUserManager()

    class Meta:
        verbose_name = "utente"
        verbose_name_plural = "utenti"
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Ruolo(models.TextChoices):
    OPERATORE = "operatore", "Operatore dell'Ufficio di Piano"
    RESPONSABILE = "responsabile", "Responsabile dell'Ufficio di Piano"
    FUNZIONARIO = "funzionario", "Funzionario regionale"


RUOLI_AMBITO = (Ruolo.OPERATORE, Ruolo.RESPONSABILE)


class Membership(models.Model):
    """A role held by a user: in one ambito (district roles) or in one region (officers)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    ruolo = models.CharField(max_length=20, choices=Ruolo.choices)
    ambito = models.ForeignKey(
        "pianizona.Ambito",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Per operatori e responsabili dell'Ufficio di Piano.",
    )
    regione = models.ForeignKey(
        "pianizona.Regione",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Per i funzionari regionali.",
    )
    creato_il = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ruolo"
        verbose_name_plural = "ruoli"
        ordering = ["user", "ruolo"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(ruolo__in=RUOLI_AMBITO, ambito__isnull=False, regione__isnull=True)
                    | Q(ruolo=Ruolo.FUNZIONARIO, ambito__isnull=True, regione__isnull=False)
                ),
                name="membership_ambito_o_regione_secondo_ruolo",
                violation_error_message="Operatori e responsabili vanno associati a un ambito; i funzionari a una regione.",
            ),
            models.UniqueConstraint(
                fields=["user", "ambito"],
                condition=Q(ambito__isnull=False),
                name="membership_un_ruolo_per_ambito",
                violation_error_message="L'utente ha già un ruolo in questo ambito.",
            ),
            models.UniqueConstraint(
                fields=["user", "regione"],
                condition=Q(regione__isnull=False),
                name="membership_un_ruolo_per_regione",
                violation_error_message="L'utente ha già un ruolo in questa regione.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_ruolo_display()} – {self.ambito or self.regione}"

    @property
    def territorio(self):
        return self.ambito or self.regione

    def clean(self) -> None:
        errori = {}
        if self.ruolo in RUOLI_AMBITO:
            if self.ambito_id is None:
                errori["ambito"] = "Indicare l'ambito in cui l'utente opera."
            if self.regione_id is not None:
                errori["regione"] = "Per operatori e responsabili la regione non va indicata."
        elif self.ruolo == Ruolo.FUNZIONARIO:
            if self.regione_id is None:
                errori["regione"] = "Indicare la regione del funzionario."
            if self.ambito_id is not None:
                errori["ambito"] = "Per i funzionari regionali l'ambito non va indicato."
        if errori:
            raise ValidationError(errori)
