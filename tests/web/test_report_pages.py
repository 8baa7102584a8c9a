"""The reports on pages: an analyst reads each report as a table in words and downloads
its CSV; nobody else may; no child's name is on them."""

from __future__ import annotations

from decimal import Decimal

from domain.access import Caller
from domain.events import PlanProvision, RecordDelivery
from domain.values import FundingStream, ProvisionKind
from interfaces.demo import DEMO_USERS
from projections.reports.view import REPORTS
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
