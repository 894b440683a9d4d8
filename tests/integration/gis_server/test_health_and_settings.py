from gis_server.env import Env


def test_healthz_reports_postgis(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["database"] == "ok"
    assert body["postgis"].startswith("3.")


def test_database_url_is_parsed():
    env = Env.from_environ({"DATABASE_URL": "postgis://gis:s%40cret@db.example:5433/ioc_prod"})
    db = env.database()
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"], db["PASSWORD"]) == (
        "db.example", "5433", "ioc_prod", "gis", "s@cret")


def test_embedded_cluster_is_the_default():
    db = Env.from_environ({}).database()
    assert db["HOST"].endswith("var/run") and db["PORT"] == "54329" and db["NAME"] == "ioc"


def test_security_headers(client, db):
    r = client.get("/")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Frame-Options"] == "DENY"
