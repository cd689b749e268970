"""The generated Python client (clients/python) in a whole scenario against a live segmenta.

    python clients/scenarios/scenario.py BASE_URL CSV_FILE

Signs up, imports orders as JSON and as CSV, creates and refreshes a segment, pages through
the users with the cursor to the end, reads the segment metrics and the RFM transition
matrix, exports the users CSV, and meets a 422 as a typed Problem. Exits non-zero on the
first failed check.
"""

import sys
import uuid

from segmenta_client import AuthenticatedClient, Client
from segmenta_client.api.auth import signup
from segmenta_client.api.imports import import_orders
from segmenta_client.api.metrics import get_rfm_transitions, get_segment_metrics
from segmenta_client.api.segments import create_segment, refresh_segment
from segmenta_client.api.users import export_users_csv, list_users
from segmenta_client.models import (
    Condition,
    ConditionGroup,
    ImportReport,
    OrderRow,
    PageUser,
    Problem,
    RfmTransitions,
    Segment,
    SegmentInput,
    SegmentMetricsReport,
    SignupRequest,
    TokenResponse,
)
from segmenta_client.types import File

checks = 0


def check(condition: bool, what: str) -> None:
    global checks
    if not condition:
        print(f"python client scenario: FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    checks += 1


def main(base_url: str, csv_path: str) -> None:
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    email = f"py-{uuid.uuid4().hex[:10]}@scenario.test"
    tokens = signup.sync(
        client=anonymous,
        body=SignupRequest(workspace_name="Python scenario", email=email, password="a-long-password"),
    )
    check(isinstance(tokens, TokenResponse), f"signup answers tokens: {tokens!r}")
    client = AuthenticatedClient(base_url=base_url, token=tokens.access_token, raise_on_unexpected_status=True)

    rows = [
        OrderRow(order_id="py-1", customer_id="py-a", ordered_at="2025-01-10", amount=120.5, quantity=2),
        OrderRow(order_id="py-2", customer_id="py-a", ordered_at="2025-03-02T10:00:00Z", amount=-20.5),
        OrderRow(order_id="py-3", customer_id="py-b", ordered_at="2025-02-14", amount=35.0),
    ]
    report = import_orders.sync(client=client, body=rows)
    check(isinstance(report, ImportReport), f"JSON import: {report!r}")
    check((report.rows, report.imported, report.committed) == (3, 3, True), f"JSON import counts: {report!r}")
    check(report.scoring is not None and report.scoring.state == "current", f"scored after the import: {report!r}")

    with open(csv_path, "rb") as csv:
        report = import_orders.sync(client=client, body=File(payload=csv, file_name="orders.csv"))
    check(isinstance(report, ImportReport) and report.committed, f"CSV import: {report!r}")
    check(report.error_count == 0 and report.rows > 1000, f"CSV import counts: {report!r}")

    segment = create_segment.sync(
        client=client,
        body=SegmentInput(
            name="Big spenders",
            conditions=ConditionGroup(match="all", conditions=[Condition(field="behaviour.revenue_total", op="gte", value=100)]),
        ),
    )
    check(isinstance(segment, Segment) and segment.size >= 1, f"segment created: {segment!r}")
    refreshed = refresh_segment.sync(client=client, id=segment.id)
    check(isinstance(refreshed, Segment) and refreshed.size == segment.size, f"segment refreshed: {refreshed!r}")

    seen: set[int] = set()
    cursor = None
    pages = 0
    while True:
        page = list_users.sync(client=client, limit=200, cursor=cursor)
        check(isinstance(page, PageUser), f"users page: {page!r}")
        pages += 1
        check(page.has_more == bool(page.next_cursor), "has_more says whether a next page exists")
        for user in page.items:
            check(user.id not in seen, f"user {user.id} listed twice")
            seen.add(user.id)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    check(pages > 1 and len(seen) > 1000, f"paged through {len(seen)} users in {pages} pages")

    metrics = get_segment_metrics.sync(client=client, as_of="2025-06-30")
    check(isinstance(metrics, SegmentMetricsReport) and len(metrics.rfm) == 8, f"segment metrics: {metrics!r}")
    transitions = get_rfm_transitions.sync(client=client, from_="1997-06-30", to="1998-06-30")
    check(isinstance(transitions, RfmTransitions) and len(transitions.cells) > 0, f"transitions: {transitions!r}")
    check(sum(c.count for c in transitions.cells) > 0, "transitions count users")

    export = export_users_csv.sync_detailed(client=client, as_of="2025-06-30")
    header = export.content.decode().splitlines()[0].split(",")
    check(export.status_code == 200 and "rfm_segment" in header, f"export header: {header}")
    check(len(export.content.decode().splitlines()) == len(seen) + 1, "one export row per user")

    bad = SegmentInput(
        name="Broken",
        conditions=ConditionGroup(match="all", conditions=[Condition(field="user.nonsense", op="eq", value=1)]),
    )
    lenient = AuthenticatedClient(base_url=base_url, token=tokens.access_token)
    problem = create_segment.sync(client=lenient, body=bad)
    check(isinstance(problem, Problem), f"a 422 is a typed Problem: {problem!r}")
    check(problem.status == 422 and len(problem.errors) > 0, f"the 422 names what is wrong: {problem!r}")

    print(f"python client scenario: {checks} passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
