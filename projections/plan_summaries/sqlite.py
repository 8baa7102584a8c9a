"""Plan summaries in SQLite (the embedded default): the same rows, lists as JSON text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.sqlite import SQLiteCursor

from domain.access import Visibility
from projections.engine.paging import Page, check_limit, decode_cursor, encode_cursor
from projections.engine.sqlite import SQLiteReadModel
from projections.plan_summaries.fold import fold
from projections.plan_summaries.rows import Grant, PlanSummary
from projections.plan_summaries.view import PlanFilters, PlanSummaryView

COLUMNS = (
    "plan_id",
    "plan_type",
    "stage",
    "status",
    "org",
    "lead_professional",
    "member_ids",
    "agency_orgs",
    "grants",
    "next_review_on",
    "open_targets",
    "opened_on",
    "closed_on",
    "recorded_at",
    "version",
)


class SQLitePlanSummaryView(SQLiteReadModel, PlanSummaryView):
    table_suffixes = ("access", "clocks")

    def create_statements(self) -> Sequence[str]:
        return (
            "CREATE TABLE IF NOT EXISTS {main} (plan_id TEXT PRIMARY KEY, plan_type TEXT,"
            " stage TEXT, status TEXT, org TEXT, lead_professional TEXT, member_ids TEXT,"
            " agency_orgs TEXT, grants TEXT, next_review_on TEXT, open_targets INTEGER,"
            " opened_on TEXT, closed_on TEXT, recorded_at TEXT, version INTEGER)",
            "CREATE INDEX IF NOT EXISTS {main}_opened ON {main} (opened_on, plan_id)",
            "CREATE INDEX IF NOT EXISTS {main}_review ON {main} (next_review_on, plan_id)",
            "CREATE TABLE IF NOT EXISTS {access} (kind TEXT, value TEXT, plan_id TEXT,"
            " until TEXT, PRIMARY KEY (kind, value, plan_id)) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS {access}_plan ON {access} (plan_id)",
            # The statutory clocks still running, a row each (postgres.py says why).
            "CREATE TABLE IF NOT EXISTS {clocks} (plan_id TEXT, name TEXT, due_on TEXT,"
            " clock TEXT, PRIMARY KEY (plan_id, name)) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS {clocks}_due ON {clocks} (due_on)",
        )

    def write(self, c: SQLiteCursor, events: Sequence[Any]) -> None:
        plan_ids = list({str(e.originator_id) for e in events})
        marks = ", ".join("?" * len(plan_ids))
        c.execute(f"SELECT * FROM {self.name} WHERE plan_id IN ({marks})", plan_ids)
        rows = {UUID(r["plan_id"]): _summary(r) for r in c.fetchall()}
        clocks = self.tables["clocks"]
        c.execute(f"SELECT plan_id, clock FROM {clocks} WHERE plan_id IN ({marks})", plan_ids)
        for r in c.fetchall():
            rows[UUID(r["plan_id"])].clocks.append(orjson.loads(r["clock"]))
        changed = [rows[i] for i in fold(rows, events)]
        marks = ", ".join("?" * len(COLUMNS))
        c.executemany(
            f"INSERT OR REPLACE INTO {self.name} VALUES ({marks})",
            [_values(row) for row in changed],
        )
        for row in (r for r in changed if r.clocks_changed):
            c.execute(f"DELETE FROM {clocks} WHERE plan_id = ?", (str(row.plan_id),))
            c.executemany(
                f"INSERT INTO {clocks} VALUES (?, ?, ?, ?)",
                [
                    (str(row.plan_id), k["name"], k["due_on"], orjson.dumps(k).decode())
                    for k in row.clocks
                ],
            )
        access = self.tables["access"]
        for row in (r for r in changed if r.access_changed):
            c.execute(f"DELETE FROM {access} WHERE plan_id = ?", (str(row.plan_id),))
            c.executemany(
                f"INSERT INTO {access} VALUES (?, ?, ?, ?)",
                [
                    (kind, value, str(row.plan_id), until.isoformat() if until else None)
                    for kind, value, until in row.access()
                ],
            )

    def get_summary(self, plan_id: UUID) -> PlanSummary | None:
        rows = self.fetch("SELECT * FROM {main} WHERE plan_id = ?", (str(plan_id),))
        return _summary(rows[0]) if rows else None

    def list_plans(
        self,
        filters: PlanFilters,
        visibility: Visibility,
        *,
        today: date,
        limit: int = 50,
        after: str | None = None,
    ) -> Page[PlanSummary]:
        where, params = self._visible(visibility, today)
        for column in ("plan_type", "stage", "status"):
            if (value := getattr(filters, column)) is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if filters.review_due_before is not None:
            where.append("next_review_on <= ?")
            params.append(filters.review_due_before.isoformat())
        if after:
            day, plan_id = decode_cursor("plans", after)
            where.append("(opened_on, plan_id) < (?, ?)")
            params += [day.isoformat() if day else None, plan_id]
        return self._page(
            "plans",
            where,
            params,
            "opened_on DESC, plan_id DESC",
            limit,
            key=lambda s: (s.opened_on, str(s.plan_id)),
        )

    def reviews_due(
        self,
        before: date,
        visibility: Visibility,
        *,
        today: date,
        overdue_only: bool = False,
        limit: int = 50,
        after: str | None = None,
    ) -> Page[PlanSummary]:
        where, params = self._visible(visibility, today)
        where.append("status = 'open'")
        # What falls due first (SQLite's two-argument min() is NULL if either is).
        due = "min(coalesce(next_review_on, clock_due_on), coalesce(clock_due_on, next_review_on))"
        where.append(f"{due} < ?" if overdue_only else f"{due} <= ?")
        params.append((today if overdue_only else before).isoformat())
        kind = "overdue" if overdue_only else "due"
        if after:
            day, plan_id = decode_cursor(kind, after)
            where.append(f"({due}, plan_id) > (?, ?)")
            params += [day.isoformat() if day else None, plan_id]
        clocks = self.tables["clocks"]
        source = (
            f"(SELECT m.*, (SELECT min(c.due_on) FROM {clocks} c WHERE c.plan_id = m.plan_id)"
            f" AS clock_due_on, (SELECT c.name FROM {clocks} c WHERE c.plan_id = m.plan_id"
            f" ORDER BY c.due_on, c.name LIMIT 1) AS clock_name FROM {self.name} m)"
        )
        return self._page(
            kind,
            where,
            params,
            f"{due}, plan_id",
            limit,
            key=lambda s: (s.due_on, str(s.plan_id)),
            source=source,
        )

    def _visible(self, visibility: Visibility, today: date) -> tuple[list[str], list[Any]]:
        if visibility.everyone:
            return [], []
        if visibility.is_empty:
            return ["0"], []
        ors: list[str] = []
        params: list[Any] = []
        if visibility.org:
            ors.append("org = ?")
            params.append(visibility.org)
        if visibility.plan_types:
            ors.append(f"plan_type IN ({', '.join('?' * len(visibility.plan_types))})")
            params += list(visibility.plan_types)
        access: list[str] = []
        if visibility.member_id:
            access.append("(a.kind = 'member' AND a.value = ?)")
            params.append(visibility.member_id)
        for kind, values in (("agency", visibility.agency_orgs), ("grantee", visibility.grantees)):
            if values:
                limit = " AND (a.until IS NULL OR a.until >= ?)" if kind == "grantee" else ""
                access.append(
                    f"(a.kind = '{kind}' AND a.value IN ({', '.join('?' * len(values))}){limit})"
                )
                params += [*values, *([today.isoformat()] if limit else [])]
        if access:
            ors.append(
                f"plan_id IN (SELECT a.plan_id FROM {self.tables['access']} a"
                f" WHERE {' OR '.join(access)})"
            )
        return [f"({' OR '.join(ors)})"], params

    def _page(
        self,
        kind: str,
        where: list[str],
        params: list[Any],
        order: str,
        limit: int,
        key: Any,
        source: str = "{main}",
    ) -> Page[PlanSummary]:
        limit = check_limit(limit)
        clause = " AND ".join(where) or "1"
        rows = self.fetch(
            f"SELECT * FROM {source} WHERE {clause} ORDER BY {order} LIMIT ?",
            [*params, limit + 1],
        )
        items = [_summary(r) for r in rows[:limit]]
        more = len(rows) > limit
        return Page(items=items, next=encode_cursor(kind, key(items[-1])) if more else None)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _summary(r: Any) -> PlanSummary:
    return PlanSummary(
        plan_id=UUID(r["plan_id"]),
        plan_type=r["plan_type"],
        stage=r["stage"],
        status=r["status"],
        org=r["org"],
        opened_on=date.fromisoformat(r["opened_on"]),
        lead_professional=r["lead_professional"],
        member_ids=orjson.loads(r["member_ids"]),
        agency_orgs=orjson.loads(r["agency_orgs"]),
        grants=[
            Grant(g["disclosure_id"], g["grantee"], _day(g["until"]))
            for g in orjson.loads(r["grants"])
        ],
        next_review_on=_day(r["next_review_on"]),
        open_targets=r["open_targets"],
        closed_on=_day(r["closed_on"]),
        recorded_at=datetime.fromisoformat(r["recorded_at"]),
        version=r["version"],
        # Only a list of what falls due reads these (sqlite3.Row's `in` looks at values).
        clock_due_on=_day(r["clock_due_on"]) if "clock_due_on" in r.keys() else None,  # noqa: SIM118
        clock_name=r["clock_name"] if "clock_name" in r.keys() else None,  # noqa: SIM118
    )


def _values(s: PlanSummary) -> tuple[Any, ...]:
    grants = [
        {
            "disclosure_id": g.disclosure_id,
            "grantee": g.grantee,
            "until": g.until.isoformat() if g.until else None,
        }
        for g in s.grants
    ]
    return (
        str(s.plan_id),
        s.plan_type,
        s.stage,
        s.status,
        s.org,
        s.lead_professional,
        orjson.dumps(s.member_ids).decode(),
        orjson.dumps(s.agency_orgs).decode(),
        orjson.dumps(grants).decode(),
        s.next_review_on.isoformat() if s.next_review_on else None,
        s.open_targets,
        s.opened_on.isoformat(),
        s.closed_on.isoformat() if s.closed_on else None,
        s.recorded_at.isoformat() if s.recorded_at else None,
        s.version,
    )
