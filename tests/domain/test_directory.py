"""The directory's rules: one entry per person, an invitation taken over at first sign-in,
nothing recorded when nothing changed, and never a family member."""

from __future__ import annotations

from domain.directory import Directory


def test_an_invitation_becomes_the_person_at_their_first_sign_in_and_keeps_what_it_knew():
    directory = Directory()
    directory.invite("aileen@ep.example", "Dr Aileen Moffat", "practitioner", "council:ep")
    directory.seen("u-aileen", "Aileen Moffat", "practitioner", None, "aileen@ep.example")
    (person,) = directory.people.values()
    assert (person.user_id, person.name, person.org) == ("u-aileen", "Aileen Moffat", "council:ep")
    directory.invite("aileen@ep.example", "Aileen", "practitioner", None)  # known already
    assert len(directory.people) == 1


def test_signing_in_again_with_nothing_new_records_nothing():
    directory = Directory()
    for _ in range(3):
        directory.seen("u-priya", "Priya Shah", "practitioner", "nhs:salt", "priya@nhs.example")
    directory.seen("u-priya", "Priya Shah", "practitioner", None, None)  # a thinner token
    assert len(directory.collect_events()) == 2  # created, and seen once
    directory.seen("u-priya", "Priya Shah", "lead_professional", "nhs:salt", None)
    assert [type(e).__name__ for e in directory.collect_events()] == ["PersonSeen"]
    assert directory.people["u-priya"].email == "priya@nhs.example"


def test_families_and_analysts_are_never_listed():
    directory = Directory()
    directory.seen("u-morag", "Morag Campbell", "parent_carer", None, "morag@home.example")
    directory.seen("u-isla", "Isla Campbell", "young_person", None, None)
    directory.seen("u-ana", "Ana Kowalski", "analyst", "council:x", None)
    assert directory.people == {}


def test_people_and_organisations_are_found_by_every_word_typed():
    directory = Directory()
    directory.record_organisation("nhs:camhs", "NHS Lothian CAMHS", "health", None)
    directory.seen("u-tom", "Tom Baird", "practitioner", "nhs:camhs", None)
    directory.seen("u-tam", "Tam Baird", "practitioner", "school:x", None)
    assert [p.user_id for p in directory.find_people("baird camhs")] == ["u-tom"]
    assert [o.org for o in directory.find_organisations("lothian")] == ["nhs:camhs"]
    assert directory.name_of("nhs:camhs") == "NHS Lothian CAMHS" and directory.name_of("x") is None
