"""The database itself refuses to rewrite the audit log.

PostgreSQL: a trigger refuses UPDATE and DELETE on every row (TRUNCATE, which only the
database owner runs for a restore or a test flush, is not affected).
SQLite: only UPDATE is refused, because Django empties SQLite tables with DELETE between
tests; SQLite is the development database, PostgreSQL the production one.
"""

from django.db import migrations

MENSAJE = "auditoria_inalterable: la bitácora de auditoría no se modifica ni se borra"

POSTGRES_CREAR = [
    f"""CREATE FUNCTION auditoria_registro_inalterable() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MENSAJE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER auditoria_registro_inalterable BEFORE UPDATE OR DELETE ON auditoria_registroauditoria
    FOR EACH ROW EXECUTE FUNCTION auditoria_registro_inalterable()""",
]
POSTGRES_BORRAR = [
    "DROP TRIGGER IF EXISTS auditoria_registro_inalterable ON auditoria_registroauditoria",
    "DROP FUNCTION IF EXISTS auditoria_registro_inalterable()",
]
SQLITE_CREAR = [
    f"""CREATE TRIGGER auditoria_registro_inalterable BEFORE UPDATE ON auditoria_registroauditoria
    BEGIN SELECT RAISE(ABORT, '{MENSAJE}'); END""",
]
SQLITE_BORRAR = ["DROP TRIGGER IF EXISTS auditoria_registro_inalterable"]


def _ejecutar(schema_editor, por_motor: dict) -> None:
    for sentencia in por_motor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sentencia)


def crear(apps, schema_editor) -> None:
    _ejecutar(schema_editor, {"postgresql": POSTGRES_CREAR, "sqlite": SQLITE_CREAR})


def borrar(apps, schema_editor) -> None:
    _ejecutar(schema_editor, {"postgresql": POSTGRES_BORRAR, "sqlite": SQLITE_BORRAR})


class Migration(migrations.Migration):
    dependencies = [("auditoria", "0001_inicial")]

    operations = [migrations.RunPython(crear, borrar)]
