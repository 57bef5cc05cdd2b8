"""HTML for the partner card and the accessible list: every user value escaped here."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import pandas as pd

from directory import addresses
from directory.clock import to_paris, utcnow
from directory.i18n import N_, format_date, format_number, lang_attribute, localized, translate, written_in
from directory.listings import hours
from directory.listings.mapping import marker_image
from directory.listings.relations import RelationLine
from directory.listings.vocabulary import tag_label
from directory.models import (
    KIND_LABELS,
    PRECISION_LABELS,
    STAGE_LABELS,
    PartnerKind,
    Precision,
    StartupStage,
)
from directory.validation import phone_for_display, split_tags

Translate = Callable[..., str]


def kind_label(kind: str, _: Translate) -> str:
    try:
        return _(KIND_LABELS[PartnerKind(kind)])
    except ValueError:
        return kind


def tags_text(value: str | None, language: str) -> str:
    return ", ".join(tag_label(tag, language) for tag in split_tags(value or ""))


def partner_card_html(partner: dict[str, Any], language: str, _: Translate, *, permalink: str = "",
                      logo: str = "", relations: list[RelationLine] = ()) -> str:
    """The card of a partner, with its logo at the address `logo` if it has one. Its heading is an
    h2: it sits right under the page's title."""
    rows: list[tuple[str, str]] = [(_("Type"), marker_image(partner["kind"]) + escape(kind_label(partner["kind"], _)))]
    if partner.get("sectors"):
        rows.append((_("Secteurs"), escape(tags_text(partner["sectors"], language))))
    if partner.get("networks"):
        rows.append((_("Réseaux"), escape(tags_text(partner["networks"], language))))
    address = ", ".join(p for p in (partner.get("address"), partner.get("city")) if p)
    if address:
        rows.append((_("Adresse"), isolated(address)))
    precision = partner.get("precision") or Precision.UNKNOWN
    rows.append((_("Position"), escape(_(PRECISION_LABELS[Precision(precision)]))))
    if partner.get("website"):
        url = escape(partner["website"], quote=True)
        rows.append((_("Site web"), f'<a href="{url}" target="_blank" rel="noopener noreferrer nofollow">'
                                    f'{isolated(partner["website"])}</a>'))
    if partner.get("contact_email"):
        email = escape(partner["contact_email"], quote=True)
        rows.append((_("Contact"), f'<a href="mailto:{email}">{isolated(partner["contact_email"])}</a>'))
    if partner.get("contact_phone"):
        rows.append((_("Téléphone"), isolated(phone_for_display(partner["contact_phone"]))))
    if partner.get("opening_hours"):
        rows.append((_("Horaires"), hours_html(partner["opening_hours"], language)))
    if partner.get("accessibility_note") or partner.get("accessibility_url"):
        access = isolated(partner.get("accessibility_note") or "")
        if partner.get("accessibility_url"):
            link_text = _("sa page acceslibre")
            access += (" " if access else "") + (f'<a href="{escape(partner["accessibility_url"], quote=True)}" '
                                                 f'target="_blank" rel="noopener noreferrer">{escape(link_text)}</a>')
        rows.append((_("Accessibilité"), access))
    for line in relations:
        names = ", ".join(f'<a href="{escape(href, quote=True)}">{isolated(name)}</a>' for name, href in line.links)
        if line.on_map:
            names += f' — <a href="{escape(line.on_map, quote=True)}">{escape(_("les voir sur la carte"))}</a>'
        rows.append((line.label, names))
    if partner.get("last_verified") is not None and pd.notna(partner.get("last_verified")):
        rows.append((_("Informations vérifiées le"),
                     escape(format_date(pd.Timestamp(partner["last_verified"]).date(), language, style="long"))))
    if partner.get("presented_on"):
        days = ", ".join(format_date(day, language, style="long") for day in partner["presented_on"])
        rows.append((_("À l'atelier"), escape(_("Présentée à l'Atelier Numérique le {days}", days=days))))
    elif partner.get("presenting"):
        rows.append((_("À l'atelier"), escape(_("Présente ses innovations lors d'une vitrine de l'atelier"))))
    if permalink:
        permalink_text = _("Page de la fiche, à partager")
        rows.append((_("Lien permanent"), f'<a href="{escape(permalink, quote=True)}" target="_blank" rel="noopener">'
                                          f'{escape(permalink_text)}</a>'))
    details = "".join(f"<dt>{escape(label)}</dt><dd>{value}</dd>" for label, value in rows)
    demo_label, fictional = _("Donnée de démonstration"), _("organisation fictive")
    demo = (f'<p class="vitrine-demo"><strong>{escape(demo_label)}</strong> — {escape(fictional)}</p>'
            if partner.get("is_demo") else "")
    short = localized(partner, "short_description", language)
    long = localized(partner, "description", language)
    long_lang = lang_attribute(written_in(partner, "description", language), language)
    paragraphs = "".join(f"<p{long_lang}>{isolated(p)}</p>" for p in long.split("\n") if p.strip())
    short_lang = lang_attribute(written_in(partner, "short_description", language), language)
    logo_alt = _("Logo de {name}", name=partner["name"])
    logo_html = (f'<img class="vitrine-logo" src="{escape(logo, quote=True)}" alt="{escape(logo_alt, quote=True)}" '
                 'width="96">' if logo else "")
    return f"""
<article class="vitrine-card" aria-labelledby="card-title">{logo_html}
<h2 id="card-title">{isolated(partner["name"])}</h2>{demo}
<p{short_lang}><strong>{isolated(short)}</strong></p>{paragraphs}
<dl>{details}</dl>
</article>
<style>
.vitrine-card h2 {{ font-size: 1.5rem; margin: 0 0 .4em; padding: 0; }}
.vitrine-card {{ overflow-wrap: anywhere; }}
.vitrine-card dt {{ font-weight: 600; margin-top: .4em; }}
.vitrine-card dd {{ margin-left: 0; }}
.vitrine-week {{ margin: .2em 0 0; padding-left: 1.2em; }}
.vitrine-logo {{ max-width: 96px; max-height: 96px; object-fit: contain; float: right; margin: 0 0 .5em .5em; }}
.vitrine-demo {{ background: #FFF4CE; color: #4A3A00; padding: .2em .5em; border-radius: .3em; }}
</style>"""


def hours_html(expression: str, language: str) -> str:
    """"Ouvert maintenant, jusqu'à 18:00" and the coming week, one day a line."""
    now = utcnow()
    days = "".join(f"<li>{escape(translate(N_('{day} : {times}'), language, day=day.capitalize(), times=times))}</li>"
                   for day, times in hours.week(expression, to_paris(now).date(), language))
    status = escape(hours.status_text(expression, now, language))
    return f'<strong>{status}</strong><ul class="vitrine-week">{days}</ul>'


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
