#!/usr/bin/env python3
"""Verify a Planledger export offline, with the Python standard library only.

    python3 verify_export.py EXPORT.json [--public-key KEY]
        [--pdf FILE ...] [--certificate CERT.pem]

Exit status: 0 the history is intact (and the checkpoint's signature is valid, when a
public key is given, and each PDF is one the history records); 1 it is not, naming the
first bad position, or a PDF it does not record; 2 a file is unreadable.

--pdf FILE (repeatable) checks a shared copy or an issued bundle against the export: its
SHA-256 must be the one a PlanShared or BundleIssued event records ("sha256" in its
state), which says which copy or bundle it is. Its PAdES signature is reported too when
pyHanko happens to be installed (`pip install pyhanko`; this file never needs it): checked
against the authority's certificate if --certificate is given, else only for being
intact and covering the whole file. A copy or bundle given before PDFs were signed has
no signature; its SHA-256 alone proves it.

The format, restated so that this file is all an expert needs:
- link(0) = SHA-256("planledger-chain-v1:" + plan id)
- digest(n) = SHA-256(canonical JSON of {"plan_id", "position", "type", "state"}),
  canonical = sorted keys, separators "," and ":", UTF-8 (not ASCII-escaped)
- link(n) = SHA-256(link(n-1) + digest(n)), as raw 32-byte digests
- planledger-export-v2 (written since v2 came in) carries each event's canonical JSON as
  "record", the exact text that was hashed: its digest is SHA-256 of its UTF-8 bytes, and
  as canonical JSON with sorted keys it must begin {"plan_id":<plan id>,"position":<n>,
  "state": (its place in the chain). Nothing is re-serialised, so nothing is lost to a
  difference between two JSON encoders.
- planledger-export-v1 (earlier exports, still accepted) carries each event's fields,
  which are re-serialised canonically here, and a "recorded_at" that must be the same
  instant as the state's "timestamp"
- an event exported with "destroyed": true (its personal data destroyed) or "withheld":
  true (not for this reader) has no content: its digest is taken as given, and its link
  must still follow from the previous link
- "head" is the last position and link; a "checkpoint" is a signed statement of heads:
  Ed25519 (RFC 8032) over the canonical JSON of its "payload", checked here against the
  public key the authority published (`planledger checkpoint public-key`), never against
  one found in the file.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import io
import json
import logging
import multiprocessing
import os
import sys
from datetime import datetime

EXPORT_V1 = "planledger-export-v1"
EXPORT_V2 = "planledger-export-v2"
CHAIN_VERSION = "planledger-chain-v1"


class Broken(Exception):
    def __init__(self, position, problem):
        super().__init__(problem)
        self.position, self.problem = position, problem


CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(obj):
    return CANONICAL.encode(obj).encode()


def sha256(data):
    return hashlib.sha256(data).digest()


# ---- Ed25519 verification (RFC 8032, section 6: the reference code, verify only) -----

P = 2**255 - 19
Q = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    a_ = (y1 - x1) * (y2 - x2) % P
    b_ = (y1 + x1) * (y2 + x2) % P
    c_ = t1 * 2 * D * t2 % P
    d_ = z1 * 2 * z2 % P
    e, f, g, h = b_ - a_, d_ - c_, d_ + c_, b_ + a_
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _mul(s, point):
    result = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            result = _add(result, point)
        point = _add(point, point)
        s >>= 1
    return result


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


def _decompress(s):
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


_GY = 4 * pow(5, P - 2, P) % P
G = (_recover_x(_GY, 0), _GY, 1, _recover_x(_GY, 0) * _GY % P)


def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= Q:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % Q
    return _equal(_mul(s, G), _add(r, _mul(h, a)))


# ---- the chain ---------------------------------------------------------------------------


def verify_chain(document):
    """The head's link, once every event and the head have been checked."""
    if document.get("chain") == CHAIN_VERSION:
        if document.get("format") == EXPORT_V2:
            return verify_head(document, verify_events_v2(document["plan_id"], document["events"]))
        if document.get("format") == EXPORT_V1:
            return verify_head(document, verify_events_v1(document["plan_id"], document["events"]))
    raise Broken(None, f"not a {EXPORT_V2} (or v1) document over {CHAIN_VERSION}")


def verify_events_v2(plan_id, events):
    """The last link, checking each event in order: one pass, hashing the recorded text.

    One process: parsing the file costs more than all the hashing, and on a busy machine
    extra processes only add their start-up (a v1 export needed them; see check_all)."""
    if not isinstance(plan_id, str):
        raise Broken(None, "the plan id is not a string")
    sha = hashlib.sha256
    plan_prefix = '{"plan_id":' + CANONICAL.encode(plan_id) + ',"position":'
    previous = sha(f"{CHAIN_VERSION}:{plan_id}".encode()).digest()
    for position, event in enumerate(events, start=1):
        try:
            if event.get("position") != position:
                raise Broken(
                    position,
                    f"expected position {position}, found {event.get('position')}"
                    " (an event is missing or out of order)",
                )
            if event.get("destroyed") is True or event.get("withheld") is True:
                digest = bytes.fromhex(event["digest"])
            else:
                record = event["record"]
                if not record.startswith(f'{plan_prefix}{position},"state":'):
                    raise Broken(position, misplaced(record, plan_prefix))
                digest = sha(record.encode()).digest()
                if digest.hex() != event["digest"]:
                    raise Broken(position, "the event's content does not match its digest")
            previous = sha(previous + digest).digest()
            if previous.hex() != event.get("link"):
                raise Broken(position, "the link does not follow from the previous link and digest")
        except (AttributeError, KeyError, TypeError, ValueError):
            raise Broken(position, "the event is malformed") from None
    return previous


def misplaced(record, plan_prefix):
    if not record.startswith(plan_prefix):
        return "the event belongs to another plan (or its record is not a chain record)"
    return "the event's record names another position"


def verify_head(document, last_link):
    events = document["events"]
    head = document.get("head") or {}
    if head.get("position") != len(events):
        raise Broken(
            len(events) + 1,
            f"the head is at position {head.get('position')}, "
            f"but the export ends at {len(events)}: events are missing",
        )
    if head.get("link") != last_link.hex():
        raise Broken(len(events), "the head's link is not the last event's link")
    return last_link.hex()


# ---- v1 exports: each event's fields, re-serialised here ------------------------------


def same_instant(a, b):
    try:
        return datetime.fromisoformat(a) == datetime.fromisoformat(b)
    except (TypeError, ValueError):
        return False


def check_content(plan_id, expected, event):
    """The event's digest, after checking what can be checked of it alone: its position,
    its plan, that its content hashes to its digest, and its recorded time."""
    if event.get("position") != expected:
        raise Broken(
            expected,
            f"expected position {expected}, found {event.get('position')}"
            " (an event is missing or out of order)",
        )
    if event.get("destroyed") is True or event.get("withheld") is True:
        return bytes.fromhex(event["digest"])
    if event.get("plan_id") != plan_id:
        raise Broken(expected, "the event belongs to another plan")
    record = {
        "plan_id": plan_id,
        "position": expected,
        "type": event["type"],
        "state": event["state"],
    }
    digest = sha256(canonical_bytes(record))
    if digest.hex() != event.get("digest"):
        raise Broken(expected, "the event's content does not match its digest")
    recorded_at, timestamp = event.get("recorded_at"), event["state"].get("timestamp")
    if recorded_at != timestamp and not same_instant(recorded_at, timestamp):
        raise Broken(expected, "recorded_at differs from the event's recorded timestamp")
    return digest


def check_range(plan_id, events, first, last):
    """(digests of events[first:last] up to the first problem, that problem or None)."""
    digests = []
    for expected in range(first + 1, last + 1):
        try:
            digests.append(check_content(plan_id, expected, events[expected - 1]))
        except Broken as broken:
            return digests, (broken.position, broken.problem)
        except (AttributeError, KeyError, TypeError, ValueError):
            return digests, (expected, "the event is malformed")
    return digests, None


# Each event's own checks are independent of the others, so a large export spreads them
# over every core (forked workers share the parsed document, nothing is copied to them);
# the chain of links is then walked in order, which is cheap.
_SHARED = {}


def _check_shared(bounds):
    return check_range(_SHARED["plan_id"], _SHARED["events"], *bounds)


def check_all(plan_id, events):
    workers = min(os.cpu_count() or 1, 8)
    parallel = (
        len(events) >= 20_000 and workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    )
    if not parallel:
        return [check_range(plan_id, events, 0, len(events))]
    _SHARED.update(plan_id=plan_id, events=events)
    step = -(-len(events) // (workers * 2))
    ranges = [(i, min(i + step, len(events))) for i in range(0, len(events), step)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(_check_shared, ranges)


def verify_events_v1(plan_id, events):
    previous = sha256(f"{CHAIN_VERSION}:{plan_id}".encode())
    position = 0
    for digests, problem in check_all(plan_id, events):
        for digest in digests:  # links before a problem come first: it may be earlier
            position += 1
            previous = sha256(previous + digest)
            if previous.hex() != events[position - 1].get("link"):
                raise Broken(position, "the link does not follow from the previous link and digest")
        if problem is not None:
            raise Broken(*problem)
    return previous


def verify_checkpoint(document, public_key):
    checkpoint = document.get("checkpoint")
    if checkpoint is None:
        return "absent"
    events = document["events"]
    for head in checkpoint.get("payload", {}).get("heads", []):
        if head.get("plan_id") != document["plan_id"]:
            continue
        position = head.get("position")
        if not isinstance(position, int) or not 1 <= position <= len(events):
            raise Broken(position, "the signed checkpoint names a position the export lacks")
        if events[position - 1].get("link") != head.get("link"):
            raise Broken(position, "the link differs from the signed checkpoint's")
    if public_key is None:
        return "not checked (no public key given)"
    try:
        signature = base64.b64decode(checkpoint["signature"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        signature = b""
    valid = checkpoint.get("algorithm") == "Ed25519" and ed25519_verify(
        public_key, canonical_bytes(checkpoint["payload"]), signature
    )
    if not valid:
        raise Broken(None, "the checkpoint's signature is not valid for the given public key")
    return "verified"


def decode_key(text):
    text = text.strip()
    for decode in (bytes.fromhex, base64.b64decode):
        try:
            raw = decode(text)
        except (ValueError, binascii.Error):
            continue
        if len(raw) == 32:
            return raw
    raise ValueError("a public key is 32 bytes, given as base64 or hex")


# ---- PDFs given out: shared copies and issued bundles -----------------------------------


def recorded_pdfs(document):
    """SHA-256 -> which PDF the export's events record with it."""
    recorded = {}
    for event in document["events"]:
        if event.get("destroyed") is True or event.get("withheld") is True:
            continue
        if "record" in event:
            record = json.loads(event["record"])
            topic, state = record.get("type", ""), record.get("state", {})
        else:
            topic, state = event.get("type", ""), event.get("state", {})
        kind = topic.rpartition(":")[2].rpartition(".")[2]
        sha = state.get("sha256")
        if not isinstance(sha, str):
            continue
        if kind == "PlanShared":
            recorded[sha] = f"shared copy {state.get('number')} (position {event['position']})"
        elif kind == "BundleIssued":
            recorded[sha] = (
                f"issued bundle {state.get('number')}, {state.get('pages')} pages "
                f"(position {event['position']})"
            )
    return recorded


def pdf_signature(pdf, certificate_pem):
    """(what the PDF's signature shows, whether that is a failure), with pyHanko if it
    is installed; the standard library cannot check a CMS signature."""
    try:
        from pyhanko.keys import load_certs_from_pemder_data
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext
    except ImportError:
        return "signature not checked (pyhanko not installed)", False
    for name in ("pyhanko", "pyhanko_certvalidator"):  # its tracebacks; we say what failed
        logging.getLogger(name).addHandler(logging.NullHandler())
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        if not signatures:
            return "no signature (a PDF given before they were signed has none)", False
        roots = list(load_certs_from_pemder_data(certificate_pem)) if certificate_pem else []
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = validate_pdf_signature(signatures[0], context, skip_diff=True)
    except Exception as e:  # a mangled file fails in many ways deep in pyHanko
        return f"signature NOT VALID: it cannot be checked ({e})", True
    subject = status.signing_cert.subject.native
    signer = subject.get("common_name") or subject.get("organization_name") or str(subject)
    when = status.signer_reported_dt.isoformat() if status.signer_reported_dt else "?"
    problems = []
    if not (status.intact and status.valid):
        problems.append("not intact: the signed bytes have changed")
    elif certificate_pem and not status.trusted:
        problems.append("not made with the given certificate's key")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append("does not cover the whole file: bytes were added after signing")
    if problems:
        return f"signature NOT VALID ({'; '.join(problems)}), as {signer}", True
    if not certificate_pem:
        return (
            f"signature intact over the whole file, in the name of {signer}, at {when} "
            "(not checked against the authority's certificate: give --certificate)"
        ), False
    return f"signature valid: signed by {signer} at {when}", False


def check_pdfs(document, paths, certificate_pem):
    """Each PDF's line, and whether any is not recorded or its signature is not valid."""
    recorded = recorded_pdfs(document)
    lines, failed = [], False
    for path in paths:
        with open(path, "rb") as f:
            pdf = f.read()
        digest = hashlib.sha256(pdf).hexdigest()
        what = recorded.get(digest)
        if what is None:
            lines.append(
                f"{path}: NOT RECORDED: SHA-256 {digest} is no shared copy's or issued "
                "bundle's in this export"
            )
            failed = True
            continue
        signature, bad = pdf_signature(pdf, certificate_pem)
        lines.append(f"{path}: recorded as {what}; {signature}")
        failed = failed or bad
    return lines, failed


def main(argv=None):
    parser = argparse.ArgumentParser(description="Verify a Planledger export offline.")
    parser.add_argument("file", help="the export (JSON)")
    parser.add_argument("--public-key", help="the authority's published Ed25519 public key")
    parser.add_argument(
        "--pdf",
        action="append",
        default=[],
        metavar="FILE",
        help="a shared copy or issued bundle to find in the export (repeatable)",
    )
    parser.add_argument(
        "--certificate", help="the authority's PDF signing certificate (PEM), with --pdf"
    )
    args = parser.parse_args(argv)
    try:
        with open(args.file, "rb") as f:
            document = json.load(f)
        public_key = decode_key(args.public_key) if args.public_key else None
        certificate_pem = None
        if args.certificate:
            with open(args.certificate, "rb") as f:
                certificate_pem = f.read()
    except (OSError, ValueError) as e:
        print(f"error: cannot read the export, key or certificate: {e}", file=sys.stderr)
        return 2
    try:
        head = verify_chain(document)
        checkpoint = verify_checkpoint(document, public_key)
    except Broken as broken:
        where = f"position {broken.position}: " if broken.position is not None else ""
        print(f"NOT INTACT at {where}{broken.problem}")
        return 1
    except (AttributeError, KeyError, TypeError) as e:
        print(f"NOT INTACT: not a readable export ({e!r})")
        return 1
    print(f"intact: {len(document['events'])} events, head {head}; checkpoint {checkpoint}")
    try:
        lines, failed = check_pdfs(document, args.pdf, certificate_pem)
    except OSError as e:
        print(f"error: cannot read a PDF: {e}", file=sys.stderr)
        return 2
    except (AttributeError, KeyError, TypeError, ValueError) as e:
        print(f"NOT INTACT: the export's events cannot be read for PDFs ({e!r})")
        return 1
    for line in lines:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
