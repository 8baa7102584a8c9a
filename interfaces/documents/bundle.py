"""The tribunal bundle: one PDF of a plan's records up to a date, paginated and indexed.

Sections, in order: cover, index, the documents held with the plan (by their date: held.py),
chronology, what each review recorded, each copy given to the family and each signature
(in the order they happened), the plan in full as it stood at the end, the access log
summary, and the verification head. (Bundles issued before they were kept repeated the
whole plan at each review and copy: `first_layout`.) Everything
is derived from what was recorded up to the end of DATE (UK time), so a bundle reissued
for the same DATE has the same pages and bytes
(RP v Barnsley [2025] UKUT 46 (AAC): differing paginations made a hearing unfair). A DATE
that has not ended yet can still gain events and reads.

Laid out in pieces, side by side (workers.py), then joined (assembly.py): the cover and
index, the documents held, the chronology CHRONOLOGY_A_PIECE entries at a time, the other
lists, the reviews and copies some at a time, each plan in full, the access log with the
verification. Their pages are numbered once joined, and the index is given the pages where
each section fell, read from the pieces' anchors, which `Bundle` reports too. Why, from a
profile of a 1,000-event plan in one layout (2.5 s): WeasyPrint's layout was 70% and its
writing 25%, all in one Python thread; its footers alone cost 6 ms a page. In pieces, two
cores share it and the footers cost nothing: 1,000 events 2.5 -> 1.5 s (84 pages), 5,000
events 17.6 -> 6.9-7.6 s (389 pages; 1,394 pages and 101 s when each review repeated the
plan).
One layout engine stays: the plan sections share their template with the family's copy,
whose recorded SHA-256 must stay reproducible. Caching laid-out sections would not help a
first build, and would keep unsealed personal data past its crypto-shredding. The first
layout stays one piece, its numbers WeasyPrint's, as only that reproduces those bundles.
"""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

from application.errors import KeptPdfAlteredError, PdfNotReproducibleError, PlanNotFoundError
from application.evidence.checkpoints import Head
from application.evidence.diff import CHANGES
from application.history import HistoryEntry
from application.persistence.chain import CHAIN_VERSION
from application.planning import Planning
from domain.access import Caller, chronology_for, sharing_for
from domain.calendar import UK
from domain.clocks import clocks_as_of, may_have_clocks
from domain.events import IssueBundle
from domain.events.bundles import builds_on
from domain.values import IssuedBundle
from interfaces import wording
from interfaces.documents import assembly, render, workers
from interfaces.documents.held import draw_held_pages, held_documents, stamped
from interfaces.documents.plan_copy import PLAN_TYPES, ROLES, plan_document
from interfaces.plan_text import CLOCK_WORDS, NOTICE_WORDS, chronology_as_dicts, sharing_as_dicts

if TYPE_CHECKING:
    from interfaces.documents.signing import PdfSigner


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    first_page: int
    last_page: int


@dataclass(frozen=True)
class Bundle:
    pdf: bytes
    pages: int
    sections: list[Section]
    cutoff: datetime
    """The recorded instant of its last event, where its record and access log end."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


class BundleNotReproducibleError(RuntimeError):
    """The bundle rendered again is not the one issued (the renderer changed)."""

    def __init__(self, number: int) -> None:
        super().__init__(
            f"Bundle {number} cannot be reproduced exactly: its SHA-256 differs from the "
            "recorded one. The renderer (WeasyPrint, fonts, templates) has changed."
        )


class KeptBundleAlteredError(BundleNotReproducibleError):
    """The PDF kept at issue no longer has the SHA-256 its event records."""

    def __init__(self, number: int) -> None:
        RuntimeError.__init__(
            self,
            f"Bundle {number} as kept does not match the SHA-256 recorded when it was "
            "issued; it is not served.",
        )


def issue_command(
    planning: Planning, plan_id: UUID, to: date, signer: PdfSigner | None = None
) -> IssueBundle:
    """The command to issue the bundle of the record up to `to`, with what it records;
    its PDF, signed by the authority when a signer is given, is kept (sealed with the
    plan's key) before the command's event is written, and the SHA-256 recorded is that
    of the PDF kept. A bundle issued before is rendered again unsigned (issued_bundle):
    a signature's time makes signed bytes impossible to reproduce.

    After an earlier bundle (bundles.builds_on), the new one is that bundle's PDF, every
    page as the tribunal holds it, followed by one more part: what was recorded since,
    with its own cover and index, its pages numbered in its own letter."""
    version = planning.records.version_at(plan_id, end_of(to))
    if version is None:
        raise PlanNotFoundError(plan_id)
    cutoff = planning.chain(plan_id)[version - 1].recorded_at
    earlier = builds_on(planning.get_plan(plan_id).bundles, cutoff)
    if earlier is None:
        built = build_bundle(planning, plan_id, to)
        pdf, pages, parts = built.pdf, built.pages, 1
    else:
        part = build_bundle(planning, plan_id, to, since=earlier)
        pdf = _joined(issued_bundle(planning, plan_id, earlier), part.pdf)
        pages, parts = earlier.pages + part.pages, earlier.parts + 1
    pdf = signer.sign(pdf) if signer is not None else pdf
    planning.keep_pdf(plan_id, "bundle", pdf)
    return IssueBundle(
        to=to,
        cutoff=cutoff,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pages=pages,
        builds_on=earlier.number if earlier else None,
        parts=parts,
    )


def _joined(earlier: bytes, part: bytes) -> bytes:
    """The earlier bundle's pages, unchanged, then the new part's (bookmarks of both).
    The earlier one's signature field goes: its signature covered that file's bytes, not
    this one's, which is signed as a whole when issued."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(earlier)))
    writer.append(PdfReader(io.BytesIO(part)))
    for page in writer.pages:
        if "/Annots" in page:
            kept = [a for a in page["/Annots"] if a.get_object().get("/FT") != "/Sig"]
            page[NameObject("/Annots")] = ArrayObject(kept)
    for name in ("/AcroForm", "/Perms"):
        writer._root_object.pop(NameObject(name), None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def issued_bundle(planning: Planning, plan_id: UUID, issued: IssuedBundle) -> bytes:
    """An issued bundle as the tribunal holds it: the PDF kept at issue, with no layout,
    so that changes to the templates, fonts or WeasyPrint never touch it; never a
    different PDF under its number. A bundle issued before bundles were kept is rendered
    again from the record up to its cut-off, and kept once it matches. Raises
    DocumentDestroyedError once the plan's personal data is destroyed."""

    def again() -> bytes:
        cutoff = issued.cutoff
        return build_bundle(planning, plan_id, issued.to, cutoff=cutoff, first_layout=True).pdf

    try:
        return planning.given_pdf(plan_id, "bundle", issued.sha256, again)
    except KeptPdfAlteredError:
        raise KeptBundleAlteredError(issued.number) from None
    except PdfNotReproducibleError:
        raise BundleNotReproducibleError(issued.number) from None


def end_of(day: date) -> datetime:
    """The last recorded instant of a UK day."""
    return datetime.combine(day + timedelta(days=1), time(0), UK) - timedelta(microseconds=1)


def build_bundle(
    planning: Planning,
    plan_id: UUID,
    to: date,
    *,
    cutoff: datetime | None = None,
    with_access_log: bool = True,
    reader: Caller | None = None,
    first_layout: bool = False,
    since: IssuedBundle | None = None,
) -> Bundle:
    """The bundle of the record up to its last event recorded by the end of `to` (or by
    `cutoff`, an exact instant, to reissue a bundle issued then), and of the access log up
    to that same event (API.md): reads alone never change a bundle, its own included.
    Without `with_access_log` the access log section says it is withheld from this
    reader instead of listing reads.

    `first_layout`: the chronology and access log as the first bundles were laid out
    (event labels, user ids and routes), for a bundle issued before issued bundles were
    kept, which can only be given again by laying it out exactly as it was issued.

    `since`: the part that follows that issued bundle's pages (its parts and one): the
    chronology, reviews, copies and documents recorded after its cut-off, and the reads
    since, with the plan in full and the statutory clocks as they stand now."""
    version = planning.records.version_at(plan_id, cutoff or end_of(to))
    if version is None:
        raise PlanNotFoundError(plan_id)
    link = planning.chain(plan_id)[version - 1]
    cutoff = link.recorded_at
    after = (planning.records.version_at(plan_id, since.cutoff) or 0) if since else 0
    entries = [e for e in planning.history(plan_id, reader) if after < e.position <= version]
    plan = planning.get_plan(plan_id, version=version)
    documents = (
        _documents(planning, plan_id, entries)
        if first_layout
        else _records(planning, plan_id, entries, to, version, after)
    )
    checkpoint = None
    if planning.checkpoint_signer is not None:
        checkpoint = planning.checkpoint_signer.sign(
            [Head(plan_id=plan_id, position=version, link=link.link)], cutoff
        )
    statutory = (
        _statutory(planning, plan_id, version, to)
        if may_have_clocks(plan.plan_type, plan.statutory) or plan.notices
        else None
    )
    child_chronology = chronology_as_dicts(plan, chronology_for(reader, plan))
    sharing = sharing_as_dicts(sharing_for(reader, plan))
    held_before = planning.get_plan(plan_id, version=after).documents if after else {}
    held = held_documents(planning, plan, held_before=set(held_before))
    sections = [
        ("index", "Index"),
        *((d.key, f"D{d.number}. {d.title}") for d in held),
        ("chronology", "Chronology of recorded events"),
        *([("child-chronology", "The child's chronology")] if child_chronology else []),
        *([("sharing", "Information shared")] if sharing else []),
        *([("held-documents", "Documents held with the plan")] if plan.documents else []),
        *([("statutory", "Statutory timescales and notices")] if statutory else []),
        *((d["key"], d["title"]) for d in documents),
        ("access", "Access log summary"),
        ("verification", "Verification of the record"),
    ]
    letter = wording.part_letter(since.parts + 1) if since else "A"
    context = {
        "plan_id": str(plan_id),
        "to": to,
        "chain_version": CHAIN_VERSION,
        "cover": {
            "type_label": PLAN_TYPES.get(plan.plan_type.value, plan.plan_type.value),
            "child_name": plan.child.name,
            "org": plan.org,
        },
        "sections": [{"key": k, "title": t} for k, t in sections],
        "chronology": [
            _chronology_row(
                e,
                # The timeline's words (the entry's content, not only its kind).
                _first_layout_words(e)
                if first_layout
                else wording.describe(e, plan, planning.stages),
            )
            for e in entries
        ],
        "first_layout": first_layout,
        "child_chronology": child_chronology,
        "sharing": sharing,
        "held_documents": [d.model_dump(mode="json") for d in plan.documents.values()],
        "held": held,
        "statutory": statutory,
        "documents": documents,
        "access": (
            _access_summary(planning, plan, cutoff, first_layout, since.cutoff if since else None)
            if with_access_log
            else None
        ),
        "part": letter if since else None,
        "since": since,
        "first_entry": after + 1,
        "head": {
            "position": version,
            "link": link.link.hex(),
            "recorded_at": render.instant(link.recorded_at),
        },
        "checkpoint": checkpoint,
    }
    with render.render_slot():
        if first_layout:
            laid = workers.lay_out_all([_html(context)])[0]
            pdf, pages = stamped(laid.pdf, held, _placed([laid])), laid.pages
            found = _section_pages([laid])
        else:
            pdf, pages, found = _in_pieces(context, letter)
    return Bundle(
        cutoff=cutoff,
        pdf=pdf,
        pages=pages,
        sections=[Section(k, t, *found[k]) for k, t in [("cover", "Cover"), *sections]],
    )


CHRONOLOGY_A_PIECE = 200
"""Entries of the chronology laid out as one piece: about 11 pages, 0.3 s of layout. Each
piece starts a page, so its last page may end early; a constant, so that the same record
always gives the same pages, on any machine."""
RECORDS_A_PIECE = 20
"""Reviews and copies laid out as one piece (each is about a page); a plan in full (at a
signature, at the end) is a piece of its own."""


def _grouped(records: list[dict]) -> list[list[dict]]:
    groups: list[list[dict]] = []
    for record in records:
        last = groups[-1] if groups else None
        if last and "plan" not in record and "plan" not in last[0] and len(last) < RECORDS_A_PIECE:
            last.append(record)
        else:
            groups.append([record])
    return groups


def _html(context: dict[str, Any], **piece: Any) -> str:
    """The bundle's HTML, or with `piece` only the part of it that piece holds: the
    sections named in `shows`, and whatever lists it is given in place of the bundle's."""
    shows = piece.pop("shows", None)
    return render.render_html(
        "bundle.html",
        **{
            **context,
            "shows": (lambda key: True) if shows is None else shows.__contains__,
            "chronology_opens": True,
            "chronology_closes": True,
            "index_pages": None,
            **piece,
        },
    )


def _in_pieces(
    context: dict[str, Any], letter: str
) -> tuple[bytes, int, dict[str, tuple[int, int]]]:
    """The bundle laid out as pieces by the layout workers, side by side, then joined:
    the cover and index, the documents held, the chronology some entries at a time, the
    other lists, the records some at a time, and the access log with the verification.
    The index is laid out twice: with stand-in numbers beside the rest, for its length,
    then with the pages the rest fell on."""
    rows, records = context["chronology"], context["documents"]
    chunks = [rows[i : i + CHRONOLOGY_A_PIECE] for i in range(0, len(rows), CHRONOLOGY_A_PIECE)]
    lists = ("child_chronology", "sharing", "held_documents", "statutory")
    pieces = [
        {"shows": {"cover", "index"}},
        *([{"held": context["held"]}] if context["held"] else []),
        *(
            {
                "shows": {"chronology"},
                "chronology": chunk,
                "chronology_opens": n == 0,
                "chronology_closes": n == len(chunks) - 1,
            }
            for n, chunk in enumerate(chunks or [[]])
        ),
        *([{key: context[key] for key in lists}] if any(context[k] for k in lists) else []),
        *({"documents": group} for group in _grouped(records)),
        {"shows": {"access", "verification"}},
    ]
    nothing = {"held": [], "chronology": [], "documents": [], "statutory": None}
    nothing |= {"child_chronology": [], "sharing": [], "held_documents": []}

    def piece_html(piece: dict[str, Any], index_pages: dict[str, tuple[str, str]]) -> str:
        return _html(context, **{**nothing, "shows": set(), "index_pages": index_pages, **piece})

    stand_in = {s["key"]: (f"{letter}0000",) * 2 for s in context["sections"]}
    laid = workers.lay_out_all(piece_html(piece, stand_in) for piece in pieces)
    found = _section_pages(laid)
    numbered = {key: (f"{letter}{found[key][0]}", f"{letter}{found[key][1]}") for key in stand_in}
    index = workers.lay_out_all([piece_html(pieces[0], numbered)])[0]
    if index.pages != laid[0].pages:  # its page column is one line wide, whatever it holds
        raise RuntimeError("the bundle's index changed length with its page numbers")
    laid[0] = index
    writer = assembly.joined(laid)
    draw_held_pages(writer, context["held"], _placed(laid))
    footer = f"Planledger bundle, plan {context['plan_id']}, records to {context['to'].isoformat()}"
    assembly.number_pages(writer, footer, f"Part {letter}, page {letter}{{}}")
    return assembly.written(writer), sum(piece.pages for piece in laid), found


def _documents(planning: Planning, plan_id: UUID, entries: list[HistoryEntry]) -> list[dict]:
    """The plan as it stood after each review (with its evaluations, saved with it) and
    as it was when each copy was given to the family."""
    documents = []
    for i, entry in enumerate(entries):
        if entry.type == "CspPrepared":
            version = entry.position
            amended = "amended " if entry.data.get("amended") else ""
            title = f"The {amended}plan as signed on {render.long_date(entry.occurred_on)}"
            note = (
                f"As it stood at version {version}, when signed by {entry.actor.name} "
                "(CSP Regulations reg 3(1)(c))."
            )
        elif entry.type == "ReviewHeld":
            version = entry.position
            review_id = entry.data["review_id"]
            for later in entries[i + 1 :]:
                if later.type != "TargetEvaluated" or later.data.get("review_id") != review_id:
                    break
                version = later.position
            title = f"The plan after the review held on {render.long_date(entry.occurred_on)}"
            note = f"As it stood at version {version}, once the review was recorded."
        elif entry.type == "PlanShared":
            version = entry.data["shared_version"]
            number, sha256 = entry.data["number"], entry.data.get("sha256")
            title = f"Copy {number} given to the family on {render.long_date(entry.occurred_on)}"
            note = (
                f"The plan at version {version}, as in the copy given"
                f"{' by ' + entry.data['method'] if entry.data.get('method') else ''}. "
                f"SHA-256 of the PDF the family received: {sha256 or 'not recorded'}."
            )
        else:
            continue
        plan = planning.get_plan(plan_id, version=version)
        documents.append(
            {
                "key": f"doc-{entry.position}",
                "title": title,
                "note": note,
                "plan": plan_document(plan, planning.stages),
            }
        )
    return documents


def _records(
    planning: Planning,
    plan_id: UUID,
    entries: list[HistoryEntry],
    to: date,
    version: int,
    after: int = 0,
) -> list[dict]:
    """What each review recorded, each copy given to the family, the plan in full as each
    signature made it, and the plan in full as it stood at the bundle's end. The first
    layout (_documents) repeated the whole plan at every review and copy: a plan's pages
    grew as its reviews times its size (a 5,000-event plan's bundle was 1,394 pages), and
    what did not change was read again each time. Here what happened between them is the
    chronology's, by its entry numbers, so the pages grow with the record."""
    records: list[dict] = []
    since = after
    for i, entry in enumerate(entries):
        if entry.type == "ReviewHeld":
            records.append(_review_record(planning, plan_id, entries, i, since))
            since = entry.position
        elif entry.type == "PlanShared":
            records.append(_copy_record(entry))
        elif entry.type == "CspPrepared":
            amended = "amended " if entry.data.get("amended") else ""
            records.append(
                {
                    "key": f"doc-{entry.position}",
                    "title": f"The {amended}plan as signed on "
                    f"{render.long_date(entry.occurred_on)}",
                    "note": f"As it stood at version {entry.position}, when signed by "
                    f"{entry.actor.name} (CSP Regulations reg 3(1)(c)).",
                    "plan": plan_document(
                        planning.get_plan(plan_id, version=entry.position), planning.stages
                    ),
                }
            )
    final = planning.get_plan(plan_id, version=version)
    records.append(
        {
            "key": "doc-final",
            "title": f"The plan as it stood at the end of {render.long_date(to)}",
            "note": f"In full, at version {version}: the last event in this bundle.",
            "plan": plan_document(final, planning.stages),
        }
    )
    return records


def _review_record(
    planning: Planning, plan_id: UUID, entries: list[HistoryEntry], i: int, since: int
) -> dict[str, Any]:
    """A review as it was recorded: who came, what was said, each target's evaluation at
    it, the impact of provision, the next date; and which entries of the chronology hold
    what changed in the plan since the review before."""
    held = entries[i]
    evaluations = [
        e
        for e in entries[i + 1 :]
        if e.type == "TargetEvaluated" and e.data.get("review_id") == held.data["review_id"]
    ]
    version = max([held.position, *(e.position for e in evaluations)])
    plan = planning.get_plan(plan_id, version=version)
    review = next((r for r in plan.reviews if str(r.id) == held.data["review_id"]), None)
    return {
        "key": f"doc-{held.position}",
        "title": f"Review held on {render.long_date(held.occurred_on)}",
        "note": f"As recorded by {held.actor.name} (chronology entr"
        + (f"ies {held.position} to {version})." if version > held.position else f"y {version})."),
        "review": {
            "attendees": ", ".join(review.attendees) if review else "",
            "summary": review.summary if review else "",
            "next_review_on": review.next_review_on if review else None,
            "evaluations": [
                {
                    "target": wording.target_words(plan, e.data["target_id"]),
                    "progress": wording.PROGRESS.get(e.data["progress"], e.data["progress"]),
                    "impact": e.data.get("impact") or "",
                }
                for e in evaluations
            ],
            "impacts": [
                {"provision": p.description, "impact": impact.impact}
                for p in plan.provisions.values()
                for impact in p.impacts
                if str(impact.review_id) == held.data["review_id"]
            ],
            "changes": (since + 1, held.position - 1) if held.position - 1 > since else None,
        },
    }


def _copy_record(entry: HistoryEntry) -> dict[str, Any]:
    d = entry.data
    return {
        "key": f"doc-{entry.position}",
        "title": f"Copy {d['number']} given to the family on {render.long_date(entry.occurred_on)}",
        "note": f"Recorded by {entry.actor.name} (entry {entry.position} of the chronology).",
        "given": {
            "version": d["shared_version"],
            "recipients": ", ".join(d.get("recipients") or ()),
            "method": d.get("method") or "",
            "sha256": d.get("sha256") or "not recorded",
            "number": d["number"],
        },
    }


def _statutory(planning: Planning, plan_id: UUID, version: int, to: date) -> dict[str, Any]:
    """Each statutory clock as it stood at the end of `to`, from the events in the bundle,
    and each notice given: when a decision was notified, and when a failure began
    (a reference must state both: ASN Tribunal Rules 2006 rule 5)."""
    events = [e for e in planning.events.get(plan_id) if e.originator_version <= version]
    plan = planning.get_plan(plan_id, version=version)
    return {
        "clocks": [
            {**c.as_dict(), "label": CLOCK_WORDS.get(c.name, c.name)}
            for c in clocks_as_of(events, to)
        ],
        "notices": [
            {
                "given_on": n.given_on.isoformat(),
                "kind": NOTICE_WORDS.get(n.kind, n.kind),
                "to": ", ".join(n.to),
                "method": n.method,
                "emailed": n.emailed,
            }
            for n in plan.notices
        ],
    }


def _chronology_row(entry: HistoryEntry, what: str) -> dict[str, Any]:
    """What the entry did, by whom in what role, when it happened and was recorded, why."""
    actor = entry.actor
    role = actor.role.value
    return {
        "position": entry.position,
        "occurred_on": entry.occurred_on.isoformat(),
        "recorded_at": render.instant(entry.recorded_at),
        "backdated": entry.backdated,
        "what": what,
        "actor": f"{actor.name} ({ROLES.get(role, role)}"
        + (f", {actor.org})" if actor.org else ")"),
        "reason": entry.reason,
    }


def _first_layout_words(entry: HistoryEntry) -> str:
    """An entry as the first bundles named it: its kind, and the text of two kinds."""
    what = CHANGES.get(entry.type, ("", "", entry.type, None))[2]
    if entry.type == "SectionRecorded":
        what = f"{what}: {entry.data['name']}"
    elif entry.type == "ChronologyEntryAdded":
        what = f"{what}: {entry.data['text']}"
    return what[:1].upper() + what[1:]


def _access_summary(
    planning: Planning,
    plan: Any,
    cutoff: datetime,
    first_layout: bool,
    since: datetime | None = None,
) -> list[dict]:
    """Reads up to the cut-off (and after `since`, for a later part), grouped by who, in
    what role, and what they read: named as the plan or the directory names them (the
    raw id only when neither does), the role and what was read in words (the route
    beside it)."""
    groups: dict[tuple[str, str, str], list[datetime]] = defaultdict(list)
    for access in planning.access_log(plan.id, limit=1_000_000):
        if access.at <= cutoff and (since is None or access.at > since):
            groups[(access.user_id, access.role, access.action)].append(access.at)
    directory = None if first_layout or not groups else planning.people.directory()
    rows = []
    for (user, role, action), times in sorted(groups.items()):
        row = {
            "user_id": user,
            "role": role,
            "action": action,
            "count": len(times),
            "first": render.instant(min(times)),
            "last": render.instant(max(times)),
        }
        if directory is not None:
            member, person = plan.members.get(user), directory.people.get(user)
            row["name"] = (member.name if member else None) or (person and person.name) or user
            row["role"] = ROLES.get(role, role)
            row["read"] = read_in_words(action)
        rows.append(row)
    return rows


def read_in_words(action: str) -> str:
    """What a logged read showed, in words: "the timeline (web page)" for
    GET /plans/{plan_id}/timeline."""
    method, _, route = action.partition(" ")
    where = "API" if route.startswith("/api/") else "web page"
    tail = route.rstrip("/").rsplit("{plan_id}", 1)[-1].strip("/")
    what = _READS.get(tail.split("/")[0] if tail else "")
    if what is None or method != "GET":
        return action
    return f"{what} ({where})"


_READS = {
    "": "The plan",
    "history": "The history",
    "timeline": "The timeline",
    "diff": "What changed between two dates",
    "export": "The verifiable export",
    "bundle.pdf": "The bundle",
    "bundles": "An issued bundle",
    "shared-copies": "A copy given to the family",
    "documents": "A document held with the plan",
    "chronology": "The chronology",
    "progress": "Progress charts",
    "clocks": "Statutory clocks",
    "print": "The printed plan",
    "family": "The family's page",
    "access-log": "The access log",
}


def _page_anchors(laid: list[workers.Laid]) -> list[list[str]]:
    """Each page's anchor names, over the pieces joined in order."""
    return [[a.name for a in page] for piece in laid for page in piece.anchors]


def _placed(laid: list[workers.Laid]) -> dict[str, list[int]]:
    """Document key -> the indexes of the pages the layout kept for its PDF's pages."""
    placed: dict[str, list[int]] = defaultdict(list)
    for index, anchors in enumerate(_page_anchors(laid)):
        for anchor in anchors:
            if anchor.startswith("p-"):
                placed[anchor[2:].rpartition("-")[0]].append(index)
    return placed


def _section_pages(laid: list[workers.Laid]) -> dict[str, tuple[int, int]]:
    """Section key -> (first, last) page, from where the layout put each section's start
    and end anchors."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for number, anchors in enumerate(_page_anchors(laid), start=1):
        for anchor in anchors:
            kind, _, key = anchor.partition("-")
            target = first if kind == "s" else last if kind == "e" else None
            if target is not None:
                target.setdefault(key, number)
    return {key: (first[key], last.get(key, first[key])) for key in first}
