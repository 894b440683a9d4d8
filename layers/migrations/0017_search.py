"""Search (/api/search): accent-insensitive Vietnamese matching in PostgreSQL.

`unaccent` folds "Lộc Ninh", "LỘC NINH" and "Đồng Xoài" to plain letters ("đ" becomes "d");
`pg_trgm` gives trigram GIN indexes, which serve LIKE '%…%' and word similarity. unaccent()
itself is only STABLE (its dictionary could change), so an index needs an IMMUTABLE wrapper
that names the dictionary: ioc_unaccent(text). Codes (dossiers, citizen reports) are matched
exact or by prefix, upper-cased, on a b-tree in the "C" collation (which serves both the
prefix LIKE and the order of the codes). Both extensions are trusted,
so the database owner may create them."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION ioc_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""

NAMED = ("layers_adminunit", "layers_school", "layers_healthfacility", "layers_touristsite", "layers_trafficcamera")
CODED = ("layers_dossier", "layers_citizenreport")

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    FUNCTION,
    *(f"CREATE INDEX IF NOT EXISTS {t}_name_search ON {t} USING gin (lower(ioc_unaccent(name)) gin_trgm_ops)"
      for t in NAMED),
    *(f'CREATE INDEX IF NOT EXISTS {t}_code_search ON {t} ((upper(code) COLLATE "C"))' for t in CODED),
]

# the extensions stay: other objects (and other databases' habits) may use them
REVERSE = [
    *(f"DROP INDEX IF EXISTS {t}_code_search" for t in CODED),
    *(f"DROP INDEX IF EXISTS {t}_name_search" for t in NAMED),
    "DROP FUNCTION IF EXISTS ioc_unaccent(text)",
]


class Migration(migrations.Migration):
    dependencies = [("layers", "0016_parcels_web_mercator")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
