"""Typed settings read from the environment: the only module that reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = BASE_DIR / "var" / "secret_key"  # the embedded set-up's per-installation key
INSECURE_SECRET_KEY = "dev-only-insecure-key-change-me"


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _floats(value: str | None, default: tuple[float, ...], n: int, name: str) -> tuple[float, ...]:
    if not value:
        return default
    try:
        out = tuple(float(v) for v in value.split(","))
    except ValueError:
        raise ValueError(f"{name} takes {n} comma-separated numbers, got {value!r}") from None
    if len(out) != n:
        raise ValueError(f"{name} takes {n} comma-separated numbers, got {value!r}")
    return out


@dataclass(frozen=True)
class Province:
    """The province this IOC serves (IOC_PROVINCE_*): the map, the OGC metadata, briefings and
    upward reports all read it from here."""

    name: str = "Bình Phước"
    name_en: str = "Binh Phuoc"
    code: str = "70"  # the GSO code of the province
    capital: str = "Đồng Xoài"
    postal_code: str = "830000"
    bbox: tuple[float, float, float, float] = (106.35, 11.25, 107.55, 12.35)  # lon/lat, CRS84
    centre: tuple[float, float] = (11.78, 106.92)  # lat, lon
    zoom: int = 9
    upstream_id: str = "ioc70"  # how the Government reporting system knows this IOC

    @classmethod
    def from_environ(cls, e) -> Province:
        return cls(
            name=e.get("IOC_PROVINCE_NAME") or cls.name,
            name_en=e.get("IOC_PROVINCE_NAME_EN") or cls.name_en,
            code=e.get("IOC_PROVINCE_CODE") or cls.code,
            capital=e.get("IOC_PROVINCE_CAPITAL") or cls.capital,
            postal_code=e.get("IOC_PROVINCE_POSTAL_CODE") or cls.postal_code,
            bbox=_floats(e.get("IOC_PROVINCE_BBOX"), cls.bbox, 4, "IOC_PROVINCE_BBOX"),
            centre=_floats(e.get("IOC_PROVINCE_CENTRE"), cls.centre, 2, "IOC_PROVINCE_CENTRE"),
            zoom=int(e.get("IOC_PROVINCE_ZOOM") or cls.zoom),
            upstream_id=e.get("IOC_UPSTREAM_ID") or f"ioc{e.get('IOC_PROVINCE_CODE') or cls.code}",
        )

    def map_bounds(self) -> list[list[float]]:
        """Leaflet's [[south, west], [north, east]]."""
        w, s, e, n = self.bbox
        return [[s, w], [n, e]]

    def as_dict(self, lang: str = "vi") -> dict:
        """What pages need to draw the province (names in the page's language)."""
        return {"name": self.name_en if lang == "en" else self.name, "code": self.code,
                "bounds": self.map_bounds(), "centre": list(self.centre), "zoom": self.zoom}


@dataclass(frozen=True)
class BaseMap:
    """A base layer from a tile server (IOC_BASEMAPS): an XYZ template with {z}/{x}/{y}, or a
    WMTS RESTful template with {TileMatrix}/{TileRow}/{TileCol} (Web Mercator tile matrix set)."""

    name: str
    url: str
    attribution: str
    max_zoom: int = 19

    def origin(self) -> str:
        u = urlparse(self.url)
        return f"{u.scheme}://{u.netloc}"

    def leaflet_url(self) -> str:
        """The template as Leaflet writes it ({z}/{x}/{y})."""
        return (self.url.replace("{TileMatrix}", "{z}").replace("{TileRow}", "{y}").replace("{TileCol}", "{x}"))

    def as_dict(self) -> dict:
        return {"name": self.name, "url": self.leaflet_url(), "attribution": self.attribution,
                "max_zoom": self.max_zoom}


def _basemaps(value: str | None) -> tuple[BaseMap, ...]:
    """IOC_BASEMAPS: base layers, one per line or separated by ";", each "name|url|attribution[|max zoom]"."""
    if not value or not value.strip():
        return ()
    out = []
    for entry in (x.strip() for x in value.replace("\n", ";").split(";")):
        if not entry:
            continue
        parts = [p.strip() for p in entry.split("|")]
        if len(parts) not in (3, 4) or not all(parts[:3]):
            raise ValueError(f"IOC_BASEMAPS entries are 'name|url|attribution[|max zoom]', got {entry!r}")
        name, url, attribution = parts[:3]
        if urlparse(url).scheme not in {"http", "https"}:
            raise ValueError(f"IOC_BASEMAPS: {name}: the URL must be http(s)://, got {url!r}")
        xyz = all(k in url for k in ("{z}", "{x}", "{y}"))
        wmts = all(k in url for k in ("{TileMatrix}", "{TileRow}", "{TileCol}"))
        if not (xyz or wmts):
            raise ValueError(f"IOC_BASEMAPS: {name}: the URL needs {{z}}/{{x}}/{{y}} (XYZ) or "
                             f"{{TileMatrix}}/{{TileRow}}/{{TileCol}} (WMTS), got {url!r}")
        try:
            max_zoom = int(parts[3]) if len(parts) == 4 else 19
        except ValueError:
            raise ValueError(f"IOC_BASEMAPS: {name}: max zoom must be a whole number, got {parts[3]!r}") from None
        out.append(BaseMap(name, url, attribution, max_zoom))
    return tuple(out)


@dataclass(frozen=True)
class Env:
    """IOC GIS settings; every variable is prefixed IOC_ except DATABASE_URL."""

    debug: bool = False
    secret_key: str = INSECURE_SECRET_KEY
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]", "testserver")
    database_url: str | None = None
    pg_port: int = 54329
    pg_socket_dir: Path = BASE_DIR / "var" / "run"
    db_name: str = "ioc"
    public_url: str = "http://127.0.0.1:8000"
    media_root: Path = BASE_DIR / "media"
    static_root: Path = BASE_DIR / "staticfiles"
    count_exact_below: int = 100_000
    demo_password: str = "demo1234"
    upstream_url: str = ""
    tile_cache_seconds: float = 30.0
    read_replicas: tuple[str, ...] = ()  # postgres:// URLs of streaming replicas for read traffic
    upstream_token: str = ""
    # behind a reverse proxy: the header holding the client address it appends (X-Forwarded-For),
    # how many trusted proxies append to it, and the header saying the request came over HTTPS
    trusted_proxy_header: str = ""
    trusted_proxy_count: int = 1
    trusted_proto_header: str = ""
    hsts_seconds: int = 31_536_000  # a year; 0 turns HSTS off
    province: Province = Province()
    basemaps: tuple[BaseMap, ...] = ()  # tile servers for base layers; none: the offline province base
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_environ(cls, environ: os._Environ[str] | dict[str, str] | None = None, *,
                     secret_key_file: Path | None = None) -> Env:
        """Settings from these variables; without IOC_SECRET_KEY, the key kept in secret_key_file."""
        e = os.environ if environ is None else environ
        secret = e.get("IOC_SECRET_KEY") or ""
        if e.get("IOC_SECRET_KEY_FILE"):
            secret_key_file = Path(e["IOC_SECRET_KEY_FILE"])
        if not secret and secret_key_file is not None and secret_key_file.is_file():
            secret = secret_key_file.read_text(encoding="utf-8").strip()
        hosts = e.get("IOC_ALLOWED_HOSTS")
        return cls(
            debug=_bool(e.get("IOC_DEBUG"), False),
            secret_key=secret or cls.secret_key,
            allowed_hosts=tuple(h.strip() for h in hosts.split(",")) if hosts else cls.allowed_hosts,
            database_url=e.get("DATABASE_URL") or None,
            pg_port=int(e.get("IOC_PG_PORT", cls.pg_port)),
            pg_socket_dir=Path(e.get("IOC_PG_SOCKET_DIR", str(cls.pg_socket_dir))),
            db_name=e.get("IOC_DB_NAME", cls.db_name),
            public_url=e.get("IOC_PUBLIC_URL", cls.public_url).rstrip("/"),
            media_root=Path(e.get("IOC_MEDIA_ROOT", str(cls.media_root))),
            static_root=Path(e.get("IOC_STATIC_ROOT", str(cls.static_root))),
            count_exact_below=int(e.get("IOC_COUNT_EXACT_BELOW", cls.count_exact_below)),
            # DEMO_PASSWORD is the old name, still read for one release
            demo_password=e.get("IOC_DEMO_PASSWORD") or e.get("DEMO_PASSWORD") or cls.demo_password,
            upstream_url=e.get("IOC_UPSTREAM_URL", ""),
            tile_cache_seconds=float(e.get("IOC_TILE_CACHE_SECONDS", cls.tile_cache_seconds)),
            read_replicas=tuple(u.strip() for u in e.get("IOC_READ_REPLICAS", "").split(",") if u.strip()),
            upstream_token=e.get("IOC_UPSTREAM_TOKEN", ""),
            trusted_proxy_header=e.get("IOC_TRUSTED_PROXY_HEADER", "").strip(),
            # at least 1: the left-most address is whatever the client wrote
            trusted_proxy_count=max(1, int(e.get("IOC_TRUSTED_PROXY_COUNT") or cls.trusted_proxy_count)),
            trusted_proto_header=e.get("IOC_TRUSTED_PROTO_HEADER", "").strip(),
            hsts_seconds=int(e.get("IOC_HSTS_SECONDS") or cls.hsts_seconds),
            province=Province.from_environ(e),
            basemaps=_basemaps(e.get("IOC_BASEMAPS")),
            extra={k: e[k] for k in ("IOC_DB_NAME",) if k in e},
        )

    def database(self) -> dict:
        """Django DATABASES['default'] for DATABASE_URL, or the embedded cluster under var/."""
        if not self.database_url:
            return {
                "ENGINE": "django.contrib.gis.db.backends.postgis",
                "NAME": self.db_name,
                "USER": "ioc",
                "HOST": str(self.pg_socket_dir),
                "PORT": str(self.pg_port),
                "CONN_MAX_AGE": 60,
                "CONN_HEALTH_CHECKS": True,
            }
        return self._from_url(self.database_url, "DATABASE_URL")

    def _from_url(self, url: str, what: str) -> dict:
        u = urlparse(url)
        if u.scheme not in {"postgres", "postgresql", "postgis"}:
            raise ValueError(f"{what} must be postgres://..., got scheme {u.scheme!r}")
        query = dict(p.split("=", 1) for p in u.query.split("&") if "=" in p)
        return {
            "ENGINE": "django.contrib.gis.db.backends.postgis",
            "NAME": self.db_name if "IOC_DB_NAME" in self.extra else (unquote(u.path.lstrip("/")) or "postgres"),
            "USER": unquote(u.username or ""),
            "PASSWORD": unquote(u.password or ""),
            "HOST": unquote(query.get("host") or u.hostname or ""),  # ?host=/socket/dir for unix sockets
            "PORT": str(query.get("port") or u.port or 5432),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }

    def databases(self) -> dict:
        """default (the primary, for writes) plus replica_N for read traffic."""
        out = {"default": self.database()}
        for i, url in enumerate(self.read_replicas, start=1):
            rep = self._from_url(url, "IOC_READ_REPLICAS")
            rep["TEST"] = {"MIRROR": "default"}  # tests read the primary's test database through it
            out[f"replica_{i}"] = rep
        return out


ENV = Env.from_environ(secret_key_file=SECRET_KEY_FILE)
