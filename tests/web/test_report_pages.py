"""The reports on pages: an analyst reads each report as a table in words and downloads
its CSV; nobody else may; no child's name is on them."""

from __future__ import annotations

from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

from domain.access import Caller
from domain.events import PlanProvision, RecordDelivery
from domain.values import FundingStream, ProvisionKind
from interfaces.demo import DEMO_USERS
from interfaces.web.charts import HBAR_WIDTH, hbar_chart
from interfaces.web.report_pages import CHARTS, COLUMNS
from projections.reports.view import REPORTS
from tests.projections.scenario import build
from tests.web.pages import sign_in


def test_an_analyst_lands_on_the_reports_and_reads_each_one(site):
    with site.client() as client:
        sign_in(client, "analyst")
        landing = client.get("/plans", follow_redirects=True)
        assert landing.url.path == "/reports"
        for name, title in REPORTS.items():
            page = client.get(f"/reports/{name}")
            assert page.status_code == 200, (name, page.text[:300])
            assert title.split(":")[0] in page.text
            assert "Isla Campbell" not in page.text
            csv = client.get(f"/reports/{name}.csv")
            assert csv.status_code == 200
            assert csv.headers["content-type"].startswith("text/csv")
        assert client.get("/reports/nothing").status_code == 404


def test_delivery_and_funding_read_in_words_with_their_figures(site):
    lead = Caller.of(DEMO_USERS["lead"])
    created = site.planning.change(
        site.plan_id,
        PlanProvision(
            kind=ProvisionKind.INTERVENTION,
            description="Precision teaching",
            sessions_per_week=3,
            cost=Decimal("300.00"),
            funding_stream=FundingStream.HIGH_NEEDS_TOP_UP,
        ),
        lead,
    ).created
    site.planning.change(
        site.plan_id,
        RecordDelivery(provision_id=created["provision_id"], sessions=2, sessions_missed=1),
        lead,
    )
    with site.client() as client:
        sign_in(client, "analyst")
        funding = client.get("/reports/provision-funding").text
        delivery = client.get("/reports/provision-delivery").text
        csv = client.get("/reports/provision-delivery.csv").text
    assert "High needs top-up from the council" in funding
    assert "Intervention" in delivery and "Sessions planned" in delivery
    assert "st-ninians" in csv.lower()


def test_only_an_analyst_reads_the_reports(site):
    for user in ("lead", "parent", "officer"):
        with site.client() as client:
            sign_in(client, user)
            assert client.get("/reports").status_code == 403, user
            assert client.get("/reports/provision-costs.csv").status_code == 403, user


class _ChartAndTable(HTMLParser):
    """A report page's chart (its bars' data-* attributes) and its table (header words and
    each row's cells as the page shows them)."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[dict[str, str | None]] = []
        self.titles: list[str] = []
        self.bars: list[dict[str, str | None]] = []
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._in_table = self._in_title = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg" and a.get("data-report"):
            self.charts.append(a)
        elif tag == "title":
            self._in_title = True
            self.titles.append(a.get("id") or "")
        elif tag == "g" and a.get("class") == "report-bars":
            self._row = a["data-row"]
        elif tag == "rect" and a.get("class") == "report-bar":
            self.bars.append({**a, "data-row": self._row})
        elif tag == "table" and a.get("id") == "report-table":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("th", "td"):
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "table":
            self._in_table = False
        elif self._cell is not None and tag in ("th", "td"):
            words, self._cell = "".join(self._cell).strip(), None
            if tag == "th" and a_header_row(self.rows):
                self.headers.append(words)
            else:
                self.rows[-1].append(words)

    def table_rows(self) -> list[list[str]]:
        return [row for row in self.rows if row]


def a_header_row(rows: list[list[str]]) -> bool:
    return len(rows) == 1 and not rows[0]


def read(html: str) -> _ChartAndTable:
    parser = _ChartAndTable()
    parser.feed(html)
    return parser


def test_each_report_has_a_chart_whose_bars_hold_its_tables_figures(site):
    build(site.planning)  # plans whose reviews fell due, and delivered provision
    lead = Caller.of(DEMO_USERS["lead"])
    unplanned = site.planning.change(  # no sessions a week: delivered against none planned
        site.plan_id, PlanProvision(kind=ProvisionKind.STRATEGY, description="Now and next"), lead
    ).created
    site.planning.change(
        site.plan_id, RecordDelivery(provision_id=unplanned["provision_id"], sessions=4), lead
    )
    with site.client() as client:
        sign_in(client, "analyst")
        pages = {name: read(client.get(f"/reports/{name}").text) for name in REPORTS}
    assert set(CHARTS) == set(REPORTS)
    for name, page in pages.items():
        rows = page.table_rows()
        assert rows, f"{name}: the test's plans should give every report rows"
        assert len(page.charts) == 1, name
        chart = page.charts[0]
        assert chart["role"] == "img" and chart["aria-labelledby"] in page.titles, name
        assert int(chart["viewbox"].split()[2]) <= 400, name  # legible on a phone, unscrolled
        drawn = {COLUMNS[c] for c in CHARTS[name].values}
        assert {bar["data-column"] for bar in page.bars} == drawn, name
        assert len(page.bars) == len(rows) * len(drawn), name  # a bar for each figure
        for bar in page.bars:
            figure = rows[int(bar["data-row"])][page.headers.index(bar["data-column"])]
            assert bar["data-value"] == figure, (name, bar, rows)
    delivery = pages["provision-delivery"]
    nothing_planned = [b for b in delivery.bars if b["data-value"] == "none"]
    assert nothing_planned and all(float(b["width"]) == 0 for b in nothing_planned)
    assert any("none" in row for row in delivery.table_rows())


def test_a_report_with_no_rows_draws_no_chart(site):
    with site.client() as client:
        sign_in(client, "analyst")
        for name in REPORTS:
            html = client.get(f"/reports/{name}", params={"org": "school:nowhere"}).text
            page = read(html)
            assert "Nothing to count yet." in html, name
            assert not page.charts and not page.bars and not page.table_rows(), name


def test_the_bars_geometry_scales_stacks_and_draws_none_as_nothing():
    grouped = hbar_chart(["A", "B"], [[10, 5], [None, 20]], words=str)
    a, b = grouped.rows
    full = b.shapes[1].width  # the largest, to the scale's end, its figure still inside
    assert full + 6 + 7.5 * len("20.0") < HBAR_WIDTH
    assert [s.width for s in a.shapes] == [full / 2, full / 4]
    assert b.shapes[0].width == 0 and b.shapes[0].value is None
    assert [f[2] for f in b.figures] == ["None", "20"]
    assert a.shapes[0].y < a.shapes[1].y < b.shapes[0].y  # one under the other, row by row
    stacked = hbar_chart(["R1"], [[1, 0, 3]], words=str, stacked=True)
    (row,) = stacked.rows
    first, empty, last = row.shapes
    assert first.x == 0 and empty.width == 0 and last.x == first.width + 2  # parted by white
    assert last.x + last.width == 4 * first.width
    assert row.figures[0] == (4 * first.width + 6, first.y + 12.5, "4.0")  # the total after
    shares = [[50.0], [25.0]]
    out_of_100 = hbar_chart(["2025", "2026"], shares, words=str, top=100.0).rows[0].shapes[0]
    to_largest = hbar_chart(["2025", "2026"], shares, words=str).rows[0].shapes[0]
    assert out_of_100.width * 2 == to_largest.width  # a percentage runs to 100, not 50
    long = hbar_chart(["school:a-very-long-code " * 4], [[1]], words=str).rows[0]
    assert len(long.lines) > 1 and all(len(words) <= 48 for _, words in long.lines)
    assert grouped.width == HBAR_WIDTH <= 400
    assert hbar_chart([], [], words=str).rows == []


def test_schools_are_named_in_the_reports_and_chosen_by_name(site):
    lead = Caller.of(DEMO_USERS["lead"])
    made = site.planning.change(
        site.plan_id, PlanProvision(kind=ProvisionKind.INTERVENTION, description="Toe by toe"), lead
    ).created
    site.planning.change(
        site.plan_id, RecordDelivery(provision_id=made["provision_id"], sessions=2), lead
    )
    with site.client() as client:
        sign_in(client, "analyst")
        page = client.get("/reports/provision-delivery").text
        one = client.get("/reports/provision-delivery", params={"org": "school:st-ninians-primary"})
    table = unescape(page[page.index('id="report-table"') :])
    assert "St Ninian's Primary School" in table and "school:st-ninians-primary" not in table
    assert '<option value="school:st-ninians-primary"' in page
    assert one.status_code == 200 and "St Ninian" in unescape(one.text)
