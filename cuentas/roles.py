"""A user's role is the kind of its dependencia (README, "Decisiones"): staff status and the IMPLAN
group follow it, so nobody grants them by hand in the admin."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from cuentas.models import Usuario

GRUPO_IMPLAN = "IMPLAN"


def grupo_implan() -> Group:
    """IMPLAN staff may add and change everything in the admin, but delete nothing: history must survive."""
    grupo, _creado = Group.objects.get_or_create(name=GRUPO_IMPLAN)
    permisos = Permission.objects.filter(
        content_type__app_label__in=["convenios", "seguimiento", "cuentas", "auditoria", "transparencia"]
    ).exclude(codename__startswith="delete_")
    # A lost phone: IMPLAN deletes the user's second-factor device (never sees its secret).
    dispositivos = Permission.objects.filter(
        content_type__app_label="otp_totp", codename__in=["view_totpdevice", "delete_totpdevice"]
    )
    grupo.permissions.set([*permisos, *dispositivos])
    return grupo


def aplicar_rol(usuario: Usuario) -> list[str]:
    """Staff status and the IMPLAN group from the user's dependencia; returns what changed, in Spanish.

    A superuser (the state-level administrator) and a user without a dependencia are left as they are.
    """
    from convenios.models import TipoDependencia

    if usuario.is_superuser or usuario.dependencia_id is None:
        return []
    es_implan = usuario.es(TipoDependencia.IMPLAN)
    cambios = []
    if usuario.is_staff != es_implan:
        usuario.is_staff = es_implan
        usuario.save(update_fields=["is_staff"])
        cambios.append(f"entra a la administración: «{'no' if es_implan else 'sí'}» → «{'sí' if es_implan else 'no'}»")
    grupo = Group.objects.filter(name=GRUPO_IMPLAN).first()
    en_el_grupo = grupo is not None and usuario.groups.filter(pk=grupo.pk).exists()
    if es_implan and not en_el_grupo:
        usuario.groups.add(grupo_implan())
        cambios.append(f"grupo {GRUPO_IMPLAN}: agregado")
    elif not es_implan and en_el_grupo:
        usuario.groups.remove(grupo)
        cambios.append(f"grupo {GRUPO_IMPLAN}: quitado")
    return cambios
