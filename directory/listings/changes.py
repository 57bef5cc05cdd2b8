"""Organisations keep their listing true: a private update link, the change they send, and the
staff's review of it field by field.

Nothing an organisation sends is edited in place: it becomes a pending ListingChange made on the
version it saw. Staff accept all of it, some fields, or refuse it with a reason; a change made on an
older version shows what changed meanwhile, and accepting is conditional on the version the staff
member reviewed, so two decisions never both apply.
"""

from __future__ import annotations

import base64
import difflib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from directory import audit, notify, ratelimit
from directory.audit import AuditAction
from directory.clock import aware, utcnow
from directory.db import read_session, update_if_unchanged, write_session
from directory.errors import Refusal
from directory.i18n import N_
from directory.listings.forms import PartnerForm, clean_partner_form, refuse_taken_number
from directory.listings.versions import field_label, record_version, snapshot, version_values
from directory.models import (
    LONG_TEXT_MAX,
    ChangeState,
    LinkKind,
    ListingChange,
    ListingClaim,
    ListingLink,
    ListingLinkPurpose,
    ListingState,
    Partner,
    Source,
)
from directory.private_links import add_listing_link, may_email_links
from directory.tokens import TOKEN_PATTERN, token_hash
from directory.validation import FormCheck, clean_email, clean_text

# What an organisation may change on its listing (staff keep other names and their notes).
ORGANISATION_FIELDS = ("name", "kind", "short_description", "description", "short_description_en", "description_en",
                       "sectors", "networks", "address", "city", "latitude", "longitude", "precision", "website",
                       "contact_email", "contact_phone", "siret", "opening_hours", "accessibility_url",
                       "accessibility_note", "logo")
UPDATE_LINK_LIFETIME = timedelta(days=7)
# Like the lost-link page: one client asking for many addresses is someone trying addresses.
LINK_REQUESTS_PER_CLIENT = 10
LINK_REQUEST_WINDOW = timedelta(hours=1)


class UnknownListingLink(Refusal):
    text = N_("Ce lien ne fonctionne plus : il a expiré (il vaut 7 jours), ou la fiche a été retirée. "
              "Demandez-en un nouveau depuis la fiche.")


class TooManyLinkRequests(Refusal):
    text = N_("Trop de demandes pour le moment : réessayez dans une heure. Les liens déjà envoyés restent "
              "valables.")


class NothingChanged(Refusal):
    text = N_("Rien n'a changé par rapport à la fiche publiée : modifiez au moins un champ.")


class AlreadyDecided(Refusal):
    text = N_("Cette demande a déjà été traitée entre-temps : rien n'a été modifié.")


# --- Private links ----------------------------------------------------------------------------

def send_update_link(session: Session, partner: Partner, email: str, language: str) -> None:
    seed = add_listing_link(session, partner, email, ListingLinkPurpose.UPDATE, UPDATE_LINK_LIFETIME)
    notify.queue(session, template="listing_update_link", recipient=email, language=language,
                 params={"organisation": partner.name}, link_kind=LinkKind.LISTING, link_seed=seed)


def request_update_link(engine: Engine, partner_id: int, email: str, *, client: str, language: str) -> None:
    """Email an update link if `email` is the listing's contact address; the same answer for any
    address. Raises FormErrors for a malformed address, TooManyLinkRequests past the limits."""
    check = FormCheck()
    email = check("email", clean_email, email, required=True)
    check.raise_if_invalid()
    with write_session(engine) as session:
        if not (ratelimit.take_each(session, [("update-client", client, LINK_REQUESTS_PER_CLIENT)],
                                    window=LINK_REQUEST_WINDOW)
                and may_email_links(session, email, 1)):
            raise TooManyLinkRequests()
        partner = session.get(Partner, partner_id)
        if (partner is not None and partner.state == ListingState.PUBLISHED and partner.contact_email
                and partner.contact_email.casefold() == email.casefold()):
            send_update_link(session, partner, partner.contact_email, language)


@dataclass(frozen=True)
class LinkedListing:
    partner: Partner
    purpose: str
    email: str
    expires_at: datetime
    confirmed_at: datetime | None  # when "toujours exacte" was pressed with this link

    @property
    def may_confirm(self) -> bool:
        """A "still right?" link confirms once; an update link only opens the form."""
        return self.purpose == ListingLinkPurpose.CONFIRM and self.confirmed_at is None


def listing_for_link(engine: Engine, token: str | None) -> LinkedListing:
    """The published listing a private link opens. Raises UnknownListingLink."""
    if not token or not TOKEN_PATTERN.match(token):
        raise UnknownListingLink()
    with read_session(engine) as session:
        found = session.execute(select(ListingLink, Partner).join(Partner, Partner.id == ListingLink.partner_id)
                                .where(ListingLink.token_hash == token_hash(token))).first()
    if found is None or aware(found[0].expires_at) <= utcnow() or found[1].state != ListingState.PUBLISHED:
        raise UnknownListingLink()
    link, partner = found
    return LinkedListing(partner, link.purpose, link.email, aware(link.expires_at),
                         aware(link.confirmed_at) if link.confirmed_at else None)


# --- An organisation's change -----------------------------------------------------------------

def submit_change(engine: Engine, token: str, form: PartnerForm, *, base_version: int, language: str) -> int:
    """Store what the organisation sent through its link as a pending change of the version it
    edited. Raises UnknownListingLink, FormErrors (nothing stored) or NothingChanged."""
    linked = listing_for_link(engine, token)
    check = FormCheck()
    values = clean_partner_form(form, check)
    check.raise_if_invalid()
    with write_session(engine) as session:
        partner = session.get(Partner, linked.partner.id)
        refuse_taken_number(session, values["siret"], partner.id)
        current = snapshot(partner)
        seen = version_values(session, partner.id, base_version) or current
        sent = {name: value for name, value in snapshot(values).items()
                if name in ORGANISATION_FIELDS and name in values}
        # What the organisation changed in the form, unless the listing already says it.
        proposed = {name: value for name, value in sent.items()
                    if differs(seen.get(name), value) and differs(current.get(name), value)}
        if "logo" in proposed:  # kept with the change until staff decide: JSON carries it as base64
            proposed["logo"] = {"type": values["logo_type"], "data": base64.b64encode(values["logo"]).decode()}
        if not proposed:
            raise NothingChanged()
        change = ListingChange(partner_id=partner.id, base_version=base_version, author_email=linked.email,
                               proposed=json.dumps(proposed, ensure_ascii=False),
                               language=language if language in ("fr", "en") else "fr")
        session.add(change)
        session.flush()
        return change.id


def differs(before: Any, after: Any) -> bool:
    return (before if before not in ("", None) else None) != (after if after not in ("", None) else None)


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Any  # the listing now
    after: Any  # what the organisation sent
    seen: Any  # what the organisation saw when it wrote
    meanwhile: bool  # changed since by someone else: its "before" is not what the organisation saw


@dataclass(frozen=True)
class ChangeReview:
    change: ListingChange
    partner: Partner
    fields: list[FieldChange]
    source: str  # the external source that sent it; "" when the organisation did

    @property
    def changed_meanwhile(self) -> bool:
        return self.partner.version != self.change.base_version


def review_change(engine: Engine, change_id: int) -> ChangeReview | None:
    """A pending change field by field: the listing now, what was sent, what changed meanwhile."""
    with read_session(engine) as session:
        change = session.get(ListingChange, change_id)
        if change is None:
            return None
        partner = session.get(Partner, change.partner_id)
        seen = version_values(session, partner.id, change.base_version) or {}
        source = session.get(Source, change.source_id) if change.source_id else None
    current = snapshot(partner)
    fields = []
    for name, after in json.loads(change.proposed).items():
        before = current.get(name)
        if name == "logo":  # shown side by side
            before = logo_data_url(partner.logo, partner.logo_type)
            after = f"data:{after['type']};base64,{after['data']}"
        fields.append(FieldChange(name, before, after, seen.get(name), differs(seen.get(name), current.get(name))))
    return ChangeReview(change, partner, fields, source.name if source else "")


def logo_data_url(logo: bytes | None, logo_type: str) -> str:
    return f"data:{logo_type};base64,{base64.b64encode(logo).decode()}" if logo else ""


def pending_changes(engine: Engine) -> pd.DataFrame:
    """Changes waiting for staff, oldest first, with their listing's name."""
    query = (select(ListingChange.id, ListingChange.partner_id, ListingChange.created_at,
                    ListingChange.author_email, Partner.name.label("partner_name"))
             .join(Partner, Partner.id == ListingChange.partner_id)
             .where(ListingChange.state == ChangeState.PENDING).order_by(ListingChange.created_at, ListingChange.id))
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def decision_reason(reason: str, *, refusing: bool) -> str:
    """The reason staff give the organisation, cleaned; required to refuse. Raises FormErrors."""
    check = FormCheck()
    reason = check("reason", clean_text, reason, max_length=LONG_TEXT_MAX, required=refusing, multiline=True)
    check.raise_if_invalid()
    return reason


def close_request(session: Session, model: type[ListingChange | ListingClaim], request_id: int, *, accept: bool,
                  staff: str, reason: str, **values: Any) -> ListingChange | ListingClaim:
    """Mark an organisation's change or claim decided, conditional on it still waiting: two staff
    members never both decide it. Raises AlreadyDecided."""
    request = session.get(model, request_id)
    if request is None or not update_if_unchanged(
            session, model, where={"id": request_id, "state": ChangeState.PENDING},
            values={"state": ChangeState.ACCEPTED if accept else ChangeState.REFUSED, "reason": reason,
                    "decided_at": utcnow(), "decided_by": staff, **values}):
        raise AlreadyDecided()
    return request


def decide_change(engine: Engine, change_id: int, *, accept: tuple[str, ...], staff: str, expected: int,
                  reason: str = "") -> None:
    """Apply the fields `accept` of a change to the listing at version `expected` (the one the staff
    member reviewed), refuse the others; nothing accepted is a refusal, which needs a reason.
    The organisation is told in its language. Raises FormErrors, AlreadyDecided or ListingConflict
    (the listing changed since the review)."""
    reason = decision_reason(reason, refusing=not accept)
    with write_session(engine) as session:
        change = close_request(session, ListingChange, change_id, accept=bool(accept), staff=staff, reason=reason,
                               accepted_fields=json.dumps(list(accept)))
        proposed = json.loads(change.proposed)
        partner = session.get(Partner, change.partner_id)
        if accept:
            taken = {name: proposed[name] for name in accept if name in proposed}
            if "logo" in taken:
                logo = taken.pop("logo")
                taken["logo"], taken["logo_type"] = base64.b64decode(logo["data"]), logo["type"]
            refuse_taken_number(session, taken.get("siret", ""), partner.id)
            before = snapshot(partner)
            session.execute(update(Partner).where(Partner.id == partner.id)
                            .values(**taken, updated_at=utcnow(), last_verified=utcnow().date()))
            session.refresh(partner)
            source = session.get(Source, change.source_id) if change.source_id else None
            record_version(session, partner, author=audit.source_actor(source.name) if source else "organisation",
                           origin=f"change:{change_id}", before=before, expected=expected)
        audit.record(session, actor=staff, action=AuditAction.CHANGE_ACCEPTED if accept else AuditAction.CHANGE_REFUSED,
                     entity="partner", entity_id=partner.id,
                     after={"change": change_id, "fields": list(accept), "reason": reason})
        refused = [name for name in proposed if name not in accept]
        template = ("listing_change_refused" if not accept else "listing_change_partly" if refused
                    else "listing_change_accepted")
        if change.author_email:  # a source's change has no one to tell
            notify.queue(session, template=template, recipient=change.author_email, language=change.language,
                         params={"organisation": partner.name, "reason": reason or "—",
                                 "fields": ", ".join(field_label(name, change.language) for name in refused)})


def word_changes(before: Any, after: Any) -> list[tuple[str, str]]:
    """The words of `before` and `after` as ("same" | "removed" | "added", text) runs."""
    old, new = str(before or "").split(" "), str(after or "").split(" ")
    runs: list[tuple[str, str]] = []
    for operation, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if operation == "equal":
            runs.append(("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("added", " ".join(new[j1:j2])))
    return [run for run in runs if run[1]]

