"""HTML for the partner card and the accessible list: every user value escaped here."""

from __future__ import annotations

from html import escape
from typing import Any, Callable
from urllib.parse import urlencode

import pandas as pd

from directory import addresses
from directory.i18n import format_date
from directory.mapping import KIND_COLOURS
from directory.models import KIND_LABELS, PRECISION_LABELS, STAGE_LABELS, PartnerKind, Precision, StartupStage
from directory.validation import split_tags

Translate = Callable[..., str]


def localized(partner: dict[str, Any], column: str, language: str) -> str:
    """The English text when the visitor reads English and one exists, else the French one."""
    if language == "en" and partner.get(f"{column}_en"):
        return partner[f"{column}_en"]
    return partner.get(column) or ""


def kind_label(kind: str, _: Translate) -> str:
    try:
        return _(KIND_LABELS[PartnerKind(kind)])
    except ValueError:
        return kind


def swatch(kind: str) -> str:
    colour = KIND_COLOURS.get(kind, "#37474F")  # StrEnum keys match plain strings
    return (f'<span aria-hidden="true" style="display:inline-block;width:.8em;height:.8em;'
            f'border-radius:50%;background:{colour};margin-right:.35em"></span>')


def partner_card_html(partner: dict[str, Any], language: str, _: Translate, *, permalink: str = "") -> str:
    rows: list[tuple[str, str]] = [(_("Type"), swatch(partner["kind"]) + escape(kind_label(partner["kind"], _)))]
    if partner.get("sectors"):
        rows.append((_("Secteurs"), ", ".join(escape(t) for t in split_tags(partner["sectors"]))))
    if partner.get("networks"):
        rows.append((_("Réseaux"), ", ".join(escape(t) for t in split_tags(partner["networks"]))))
    address = ", ".join(p for p in (partner.get("address"), partner.get("city")) if p)
    if address:
        rows.append((_("Adresse"), escape(address)))
    precision = partner.get("precision") or Precision.UNKNOWN
    rows.append((_("Position"), escape(_(PRECISION_LABELS[Precision(precision)]))))
    if partner.get("website"):
        url = escape(partner["website"], quote=True)
        rows.append((_("Site web"), f'<a href="{url}" target="_blank" rel="noopener noreferrer nofollow">{escape(partner["website"])}</a>'))
    if partner.get("contact_email"):
        email = escape(partner["contact_email"], quote=True)
        rows.append((_("Contact"), f'<a href="mailto:{email}">{escape(partner["contact_email"])}</a>'))
    if partner.get("contact_phone"):
        rows.append((_("Téléphone"), escape(partner["contact_phone"])))
    if partner.get("last_verified") is not None and pd.notna(partner.get("last_verified")):
        rows.append((_("Informations vérifiées le"),
                     escape(format_date(pd.Timestamp(partner["last_verified"]).date(), language, style="long"))))
    if partner.get("presenting"):
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
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in long.split("\n") if p.strip())
    return f"""
<article class="vitrine-card" aria-labelledby="card-title">
<h3 id="card-title">{escape(partner["name"])}</h3>{demo}
<p><strong>{escape(short)}</strong></p>{paragraphs}
<dl>{details}</dl>
</article>
<style>
.vitrine-card dt {{ font-weight: 600; margin-top: .4em; }}
.vitrine-card dd {{ margin-left: 0; }}
.vitrine-demo {{ background: #FFF4CE; color: #4A3A00; padding: .2em .5em; border-radius: .3em; }}
</style>"""


def partner_table_html(partners: pd.DataFrame, *, language: str, _: Translate,
                       link_params: dict[str, str], caption: str) -> str:
    """A real table (caption, column headers) whose names link to the partner's card."""
    header = "".join(f'<th scope="col">{escape(h)}</th>' for h in
                     (_("Nom"), _("Type"), _("Secteurs"), _("Ville"), _("Position")))
    demo_label = _("démo")
    body = []
    for partner in partners.to_dict("records"):
        link = "?" + urlencode({**link_params, "partner": partner["id"]})
        precision = partner.get("precision") or Precision.UNKNOWN
        demo = f" <small>({escape(demo_label)})</small>" if partner.get("is_demo") else ""
        body.append(
            f'<tr><th scope="row"><a href="{escape(link, quote=True)}" target="_self">'
            f'{escape(partner["name"])}</a>{demo}</th>'
            f'<td>{swatch(partner["kind"])}{escape(kind_label(partner["kind"], _))}</td>'
            f'<td>{escape(", ".join(split_tags(partner["sectors"] or "")))}</td>'
            f'<td>{escape(partner.get("city") or "")}</td>'
            f'<td>{escape(_(PRECISION_LABELS[Precision(precision)]))}</td></tr>'
        )
    return (f'<table class="vitrine-list"><caption>{escape(caption)}</caption>'
            f'<thead><tr>{header}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            '<style>.vitrine-list{width:100%;border-collapse:collapse}'
            '.vitrine-list caption{text-align:left;font-weight:600;padding:.3em 0}'
            '.vitrine-list th,.vitrine-list td{text-align:left;padding:.35em .5em;'
            'border-bottom:1px solid #d0d4da;vertical-align:top;font-weight:normal}'
            '.vitrine-list thead th{font-weight:600;border-bottom:2px solid #555}'
            '.vitrine-list a{color:#1F4E9E;text-decoration:underline}</style>')


def legend_html(counts: dict[str, int], _: Translate) -> str:
    items = "".join(
        f"<li>{swatch(kind.value)}{escape(_(KIND_LABELS[kind]))} ({counts.get(kind.value, 0)})</li>"
        for kind in PartnerKind
    )
    approximate_label, presenting_label, legend_label = (
        _("Contour pointillé, fond pâle : position approximative"),
        _("Contour épais : présente bientôt ses innovations à l'atelier"), _("Légende de la carte"))
    approximate = ('<li><span aria-hidden="true" style="display:inline-block;width:.8em;height:.8em;'
                   'border-radius:50%;border:2px dashed #37474F;margin-right:.35em"></span>'
                   f'{escape(approximate_label)}</li>'
                   '<li><span aria-hidden="true" style="display:inline-block;width:.8em;height:.8em;'
                   'border-radius:50%;border:4px solid #B4440B;margin-right:.35em"></span>'
                   f'{escape(presenting_label)}</li>')
    return (f'<section aria-label="{escape(legend_label, quote=True)}">'
            f'<ul style="list-style:none;padding-left:0;columns:2;margin:0">{items}{approximate}</ul></section>')


def showcase_html(show: dict[str, Any], when: str, *, site: str, language: str, _: Translate) -> str:
    """One showcase: when, and who presents (linked to their card on the map)."""
    items = []
    for startup in show["startups"]:
        name = escape(startup["organisation"])
        if startup.get("partner_id"):
            link = escape(addresses.partner_on_map(site, startup["partner_id"], language), quote=True)
            name = f'<a href="{link}" target="_self">{name}</a>'
        items.append(f"<li><strong>{name}</strong> — {escape(startup['pitch_title'])}<br>"
                     f"{escape(startup['pitch_summary'])}</li>")
    nobody = _("Programme à venir.")
    presenting = f"<ul>{''.join(items)}</ul>" if items else f"<p>{escape(nobody)}</p>"
    return f"<h3>{escape(when)}</h3>{presenting}"


def application_card_html(candidate: dict[str, Any], preferences: list[str], state_labels: dict[str, str],
                          _: Translate) -> str:
    """What a reviewer needs to decide: the pitch, the organisation, the ranked slots."""
    facts = [
        (_("État"), state_labels.get(candidate["state"], candidate["state"])),
        (_("Stade et équipe"), _("{stage}, {size} personne(s)", size=candidate["team_size"],
                                 stage=_(STAGE_LABELS.get(StartupStage(candidate["stage"]), candidate["stage"])))),
        (_("Secteurs"), candidate["sectors"]),
        (_("Ville"), candidate["city"]),
        (_("Contact"), f"{candidate['contact_name']} <{candidate['contact_email']}> {candidate['contact_phone']}"),
        (_("Matériel"), candidate["equipment"]),
    ]
    details = "".join(f"<dt>{escape(label)}</dt><dd>{escape(str(value))}</dd>" for label, value in facts if value)
    website = candidate.get("website") or ""
    link = (f' — <a href="{escape(website, quote=True)}" target="_blank" rel="noopener noreferrer nofollow">'
            f'{escape(website)}</a>') if website else ""
    ranked = "".join(f"<li>{escape(label)}</li>" for label in preferences)
    preferences_label = _("Créneaux souhaités")
    return (f'<article class="vitrine-card"><h4>{escape(candidate["organisation"])}{link}</h4>'
            f'<p><strong>{escape(candidate["pitch_title"])}</strong> — {escape(candidate["pitch_summary"])}</p>'
            f'<p>{escape(candidate["demo_description"])}</p><dl>{details}</dl>'
            f'<p>{escape(preferences_label)} :</p><ol>{ranked}</ol></article>')
