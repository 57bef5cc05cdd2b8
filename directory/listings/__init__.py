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
- `lifecycle`: forms, proposals, imports' inserts, slugs, and the staff transitions, audited;
- `versions`, `changes`, `claims`, `freshness`, `duplicates`: the listing kept true, as above;
- `vocabulary` (sectors and kinds, in both languages; folding for search), `slugs`, `mapping`
  (the only place that writes map HTML and JavaScript), `corrections`, `imports`, `exports`.

Pages and routes use the names below; the submodules import each other directly.
"""

from directory.listings.card import PartnerCard, partner_card
from directory.listings.lifecycle import (
    AUDITED_FIELDS,
    ListingConflict,
    PartnerForm,
    Proposal,
    add_listing,
    archive_partner,
    clean_partner_form,
    create_partner,
    edit_listing,
    give_slug,
    insert_partners,
    propose_partner,
    publish_partner,
    refuse_taken_number,
    reject_partner,
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
from directory.listings.merging import (
    FieldPair,
    Merge,
    Target,
    merge_comparison,
    merge_partner,
    merge_targets,
    merges,
)
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
from directory.listings.versions import (
    VERSIONED_FIELDS,
    FieldChange,
    RefusedChange,
    field_label,
    history,
    last_changed,
    refused_changes,
    restore_version,
)

__all__ = [
    "VERSIONED_FIELDS", "field_label", "refuse_taken_number", "history", "refused_changes", "FieldChange",
    "RefusedChange", "last_changed", "restore_version", "Proposal",
    "AUDITED_FIELDS", "MAX_PAGE", "PUBLIC_COLUMNS", "SEARCH_MAX", "SHARED_LINK_PARAMETERS", "SORT_KEYS", "VIEWS",
    "ListingConflict", "MapView", "PartnerFilters", "PartnerForm", "SharedLink", "archive_partner",
    "PartnerCard", "partner_card",
    "add_listing", "clean_partner_form", "count_partners", "create_partner", "data_version", "edit_listing",
    "filter_partners",
    "filtered_partners", "find_partner", "get_partner", "give_slug", "insert_partners", "load_published",
    "merge_partner", "merge_targets", "merge_comparison", "merges", "FieldPair", "Merge", "Target", "partner_at",
    "partner_by_slug", "presenting_partner_ids", "propose_partner",
    "public_pages", "publish_partner", "published_partners", "published_slugs", "published_tags",
    "read_shared_link", "reject_partner", "restore_partner", "search_words", "sort_partners", "staff_partners",
    "tag_values", "update_partner",
]
