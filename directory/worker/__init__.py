"""Vitrine's own work, done in the background: emails sent, unanswered offers passed on, reminders,
questions to listings' contacts, pruning, sources brought in step.

Each concern has its own lane (a thread with its own pace), so that a source that hangs for its
whole deadline never holds back an email, an offer or a reminder. `vitrine worker` runs the lanes
as a process of their own (beside replicas, with VITRINE_WORKER_IN_APP=0 for these); by default
`streamlit run app.py` runs them inside the app, so a fresh install needs no second command.
Every job claims its rows in the database: several workers and replicas never do a thing twice.
No Streamlit here."""

from directory.worker.lanes import Job, Lane
from directory.worker.worker import Pace, Worker

__all__ = ["Job", "Lane", "Pace", "Worker"]
