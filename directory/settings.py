"""Settings of the deployment, read from the environment, and facts of the atelier: each in one place.

Read through these functions (not at import), so that a test or a command sets them for a run.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

ATELIER_ADDRESS = "Atelier Numérique Google, place Jean-Moulin, 42000 Saint-Étienne"
ATELIER_POSITION = (45.4380, 4.3910)  # approximate, as in the reference data
# Where links in emails point when the deployment names no public address (a developer's machine).
LOCAL_URL = "http://localhost:8501/"


# The app's own files — the entry script app.py, pages/ and data/'s seed files — laid out as in a
# checkout: the checkout itself, or `directory/bundle/` in an installed wheel (pyproject.toml maps
# them there), so that `streamlit run app.py` and `vitrine serve` serve the same app.
_PACKAGE = Path(__file__).resolve().parent
APP_FILES = _PACKAGE / "bundle" if (_PACKAGE / "bundle" / "app.py").is_file() else _PACKAGE.parent
IN_CHECKOUT = (APP_FILES / "pyproject.toml").is_file()


def data_dir() -> Path:
    """Where the app keeps its data (the default SQLite file, its backups): VITRINE_DATA_DIR, else
    `data/` in a checkout, else the user's data folder (an install is never written to)."""
    configured = os.environ.get("VITRINE_DATA_DIR", "").strip()
    if configured:
        return Path(configured).expanduser()
    return APP_FILES / "data" if IN_CHECKOUT else Path(platformdirs.user_data_dir("vitrine", appauthor=False))


def database_url() -> str:
    """The database (DATABASE_URL), else the zero-set-up SQLite file in the data folder."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir() / 'vitrine.db'}"


def database_named() -> bool:
    """Whether the deployment names its database (DATABASE_URL)."""
    return "DATABASE_URL" in os.environ


def demo_data() -> bool | None:
    """VITRINE_DEMO_DATA: True for "1", False for anything else, None when unset."""
    setting = os.environ.get("VITRINE_DEMO_DATA")
    return None if setting is None else setting == "1"


def secret_key() -> str:
    """The secret private links are derived from (VITRINE_SECRET_KEY); "" when unset."""
    return os.environ.get("VITRINE_SECRET_KEY", "").strip()


def smtp() -> dict[str, str | int] | None:
    """Email delivery (VITRINE_SMTP_*): None without a host, and messages then stay in the outbox."""
    host = os.environ.get("VITRINE_SMTP_HOST")
    if not host:
        return None
    return {"host": host, "port": int(os.environ.get("VITRINE_SMTP_PORT", "587")),
            "sender": os.environ.get("VITRINE_SMTP_SENDER", "vitrine@localhost"),
            "security": os.environ.get("VITRINE_SMTP_SECURITY", "starttls"),
            "username": os.environ.get("VITRINE_SMTP_USER", ""),
            "password": os.environ.get("VITRINE_SMTP_PASSWORD", "")}


def public_url() -> str | None:
    """The address the public uses, ending with "/", when the deployment states it
    (VITRINE_PUBLIC_URL): links in emails, feeds and canonical URLs then name it, whatever host a
    request came through."""
    url = os.environ.get("VITRINE_PUBLIC_URL", "").strip()
    return url.rstrip("/") + "/" if url else None


def contact_email() -> str:
    """The team's email address for the public (VITRINE_CONTACT_EMAIL); "" when the deployment names none."""
    return os.environ.get("VITRINE_CONTACT_EMAIL", "").strip()


def confirmation_period() -> timedelta:
    """How often a listing's contact is asked whether it is still right (VITRINE_CONFIRMATION_MONTHS, 6)."""
    try:
        months = int(os.environ.get("VITRINE_CONFIRMATION_MONTHS", "6"))
    except ValueError:
        months = 6
    return timedelta(days=30 * max(1, months))


def sirene_url() -> str | None:
    """The company register's API (VITRINE_SIRENE_URL, e.g. https://recherche-entreprises.api.gouv.fr);
    None when the deployment names none, and then nothing calls it."""
    url = os.environ.get("VITRINE_SIRENE_URL", "").strip().rstrip("/")
    return url or None


def sources_may_be_internal() -> bool:
    """Whether an external source may live on this machine or its private network
    (VITRINE_SOURCES_ALLOW_INTERNAL=1): off by default, so that a source's address cannot make the
    server read its own services (a database, a cloud's metadata address)."""
    return os.environ.get("VITRINE_SOURCES_ALLOW_INTERNAL") == "1"


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The proxies whose X-Forwarded-For is believed (VITRINE_TRUSTED_PROXIES: CIDR list, e.g.
    "127.0.0.1/32, ::1/128" for nginx on the same machine); none by default."""
    text = os.environ.get("VITRINE_TRUSTED_PROXIES", "")
    try:
        return [ipaddress.ip_network(item.strip(), strict=False) for item in text.split(",") if item.strip()]
    except ValueError as error:
        raise ValueError(f"VITRINE_TRUSTED_PROXIES: {error}") from error


def password_checks() -> int:
    """How many password checks (argon2id, 64 MiB each) one process runs at once
    (VITRINE_PASSWORD_CHECKS, 2 by default: about 130 MB at the most)."""
    return max(1, int(os.environ.get("VITRINE_PASSWORD_CHECKS", "2")))


def worker_in_app() -> bool:
    """Whether the app runs the background work itself (VITRINE_WORKER_IN_APP, on by default): off
    when a `vitrine worker` process runs beside the replicas."""
    return os.environ.get("VITRINE_WORKER_IN_APP", "1").strip() != "0"


def fetch_seconds() -> float:
    """The whole time a source's download may take, connection and headers included
    (VITRINE_FETCH_SECONDS, 30 by default)."""
    try:
        return max(1.0, float(os.environ.get("VITRINE_FETCH_SECONDS", "30")))
    except ValueError:
        return 30.0


def allowed_hosts() -> set[str]:
    """The host names this site answers to: VITRINE_ALLOWED_HOSTS (comma-separated) and the host
    of VITRINE_PUBLIC_URL; with neither set, this machine's own names only (LOCAL_HOSTS and its
    host name), as Django does in development: a fresh install never writes another site's name
    into its robots.txt, sitemap or links."""
    hosts = {item.strip().lower() for item in os.environ.get("VITRINE_ALLOWED_HOSTS", "").split(",") if item.strip()}
    public = public_url()
    if public:
        hosts.add((urlsplit(public).hostname or "").lower())
    return hosts or {*LOCAL_HOSTS, socket.gethostname().lower()}


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def cache_dir() -> Path:
    """Where the server keeps what it makes once and may make again, such as its light fonts
    (VITRINE_CACHE_DIR, else the user's cache folder): outside the code, which may be read-only."""
    configured = os.environ.get("VITRINE_CACHE_DIR", "").strip()
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vitrine"


def command_line_language() -> str:
    """The `vitrine` command's language: English when the locale asks for it (LC_ALL, LC_MESSAGES,
    then LANG, as POSIX orders them; "C" and "POSIX" name no language), else French, the staff's."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip()
        if value and not value.upper().startswith(("C.", "POSIX")) and value.upper() != "C":
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"
