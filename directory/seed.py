"""Demo data: the real organisations of the ecosystem, fictional startups marked as demo, upcoming
showcase slots with two demo startups already approved, and the atelier's rooms with a few example
sessions by real partners."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.engine import Engine

from directory import listings, programme, settings, showcase, sources
from directory.clock import PARIS, to_paris, utcnow
from directory.listings import imports, relations
from directory.models import Audience, Level, PartnerKind, RelationKind, SessionKind, SourceFormat

SEED_PARTNERS = settings.APP_FILES / "data" / "partners.csv"
# A member list in a cluster's own columns, to try the Sources tab without internet.
DEMO_SOURCE_FILE = settings.APP_FILES / "data" / "membres-cluster-exemple.csv"
DEMO_SOURCE_NAME = "Membres du cluster (exemple)"


def demo_source() -> sources.SourceForm:
    return sources.SourceForm(
        name=DEMO_SOURCE_NAME, file=DEMO_SOURCE_FILE.read_bytes(), format=SourceFormat.MAPPED_CSV,
        id_column="N° adhérent", default_kind=PartnerKind.CLUSTER, interval_hours=24,
        mapping={"name": "Raison sociale", "short_description": "Activité", "sectors": "Secteurs", "city": "Ville",
                 "website": "Site internet", "latitude": "Latitude", "longitude": "Longitude"})

DEMO_STAFF = "seed"
DEMO_APPLICATIONS = [
    showcase.ApplicationForm(
        organisation="Tisserand Connecté (démo)", short_description="Rubans textiles qui mesurent l'effort.",
        sectors="textile; santé", stage="prototype", team_size=3, city="Saint-Étienne",
        latitude=45.4420, longitude=4.3960, pitch_title="Le ruban qui compte vos pas",
        pitch_summary="Un ruban stéphanois tissé avec des capteurs, lavable en machine.",
        demo_description="Essayez le bracelet et voyez vos mesures en direct.",
        contact_name="Démo", contact_email="demo-tisserand@example.org", consent_data=True,
        consent_publication=True),
    showcase.ApplicationForm(
        organisation="Puits de Lumière (démo)", short_description="Éclairage solaire des anciens puits de mine.",
        sectors="énergie; patrimoine", stage="first_customers", team_size=5, city="Saint-Étienne",
        latitude=45.4280, longitude=4.3820, pitch_title="La mine éclairée par le soleil",
        pitch_summary="Des lampes solaires qui racontent l'histoire minière de la ville.",
        demo_description="Maquette lumineuse du puits Couriot.", contact_name="Démo",
        contact_email="demo-lumiere@example.org", consent_data=True, consent_publication=True),
]


# "<listing> is <kind> <other>": two true ones between real organisations, two for demo startups.
DEMO_RELATIONS = [
    ("Design Tech Académie (Télécom Saint-Étienne)", RelationKind.FOUNDED_BY, "Télécom Saint-Étienne"),
    ("Use In (incubateur de l'Université Jean Monnet)", RelationKind.FOUNDED_BY, "Université Jean Monnet"),
    ("Forez Robotique", RelationKind.INCUBATED_BY, "Le Village by CA Saint-Étienne"),
    ("Sainté Data Lab", RelationKind.INCUBATED_BY, "Le Village by CA Saint-Étienne"),
]


# The atelier's rooms, and sessions real partners could run there: examples, marked so wherever shown.
DEMO_ROOMS = [("Salle Jean-Moulin", 20, "Écran, 12 ordinateurs portables"), ("Espace vitrine", 40, "Écran, micro")]
DEMO_SESSIONS = [
    ("CCI Lyon Métropole Saint-Étienne Roanne", 1, programme.SessionForm(
        kind=SessionKind.WORKSHOP, title="Rendre son commerce visible sur les cartes en ligne",
        title_en="Put your shop on online maps",
        description="Créez ou reprenez la fiche de votre commerce sur les cartes et moteurs de recherche : horaires, "
                    "photos, avis. Repartez avec une fiche à jour.",
        description_en="Create or take over your shop's listing on maps and search engines: opening hours, photos, "
                       "reviews. Leave with an up-to-date listing.",
        audiences=[Audience.SHOPKEEPERS, Audience.ENTREPRENEURS], level=Level.BEGINNER, duration_minutes=120,
        places=12, bring="Votre téléphone ; l'accès au compte de votre commerce si vous en avez un.",
        contact_name="Conseiller numérique de la CCI (exemple)")),
    ("Digital League", 2, programme.SessionForm(
        kind=SessionKind.CONFERENCE, title="L'intelligence artificielle au quotidien, sans jargon",
        title_en="Everyday artificial intelligence, without the jargon",
        description="Ce que font vraiment les outils d'IA, ce qu'ils ne font pas, et comment s'en servir sans "
                    "livrer ses données. Questions bienvenues.",
        description_en="What AI tools really do, what they don't, and how to use them without handing over your "
                       "data. Questions welcome.",
        audiences=[Audience.EVERYONE], level=Level.BEGINNER, duration_minutes=60, places=35,
        contact_name="Membre de la Digital League (exemple)")),
    ("Design Tech Académie (Télécom Saint-Étienne)", 3, programme.SessionForm(
        kind=SessionKind.WORKSHOP, title="Découvrir le métier de développeur web",
        title_en="Discover the web developer's trade",
        description="Deux heures pour écrire sa première page web et savoir si la formation gratuite de la Design "
                    "Tech Académie est faite pour vous.",
        description_en="Two hours to write your first web page and find out whether the Design Tech Académie's free "
                       "course is for you.",
        audiences=[Audience.JOB_SEEKERS, Audience.YOUNG], level=Level.BEGINNER, duration_minutes=120, places=12,
        bring="Rien : les ordinateurs sont fournis.", accessibility="Salle de plain-pied.",
        contact_name="Formatrice de la Design Tech Académie (exemple)")),
]


def seed_programme(engine: Engine, partner_ids: dict[str, int], first_day: date) -> None:
    """The atelier's rooms and three example sessions by real partners, on the programme."""
    room_ids = [programme.save_room(engine, room_id=None, name=name, capacity=capacity, equipment=equipment,
                                    staff=DEMO_STAFF) for name, capacity, equipment in DEMO_ROOMS]
    for name, week, form in DEMO_SESSIONS:
        # A Tuesday afternoon, inside the atelier's opening hours (Tuesday to Saturday, 10:00–18:00).
        starts_at = datetime.combine(first_day + timedelta(weeks=week, days=-1), time(14, 30), PARIS)
        form.choices = [(starts_at, None)]
        room = room_ids[0] if form.places <= DEMO_ROOMS[0][1] else room_ids[1]
        proposed = programme.store_proposal(engine, partner_ids[name], form, contact_email="demo-programme@example.org",
                                            submission_key=f"demo-session-{week}", actor=DEMO_STAFF, is_example=True)
        programme.approve_session(engine, proposed.session_id, starts_at=starts_at, room_id=room, staff=DEMO_STAFF)


def wants_demo_data() -> bool:
    """Demo data on the zero-set-up SQLite database; elsewhere only when VITRINE_DEMO_DATA=1."""
    setting = settings.demo_data()
    return setting if setting is not None else not settings.database_named()


def seed_demo(engine: Engine) -> None:
    """Load the seed partners, a member list as a source (its rows proposed at its first run),
    eight Wednesday slots and two approved demo startups, the atelier's rooms and example sessions."""
    imports.apply_import(engine, imports.read_partner_csv(SEED_PARTNERS.read_bytes()), staff="seed")
    sources.add_source(engine, demo_source(), staff=DEMO_STAFF)
    seeded = listings.staff_partners(engine)
    ids = dict(zip(seeded["name"], seeded["id"].astype(int), strict=True))
    for name, kind, other in DEMO_RELATIONS:
        relations.add_relation(engine, ids[name], kind, ids[other], staff=DEMO_STAFF)
    today = to_paris(utcnow()).date()
    # The first Wednesday whose applications are still open (they close a week before).
    first = today + timedelta(days=showcase.DEFAULT_DEADLINE_DAYS + 1)
    first += timedelta(days=(2 - first.weekday()) % 7)
    days = showcase.series_days(first, first + timedelta(weeks=7), weekday=2)
    showcase.create_slot_series(engine, days, time(14), time(17), capacity=3, theme="")
    slot_id = int(showcase.open_slots(engine)["id"].iloc[0])
    for number, form in enumerate(DEMO_APPLICATIONS):
        form.slot_ids = [slot_id]
        submitted = showcase.submit_application(engine, form, submission_key=f"demo-{number}")
        showcase.approve_application(engine, submitted.application_id, slot_id=slot_id, staff=DEMO_STAFF)
    seed_programme(engine, ids, first)
