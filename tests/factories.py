"""Test data shared by every layer: slots and applications made the way the app makes them."""

from __future__ import annotations

import io
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, time, timedelta
from email.header import decode_header, make_header

from PIL import Image
from sqlmodel import Session, select

from directory import db, notify, private_links, showcase
from directory.clock import to_paris, utcnow
from directory.models import Application, AuditEvent, Notification, ShowcaseSlot
from directory.showcase import ApplicationForm, SlotTimes


def next_wednesday(weeks: int = 2) -> date:
    """A Wednesday at least `weeks` weeks ahead: with 2, its applications (closing a week before)
    are open whatever the time of day."""
    today = to_paris(utcnow()).date()
    return today + timedelta(days=(2 - today.weekday()) % 7 + 7 * weeks)


def make_slot(engine, *, weeks: int = 2, capacity: int = 3) -> int:
    return showcase.create_slot(engine, SlotTimes(next_wednesday(weeks), time(14), time(17)), capacity=capacity)


def form(slot_ids, **values) -> ApplicationForm:
    defaults = dict(organisation="Forez Robotique", short_description="Des cobots pour les ateliers.",
                    stage="prototype", team_size=4, pitch_title="Le cobot qui soude",
                    pitch_summary="Un bras robotisé à 5 000 €.", demo_description="Démonstration de soudure.",
                    contact_name="Camille Martin", contact_email="camille@forez.example.org",
                    consent_data=True, consent_publication=True, latitude="45.44", longitude="4.39")
    defaults.update(values)
    return ApplicationForm(slot_ids=list(slot_ids), **defaults)


def submit(engine, slot_ids, key="k1", **values):
    return showcase.submit_application(engine, form(slot_ids, **values), submission_key=key)


def outbox(engine) -> list[str]:
    """The templates of the queued messages, oldest first."""
    with Session(engine) as session:
        return [n.template for n in session.exec(select(Notification).order_by(Notification.id))]


def emailed_link(engine, *where) -> str:
    """The private link the newest message matching `where` carries, built as its sending builds it
    (in a write session, as sending does: it may keep the link's digest while a server writes too)."""
    with db.write_session(engine) as session:
        message = session.exec(select(Notification).where(*where).order_by(Notification.id.desc())).first()
        return private_links.link_of(session, message)


def emailed_token(engine, *where) -> str:
    return emailed_link(engine, *where).split("token=")[1].split("&")[0]


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def settings_for(port):
    return notify.SmtpSettings(host="127.0.0.1", port=port, security="none", sender="vitrine@atelier.example")


def picture(kind: str, size=(800, 400)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, "#1F4E9E").save(output, kind)
    return output.getvalue()


# Values an attacker or a clumsy paste may type anywhere (the hostile-input suites).
HOSTILE_TEXT = {
    "markup": ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>"],
    "template literal": ["${alert(1)}", "`${document.cookie}`", "</script><script>alert(1)</script>"],
    "backslash": ["\\", "\\x3cscript\\x3e", "a\\`b"],
    "control characters": ["a\x00b", "\x1b[31mred\x1b[0m", "line\rbreak\x07"],
    "right-to-left marks": ["\u202eexe.gpj", "abc\u200fdef", "\u2066isolate\u2069"],
    "invisible characters": ["zero\u200bwidth\ufeff", "soft\u00adhyphen", "invisible\u2062times", "tag\U000E0041"],
    "decomposed accents": ["e\u0301cole Sainte\u0301"],
    "long word": ["x" * 5000],
    "10 MB string": ["x" * 10_000_000],
    "formula": ["=HYPERLINK(\"http://evil.example\")", "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3"],
    "emoji": ["🚀👩‍💻 Sainté"],
}


def state_of(engine, application_id) -> str:
    with Session(engine) as session:
        return session.get(Application, application_id).state


def events(engine, application_id) -> list[str]:
    with Session(engine) as session:
        return [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.entity_id == application_id))]


def close_applications(engine, slot_id) -> None:
    """The slot's deadline has just passed (the slot itself is still to come)."""
    with Session(engine) as session:
        slot = session.get(ShowcaseSlot, slot_id)
        slot.applications_close_at = utcnow() - timedelta(minutes=1)
        session.add(slot)
        session.commit()


def at_once(work, arguments) -> list:
    """`work(argument)` for each argument, each in its own thread, all released at the same instant;
    their results in order."""
    barrier = threading.Barrier(len(arguments))

    def one(argument):
        barrier.wait()
        return work(argument)

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(one, arguments))


SILENT, DRIPPING = "silent", "dripping"


@contextmanager
def bad_server(manner: str):
    """A server on 127.0.0.1 that accepts connections and then never answers (`silent`), or
    sends its headers one byte per second (`dripping`); yields its port and what it received."""
    listener = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            received.append(connection.recv(4096))
            if manner == DRIPPING:
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nX-Padding: " + b"x" * 100:
                    if stop.is_set():
                        break
                    connection.sendall(bytes([byte]))
                    stop.wait(1)
            stop.wait()
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], received
    finally:
        stop.set()
        thread.join()
        listener.close()


# --- The atelier's programme ---------------------------------------------------------------------

PARTNER_CONTACT = "contact@cci-exemple.fr"
ATELIER_HOURS = "Mo-Fr 09:00-18:00; Sa 10:00-13:00; PH off"


def programme_partner(engine) -> str:
    """The atelier (with its opening hours) and a partner on the map; the token of the update link
    the partner's contact received (what a session is proposed with)."""
    from directory import listings
    listings.insert_partners(engine, [
        {"name": "Atelier Numérique", "kind": "atelier", "state": "published", "opening_hours": ATELIER_HOURS},
        {"name": "CCI Lyon Métropole", "kind": "public", "state": "published", "contact_email": PARTNER_CONTACT}],
        staff="staff:1 test")
    with Session(engine) as session:
        from directory.models import Partner
        partner_id = session.exec(select(Partner.id).where(Partner.contact_email == PARTNER_CONTACT)).one()
    listings.request_update_link(engine, partner_id, PARTNER_CONTACT, client="10.0.0.1", language="fr")
    return emailed_token(engine, Notification.template == "listing_update_link")


def make_room(engine, name="Salle Jean-Moulin", capacity=20) -> int:
    from directory import programme
    return programme.save_room(engine, room_id=None, name=name, capacity=capacity, equipment="Écran, 12 PC",
                               staff="staff:1 test")


def session_start(weeks: int = 2, hour: int = 14):
    from datetime import datetime

    from directory.clock import PARIS
    return datetime.combine(next_wednesday(weeks), time(hour), PARIS)


def session_form(**values):
    from directory.programme import SessionForm
    defaults = dict(kind="workshop", title="Créer sa fiche Google Business", audiences=["shopkeepers"],
                    description="Atelier pratique : votre commerce visible sur les cartes.", duration_minutes=90,
                    places=12, contact_name="Lina Haddad", choices=[(session_start(), None)])
    defaults.update(values)
    return SessionForm(**defaults)


def session_on_programme(engine, *, places=2, room_capacity=20) -> tuple[int, str]:
    """A session proposed by a partner and approved; its id and the partner's session token."""
    from directory import programme
    listing_token = programme_partner(engine)
    room = make_room(engine, capacity=room_capacity)
    proposed = programme.propose_session(engine, listing_token, session_form(places=places), submission_key="s1")
    programme.approve_session(engine, proposed.session_id, starts_at=session_start(), room_id=room,
                              staff="staff:1 test")
    return proposed.session_id, proposed.token


def register_as(engine, session_id, name, key=None, **values):
    from directory.programme import RegistrationForm, register
    email = values.pop("email", f"{name.lower()}@exemple.fr")
    return register(engine, session_id, RegistrationForm(name=f"{name} Martin", email=email, consent=True, **values),
                    submission_key=key or f"r-{email}")
