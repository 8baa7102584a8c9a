"""The export verifies offline, and each kind of tampering is caught at the first bad
position, by both verifiers; exports in the earlier format (v1) still verify."""

from __future__ import annotations

import hashlib
import json

import pytest

from application.evidence.checkpoints import CheckpointSigner, new_signing_key
from application.evidence.export import build_export
from application.persistence.chain import canonical_bytes, next_link
from tests.evidence.formats import as_v1
from tests.evidence.plans import PARENT_VIEWS, a_reviewed_plan
from tests.evidence.verifiers import VERIFIERS

VIEWS_POSITION = 4  # open, member, agency, then the parent's views


@pytest.fixture(scope="module")
def signer():
    return CheckpointSigner.from_text(new_signing_key())


@pytest.fixture
def exported(make_planning, master_key, signer):
    planning = make_planning(PLANLEDGER_ENCRYPTION_KEY=master_key, checkpoint_signer=signer)
    story = a_reviewed_plan(planning)
    return build_export(planning, story.plan_id)


@pytest.fixture(params=list(VERIFIERS))
def verify(request):
    return VERIFIERS[request.param]


def write(tmp_path, document: dict | str):
    path = tmp_path / "export.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_an_untouched_export_is_intact_and_its_checkpoint_verified(
    exported, signer, verify, tmp_path
):
    code, out = verify(write(tmp_path, exported), signer.public_key_b64)
    assert code == 0, out
    assert "intact" in out and "checkpoint verified" in out


def test_the_export_holds_each_event_as_the_chain_record_that_was_hashed(exported):
    assert exported["format"] == "planledger-export-v2"
    event = exported["events"][VIEWS_POSITION - 1]
    assert set(event) == {"position", "record", "digest", "link"}
    record = json.loads(event["record"])
    assert set(record) == {"plan_id", "position", "type", "state"}
    assert (record["plan_id"], record["position"]) == (exported["plan_id"], VIEWS_POSITION)
    assert record["state"]["text"] == PARENT_VIEWS
    assert canonical_bytes(record).decode() == event["record"]  # canonical, as hashed
    assert hashlib.sha256(event["record"].encode()).hexdigest() == event["digest"]
    assert exported["head"] == {
        "position": len(exported["events"]),
        "link": exported["events"][-1]["link"],
    }


def test_changing_one_byte_of_one_event_is_caught_there(exported, verify, tmp_path):
    text = json.dumps(exported, ensure_ascii=False)
    assert text.count("anxious") == 1
    code, out = verify(write(tmp_path, text.replace("anxious", "Anxious")))
    assert code == 1
    assert f"position {VIEWS_POSITION}:" in out and "does not match its digest" in out


def test_deleting_one_event_is_caught_at_its_position(exported, verify, tmp_path):
    del exported["events"][5]
    code, out = verify(write(tmp_path, exported))
    assert (code, "position 6:" in out) == (1, True), out


def test_reordering_two_events_is_caught_at_the_first(exported, verify, tmp_path):
    events = exported["events"]
    events[3], events[6] = events[6], events[3]
    code, out = verify(write(tmp_path, exported))
    assert (code, "position 4:" in out) == (1, True), out


def test_dropping_the_last_event_is_caught_by_the_head(exported, verify, tmp_path):
    last = exported["events"].pop()
    code, out = verify(write(tmp_path, exported))
    assert (code, f"position {last['position']}:" in out) == (1, True), out


def test_a_rewritten_history_with_recomputed_links_is_caught_by_the_checkpoint(
    exported, signer, verify, tmp_path
):
    """A forger who edits an event and recomputes every later digest and link (and the
    head) makes the chain consistent again; the signed head is what they cannot redo."""
    events = exported["events"]
    record = json.loads(events[VIEWS_POSITION - 1]["record"])
    record["state"]["text"] = "Nothing of concern"
    events[VIEWS_POSITION - 1]["record"] = canonical_bytes(record).decode()
    previous = bytes.fromhex(events[VIEWS_POSITION - 2]["link"])
    for event in events[VIEWS_POSITION - 1 :]:
        d = hashlib.sha256(event["record"].encode()).digest()
        previous = next_link(previous, d)
        event["digest"], event["link"] = d.hex(), previous.hex()
    exported["head"]["link"] = previous.hex()
    code, out = verify(write(tmp_path, exported), signer.public_key_b64)
    assert code == 1
    assert f"position {len(events)}:" in out and "checkpoint" in out


def test_a_checkpoint_is_not_accepted_under_another_key(exported, verify, tmp_path):
    other = CheckpointSigner.from_text(new_signing_key())
    code, out = verify(write(tmp_path, exported), other.public_key_b64)
    assert code == 1 and "signature is not valid" in out


def test_without_a_public_key_the_chain_is_checked_and_the_signature_is_not(
    exported, verify, tmp_path
):
    code, out = verify(write(tmp_path, exported))
    assert code == 0 and "not checked" in out


def test_an_unreadable_file_is_exit_status_2(verify, tmp_path):
    code, _ = verify(write(tmp_path, "{not json"))
    assert code == 2


def test_a_record_moved_to_another_position_is_caught_there(exported, verify, tmp_path):
    """Records (with their digests) swapped under unchanged positions and links: the
    record's own position is read from its text, so the first one is named."""
    events = exported["events"]
    for field in ("record", "digest"):
        events[4][field], events[5][field] = events[5][field], events[4][field]
    code, out = verify(write(tmp_path, exported))
    assert (code, "position 5:" in out, "another position" in out) == (1, True, True), out


def test_a_record_of_another_plan_is_caught_there(exported, verify, tmp_path):
    event = exported["events"][VIEWS_POSITION - 1]
    record = json.loads(event["record"])
    record["plan_id"] = "00000000-0000-0000-0000-000000000000"
    event["record"] = canonical_bytes(record).decode()
    event["digest"] = hashlib.sha256(event["record"].encode()).hexdigest()
    code, out = verify(write(tmp_path, exported))
    assert (code, f"position {VIEWS_POSITION}:" in out) == (1, True), out
    assert "another plan" in out


def test_an_event_that_is_not_an_object_is_malformed_there(exported, verify, tmp_path):
    exported["events"][2] = "not an event"
    code, out = verify(write(tmp_path, exported))
    assert (code, "position 3:" in out, "malformed" in out) == (1, True, True), out


class TestAnExportInTheEarlierFormat:
    """v1 exports (each event's fields, re-serialised to be hashed) were handed out before
    v2: both verifiers still check them, and catch the same tampering."""

    @pytest.fixture
    def v1(self, exported):
        return as_v1(exported)

    def test_it_is_intact_and_its_checkpoint_verified(self, v1, signer, verify, tmp_path):
        code, out = verify(write(tmp_path, v1), signer.public_key_b64)
        assert code == 0 and "checkpoint verified" in out, out

    def test_one_changed_byte_is_caught_there(self, v1, verify, tmp_path):
        text = json.dumps(v1, ensure_ascii=False)
        assert text.count("anxious") == 1
        code, out = verify(write(tmp_path, text.replace("anxious", "Anxious")))
        assert (code, f"position {VIEWS_POSITION}:" in out) == (1, True), out
        assert "does not match its digest" in out

    def test_reordered_events_are_caught_at_the_first(self, v1, verify, tmp_path):
        events = v1["events"]
        events[3], events[6] = events[6], events[3]
        code, out = verify(write(tmp_path, v1))
        assert (code, "position 4:" in out) == (1, True), out

    def test_a_recorded_time_that_is_not_the_events_is_caught(self, v1, verify, tmp_path):
        v1["events"][1]["recorded_at"] = "2001-01-01T00:00:00Z"
        code, out = verify(write(tmp_path, v1))
        assert (code, "position 2:" in out, "recorded_at" in out) == (1, True, True), out
