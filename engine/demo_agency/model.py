"""What an agency demo is made of: the agency's units with the SKP its staff write, its people (with
their NIP, which is their login), and the courses HR keeps in its training catalogue."""

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


@dataclass(frozen=True)
class Course:
    code: str
    title: str
    jp: float
    kind: str                 # manajerial | kepemimpinan | teknis | e_learning
    certificate_required: bool = True


@dataclass(frozen=True)
class AgencyDemo:
    """One agency's demo: its cycle file (a stem under workflows/) and its own organisation.

    ``employee``, ``rater`` and ``reviewer`` are the NIPs the README names: the first lands on an SKP to
    write, the second on plans to approve and ratings to give, the third on ratings to confirm.
    """

    key: str
    cycle: str
    title: str
    units: tuple[Unit, ...]
    people: tuple[Person, ...]
    employee: str
    rater: str
    reviewer: str
    courses: tuple[Course, ...] = field(default=())
