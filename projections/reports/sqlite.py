"""Reports in SQLite (the embedded default): the same facts; money summed exactly in Python."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.sqlite import SQLiteCursor

from projections.engine.sqlite import SQLiteReadModel
from projections.reports.csp_reviews import csp_reviews
from projections.reports.fold import Facts, PlanFacts, fold
from projections.reports.table import Table
from projections.reports.view import (
    DELIVERY_COLUMNS,
    REPORTS,
    ReportsView,
    UnknownReportError,
)

FACTS = "plan_id TEXT, org TEXT, plan_type TEXT,"


class SQLiteReportsView(SQLiteReadModel, ReportsView):
    table_suffixes = (
        "cycles",
        "provisions",
        "evaluations",
        "stage_changes",
        "terms",
        "deliveries",
    )

    def create_statements(self) -> Sequence[str]:
        return (
            "CREATE TABLE IF NOT EXISTS {main} (plan_id TEXT PRIMARY KEY, org TEXT,"
            " plan_type TEXT, stage TEXT, status TEXT, opened_on TEXT, closed_on TEXT,"
            " reviews_held INTEGER, review_seqs TEXT, review_clock INTEGER, pending_due_on TEXT)",
            "CREATE TABLE IF NOT EXISTS {cycles} (" + FACTS + " seq INTEGER, due_on TEXT,"
            " held_on TEXT, closed_on TEXT, PRIMARY KEY (plan_id, seq))",
            "CREATE TABLE IF NOT EXISTS {provisions} (" + FACTS + " provision_id TEXT,"
            " kind TEXT, cost TEXT, planned_on TEXT, PRIMARY KEY (plan_id, provision_id))",
            "CREATE TABLE IF NOT EXISTS {evaluations} (" + FACTS + " position INTEGER,"
            " review_seq INTEGER, progress TEXT, occurred_on TEXT,"
            " PRIMARY KEY (plan_id, position))",
            "CREATE TABLE IF NOT EXISTS {stage_changes} (" + FACTS + " position INTEGER,"
            " from_stage TEXT, to_stage TEXT, occurred_on TEXT, PRIMARY KEY (plan_id, position))",
            "CREATE TABLE IF NOT EXISTS {terms} (" + FACTS + " provision_id TEXT,"
            " funding_stream TEXT, cost TEXT, sessions_per_week INTEGER,"
            " PRIMARY KEY (plan_id, provision_id))",
            "CREATE TABLE IF NOT EXISTS {deliveries} (" + FACTS + " position INTEGER,"
            " provision_id TEXT, sessions INTEGER, missed INTEGER, weeks INTEGER,"
            " occurred_on TEXT, PRIMARY KEY (plan_id, position))",
        )

    def write(self, c: SQLiteCursor, events: Sequence[Any]) -> None:
        plan_ids = list({str(e.originator_id) for e in events})
        c.execute(
            f"SELECT * FROM {self.name} WHERE plan_id IN ({', '.join('?' * len(plan_ids))})",
            plan_ids,
        )
        facts = fold(Facts(plans={UUID(r["plan_id"]): _plan(r) for r in c.fetchall()}), events)
        self._put(c, "main", [_plan_values(facts.plans[i]) for i in facts.changed])
        of = {p.plan_id: (str(p.plan_id), p.org, p.plan_type) for p in facts.plans.values()}
        for (plan_id, seq), cycle in facts.cycles.items():
            if cycle is None:
                c.execute(
                    f"DELETE FROM {self.tables['cycles']} WHERE plan_id = ? AND seq = ?",
                    (str(plan_id), seq),
                )
        self._put(
            c,
            "cycles",
            [
                (*of[k[0]], v.seq, _iso(v.due_on), _iso(v.held_on), _iso(v.closed_on))
                for k, v in facts.cycles.items()
                if v
            ],
        )
        self._put(
            c,
            "provisions",
            [
                (*of[k[0]], str(k[1]), kind, None if cost is None else str(cost), _iso(on))
                for k, (kind, cost, on) in facts.provisions.items()
            ],
        )
        self._put(
            c,
            "terms",
            [
                (*of[k[0]], str(k[1]), stream, None if cost is None else str(cost), weekly)
                for k, (stream, cost, weekly) in facts.terms.items()
            ],
        )
        self._put(
            c,
            "deliveries",
            [
                (*of[k[0]], k[1], str(pid), sessions, missed, weeks, _iso(on))
                for k, (pid, sessions, missed, weeks, on) in facts.deliveries.items()
            ],
        )
        self._put(
            c,
            "evaluations",
            [
                (*of[k[0]], k[1], seq, progress, _iso(on))
                for k, (seq, progress, on) in facts.evaluations.items()
            ],
        )
        self._put(
            c,
            "stage_changes",
            [
                (*of[k[0]], k[1], old, new, _iso(on))
                for k, (old, new, on) in facts.stage_changes.items()
            ],
        )

    def _put(self, c: SQLiteCursor, table: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            c.executemany(f"INSERT OR REPLACE INTO {self.tables[table]} VALUES ({marks})", rows)

    def report(self, name: str, *, today: date, org: str | None = None) -> Table:
        if name not in REPORTS:
            raise UnknownReportError(name)
        where, params = ("org = ?", [org]) if org else ("1", [])
        return getattr(self, "_" + name.replace("-", "_"))(where, params, today)

    def _rows(self, statement: str, params: list[Any]) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.fetch(statement, params)]

    def _plans_by_type_and_stage(self, where: str, params: list[Any], today: date) -> Table:
        rows = self._rows(
            "SELECT plan_type, stage, SUM(status = 'open'), SUM(status <> 'open') FROM {main}"
            f" WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2",
            params,
        )
        return Table("plans-by-type-and-stage", ("plan_type", "stage", "open", "closed"), rows)

    def _csp_reviews(self, where: str, params: list[Any], today: date) -> Table:
        cycles = self._rows(
            "SELECT org, due_on, held_on, closed_on, COUNT(*) FROM {cycles}"
            f" WHERE plan_type = 'csp' AND due_on IS NOT NULL AND {where}"
            " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2",
            params,
        )
        return csp_reviews(
            [
                (org, date.fromisoformat(due_on), _day(held_on), _day(closed_on), n)
                for org, due_on, held_on, closed_on, n in cycles
            ],
            today,
        )

    def _provision_costs(self, where: str, params: list[Any], today: date) -> Table:
        totals: dict[str, list[Any]] = {}
        for kind, cost in self._rows(
            f"SELECT kind, cost FROM {{provisions}} WHERE {where}", params
        ):
            entry = totals.setdefault(kind, [0, 0, Decimal(0)])
            entry[0] += 1
            if cost is not None:
                entry[1] += 1
                entry[2] += Decimal(cost)
        rows = [(kind, *totals[kind]) for kind in sorted(totals)]
        return Table("provision-costs", ("kind", "provisions", "costed", "total_cost"), rows)

    def _provision_funding(self, where: str, params: list[Any], today: date) -> Table:
        totals: dict[str, list[Any]] = {}
        for stream, cost in self._rows(
            f"SELECT coalesce(funding_stream, 'not_given'), cost FROM {{terms}} WHERE {where}",
            params,
        ):
            entry = totals.setdefault(stream, [0, 0, Decimal(0)])
            entry[0] += 1
            if cost is not None:
                entry[1] += 1
                entry[2] += Decimal(cost)
        rows = [(stream, *totals[stream]) for stream in sorted(totals)]
        return Table(
            "provision-funding", ("funding_stream", "provisions", "costed", "total_cost"), rows
        )

    def _provision_delivery(self, where: str, params: list[Any], today: date) -> Table:
        org = params[0] if params else None
        rows = self._rows(
            "SELECT d.org, p.kind, COUNT(DISTINCT d.plan_id || d.provision_id),"
            " SUM(d.weeks * t.sessions_per_week), SUM(d.sessions), SUM(d.missed)"
            " FROM {deliveries} d JOIN {provisions} p"
            " ON p.plan_id = d.plan_id AND p.provision_id = d.provision_id"
            " LEFT JOIN {terms} t ON t.plan_id = d.plan_id AND t.provision_id = d.provision_id"
            " WHERE ? IS NULL OR d.org = ? GROUP BY 1, 2 ORDER BY 1, 2",
            [org, org],
        )
        return Table("provision-delivery", DELIVERY_COLUMNS, rows)

    def _target_progress(self, where: str, params: list[Any], today: date) -> Table:
        rows = self._rows(
            "SELECT review_seq, SUM(progress = 'achieved'), SUM(progress = 'partially_achieved'),"
            f" SUM(progress = 'not_achieved'), COUNT(*) FROM {{evaluations}} WHERE {where}"
            " GROUP BY 1 ORDER BY 1",
            params,
        )
        return Table(
            "target-progress",
            ("review_number", "achieved", "partially_achieved", "not_achieved", "evaluations"),
            rows,
        )

    def _stage_changes(self, where: str, params: list[Any], today: date) -> Table:
        rows = self._rows(
            "SELECT CAST(strftime('%Y', occurred_on) AS INTEGER), COUNT(*),"
            f" COUNT(DISTINCT plan_id) FROM {{stage_changes}} WHERE {where}"
            " GROUP BY 1 ORDER BY 1",
            params,
        )
        return Table("stage-changes", ("year", "stage_changes", "plans"), rows)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _plan(r: Any) -> PlanFacts:
    return PlanFacts(
        plan_id=UUID(r["plan_id"]),
        org=r["org"],
        plan_type=r["plan_type"],
        stage=r["stage"],
        status=r["status"],
        opened_on=date.fromisoformat(r["opened_on"]),
        closed_on=_day(r["closed_on"]),
        reviews_held=r["reviews_held"],
        review_seqs=orjson.loads(r["review_seqs"]),
        review_clock=bool(r["review_clock"]),
        pending_due_on=_day(r["pending_due_on"]),
    )


def _plan_values(p: PlanFacts) -> tuple[Any, ...]:
    return (
        str(p.plan_id),
        p.org,
        p.plan_type,
        p.stage,
        p.status,
        _iso(p.opened_on),
        _iso(p.closed_on),
        p.reviews_held,
        orjson.dumps(p.review_seqs).decode(),
        int(p.review_clock),
        _iso(p.pending_due_on),
    )
