"""Demo data: the real organisations of the ecosystem, fictional startups marked as demo, and
upcoming showcase slots with two demo startups already approved."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy.engine import Engine

from directory import listings, settings, showcase, sources
from directory.clock import to_paris, utcnow
from directory.listings import imports, relations
from directory.models import PartnerKind, RelationKind, SourceFormat

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


def wants_demo_data() -> bool:
    """Demo data on the zero-set-up SQLite database; elsewhere only when VITRINE_DEMO_DATA=1."""
    setting = settings.demo_data()
    return setting if setting is not None else not settings.database_named()


def seed_demo(engine: Engine) -> None:
    """Load the seed partners, a member list as a source (its rows proposed at its first run),
    eight Wednesday slots and two approved demo startups."""
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
