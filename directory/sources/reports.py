"""What a run did, read back from its stored report: for the Sources tab and the command."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from directory.i18n import N_, translate, translate_plural
from directory.listings import field_label
from directory.models import SourceRun
from directory.validation import Message

ROW_FIELD_LABELS = {"id": N_("Identifiant"), "position": N_("Position")}


@dataclass(frozen=True)
class RunReport:
    run: SourceRun
    rows: dict[str, list[dict[str, Any]]]  # added, changed, gone, refused, back: each at most REPORT_ROWS_MAX

    @classmethod
    def of(cls, run: SourceRun) -> RunReport:
        return cls(run, json.loads(run.report or "{}"))

    @property
    def error(self) -> Message | None:
        """Why a failed run changed nothing."""
        if self.run.ok or not self.run.error:
            return None
        text, params = json.loads(self.run.error)
        return Message(text, params)

    def listed(self, part: str) -> list[dict[str, Any]]:
        return self.rows.get(part, [])

    def unlisted(self, part: str) -> int:
        """Rows counted but not listed (the report keeps the first ones)."""
        return getattr(self.run, part) - len(self.listed(part))


def field_name(name: str, language: str) -> str:
    return translate(ROW_FIELD_LABELS[name], language) if name in ROW_FIELD_LABELS else field_label(name, language)


def refusal_reasons(row: dict[str, Any], language: str) -> str:
    """"Site web : adresse invalide ; Type : …" for one refused row."""
    return translate(N_(" ; "), language).join(
        translate(N_("{field} : {message}"), language, field=field_name(name, language),
                  message=translate(text, language, **params)) for name, (text, params) in row["errors"].items())


def summary(run: SourceRun, language: str) -> str:
    """One line: the counts of a run, or why it failed."""
    report = RunReport.of(run)
    if report.error is not None:
        return translate(N_("Échec, rien n'a été changé : {reason}"), language,
                         reason=translate(report.error.text, language, **report.error.params))
    parts = [translate_plural("{count} ajoutée", "{count} ajoutées", run.added, language),
             translate_plural("{count} modifiée", "{count} modifiées", run.changed, language),
             translate_plural("{count} disparue", "{count} disparues", run.gone, language),
             translate_plural("{count} refusée", "{count} refusées", run.refused, language),
             translate_plural("{count} inchangée", "{count} inchangées", run.unchanged, language)]
    return ", ".join(parts)


def text_report(run: SourceRun, language: str) -> list[str]:
    """Every listed row of a run as lines, for the command's output."""
    report = RunReport.of(run)
    lines = [summary(run, language)]
    for row in report.listed("added"):
        lines.append(f"+ {row['name']} [{row['id']}]"
                     + (" — " + translate(N_("doublon possible de « {name} »"), language, name=row["looks_like"])
                        if row["looks_like"] else ""))
    for row in report.listed("changed"):
        fields = ", ".join(field_label(name, language) for name in row["fields"])
        lines.append(f"~ {row['name']} [{row['id']}]: {fields}"
                     + ("" if row["applied"] else " — " + translate(N_("à valider"), language)))
    for row in report.listed("gone"):
        lines.append(f"- {row['name']} [{row['id']}]")
    for row in report.listed("refused"):
        lines.append(f"! {translate(N_('ligne {line}'), language, line=row['line'])} {row['name']}: "
                     + refusal_reasons(row, language))
    hidden = sum(report.unlisted(part) for part in ("added", "changed", "gone", "refused"))
    if hidden:
        lines.append(translate(N_("… et {count} autres lignes (comptées ci-dessus)."), language, count=hidden))
    return lines
