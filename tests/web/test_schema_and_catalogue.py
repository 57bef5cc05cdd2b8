"""What portals read: the CSV's Table Schema (validated with frictionless) and the DCAT-AP catalogue
(parsed with rdflib), served by the app."""

import csv
import io
import json
from datetime import date

import pytest
from frictionless import Resource, Schema, validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from directory import listings, seed
from directory.listings import exports, mediation
from directory.listings.schema import FIELDS
from directory.validation import FormCheck
from tests.conftest import partner_row, reference_file
from tests.factories import make_slot, session_on_programme
from tests.web.test_open_data import DIRECTORY

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


def test_the_schema_describes_every_exported_column_in_order():
    assert [field["name"] for field in FIELDS] == exports.EXPORT_COLUMNS


@pytest.mark.parametrize("data", ["hostile and odd rows", "the demo data"])
def test_the_published_csv_validates_against_the_published_schema(site, engine, tmp_path, data):
    if data == "the demo data":
        seed.seed_demo(engine)
    else:
        listings.insert_partners(engine, DIRECTORY + [partner_row(
            name="Téléphone", contact_phone="+33477000000", contact_email="a@b.fr", website="https://b.fr",
            description="Deux lignes,\n« guillemets » et ; points-virgules", last_verified=date(2026, 11, 30))])
    descriptor = site.get("/donnees/schema.json")
    assert descriptor.status_code == 200 and descriptor.headers["access-control-allow-origin"] == "*"
    assert Schema.validate_descriptor(descriptor.json()).valid
    schema = Schema.from_descriptor(descriptor.json())
    (tmp_path / "partenaires.csv").write_bytes(site.get("/donnees/partenaires.csv").content)
    report = validate(Resource(path="partenaires.csv", basepath=str(tmp_path), schema=schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    if data != "the demo data":  # a phone number is written as it is, never guarded like a formula
        phones = {row["name"]: row["contact_phone"] for row in csv.DictReader(io.StringIO(
            (tmp_path / "partenaires.csv").read_text(encoding="utf-8-sig")))}
        assert phones["Téléphone"] == "+33477000000"


def test_a_csv_that_breaks_the_schema_is_caught(site, tmp_path):
    schema = Schema.from_descriptor(site.get("/donnees/schema.json").json())
    (tmp_path / "bad.csv").write_text(",".join(exports.EXPORT_COLUMNS) + "\n"
                                      + "x,Nom,castle" + "," * (len(exports.EXPORT_COLUMNS) - 3) + "\n")
    report = validate(Resource(path="bad.csv", basepath=str(tmp_path), schema=schema))
    assert {error[0] for error in report.flatten(["fieldName"])} >= {"id", "kind", "is_demo"}


def test_the_catalogue_lists_each_dataset_with_what_harvesters_need(site, engine, monkeypatch):
    monkeypatch.setenv("VITRINE_CONTACT_EMAIL", "atelier@example.org")
    listings.insert_partners(engine, DIRECTORY)
    make_slot(engine)
    session_on_programme(engine)
    answer = site.get("/donnees/catalogue.jsonld")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/ld+json")
    graph = Graph().parse(data=answer.text, format="json-ld", base="http://vitrine.test/")
    [catalogue] = graph.subjects(RDF.type, DCAT.Catalog)
    datasets = set(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets) == 4  # the directory, the showcases, the places of mediation, the programme
    licence = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
    media_types = set()
    for dataset in datasets:
        titles = {title.language for title in graph.objects(dataset, DCTERMS.title)}
        descriptions = {text.language for text in graph.objects(dataset, DCTERMS.description)}
        assert titles == descriptions == {"fr", "en"}
        assert (dataset, DCTERMS.license, licence) in graph
        assert graph.value(dataset, DCTERMS.modified).datatype is not None
        assert graph.value(graph.value(dataset, DCTERMS.publisher), Namespace("http://xmlns.com/foaf/0.1/").name)
        contact = graph.value(dataset, DCAT.contactPoint)
        assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:atelier@example.org")
        for distribution in graph.objects(dataset, DCAT.distribution):
            media_types.add(str(graph.value(distribution, DCAT.mediaType)).rsplit("media-types/", 1)[1])
            url = str(graph.value(distribution, DCAT.downloadURL)).removeprefix("http://vitrine.test")
            assert site.get(url).status_code == 200  # every distribution answers
    assert media_types == {"text/csv", "application/geo+json", "application/json", "text/calendar"}
    csv = URIRef("http://vitrine.test/donnees/partenaires.csv")
    assert (csv, DCTERMS.conformsTo, URIRef("http://vitrine.test/donnees/schema.json")) in graph
    programme = URIRef("http://vitrine.test/donnees/programme.csv")
    assert (programme, DCTERMS.conformsTo, URIRef("http://vitrine.test/donnees/programme-schema.json")) in graph
    assert (catalogue, DCTERMS.title, Literal("Vitrine's open data", lang="en")) in graph


def test_an_empty_site_has_a_valid_catalogue_without_dates(site):
    body = site.get("/donnees/catalogue.jsonld").json()
    assert "dct:modified" not in body and len(body["dcat:dataset"]) == 4
    Graph().parse(data=json.dumps(body), format="json-ld")


STANDARD = "lieux-mediation-numerique-schema-v1.0.2.json"


def published_standard() -> Schema:
    """The national standard's Table Schema, the file LaMednum publishes (v1.0.2), unchanged."""
    return Schema.from_descriptor(json.loads(reference_file(STANDARD).read_text(encoding="utf-8")))


def test_the_standard_vitrine_ships_is_the_published_file_unchanged():
    assert mediation.SCHEMA_FILE.read_bytes() == reference_file(STANDARD).read_bytes()
    assert mediation.STANDARD_URI == "https://raw.githubusercontent.com/LaMednum/standard-mediation-num/v1.0.2/schema.json"


def test_the_publishers_own_example_is_valid_against_its_schema():
    """The yardstick works: the standard's own valid example passes it."""
    example = reference_file("lieux-mediation-numerique-exemple-valide.csv")
    report = validate(Resource(path=example.name, basepath=str(example.parent), schema=published_standard()))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_places_of_digital_mediation_are_valid_against_the_published_national_standard(site, engine, tmp_path):
    """Issue 31: several values joined by "|", telephone as the standard writes it, a real pivot
    where the listing has one, the atelier's row complete; checked against the published schema."""
    seed.seed_demo(engine)
    listings.insert_partners(engine, [partner_row(
        name="Médiathèque Tarentaize", kind="public_body", address="20-24 rue Jo Gouttebarge", city="Saint-Étienne",
        postal_code="42000", contact_phone="+33477430977", siret="21420218600011",
        short_description="Ordinateurs en accès libre. " * 10 + "Et bien plus.",
        mediation_services="Accès internet et matériel informatique; Aide aux démarches administratives",
        opening_hours="Tu-Sa 10:00-18:00", last_verified=date(2026, 11, 30)), partner_row(
        name="=Espace numérique", kind="association", address="1 rue de la Paix", city="Saint-Étienne",
        postal_code="42000", mediation_services="Aide aux démarches administratives")])
    answer = site.get("/donnees/lieux-mediation-numerique.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    (tmp_path / "lieux.csv").write_bytes(answer.content)
    report = validate(Resource(path="lieux.csv", basepath=str(tmp_path), schema=published_standard()))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = {row["nom"]: row for row in csv.DictReader(io.StringIO(answer.text))}
    assert set(rows) == {"Atelier Numérique Google Saint-Étienne", "Médiathèque Tarentaize", "'=Espace numérique"}
    library = rows["Médiathèque Tarentaize"]
    assert (library["pivot"], library["telephone"], library["date_maj"], library["itinerance"]) == (
        "21420218600011", "+33477430977", "2026-11-30", "Fixe")
    assert library["services"] == "Accès internet et matériel informatique|Aide aux démarches administratives"
    assert len(library["presentation_resume"]) <= 280 and library["presentation_resume"].endswith("…")
    assert rows["'=Espace numérique"]["pivot"] == mediation.NO_PIVOT  # no SIRET nor RNA known: README
    atelier = rows["Atelier Numérique Google Saint-Étienne"]
    assert all(atelier[column] for column in ("telephone", "site_web", "horaires", "services")), atelier


def test_a_place_of_mediation_needs_where_it_is_and_known_services():
    check = FormCheck()
    listings.clean_partner_form(listings.PartnerForm(
        name="Lieu", kind="association", short_description="Aide.", mediation_services=["Réparer des vélos"],
        postal_code="42"), check)
    assert set(check.errors) == {"mediation_services", "postal_code"}
    check = FormCheck()
    listings.clean_partner_form(listings.PartnerForm(
        name="Lieu", kind="association", short_description="Aide.", mediation_services=list(mediation.SERVICES[:1])),
        check)
    assert set(check.errors) == {"address", "postal_code", "city"}


def test_a_csv_that_breaks_the_national_standard_is_caught(tmp_path):
    (tmp_path / "bad.csv").write_text(",".join(mediation.columns()) + "\n"
                                      + "x,,Nom,Ville,420,,Adresse" + "," * 14 + "2026-13-01,Réparer des vélos"
                                      + "," * 10 + "\n")
    report = validate(Resource(path="bad.csv", basepath=str(tmp_path), schema=published_standard()))
    assert {error[0] for error in report.flatten(["fieldName"])} >= {"pivot", "code_postal", "date_maj", "services"}


@pytest.mark.parametrize("shapes", ["shapes", "range"])
def test_the_catalogue_conforms_to_the_published_dcat_ap_shapes_and_ranges(site, engine, shapes):
    """Issue 31: the mandatory shapes passed, the ranges gave 39 violations (licences, languages,
    media types, formats, conformsTo, publisher, landing pages, contact point not typed)."""
    from pyshacl import validate as shacl_validate

    seed.seed_demo(engine)
    data = Graph().parse(data=site.get("/donnees/catalogue.jsonld").text, format="json-ld",
                         base="http://vitrine.test/")
    rules = Graph().parse(reference_file(f"dcat-ap-2.1.1-shacl-{shapes}.ttl"), format="turtle")
    conforms, _graph, text = shacl_validate(data, shacl_graph=rules, inference="none")
    assert conforms, text


def test_the_catalogue_names_the_standards_exact_version_and_when_each_file_changed(site, engine):
    seed.seed_demo(engine)
    graph = Graph().parse(data=site.get("/donnees/catalogue.jsonld").text, format="json-ld",
                          base="http://vitrine.test/")
    places = URIRef("http://vitrine.test/donnees/lieux-mediation-numerique.csv")
    standard = URIRef("https://raw.githubusercontent.com/LaMednum/standard-mediation-num/v1.0.2/schema.json")
    assert (places, DCTERMS.conformsTo, standard) in graph
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        if "agenda" not in str(distribution):  # no showcase yet: the agenda has no date
            assert graph.value(distribution, DCTERMS.modified) is not None, distribution
