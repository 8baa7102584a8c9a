"""Plan summaries in PostgreSQL: a row per plan, and the ids that may see it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from domain.access import Visibility
from projections.engine.paging import Page, check_limit, decode_cursor, encode_cursor
from projections.engine.postgres import PostgresReadModel
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


class PostgresPlanSummaryView(PostgresReadModel, PlanSummaryView):
    table_suffixes = ("access", "clocks")

    def create_statements(self) -> Sequence[str]:
        return (
            "CREATE TABLE IF NOT EXISTS {schema}.{main} ("
            " plan_id uuid PRIMARY KEY, plan_type text NOT NULL, stage text NOT NULL,"
            " status text NOT NULL, org text NOT NULL, lead_professional text,"
            " member_ids text[] NOT NULL, agency_orgs text[] NOT NULL, grants jsonb NOT NULL,"
            " next_review_on date, open_targets integer NOT NULL, opened_on date NOT NULL,"
            " closed_on date, recorded_at timestamptz NOT NULL, version bigint NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {idx0} ON {schema}.{main} (opened_on DESC, plan_id DESC)",
            "CREATE INDEX IF NOT EXISTS {idx1} ON {schema}.{main} (next_review_on, plan_id)"
            " WHERE status = 'open'",
            "CREATE INDEX IF NOT EXISTS {idx2} ON {schema}.{main} (org)",
            "CREATE TABLE IF NOT EXISTS {schema}.{access} ("
            " kind text NOT NULL, value text NOT NULL, plan_id uuid NOT NULL, until date,"
            " PRIMARY KEY (kind, value, plan_id))",
            "CREATE INDEX IF NOT EXISTS {idx3} ON {schema}.{access} (plan_id)",
            # The statutory clocks still running, a row each (a table of their own, so a
            # store made before them gains it by CREATE ... IF NOT EXISTS).
            "CREATE TABLE IF NOT EXISTS {schema}.{clocks} ("
            " plan_id uuid NOT NULL, name text NOT NULL, due_on date NOT NULL,"
            " clock jsonb NOT NULL, PRIMARY KEY (plan_id, name))",
            "CREATE INDEX IF NOT EXISTS {idx4} ON {schema}.{clocks} (due_on)",
        )

    # -- writing ----------------------------------------------------------------------

    def write(self, curs: Cursor[DictRow], events: Sequence[Any]) -> None:
        plan_ids = list({e.originator_id for e in events})
        curs.execute(self.sql("SELECT * FROM {schema}.{main} WHERE plan_id = ANY(%s)"), (plan_ids,))
        rows = {r["plan_id"]: _summary(r) for r in curs.fetchall()}
        curs.execute(
            self.sql("SELECT plan_id, clock FROM {schema}.{clocks} WHERE plan_id = ANY(%s)"),
            (plan_ids,),
        )
        for r in curs.fetchall():
            rows[r["plan_id"]].clocks.append(r["clock"])
        changed = [rows[i] for i in fold(rows, events)]
        if not changed:
            return
        self.upsert(curs, "main", COLUMNS, ("plan_id",), [_values(row) for row in changed])
        clocks_changed = [row for row in changed if row.clocks_changed]
        if clocks_changed:
            curs.execute(
                self.sql("DELETE FROM {schema}.{clocks} WHERE plan_id = ANY(%s)"),
                ([row.plan_id for row in clocks_changed],),
            )
            self.insert(
                curs,
                "clocks",
                ("plan_id", "name", "due_on", "clock"),
                [
                    (row.plan_id, c["name"], c["due_on"], Jsonb(c))
                    for row in clocks_changed
                    for c in row.clocks
                ],
            )
        access_changed = [row for row in changed if row.access_changed]
        if access_changed:
            curs.execute(
                self.sql("DELETE FROM {schema}.{access} WHERE plan_id = ANY(%s)"),
                ([row.plan_id for row in access_changed],),
            )
            self.insert(
                curs,
                "access",
                ("kind", "value", "plan_id", "until"),
                [
                    (kind, value, row.plan_id, until)
                    for row in access_changed
                    for kind, value, until in row.access()
                ],
            )

    # -- reading ----------------------------------------------------------------------

    def get_summary(self, plan_id: UUID) -> PlanSummary | None:
        rows = self.fetch(self.sql("SELECT * FROM {schema}.{main} WHERE plan_id = %s"), (plan_id,))
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
                where.append(f"{column} = %({column})s")
                params[column] = value
        if filters.review_due_before is not None:
            where.append("next_review_on <= %(due)s")
            params["due"] = filters.review_due_before
        if after:
            params["a_day"], params["a_id"] = decode_cursor("plans", after)
            where.append("(opened_on, plan_id) < (%(a_day)s, %(a_id)s::uuid)")
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
        # What falls due first: the plan's own review date or a statutory clock's.
        due = "LEAST(next_review_on, clock_due_on)"
        if overdue_only:
            where.append(f"{due} < %(today)s")
        else:
            where.append(f"{due} <= %(before)s")
            params["before"] = before
        kind = "overdue" if overdue_only else "due"
        if after:
            params["a_day"], params["a_id"] = decode_cursor(kind, after)
            where.append(f"({due}, plan_id) > (%(a_day)s, %(a_id)s::uuid)")
        clocks = self.sql("{schema}.{clocks}").as_string(None)
        main = self.sql("{schema}.{main}").as_string(None)
        source = (
            f"(SELECT m.*, (SELECT min(c.due_on) FROM {clocks} c WHERE c.plan_id = m.plan_id)"
            " AS clock_due_on, (SELECT c.name FROM"
            f" {clocks} c WHERE c.plan_id = m.plan_id ORDER BY c.due_on, c.name LIMIT 1)"
            f" AS clock_name FROM {main} m) AS s"
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

    def _visible(self, visibility: Visibility, today: date) -> tuple[list[str], dict[str, Any]]:
        params: dict[str, Any] = {"today": today}
        if visibility.everyone:
            return [], params
        if visibility.is_empty:
            return ["false"], params
        ors = []
        if visibility.org:
            ors.append("org = %(org)s")
            params["org"] = visibility.org
        if visibility.plan_types:
            ors.append("plan_type = ANY(%(plan_types)s)")
            params["plan_types"] = list(visibility.plan_types)
        access = []
        if visibility.member_id:
            access.append("(a.kind = 'member' AND a.value = %(member)s)")
            params["member"] = visibility.member_id
        if visibility.agency_orgs:
            access.append("(a.kind = 'agency' AND a.value = ANY(%(agencies)s))")
            params["agencies"] = list(visibility.agency_orgs)
        if visibility.grantees:
            access.append(
                "(a.kind = 'grantee' AND a.value = ANY(%(grantees)s)"
                " AND (a.until IS NULL OR a.until >= %(today)s))"
            )
            params["grantees"] = list(visibility.grantees)
        if access:
            access_table = self.sql("{schema}.{access}").as_string(None)
            ors.append(
                f"plan_id IN (SELECT a.plan_id FROM {access_table} a WHERE {' OR '.join(access)})"
            )
        return [f"({' OR '.join(ors)})"], params

    def _page(
        self,
        kind: str,
        where: list[str],
        params: dict[str, Any],
        order: str,
        limit: int,
        key: Any,
        source: str | None = None,
    ) -> Page[PlanSummary]:
        limit = check_limit(limit)
        params["limit"] = limit + 1
        clause = " AND ".join(where) or "true"
        source = source or self.sql("{schema}.{main}").as_string(None)
        rows = self.fetch(
            self.sql(f"SELECT * FROM {source} WHERE {clause} ORDER BY {order} LIMIT %(limit)s"),
            params,
        )
        items = [_summary(r) for r in rows[:limit]]
        more = len(rows) > limit
        return Page(items=items, next=encode_cursor(kind, key(items[-1])) if more else None)


def _summary(r: dict[str, Any]) -> PlanSummary:
    return PlanSummary(
        plan_id=r["plan_id"],
        plan_type=r["plan_type"],
        stage=r["stage"],
        status=r["status"],
        org=r["org"],
        opened_on=r["opened_on"],
        lead_professional=r["lead_professional"],
        member_ids=list(r["member_ids"]),
        agency_orgs=list(r["agency_orgs"]),
        grants=[
            Grant(
                g["disclosure_id"],
                g["grantee"],
                date.fromisoformat(g["until"]) if g["until"] else None,
            )
            for g in r["grants"]
        ],
        next_review_on=r["next_review_on"],
        open_targets=r["open_targets"],
        closed_on=r["closed_on"],
        recorded_at=r["recorded_at"],
        version=r["version"],
        clock_due_on=r.get("clock_due_on"),
        clock_name=r.get("clock_name"),
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
        s.plan_id,
        s.plan_type,
        s.stage,
        s.status,
        s.org,
        s.lead_professional,
        s.member_ids,
        s.agency_orgs,
        Jsonb(grants),
        s.next_review_on,
        s.open_targets,
        s.opened_on,
        s.closed_on,
        s.recorded_at,
        s.version,
    )
