from directory import privacy, showcase, stats
from tests.factories import form, make_slot


def test_the_dashboard_follows_applications_decisions_and_erasures(engine):
    # Its figures are kept per data version: each change must reach the next reader.
    slot = make_slot(engine, capacity=2)
    assert stats.dashboard(engine).applications == 0
    first, second = (showcase.submit_application(engine, form([slot], contact_email=email), submission_key=email)
                     for email in ("a@example.org", "b@example.org"))
    assert stats.dashboard(engine).applications == 2
    showcase.approve_application(engine, second.application_id, slot_id=slot, staff="staff:1")
    figures = stats.dashboard(engine)
    assert figures.acceptance_rate == 1.0 and figures.slot_fill.tolist() == [50.0]
    # The erased application is not the last one written: only the count tells.
    privacy.erase_applicant(engine, "a@example.org", staff="staff:1")
    assert stats.dashboard(engine).applications == 1
