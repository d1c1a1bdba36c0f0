"""Database triggers for the rules that span two tables, which a CHECK constraint cannot express.

- An item's date never passes its convenio's deadline (cláusula QUINTA), and its
  current date never passes the original one by more than the convenio's maximum
  prórroga (cláusula SÉPTIMA).
- A convenio's deadline or maximum prórroga cannot be changed so that an
  existing item breaks the rule above.

Written for SQLite and PostgreSQL, the two supported databases.
"""

from django.db import migrations

MENSAJE_ASPECTO = "aspecto_fecha_en_plazo: la fecha de cumplimiento excede el plazo del convenio (cláusulas QUINTA y SÉPTIMA)"
MENSAJE_CONVENIO = "convenio_plazo_cubre_aspectos: un aspecto del convenio quedaría fuera del plazo (cláusulas QUINTA y SÉPTIMA)"

SQLITE_ASPECTO_FUERA = """
EXISTS (SELECT 1 FROM convenios_convenio c WHERE c.id = NEW.convenio_id AND (
    NEW.fecha_compromiso > c.fecha_limite
    OR NEW.fecha_vigente > date(NEW.fecha_compromiso, '+' || c.dias_prorroga_max || ' days')))
"""
SQLITE_CONVENIO_FUERA = """
EXISTS (SELECT 1 FROM convenios_aspecto a WHERE a.convenio_id = NEW.id AND (
    a.fecha_compromiso > NEW.fecha_limite
    OR a.fecha_vigente > date(a.fecha_compromiso, '+' || NEW.dias_prorroga_max || ' days')))
"""

SQLITE_CREAR = [
    f"""CREATE TRIGGER aspecto_fecha_en_plazo_insert BEFORE INSERT ON convenios_aspecto
    FOR EACH ROW WHEN {SQLITE_ASPECTO_FUERA}
    BEGIN SELECT RAISE(ABORT, '{MENSAJE_ASPECTO}'); END""",
    f"""CREATE TRIGGER aspecto_fecha_en_plazo_update
    BEFORE UPDATE OF fecha_compromiso, fecha_vigente, convenio_id ON convenios_aspecto
    FOR EACH ROW WHEN {SQLITE_ASPECTO_FUERA}
    BEGIN SELECT RAISE(ABORT, '{MENSAJE_ASPECTO}'); END""",
    f"""CREATE TRIGGER convenio_plazo_cubre_aspectos
    BEFORE UPDATE OF fecha_limite, dias_prorroga_max ON convenios_convenio
    FOR EACH ROW WHEN {SQLITE_CONVENIO_FUERA}
    BEGIN SELECT RAISE(ABORT, '{MENSAJE_CONVENIO}'); END""",
]
SQLITE_BORRAR = [
    "DROP TRIGGER IF EXISTS aspecto_fecha_en_plazo_insert",
    "DROP TRIGGER IF EXISTS aspecto_fecha_en_plazo_update",
    "DROP TRIGGER IF EXISTS convenio_plazo_cubre_aspectos",
]

POSTGRES_CREAR = [
    f"""CREATE FUNCTION convenios_aspecto_fecha_en_plazo() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM convenios_convenio c WHERE c.id = NEW.convenio_id AND (
            NEW.fecha_compromiso > c.fecha_limite
            OR NEW.fecha_vigente > NEW.fecha_compromiso + c.dias_prorroga_max)) THEN
            RAISE EXCEPTION '{MENSAJE_ASPECTO}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER aspecto_fecha_en_plazo BEFORE INSERT OR UPDATE OF fecha_compromiso, fecha_vigente, convenio_id
    ON convenios_aspecto FOR EACH ROW EXECUTE FUNCTION convenios_aspecto_fecha_en_plazo()""",
    f"""CREATE FUNCTION convenios_convenio_plazo_cubre_aspectos() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM convenios_aspecto a WHERE a.convenio_id = NEW.id AND (
            a.fecha_compromiso > NEW.fecha_limite
            OR a.fecha_vigente > a.fecha_compromiso + NEW.dias_prorroga_max)) THEN
            RAISE EXCEPTION '{MENSAJE_CONVENIO}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER convenio_plazo_cubre_aspectos BEFORE UPDATE OF fecha_limite, dias_prorroga_max
    ON convenios_convenio FOR EACH ROW EXECUTE FUNCTION convenios_convenio_plazo_cubre_aspectos()""",
]
POSTGRES_BORRAR = [
    "DROP TRIGGER IF EXISTS aspecto_fecha_en_plazo ON convenios_aspecto",
    "DROP FUNCTION IF EXISTS convenios_aspecto_fecha_en_plazo()",
    "DROP TRIGGER IF EXISTS convenio_plazo_cubre_aspectos ON convenios_convenio",
    "DROP FUNCTION IF EXISTS convenios_convenio_plazo_cubre_aspectos()",
]


def _ejecutar(sentencias_por_motor):
    def ejecutar(apps, schema_editor):
        sentencias = sentencias_por_motor.get(schema_editor.connection.vendor)
        if sentencias is None:
            raise RuntimeError(f"Motor de base de datos no soportado: {schema_editor.connection.vendor}")
        for sentencia in sentencias:
            schema_editor.execute(sentencia)

    return ejecutar


class Migration(migrations.Migration):
    dependencies = [("convenios", "0002_initial")]

    operations = [
        migrations.RunPython(
            _ejecutar({"sqlite": SQLITE_CREAR, "postgresql": POSTGRES_CREAR}),
            _ejecutar({"sqlite": SQLITE_BORRAR, "postgresql": POSTGRES_BORRAR}),
        ),
    ]
