"""Reports in PostgreSQL: per-plan state and the facts the reports count."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from projections.engine.postgres import PostgresReadModel
from projections.reports.csp_reviews import csp_reviews
from projections.reports.fold import Facts, PlanFacts, fold
from projections.reports.table import Table
from projections.reports.view import (
    DELIVERY_COLUMNS,
    REPORTS,
    ReportsView,
    UnknownReportError,
)

PLAN_COLUMNS = (
    "plan_id",
    "org",
    "plan_type",
    "stage",
    "status",
    "opened_on",
    "closed_on",
    "reviews_held",
    "review_seqs",
    "review_clock",
    "pending_due_on",
)


class PostgresReportsView(PostgresReadModel, ReportsView):
    table_suffixes = (
        "cycles",
        "provisions",
        "evaluations",
        "stage_changes",
        "terms",
        "deliveries",
    )

    def create_statements(self) -> Sequence[str]:
        facts = " plan_id uuid NOT NULL, org text NOT NULL, plan_type text NOT NULL,"
        return (
            "CREATE TABLE IF NOT EXISTS {schema}.{main} ("
            " plan_id uuid PRIMARY KEY, org text NOT NULL, plan_type text NOT NULL,"
            " stage text NOT NULL, status text NOT NULL, opened_on date NOT NULL,"
            " closed_on date, reviews_held integer NOT NULL, review_seqs jsonb NOT NULL,"
            " review_clock boolean NOT NULL, pending_due_on date)",
            "CREATE TABLE IF NOT EXISTS {schema}.{cycles} ("
            + facts
            + " seq integer NOT NULL, due_on date, held_on date, closed_on date,"
            " PRIMARY KEY (plan_id, seq))",
            "CREATE TABLE IF NOT EXISTS {schema}.{provisions} ("
            + facts
            + " provision_id uuid NOT NULL, kind text NOT NULL, cost numeric,"
            " planned_on date NOT NULL, PRIMARY KEY (plan_id, provision_id))",
            "CREATE TABLE IF NOT EXISTS {schema}.{evaluations} ("
            + facts
            + " position integer NOT NULL, review_seq integer NOT NULL, progress text NOT NULL,"
            " occurred_on date NOT NULL, PRIMARY KEY (plan_id, position))",
            "CREATE TABLE IF NOT EXISTS {schema}.{stage_changes} ("
            + facts
            + " position integer NOT NULL, from_stage text NOT NULL, to_stage text NOT NULL,"
            " occurred_on date NOT NULL, PRIMARY KEY (plan_id, position))",
            "CREATE TABLE IF NOT EXISTS {schema}.{terms} ("
            + facts
            + " provision_id uuid NOT NULL, funding_stream text, cost numeric,"
            " sessions_per_week integer, PRIMARY KEY (plan_id, provision_id))",
            "CREATE TABLE IF NOT EXISTS {schema}.{deliveries} ("
            + facts
            + " position integer NOT NULL, provision_id uuid NOT NULL, sessions integer NOT NULL,"
            " missed integer NOT NULL, weeks integer NOT NULL, occurred_on date NOT NULL,"
            " PRIMARY KEY (plan_id, position))",
        )

    # -- writing ----------------------------------------------------------------------

    def write(self, curs: Cursor[DictRow], events: Sequence[Any]) -> None:
        plan_ids = list({e.originator_id for e in events})
        curs.execute(self.sql("SELECT * FROM {schema}.{main} WHERE plan_id = ANY(%s)"), (plan_ids,))
        facts = fold(Facts(plans={r["plan_id"]: _plan(r) for r in curs.fetchall()}), events)
        plans = [facts.plans[i] for i in facts.changed]
        self.upsert(curs, "main", PLAN_COLUMNS, ("plan_id",), [_plan_values(p) for p in plans])
        of = {p.plan_id: (p.org, p.plan_type) for p in facts.plans.values()}
        gone = [k for k, cycle in facts.cycles.items() if cycle is None]
        if gone:
            curs.execute(
                self.sql(
                    "DELETE FROM {schema}.{cycles} WHERE (plan_id, seq) IN"
                    " (SELECT * FROM unnest(%s::uuid[], %s::integer[]))"
                ),
                ([k[0] for k in gone], [k[1] for k in gone]),
            )
        self.upsert(
            curs,
            "cycles",
            ("plan_id", "org", "plan_type", "seq", "due_on", "held_on", "closed_on"),
            ("plan_id", "seq"),
            [
                (k[0], *of[k[0]], c.seq, c.due_on, c.held_on, c.closed_on)
                for k, c in facts.cycles.items()
                if c is not None
            ],
        )
        self.upsert(
            curs,
            "provisions",
            ("plan_id", "org", "plan_type", "provision_id", "kind", "cost", "planned_on"),
            ("plan_id", "provision_id"),
            [(k[0], *of[k[0]], k[1], *v) for k, v in facts.provisions.items()],
        )
        self.upsert(
            curs,
            "terms",
            (
                "plan_id",
                "org",
                "plan_type",
                "provision_id",
                "funding_stream",
                "cost",
                "sessions_per_week",
            ),
            ("plan_id", "provision_id"),
            [(k[0], *of[k[0]], k[1], *v) for k, v in facts.terms.items()],
        )
        self.upsert(
            curs,
            "deliveries",
            (
                "plan_id",
                "org",
                "plan_type",
                "position",
                "provision_id",
                "sessions",
                "missed",
                "weeks",
                "occurred_on",
            ),
            ("plan_id", "position"),
            [(k[0], *of[k[0]], k[1], *v) for k, v in facts.deliveries.items()],
        )
        self.upsert(
            curs,
            "evaluations",
            ("plan_id", "org", "plan_type", "position", "review_seq", "progress", "occurred_on"),
            ("plan_id", "position"),
            [(k[0], *of[k[0]], k[1], *v) for k, v in facts.evaluations.items()],
        )
        self.upsert(
            curs,
            "stage_changes",
            ("plan_id", "org", "plan_type", "position", "from_stage", "to_stage", "occurred_on"),
            ("plan_id", "position"),
            [(k[0], *of[k[0]], k[1], *v) for k, v in facts.stage_changes.items()],
        )

    # -- reading ----------------------------------------------------------------------

    def report(self, name: str, *, today: date, org: str | None = None) -> Table:
        if name not in REPORTS:
            raise UnknownReportError(name)
        where = "org = %(org)s" if org else "true"
        params = {"org": org, "today": today}
        query = getattr(self, "_" + name.replace("-", "_"))
        return query(where, params)

    def _rows(self, statement: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        return self.fetch_tuples(self.sql(statement), params)

    def _plans_by_type_and_stage(self, where: str, params: dict[str, Any]) -> Table:
        rows = self._rows(
            "SELECT plan_type, stage, count(*) FILTER (WHERE status = 'open'),"
            " count(*) FILTER (WHERE status <> 'open') FROM {schema}.{main}"
            f" WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2",
            params,
        )
        return Table("plans-by-type-and-stage", ("plan_type", "stage", "open", "closed"), rows)

    def _csp_reviews(self, where: str, params: dict[str, Any]) -> Table:
        cycles = self._rows(
            "SELECT org, due_on, held_on, closed_on, count(*) FROM {schema}.{cycles}"
            f" WHERE plan_type = 'csp' AND due_on IS NOT NULL AND {where}"
            " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2",
            params,
        )
        return csp_reviews(cycles, params["today"])

    def _provision_costs(self, where: str, params: dict[str, Any]) -> Table:
        rows = self._rows(
            "SELECT kind, count(*), count(cost), coalesce(sum(cost), 0)"
            f" FROM {{schema}}.{{provisions}} WHERE {where} GROUP BY 1 ORDER BY 1",
            params,
        )
        return Table("provision-costs", ("kind", "provisions", "costed", "total_cost"), rows)

    def _provision_funding(self, where: str, params: dict[str, Any]) -> Table:
        rows = self._rows(
            "SELECT coalesce(funding_stream, 'not_given'), count(*), count(cost),"
            f" coalesce(sum(cost), 0) FROM {{schema}}.{{terms}} WHERE {where}"
            " GROUP BY 1 ORDER BY 1",
            params,
        )
        return Table(
            "provision-funding", ("funding_stream", "provisions", "costed", "total_cost"), rows
        )

    def _provision_delivery(self, where: str, params: dict[str, Any]) -> Table:
        rows = self._rows(
            "SELECT d.org, p.kind, count(DISTINCT (d.plan_id, d.provision_id)),"
            " sum(d.weeks * t.sessions_per_week), sum(d.sessions), sum(d.missed)"
            " FROM {schema}.{deliveries} d"
            " JOIN {schema}.{provisions} p USING (plan_id, provision_id)"
            " LEFT JOIN {schema}.{terms} t USING (plan_id, provision_id)"
            " WHERE %(org)s::text IS NULL OR d.org = %(org)s GROUP BY 1, 2 ORDER BY 1, 2",
            params,
        )
        return Table("provision-delivery", DELIVERY_COLUMNS, rows)

    def _target_progress(self, where: str, params: dict[str, Any]) -> Table:
        rows = self._rows(
            "SELECT review_seq, count(*) FILTER (WHERE progress = 'achieved'),"
            " count(*) FILTER (WHERE progress = 'partially_achieved'),"
            " count(*) FILTER (WHERE progress = 'not_achieved'), count(*)"
            f" FROM {{schema}}.{{evaluations}} WHERE {where} GROUP BY 1 ORDER BY 1",
            params,
        )
        return Table(
            "target-progress",
            ("review_number", "achieved", "partially_achieved", "not_achieved", "evaluations"),
            rows,
        )

    def _stage_changes(self, where: str, params: dict[str, Any]) -> Table:
        rows = self._rows(
            "SELECT EXTRACT(YEAR FROM occurred_on)::int, count(*), count(DISTINCT plan_id)"
            f" FROM {{schema}}.{{stage_changes}} WHERE {where} GROUP BY 1 ORDER BY 1",
            params,
        )
        return Table("stage-changes", ("year", "stage_changes", "plans"), rows)


def _plan(r: dict[str, Any]) -> PlanFacts:
    return PlanFacts(**{c: r[c] for c in PLAN_COLUMNS})


def _plan_values(p: PlanFacts) -> tuple[Any, ...]:
    return (
        p.plan_id,
        p.org,
        p.plan_type,
        p.stage,
        p.status,
        p.opened_on,
        p.closed_on,
        p.reviews_held,
        Jsonb(p.review_seqs),
        p.review_clock,
        p.pending_due_on,
    )
