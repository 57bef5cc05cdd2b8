"""The partner directory: the organisations of the ecosystem on the map, and their listings' life.

The life of a listing (`directory.models.LISTING_TRANSITIONS`):

    proposed ──publish──▶ published ──archive──▶ archived
        │                    ▲    ◀──restore──
        ├──reject──▶ rejected
        └──merge into another listing──▶ rejected (merged_into)

The public (the map, the list, the open data, the partner pages) only ever sees published rows.
Staff create listings directly (published), or publish what the public proposed; a visitor's report
of an error (`corrections`) is applied to the listing or dismissed; CSV imports add many at once.

Every write of a listing's content is a new version (`versions`): who, when, which fields; staff
restore an earlier one. Organisations keep their listing true themselves: their contact asks for a
private update link and sends a change that staff review field by field (`changes`), someone of an
organisation without a working contact claims the listing (`claims`), and every contact is asked
once per period whether the listing is still right (`freshness`). A listing that looks like another
one (same company number, website, or name nearby) is flagged (`duplicates`) for staff to merge.

Read in this order:

- `links`: the one grammar of shareable map links (filters, order, page, partner, view, map),
  read strictly by the open data and leniently by the explore page;
- `readmodel`: the published directory as a DataFrame, reloaded from the rows changed since the
  last version, searched, filtered, sorted, and cached per data version;
- `forms` (what a person types, checked), `proposals` (the public's, stored once, then published or
  refused), `lifecycle` (listings added, edited and moved between states by staff, audited);
- `versions`, `changes`, `claims`, `freshness`, `duplicates`: the listing kept true, as above;
- `vocabulary` (sectors and kinds, in both languages; folding for search), `slugs`, `mapping`
  (the only place that writes map HTML and JavaScript), `corrections`, `imports`, `exports`.

Pages and routes use the names below; the submodules import each other directly.
"""

from directory.listings.card import PartnerCard, partner_card
from directory.listings.changes import (
    ORGANISATION_FIELDS,
    UnknownListingLink,
    decide_change,
    differs,
    listing_for_link,
    logo_data_url,
    pending_changes,
    request_update_link,
    review_change,
    submit_change,
    word_changes,
)
from directory.listings.claims import claim_listing, decide_claim, pending_claims
from directory.listings.corrections import REPORT_MAX, apply_report, dismiss_report, open_reports, report_error
from directory.listings.duplicates import REASONS, LiveListings, duplicates_of, mark_not_duplicate
from directory.listings.forms import PartnerForm, clean_partner_form, refuse_taken_number
from directory.listings.freshness import (
    CHECK_STATE_LABELS,
    confirm_listing,
    count_to_check,
    to_check,
    verification_ages,
)
from directory.listings.hours import HOURS_MAX
from directory.listings.imports import (
    MAX_IMPORT_ROWS,
    ImportPreview,
    ImportRefused,
    apply_import,
    check_row,
    csv_reader,
    decode,
    read_partner_csv,
)
from directory.listings.lifecycle import (
    AUDITED_FIELDS,
    add_listing,
    add_partners,
    archive_partner,
    create_partner,
    edit_listing,
    insert_partners,
    restore_partner,
    update_partner,
)
from directory.listings.links import (
    MAX_PAGE,
    SEARCH_MAX,
    SHARED_LINK_PARAMETERS,
    SORT_KEYS,
    VIEWS,
    MapView,
    PartnerFilters,
    SharedLink,
    read_shared_link,
)
from directory.listings.mapping import KIND_COLOURS, json_for_script, marker_image
from directory.listings.merging import (
    FieldPair,
    Merge,
    Target,
    merge_comparison,
    merge_partner,
    merge_targets,
    merges,
)
from directory.listings.proposals import Proposal, propose_partner, publish_partner, reject_partner
from directory.listings.readmodel import (
    PUBLIC_COLUMNS,
    count_partners,
    data_version,
    filter_partners,
    filtered_partners,
    find_partner,
    get_partner,
    load_published,
    partner_at,
    partner_by_slug,
    presenting_partner_ids,
    public_pages,
    published_partners,
    published_slugs,
    published_tags,
    search_words,
    sort_partners,
    staff_partners,
    tag_values,
)
from directory.listings.register import Establishment
from directory.listings.relations import RelationLine, relation_lines, relations_of, schema_org_relations
from directory.listings.slugs import give_slug
from directory.listings.versions import (
    VERSIONED_FIELDS,
    FieldChange,
    ListingConflict,
    RefusedChange,
    erase_contact,
    field_label,
    history,
    last_changed,
    record_version,
    refused_changes,
    restore_version,
    snapshot,
)
from directory.listings.vocabulary import fold, in_reading_order, tag_label

__all__ = [
    "add_listing", "add_partners", "apply_import", "apply_report", "archive_partner", "AUDITED_FIELDS",
    "check_row", "CHECK_STATE_LABELS", "claim_listing", "clean_partner_form", "confirm_listing",
    "count_partners", "count_to_check", "create_partner", "csv_reader", "data_version", "decide_change",
    "decide_claim", "decode", "differs", "dismiss_report", "duplicates_of", "edit_listing", "erase_contact",
    "Establishment", "field_label", "FieldChange", "FieldPair", "filter_partners", "filtered_partners",
    "find_partner", "fold", "get_partner", "give_slug", "history", "HOURS_MAX", "ImportPreview",
    "ImportRefused", "in_reading_order", "insert_partners", "json_for_script", "KIND_COLOURS", "last_changed",
    "listing_for_link", "ListingConflict", "LiveListings", "load_published", "logo_data_url", "MapView",
    "mark_not_duplicate", "marker_image", "MAX_IMPORT_ROWS", "MAX_PAGE", "Merge", "merge_comparison",
    "merge_partner", "merge_targets", "merges", "open_reports", "ORGANISATION_FIELDS", "partner_at",
    "partner_by_slug", "partner_card", "PartnerCard", "PartnerFilters", "PartnerForm", "pending_changes",
    "pending_claims", "presenting_partner_ids", "Proposal", "propose_partner", "PUBLIC_COLUMNS", "public_pages",
    "publish_partner", "published_partners", "published_slugs", "published_tags", "read_partner_csv",
    "read_shared_link", "REASONS", "record_version", "refuse_taken_number", "refused_changes", "RefusedChange",
    "reject_partner", "relation_lines", "RelationLine", "relations_of", "report_error", "REPORT_MAX",
    "request_update_link", "restore_partner", "restore_version", "review_change", "schema_org_relations",
    "SEARCH_MAX", "search_words", "SHARED_LINK_PARAMETERS", "SharedLink", "snapshot", "SORT_KEYS",
    "sort_partners", "staff_partners", "submit_change", "tag_label", "tag_values", "Target", "to_check",
    "UnknownListingLink", "update_partner", "verification_ages", "VERSIONED_FIELDS", "VIEWS", "word_changes",
]
