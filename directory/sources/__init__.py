"""External sources kept in step with the directory, as GoGoCarto's "sources externes": a member
list, a pépinière's startups, a public body's dataset on data.gouv.fr.

Staff register a source once (`registry`): an address or an uploaded file, its format, the column
that names a row from one run to the next, an interval, trusted or not. Each run (`sync`; the
worker at each source's interval, `vitrine sync-source`, or the tab's button) reads it within
bounds (`fetching`), checks every row as the partner form does (`rows`), and brings the directory
in step in one transaction, leaving a report of what was added, changed, gone and refused.
"""

from directory.sources.fetching import MAX_SOURCE_BYTES, SourceFailed
from directory.sources.registry import (
    INTERVAL_LABELS,
    GoneListing,
    SourceForm,
    add_source,
    all_sources,
    gone_listings,
    peek_columns,
    recent_runs,
    remove_source,
    replace_file,
    source_named,
)
from directory.sources.reports import RunReport, refusal_reasons, summary, text_report
from directory.sources.rows import MAPPABLE_COLUMNS
from directory.sources.sync import SourceBusy, sync_due_sources, sync_source

__all__ = [
    "add_source", "all_sources", "gone_listings", "GoneListing", "INTERVAL_LABELS", "MAPPABLE_COLUMNS",
    "MAX_SOURCE_BYTES", "peek_columns", "recent_runs", "refusal_reasons", "remove_source", "replace_file", "RunReport",
    "source_named", "SourceBusy", "SourceFailed", "SourceForm", "summary", "sync_due_sources", "sync_source",
    "text_report",
]
