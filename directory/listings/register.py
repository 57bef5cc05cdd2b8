"""The company register, where it can be reached: the French State's public API "Recherche
d'entreprises" (no key), at VITRINE_SIRENE_URL (https://recherche-entreprises.api.gouv.fr).

Without that setting nothing here is called and nothing waits on the network. Each call has a
short timeout and a bounded answer; a register that fails says so, and the person fills in the
form by hand.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from directory import audit, settings
from directory.audit import AuditAction
from directory.clock import utcnow
from directory.db import read_session, write_session
from directory.errors import Refusal
from directory.i18n import N_
from directory.models import LIVE_STATES, Partner

log = logging.getLogger("vitrine")
TIMEOUT_SECONDS = 5
MAX_ANSWER_BYTES = 1024 * 1024
# The API allows 7 requests a second: the nightly check stays well under it.
PAUSE_SECONDS = 0.2


class RegisterUnavailable(Refusal):
    text = N_("Le répertoire des entreprises ne répond pas pour le moment : remplissez la fiche à la main, ou "
              "réessayez plus tard.")


class NotInRegister(Refusal):
    text = N_("Le répertoire des entreprises ne connaît pas ce numéro (il ne connaît pas les numéros RNA des "
              "associations) : remplissez la fiche à la main.")


@dataclass(frozen=True)
class Establishment:
    siret: str
    name: str
    address: str
    city: str
    activity: str
    created: date | None
    open: bool
    latitude: float | None
    longitude: float | None


def look_up(number: str) -> Establishment:
    """The establishment a SIRET names (or a SIREN's head office). Raises NotInRegister or
    RegisterUnavailable."""
    base = settings.sirene_url()
    if not base or not number.isdigit():
        raise NotInRegister()
    answer = _get(f"{base}/search?{urlencode({'q': number, 'page': 1, 'per_page': 1})}")
    for company in answer.get("results") or []:
        places = [company.get("siege") or {}, *(company.get("matching_etablissements") or [])]
        wanted = [place for place in places if place.get("siret") == number] or (
            [places[0]] if company.get("siren") == number else [])
        if wanted:
            return _establishment(company, wanted[0])
    raise NotInRegister()


def _get(url: str) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "Vitrine"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(MAX_ANSWER_BYTES + 1)
        if len(body) > MAX_ANSWER_BYTES:
            raise ValueError("answer too large")
        answer = json.loads(body)
        if not isinstance(answer, dict):
            raise ValueError("not a JSON object")
        return answer
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise NotInRegister() from error
        log.warning("The company register answered %s for %s", error.code, url)
        raise RegisterUnavailable() from error
    except (OSError, ValueError) as error:  # refused, timed out, not JSON
        log.warning("The company register failed for %s: %s", url, error)
        raise RegisterUnavailable() from error


def _establishment(company: dict[str, Any], place: dict[str, Any]) -> Establishment:
    def number(value: Any) -> float | None:
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    created = place.get("date_creation") or company.get("date_creation")
    try:
        created_on = date.fromisoformat(created) if created else None
    except ValueError:
        created_on = None
    city = place.get("libelle_commune") or ""
    return Establishment(
        siret=place.get("siret") or company.get("siren") or "", name=company.get("nom_complet") or "",
        address=(place.get("adresse") or "").removesuffix(f" {place.get('code_postal') or ''} {city}").strip(),
        city=city.title(), activity=place.get("activite_principale") or company.get("activite_principale") or "",
        created=created_on, open=(place.get("etat_administratif") or company.get("etat_administratif")) != "F",
        latitude=number(place.get("latitude")), longitude=number(place.get("longitude")))


@dataclass(frozen=True)
class RegisterCheck:
    checked: int
    closed: list[str]  # names of the listings whose establishment is closed
    failed: int


def check_register(engine: Engine, *, pause: float = PAUSE_SECONDS) -> RegisterCheck:
    """Flag the live listings whose establishment the register says is closed (`register_closed_at`);
    an establishment open again is unflagged. A failing register leaves the flags as they were."""
    with read_session(engine) as session:
        numbered = session.execute(select(Partner.id, Partner.name, Partner.siret, Partner.register_closed_at).where(
            Partner.state.in_(LIVE_STATES), func.length(Partner.siret).in_((9, 14)))).all()
    closed, failed = [], 0
    for partner_id, name, siret, flagged in numbered:
        try:
            establishment = look_up(siret)
        except NotInRegister:
            continue
        except RegisterUnavailable:
            failed += 1
            continue
        finally:
            time.sleep(pause)
        if not establishment.open:
            closed.append(name)
        if (flagged is None) == establishment.open:
            continue
        with write_session(engine) as session:
            session.execute(update(Partner).where(Partner.id == partner_id).values(
                register_closed_at=None if establishment.open else utcnow()))
            if not establishment.open:
                audit.record(session, actor="vitrine", action=AuditAction.REGISTER_CLOSED, entity="partner",
                             entity_id=partner_id, after={"siret": siret})
    return RegisterCheck(len(numbered), closed, failed)
