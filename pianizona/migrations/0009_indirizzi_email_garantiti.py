"""Every existing account's address becomes verified and primary, as the service now records it.

Accounts were opened only by administrators (admin form, import, invitation, createsuperuser),
so their address is vouched for; without this an officer who never enrolled TOTP stays locked
out of enrolment by allauth's "verify your e-mail first".
"""

from django.db import migrations


def garantisci_indirizzi(apps, schema_editor):
    User = apps.get_model("pianizona", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.exclude(email="").iterator():
        EmailAddress.objects.filter(user=user).exclude(email=user.email).delete()
        EmailAddress.objects.filter(email__iexact=user.email).exclude(user=user).delete()
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pianizona", "0008_ambito_codice_unico_per_regione"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(garantisci_indirizzi, migrations.RunPython.noop)]
