"""Load: N concurrent Streamlit sessions, each applying for a showcase slot on a running server.

    python bench/load.py --sessions 50          # starts its own server on a fresh SQLite database
    python bench/load.py --sessions 50 --url http://127.0.0.1:8501   # an already running server

Each session is a real WebSocket session speaking Streamlit's own protocol, as the browser does:
it opens the application page, reads the widgets the server drew, sends the form filled in with
the click on "Envoyer", and waits for the confirmation. No browser runs, so the figures are the
server's. Prints how many applications were stored, and the median and p95 time from the click
to the confirmation.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

FINISHED_SUCCESSFULLY = 0


class StreamlitSession:
    """One visitor's session over /_stcore/stream."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.widgets: dict[str, tuple[str, object]] = {}  # user key → (element type, proto)
        self.alerts: list[str] = []

    async def __aenter__(self) -> StreamlitSession:
        import websockets

        self.socket = await websockets.connect(
            self.base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
            additional_headers={"Origin": self.base}, max_size=2**26, open_timeout=60)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def run(self, page: str, states: list[WidgetState] = ()) -> None:
        """One rerun (and the reruns it asks for), until the script has finished."""
        message = BackMsg()
        message.rerun_script.page_name = page
        message.rerun_script.widget_states.widgets.extend(states)
        await self.socket.send(message.SerializeToString())
        self.widgets, self.alerts = {}, []
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.socket.recv())
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                element_type = element.WhichOneof("type")
                proto = getattr(element, element_type)
                if element_type == "alert":
                    self.alerts.append(proto.body)
                elif getattr(proto, "id", "").startswith("$$ID-"):
                    self.widgets[proto.id.split("-", 2)[2]] = (element_type, proto)
            elif kind == "script_finished" and forward.script_finished == FINISHED_SUCCESSFULLY:
                return

    def state(self, key: str, value) -> WidgetState:
        element_type, proto = self.widgets[key]
        state = WidgetState(id=proto.id)
        if element_type == "button":
            state.trigger_value = True
        elif element_type == "checkbox":
            state.bool_value = value
        elif element_type == "number_input":
            state.int_value = value
        else:
            state.string_value = value
        return state


async def apply_once(base: str, number: int) -> float:
    async with StreamlitSession(base) as session:
        await session.run("candidater")
        slot_label = session.widgets["apply_slot_1"][1].options[0]
        filled = {
            "apply_organisation": f"Startup de charge {number}", "apply_short_description": "Une startup.",
            "apply_stage": "Prototype", "apply_team_size": 3, "apply_pitch_title": "Un pitch",
            "apply_pitch_summary": "Un résumé.", "apply_demo_description": "Une démonstration.",
            "apply_contact_name": "Camille", "apply_contact_email": f"charge{number}@example.org",
            "apply_slot_1": slot_label, "apply_consent_data": True, "apply_submit": True,
        }
        start = time.perf_counter()
        await session.run("candidater", [session.state(key, value) for key, value in filled.items()])
        elapsed = time.perf_counter() - start
        if not any("enregistrée" in alert for alert in session.alerts):
            raise RuntimeError(f"session {number}: no confirmation ({session.alerts[:2]})")
        return elapsed


async def run_load(base: str, sessions: int) -> list[float | Exception]:
    async with StreamlitSession(base) as warm:  # a fresh server learns its pages on its first run
        await warm.run("")
    return await asyncio.gather(*(apply_once(base, n) for n in range(sessions)), return_exceptions=True)


def summary(results: list[float | Exception]) -> str:
    times = sorted(r for r in results if isinstance(r, float))
    errors = [r for r in results if not isinstance(r, float)]
    if not times:
        return f"{len(errors)} error(s), no submission completed: {errors[:1]}"
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return (f"{len(times)} submitted, {len(errors)} error(s); click to confirmation: median "
            f"{statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50, choices=range(1, 101), metavar="N (1-100)")
    parser.add_argument("--url", help="a running server; by default one is started on a fresh SQLite database")
    args = parser.parse_args()
    if args.url:
        print(summary(asyncio.run(run_load(args.url, args.sessions))))
        return

    from datetime import time as clock
    from datetime import timedelta

    from directory import db, showcase
    from directory.clock import to_paris, utcnow
    from tests.browser.conftest import start_server, stop_server

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/load.db"
        engine = db.make_engine(url)
        db.migrate(engine)
        today = to_paris(utcnow()).date()
        showcase.create_slot(engine, showcase.SlotTimes(today + timedelta(days=14), clock(14), clock(17)), capacity=3)
        process, base = start_server(url, Path(folder) / "server.log")
        try:
            started = time.perf_counter()
            results = asyncio.run(run_load(base, args.sessions))
            elapsed = time.perf_counter() - started
        finally:
            stop_server(process)
        stored = showcase.review_queue(engine, showcase.ReviewFilters(states=("submitted",)), limit=1000)
        print(f"{args.sessions} sessions in {elapsed:.1f} s; {len(stored)} applications stored, "
              f"{stored['organisation'].nunique()} distinct")
        print(summary(results))


if __name__ == "__main__":
    main()
