"""The database refuses to change or delete audit records: a statement trigger raises on
every UPDATE, and on every DELETE unless the transaction set ``neuvokas.audit_purge``
(``apps.audit.services.purge_expired`` does, with SET LOCAL). Raw ORM ``.update()`` and
``.delete()`` fail too, whatever the application's code does."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('neuvokas.audit_purge', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_event")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
