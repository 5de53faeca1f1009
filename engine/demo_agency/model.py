"""What an agency demo is made of: the agency's units with the SKP its staff write, its people (with
their NIP, which is their login), the courses HR keeps in its training catalogue, and the public
complaints residents wrote and HR triaged."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Iki:
    """One IKI of a unit's SKP, as an employee of the unit writes it."""

    rhk: str
    label: str
    aspect: str       # kuantitas | kualitas | waktu | biaya
    target: float
    unit: str


def public_slug(unit_code: str) -> str:
    """The address of a demo unit's public page (``/layanan/<slug>``)."""
    return unit_code.lower().replace("_", "-")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    parent: str | None
    skp: tuple[Iki, ...] = ()


@dataclass(frozen=True)
class Person:
    nip: str
    name: str
    unit: str
    position: str
    boss: str | None = None   # the supervisor's NIP
    level: str | None = None


#: A member of a team: (NIP, name, position) or (NIP, name, position, level).
Member = tuple[str, ...]


def team(unit: str, boss: str | None, head: Member, *staff: Member) -> tuple[Person, ...]:
    """A unit's people: its head, who reports to ``boss`` (a NIP; None for the top official), then the staff
    who report to the head, in that order."""
    def person(member: Member, reports_to: str | None) -> Person:
        nip, name, position, *level = member
        return Person(nip, name, unit, position, reports_to, level[0] if level else None)

    return (person(head, boss), *(person(m, head[0]) for m in staff))


@dataclass(frozen=True)
class Course:
    code: str
    title: str
    jp: float
    kind: str                 # manajerial | kepemimpinan | teknis | e_learning
    certificate_required: bool = True


@dataclass(frozen=True)
class Complaint:
    """A resident's complaint about a unit's service (sent with the unit's public survey ``days_ago`` days
    before the demo's day) and what HR of the agency made of it: ``triage`` verified (against ``about``, a
    NIP), unfounded, duplicate (of the complaint at index ``repeats``) or None (still new); then a reply."""

    unit: str
    text: str
    days_ago: int
    triage: str | None = None
    about: str | None = None
    repeats: int | None = None
    note: str = ""
    reply: str = ""


@dataclass(frozen=True)
class AgencyDemo:
    """One agency's demo: its cycle file (a stem under workflows/) and its own organisation.

    ``employee``, ``rater`` and ``reviewer`` are the NIPs the README names: the first lands on an SKP to
    write, the second on plans to approve and ratings to give, the third on ratings to confirm. ``head`` is
    the login and title of the regional head (bupati, wali kota, gubernur; the camat's wali kota): an account,
    not an employee, whom HR designates as the rater of the top official (engine.raters).
    """

    key: str
    cycle: str
    title: str
    units: tuple[Unit, ...]
    people: tuple[Person, ...]
    employee: str
    rater: str
    reviewer: str
    head: tuple[str, str] = ("bupati", "Bupati")
    courses: tuple[Course, ...] = field(default=())
    complaints: tuple[Complaint, ...] = field(default=())
