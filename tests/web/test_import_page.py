"""The Import page: a lead professional uploads the MIS's CSV, sees the dry run (or every bad
row), and confirms; the confirming form carries the file back and it is checked again."""

from __future__ import annotations

import re
from html import unescape

from domain.pupil_import import Format
from tests.pupil_files import a_school, cells, export
from tests.web.pages import csrf_token, forms_on, sign_in

SCHOOL_FILE = export(Format.SEEMIS, a_school())


def events_in(site) -> int:
    return len(site.planning.recorder.select_notifications(1, 100_000))


def check(client, text: str, fmt: str = "seemis"):
    token = csrf_token(client.get("/import").text)
    return client.post(
        "/import",
        data={"csrf_token": token, "format": fmt, "step": "check"},
        files={"file": ("pupils.csv", text.encode("utf-8"), "text/csv")},
    )


def confirm(client, page: str):
    """Send the confirming form as the browser would: its fields, multipart."""
    carried = re.search(r'<textarea name="csv"[^>]*>\n(.*?)</textarea>', page, re.S)
    assert carried, "the dry run has no confirming form"
    fields = {
        "csrf_token": (None, csrf_token(page)),
        "format": (None, re.search(r'name="format" value="([^"]*)"', page).group(1)),
        "csv": (None, unescape(carried.group(1)).replace("\n", "\r\n")),
        "step": (None, "apply"),
    }
    return client.post("/import", files=fields)


def test_a_lead_professional_finds_the_page_from_the_menu(site):
    with site.client() as client:
        sign_in(client, "lead")
        assert '<a href="/import">Import pupils</a>' in client.get("/plans").text
        page = client.get("/import")
    assert page.status_code == 200
    assert "import-file" in forms_on(page.text).fields
    assert '<select id="import-format" name="format" required' in page.text
    assert 'enctype="multipart/form-data"' in page.text


def test_the_page_is_for_lead_professionals_only(site):
    with site.client() as client:
        sign_in(client, "practitioner")
        assert "/import" not in client.get("/plans").text
        assert client.get("/import").status_code == 403


def test_the_dry_run_shows_what_would_change_and_writes_nothing(site):
    before = events_in(site)
    with site.client() as client:
        sign_in(client, "lead")
        page = check(client, SCHOOL_FILE)
    assert page.status_code == 200, page.text
    assert "What the import would change" in page.text
    assert "200 pupils read: 40 plans to open" in page.text
    assert "Would open a personal learning plan and record the pupil&#39;s details" in page.text
    assert "Import: make these 80 changes" in page.text
    assert "Olivia" not in page.text.split('<textarea name="csv"')[0]  # initials, not names
    assert events_in(site) == before


def test_confirming_imports_and_shows_what_was_done_with_a_progress_bar(site):
    before = events_in(site)
    with site.client() as client:
        sign_in(client, "lead")
        done = confirm(client, check(client, SCHOOL_FILE).text)
        assert done.status_code == 200, done.text
        assert "What was imported" in done.text
        assert '<progress id="import-progress" value="80" max="80">' in done.text
        assert "200 pupils read: 40 plans opened" in done.text
        plan = re.search(r'<a href="/plans/([0-9a-f-]{36})">Opened', done.text).group(1)
        opened = unescape(client.get(f"/plans/{plan}").text)
        assert "Isla Campbell" in opened
        # The school's own record of the pupil, on the plan's page.
        details = opened[opened.index('id="pupil-details"') :].split("</dl>")[0]
        assert "Scottish Candidate Number" in details and "Class" in details
        assert events_in(site) == before + 80
        again = check(client, SCHOOL_FILE)
    assert "0 plans to open, 0 with new details to record, 40 unchanged" in again.text
    assert "Nothing to change" in again.text and 'name="csv"' not in again.text


def test_a_bad_file_lists_every_bad_row_and_field_and_writes_nothing(site):
    pupils = a_school()
    bad_date, no_name = [*cells(pupils[5])], [*cells(pupils[9])]
    bad_date[2], no_name[0] = "31/02/2015", ""
    before = events_in(site)
    with site.client() as client:
        sign_in(client, "lead")
        page = check(client, export(Format.SEEMIS, pupils, rows={7: bad_date, 11: no_name}))
    assert page.status_code == 422
    assert "The file has 2 problems: nothing was imported" in page.text
    assert "<li>Row 7, Date of Birth: not a date (31/02/2015)</li>" in page.text
    assert "<li>Row 11, Forename: missing</li>" in page.text
    assert 'name="csv"' not in page.text
    assert events_in(site) == before


def test_a_confirmed_file_is_checked_again_before_anything_is_written(site):
    before = events_in(site)
    with site.client() as client:
        sign_in(client, "lead")
        page = check(client, SCHOOL_FILE).text
        tampered = page.replace("01/01/2018", "31/02/2018", 1)
        done = confirm(client, tampered)
    assert done.status_code == 422
    assert "Row 2, Date of Birth: not a date (31/02/2018)" in done.text
    assert events_in(site) == before


def test_a_form_without_a_file_or_a_format_says_which_field(site):
    with site.client() as client:
        sign_in(client, "lead")
        token = csrf_token(client.get("/import").text)
        page = client.post("/import", files={"csrf_token": (None, token), "step": (None, "check")})
    assert page.status_code == 422
    assert "Choose the MIS the file came from." in page.text
    assert 'id="import-file-error"' in page.text and "Choose the CSV file" in page.text


def test_a_form_without_its_security_token_is_refused(site):
    with site.client() as client:
        sign_in(client, "lead")
        page = client.post(
            "/import",
            data={"format": "seemis", "step": "check"},
            files={"file": ("pupils.csv", SCHOOL_FILE.encode(), "text/csv")},
        )
    assert page.status_code == 403
