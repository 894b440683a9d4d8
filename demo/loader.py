"""Load the whole demo: every layer and domain regenerated in one transaction."""

from __future__ import annotations

import numpy as np
from django.db import connection, transaction

from demo import places as P
from demo.common import DEMO_END, SEED, TODAY
from demo.domains import load_domains, refresh_views
from demo.intake import load_intake
from demo.vectors import (
    build_admin_units,
    build_point_layers,
    build_security_incidents,
    create_demo_accounts,
    load_parcels,
    save_admin_units,
)

FEATURE_TABLES = ["layers_school", "layers_healthfacility", "layers_touristsite", "layers_trafficaccident",
                  "layers_blackspot", "layers_trafficcamera", "layers_landparcel", "layers_securityincident",
                  "layers_servicecentre", "layers_citizenreport", "layers_planningzone"]
MEASURE_TABLES = ["layers_roadsegment", "layers_indicator", "layers_indicatorvalue", "layers_dossier", "layers_diseaseweekly",
                  "layers_facilitymonthly", "layers_schoolyear", "layers_cyberdaily", "layers_mediadaily",
                  "layers_tourismmonthly", "layers_alert"]


PARCELS_SEED_OFFSET = 11  # chosen so that even the tests' 3,000 parcels reach 8 of the 11 districts, Lộc Ninh (694) among them, with conflicts
INTAKE_TABLES = ["layers_submission", "layers_submissionevent", "layers_datavalue", "layers_datavalueevent",
                 "layers_intakelog", "layers_intakerequest"]
UNTRACKED_DEMO_TABLES = ["layers_submission", "layers_datavalue"]  # generating the demo is not an edit


def load_demo(*, parcels: int = 50_000, seed: int = SEED, progress=None) -> dict[str, int]:
    """Replace all demo layers with freshly generated ones, in one transaction."""
    rng = np.random.default_rng(seed)
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE layers_adminunit, {', '.join(FEATURE_TABLES + MEASURE_TABLES)}, "
                        f"{', '.join(t + 'event' for t in FEATURE_TABLES)} "
                        "RESTART IDENTITY CASCADE")
            # generating the demo is not an edit: no history events for it
            for t in FEATURE_TABLES:
                cur.execute(f"ALTER TABLE {t} DISABLE TRIGGER USER")
                cur.execute(f"ALTER TABLE {t} ENABLE TRIGGER {t}_commune")
            cur.execute(f"TRUNCATE {', '.join(INTAKE_TABLES)} RESTART IDENTITY CASCADE")
            for t in UNTRACKED_DEMO_TABLES:
                cur.execute(f"ALTER TABLE {t} DISABLE TRIGGER USER")
        units = build_admin_units(rng)
        save_admin_units(units)
        counts = {"admin-units": len(units)}
        counts.update(build_point_layers(rng, units))
        seats = [d[4] for d in P.DISTRICTS] + [u.geom.centroid.coords[0] for u in units if u.urban and u.parent != P.PROVINCE["code"]]
        counts["security-incidents"] = build_security_incidents(rng, units)
        # the parcels from a generator of their own: the security incidents before them run up to
        # yesterday, so a shared generator moved every parcel from one day to the next
        counts["land-parcels"] = load_parcels(np.random.default_rng(seed + PARCELS_SEED_OFFSET), parcels, seats,
                                              progress=progress)
        counts.update(load_domains(rng, DEMO_END, TODAY))
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks before ALTER TABLE
            for t in FEATURE_TABLES:
                cur.execute(f"ALTER TABLE {t} ENABLE TRIGGER USER")
        create_demo_accounts()
        counts.update(load_intake(TODAY))
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for t in UNTRACKED_DEMO_TABLES:
                cur.execute(f"ALTER TABLE {t} ENABLE TRIGGER USER")
    refresh_views()
    with connection.cursor() as cur:
        cur.execute("ANALYZE layers_adminunit; ANALYZE layers_trafficaccident")
        # VACUUM sets the visibility map: index-only scans of fresh parcels (registrations per
        # month); it cannot run inside a transaction (a test's), where ANALYZE has to do
        cur.execute("ANALYZE layers_landparcel" if connection.in_atomic_block else "VACUUM (ANALYZE) layers_landparcel")
    return counts
