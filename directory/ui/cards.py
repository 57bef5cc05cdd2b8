"""HTML for the partner card and the accessible list: every user value escaped here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from html import escape
from typing import Any

from directory import addresses, listings
from directory.i18n import format_number, lang_attribute, localized, written_in
from directory.listings import RelationLine, marker_image, tag_label
from directory.models import (
    KIND_LABELS,
    PRECISION_LABELS,
    STAGE_LABELS,
    PartnerKind,
    Precision,
    StartupStage,
)
from directory.programme import audience_labels, session_kind_label
from directory.validation import phone_for_display, split_tags
from directory.web import render

Translate = Callable[..., str]


def kind_label(kind: str, _: Translate) -> str:
    try:
        return _(KIND_LABELS[PartnerKind(kind)])
    except ValueError:
        return kind


def tags_text(value: str | None, language: str) -> str:
    return ", ".join(tag_label(tag, language) for tag in split_tags(value or ""))


def partner_card_html(partner: dict[str, Any], language: str, *, permalink: str = "", logo: str = "",
                      relations: list[RelationLine] = (), presented_on: Iterable[date] = (),
                      sessions: list[dict] = ()) -> str:
    """The card of a partner (`listings.partner_card`) drawn by the public page's own template, its
    heading an h2 (it sits right under the page's title) and its kind's marker as a picture; with
    its coming sessions at the atelier (`programme.coming_sessions_of`)."""
    card = listings.partner_card(partner, language, permalink=permalink, logo=logo, relations=relations,
                                 presented_on=presented_on)
    return render("card.html", language, card=card, level=2, markers=True, sessions=sessions) + CARD_STYLE


CARD_STYLE = """<style>
.vitrine-card h2 { font-size: 1.5rem; margin: 0 0 .4em; padding: 0; }
.vitrine-card { overflow-wrap: anywhere; }
.vitrine-card dl { margin: .6em 0 0; padding: 0; }
.vitrine-card dt { font-weight: 600; margin-top: .4em; }
.vitrine-card dd { margin-left: 0; }
.vitrine-week { margin: .2em 0 0; padding-left: 1.2em; }
.vitrine-logo { max-width: 96px; max-height: 96px; object-fit: contain; float: right; margin: 0 0 .5em .5em; }
.vitrine-demo { background: #FFF4CE; color: #4A3A00; padding: .2em .5em; border-radius: .3em; }
bdi { unicode-bidi: isolate; }
</style>"""


def isolated(text: str) -> str:
    """User text escaped and isolated (HTML's <bdi>), so that it cannot reorder what follows it."""
    return f"<bdi>{escape(str(text))}</bdi>"


def partner_summary_html(partner: dict[str, Any], language: str, _: Translate) -> str:
    """One line under a partner's name in the list: kind, sectors, city and position."""
    precision = partner.get("precision") or Precision.UNKNOWN
    parts = [marker_image(partner["kind"]) + escape(kind_label(partner["kind"], _))]
    if partner.get("sectors"):
        parts.append(escape(tags_text(partner["sectors"], language)))
    if partner.get("city"):
        parts.append(isolated(partner["city"]))
    parts.append(escape(_(PRECISION_LABELS[Precision(precision)])))
    if partner.get("is_demo"):
        parts.append(f"<em>{escape(_('Donnée de démonstration'))}</em>")
    return f'<p class="vitrine-summary" style="margin:0;color:#31333F">{" · ".join(parts)}</p>'


def legend_html(counts: dict[str, int], language: str, _: Translate) -> str:
    """What each marker means, with the number of partners of each kind shown."""
    items = "".join(
        f"<li>{marker_image(kind.value)}{escape(_(KIND_LABELS[kind]))} "
        f"({escape(format_number(counts.get(kind.value, 0), language))})</li>"
        for kind in PartnerKind
    )
    approximate_label, presenting_label, legend_label = (
        _("Contour pointillé, fond pâle : position approximative"),
        _("Contour épais : présente bientôt ses innovations à l'atelier"), _("Légende de la carte"))
    extras = (f"<li>{marker_image(PartnerKind.STARTUP, approximate=True)}{escape(approximate_label)}</li>"
              f"<li>{marker_image(PartnerKind.STARTUP, presenting=True)}{escape(presenting_label)}</li>")
    return (f'<section aria-label="{escape(legend_label, quote=True)}">'
            f'<ul class="vitrine-legend" style="list-style:none;padding-left:0;margin:0">{items}{extras}</ul>'
            '<style>.vitrine-legend{columns:2 16rem}.vitrine-legend li{margin:.15em 0;break-inside:avoid}</style>'
            '</section>')


def showcase_html(show: dict[str, Any], when: str, *, site: str, language: str, _: Translate) -> str:
    """One showcase: when, and who presents (linked to their card on the map)."""
    items = []
    for startup in show["startups"]:
        name = isolated(startup["organisation"])
        if startup.get("partner_id"):
            link = escape(addresses.partner_on_map(site, startup["partner_id"], language), quote=True)
            name = f'<a href="{link}" target="_self">{name}</a>'
        title, summary = (f"<span{lang_attribute(written_in(startup, column, language), language)}>"
                          f"{isolated(localized(startup, column, language))}</span>"
                          for column in ("pitch_title", "pitch_summary"))
        items.append(f"<li><strong>{name}</strong> — {title}<br>{summary}</li>")
    nobody = _("Programme à venir.")
    presenting = f"<ul>{''.join(items)}</ul>" if items else f"<p>{escape(nobody)}</p>"
    return f"<h3>{escape(when)}</h3>{presenting}"


def session_html(entry: dict[str, Any], when: str, *, site: str, language: str, _: Translate) -> str:
    """One session of the programme: what, when, for whom, by whom (linked to its card on the
    map), and the places left. The partner's text declares its language."""
    partner = escape(addresses.partner_on_map(site, entry["partner_id"], language), quote=True)
    title = (f"<span{lang_attribute(written_in(entry, 'title', language), language)}>"
             f"{isolated(localized(entry, 'title', language))}</span>")
    description = (f"<p{lang_attribute(written_in(entry, 'description', language), language)}>"
                   f"{isolated(localized(entry, 'description', language))}</p>")
    badge = _("Exemple")
    example = f' <span class="vitrine-badge">{escape(badge)}</span>' if entry["is_example"] else ""
    run_by = _("Animé par")
    if entry["cancelled"]:
        places = _("Annulée")
    elif entry["places_left"]:
        places = _("{count} places libres sur {total}", count=entry["places_left"], total=entry["places"])
    else:
        places = _("Complet — liste d'attente : {count}", count=entry["waiting"])
    facts = " · ".join(escape(part) for part in (session_kind_label(entry, language), when, entry["room"]) if part)
    audiences = _("Pour : {audiences}", audiences=", ".join(audience_labels(entry, language)))
    return (f"<h3>{title}{example}</h3><p>{facts}<br>{escape(audiences)}"
            f"<br>{escape(run_by)} <a href=\"{partner}\" target=\"_self\">{isolated(entry['partner_name'])}</a>"
            f"<br><strong>{escape(places)}</strong></p>{description}{BADGE_STYLE}")


BADGE_STYLE = """<style>
.vitrine-badge { font-size: .8rem; font-weight: 600; background: #FFF4CE; color: #4A3A00; padding: .1em .45em;
                 border-radius: .3em; vertical-align: middle; }
</style>"""


def session_proposal_html(session: dict[str, Any], partner_name: str, choices: list[str], language: str,
                          _: Translate) -> str:
    """What a reviewer needs to decide on a proposed session: what, for whom, how many, by whom,
    and the dates the partner could do, ranked."""
    entry = {**session, "audiences": split_tags(session["audiences"])}
    facts = [
        (_("Type"), session_kind_label(entry, language)),
        (_("Pour"), ", ".join(audience_labels(entry, language))),
        (_("Durée"), _("{minutes} minutes", minutes=session["duration_minutes"])),
        (_("Places"), str(session["places"])),
        (_("Animé par"), f"{session['contact_name']} — {partner_name}"),
        (_("À apporter"), session["bring"]),
        (_("Accessibilité"), session["accessibility"]),
    ]
    details = "".join(f"<dt>{escape(label)}</dt><dd>{isolated(value)}</dd>" for label, value in facts if value)
    ranked = "".join(f"<li>{escape(label)}</li>" for label in choices)
    possible = _("Dates possibles :")
    written = lang_attribute(session.get("language") or "fr", language)
    english = (f'<p><span{lang_attribute("en", language)}><strong>{isolated(session["title_en"])}</strong> — '
               f'{isolated(session["description_en"])}</span></p>') if session.get("title_en") else ""
    return (f"<h3{written}>{isolated(session['title'])}</h3><p{written}>{isolated(session['description'])}</p>"
            f"{english}<dl>{details}</dl><p>{escape(possible)}</p><ol>{ranked}</ol>")


def application_card_html(candidate: dict[str, Any], preferences: list[str], state_labels: dict[str, str],
                          language: str, _: Translate) -> str:
    """What a reviewer needs to decide: the pitch (and its English version, if given), the
    organisation, the ranked slots. The applicant's text declares the language of the form it came from."""
    facts = [
        (_("État"), state_labels.get(candidate["state"], candidate["state"])),
        (_("Stade"), _(STAGE_LABELS.get(StartupStage(candidate["stage"]), candidate["stage"]))),
        (_("Taille de l'équipe"), str(candidate["team_size"])),
        (_("Secteurs"), candidate["sectors"]),
        (_("Ville"), candidate["city"]),
        (_("Contact"), f"{candidate['contact_name']} <{candidate['contact_email']}> "
                        f"{phone_for_display(candidate['contact_phone'])}"),
        (_("Matériel"), candidate["equipment"]),
    ]
    details = "".join(f"<dt>{escape(label)}</dt><dd>{isolated(value)}</dd>" for label, value in facts if value)
    website = candidate.get("website") or ""
    link = (f' — <a href="{escape(website, quote=True)}" target="_blank" rel="noopener noreferrer nofollow">'
            f'{isolated(website)}</a>') if website else ""
    ranked = "".join(f"<li>{escape(label)}</li>" for label in preferences)
    preferences_label = _("Créneaux souhaités :")
    written = lang_attribute(candidate.get("language") or "fr", language)
    english, in_english = "", _("En anglais :")
    if candidate.get("pitch_title_en") or candidate.get("pitch_summary_en"):
        english = (f'<p>{escape(in_english)} <span{lang_attribute("en", language)}><strong>'
                   f'{isolated(candidate.get("pitch_title_en") or "")}</strong> — '
                   f'{isolated(candidate.get("pitch_summary_en") or "")}</span></p>')
    return (f'<article class="vitrine-card"><h4>{isolated(candidate["organisation"])}{link}</h4>'
            f'<p{written}><strong>{isolated(candidate["pitch_title"])}</strong> — '
            f'{isolated(candidate["pitch_summary"])}</p>{english}'
            f'<p{written}>{isolated(candidate["demo_description"])}</p><dl>{details}</dl>'
            f'<p>{escape(preferences_label)}</p><ol>{ranked}</ol></article>')
