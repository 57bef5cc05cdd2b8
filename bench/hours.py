"""What the "open now" filter costs at 10,000 partners.

    python bench/hours.py

Every partner has opening hours: most share a few common ones, one in twenty has hours of its own. Prints
the median time to give the explore page its rows with and without `open_now` (the rest is cached
per data version; "open now" is evaluated afresh, once per distinct expression), and the
difference, which is what the filter adds to a rerun.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import median_ms, synthetic_partners, timed  # noqa: E402
from directory import db, listings  # noqa: E402
from directory.listings import PartnerFilters  # noqa: E402

COUNT = 10_000
COMMON = ["Mo-Fr 09:00-18:00; PH off", "Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00; PH off", "24/7",
          "Tu-Sa 10:00-19:00"]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{folder}/bench.db")
        db.migrate(engine)
        rows = synthetic_partners(COUNT)
        for number, row in enumerate(rows):
            own = number // 20  # one partner in 20 has hours of its own
            row["opening_hours"] = (f"Mo-Fr {7 + own % 3:02d}:{own // 3 % 60:02d}-18:00" if number % 20 == 0
                                    else COMMON[number % len(COMMON)])
        listings.insert_partners(engine, rows)
        version = listings.data_version(engine)
        everyone, open_now = PartnerFilters(), PartnerFilters(open_now=True)
        listings.filtered_partners(engine, version, everyone)  # the cached part, as on a rerun
        listings.filtered_partners(engine, version, open_now)  # the expressions parsed once per process
        without = median_ms(timed(lambda: listings.filtered_partners(engine, version, everyone), 50))
        with_filter = median_ms(timed(lambda: listings.filtered_partners(engine, version, open_now), 50))
        shown = len(listings.filtered_partners(engine, version, open_now))
        print(f"explore rows at {COUNT:,} partners ({len(set(r['opening_hours'] for r in rows))} distinct hours): "
              f"without open_now {without:5.2f} ms, with {with_filter:5.2f} ms ({shown:,} open now): "
              f"the filter adds {with_filter - without:5.2f} ms (goal ≤ 10 ms)")
        engine.dispose()


if __name__ == "__main__":
    main()
