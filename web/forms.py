"""Forms of the web screens: the login and language forms (Flask-WTF, CSRF-checked), and the form of
a transition generated from its payload JSON Schema.

A transition's payload schema comes from the cycle file, so its form cannot be a fixed WTForms
class: :func:`payload_fields` turns the schema into a list of :class:`PayloadField` for the template,
:func:`payload_from` reads the posted values back into the payload the engine validates, and
:func:`field_messages` turns the engine's validation errors into a message next to each field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from engine.messages import Message


class LoginForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(_l("Wajib diisi.")), Length(max=80)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Wajib diisi.")), Length(max=200)])
    next = HiddenField()


class LanguageForm(FlaskForm):
    lang = StringField(validators=[AnyOf(["id", "en"])])
    next = HiddenField()


class CsrfOnlyForm(FlaskForm):
    """A form with nothing but its CSRF token (logout)."""


# Labels of the payload keys and enum values the national cycle uses; an agency's own keys fall back
# to the schema's title or the key itself.
FIELD_LABELS = {
    "komentar": _l("Komentar"),
    "alasan": _l("Alasan keberatan"),
    "pertimbangan": _l("Pertimbangan"),
    "keputusan": _l("Keputusan"),
    "catatan": _l("Catatan"),
    "perilaku": _l("Perilaku kerja (BerAKHLAK)"),
    "rating_hasil_kerja": _l("Rating hasil kerja"),
    "rating_perilaku": _l("Rating perilaku kerja"),
}
# BerAKHLAK: the seven core values of the ASN (Berorientasi pelayanan, Akuntabel, Kompeten,
# Harmonis, Loyal, Adaptif, Kolaboratif), rated in the nested `perilaku` object of `rate`.
BERAKHLAK = {
    "berorientasi_pelayanan": _l("Berorientasi Pelayanan"),
    "akuntabel": _l("Akuntabel"),
    "kompeten": _l("Kompeten"),
    "harmonis": _l("Harmonis"),
    "loyal": _l("Loyal"),
    "adaptif": _l("Adaptif"),
    "kolaboratif": _l("Kolaboratif"),
}
CHOICE_LABELS = {
    "Di Atas Ekspektasi": _l("Di Atas Ekspektasi"),
    "Sesuai Ekspektasi": _l("Sesuai Ekspektasi"),
    "Di Bawah Ekspektasi": _l("Di Bawah Ekspektasi"),
    "tetap": _l("Tetap (hasil penilaian tidak berubah)"),
    "diubah": _l("Diubah (rating ditetapkan ulang)"),
}


@dataclass(frozen=True)
class PayloadField:
    """One input of a transition form; ``path`` is the field's place in the payload (a/b)."""

    path: str
    kind: str  # textarea | text | select | number | checkbox | group
    label: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    min_length: int | None = None
    children: tuple[PayloadField, ...] = ()

    @property
    def input_name(self) -> str:
        return "p-" + self.path.replace("/", "-")

    @property
    def key(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def _label(key: str, schema: Mapping[str, Any], locale: str, parent: str | None) -> str:
    known = BERAKHLAK.get(key) if parent == "perilaku" else FIELD_LABELS.get(key)
    title = schema.get("title") if isinstance(schema.get("title"), str) else None
    if locale == "id" and title:
        return title
    if known is not None:
        return str(known)
    return title or key.replace("_", " ").capitalize()


def field_label(key: str, locale: str, schema: Mapping[str, Any] | None = None) -> str:
    """The label of payload field ``key`` as its form shows it in ``locale``."""
    return _label(key, schema or {}, locale, None)


def _field(path: str, schema: Mapping[str, Any], required: bool, locale: str, parent: str | None) -> PayloadField:
    key = path.rsplit("/", 1)[-1]
    label = _label(key, schema, locale, parent)
    if "enum" in schema:
        choices = tuple((str(v), str(CHOICE_LABELS.get(str(v), v))) for v in schema["enum"])
        return PayloadField(path, "select", label, required, choices)
    kind = schema.get("type")
    if kind == "object":
        return PayloadField(path, "group", label, required, children=_children(path, schema, locale, key))
    if kind in ("number", "integer"):
        return PayloadField(path, "number", label, required)
    if kind == "boolean":
        return PayloadField(path, "checkbox", label, required)
    if schema.get("maxLength") is not None and schema["maxLength"] <= 120:
        return PayloadField(path, "text", label, required, min_length=schema.get("minLength"))
    return PayloadField(path, "textarea", label, required, min_length=schema.get("minLength"))


def _children(prefix: str, schema: Mapping[str, Any], locale: str, parent: str | None) -> tuple[PayloadField, ...]:
    """The inputs of an object: its properties, then required keys that only a pattern describes."""
    properties: Mapping[str, Any] = schema.get("properties") or {}
    patterns: Mapping[str, Any] = schema.get("patternProperties") or {}
    required = list(schema.get("required") or [])
    keys = list(properties) + [k for k in required if k not in properties]
    fields = []
    for key in keys:
        sub = properties.get(key)
        if sub is None:
            sub = next(iter(patterns.values()), {})
        path = f"{prefix}/{key}" if prefix else key
        fields.append(_field(path, sub, key in required, locale, parent))
    return tuple(fields)


def payload_fields(schema: Mapping[str, Any] | None, locale: str) -> tuple[PayloadField, ...]:
    """The inputs of a transition's form, from its payload schema (none when it takes no payload)."""
    if not schema:
        return ()
    return _children("", schema, locale, None)


_GROUPED = {"id": re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$"), "en": re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")}


def number_text(text: str, lang: str) -> str:
    """A number as typed in the page's language, in the form the engine reads ("1.200,5" -> "1200.5" in id)."""
    cleaned = text.strip().replace(" ", "")
    if lang == "en":
        if _GROUPED["en"].match(cleaned):
            return cleaned.replace(",", "")
    elif _GROUPED["id"].match(cleaned):
        return cleaned.replace(".", "").replace(",", ".")
    if "," in cleaned and "." not in cleaned:
        return cleaned.replace(",", ".")
    return cleaned


def _number(text: str, lang: str) -> Any:
    try:
        value = float(number_text(text, lang))
    except ValueError:
        return text  # the schema reports the wrong type next to the field
    return int(value) if value.is_integer() else value


def payload_from(fields: Iterable[PayloadField], form: Mapping[str, str], lang: str = "id") -> dict[str, Any]:
    """The payload posted through a transition form; empty inputs are left out (so 'required' names them)."""
    out: dict[str, Any] = {}
    for f in fields:
        if f.kind == "group":
            inner = payload_from(f.children, form, lang)
            if inner:
                out[f.key] = inner
            continue
        if f.kind == "checkbox":
            out[f.key] = f.input_name in form
            continue
        raw = (form.get(f.input_name) or "").strip()
        if raw == "":
            continue
        out[f.key] = _number(raw, lang) if f.kind == "number" else raw
    return out


def posted_values(fields: Iterable[PayloadField], form: Mapping[str, str]) -> dict[str, str]:
    """What the person typed, by input name, to show the form again after an error."""
    out: dict[str, str] = {}
    for f in fields:
        if f.kind == "group":
            out.update(posted_values(f.children, form))
        elif f.input_name in form:
            out[f.input_name] = form.get(f.input_name, "")
    return out


def walk_fields(fields: Iterable[PayloadField]) -> Iterable[PayloadField]:
    """Every field of a form, groups and the fields inside them."""
    for f in fields:
        yield f
        yield from walk_fields(f.children)



def labelled(fields: Iterable[PayloadField], msg: Message | None) -> Message | None:
    """The engine's "check these fields" refusal naming each field by its label on the form (Adaptif, Komentar),
    not by its place in the payload (perilaku/adaptif, komentar); any other message as it is."""
    if msg is None or msg.code != "payload.invalid" or not isinstance(msg.params.get("fields"), list):
        return msg
    labels = {f.path: f.label for f in walk_fields(fields)}
    named = list(dict.fromkeys(labels.get(str(path), str(path)) for path in msg.params["fields"]))
    return Message(msg.code, **{**msg.params, "fields": named})


# engine.payloads' maxLength message: "is longer than 4000 characters (10000 given)".
_LONGER = re.compile(r"^is longer than (\d+) characters \((\d+) given\)$")


def field_messages(fields: Iterable[PayloadField],
                   errors: Iterable[Mapping[str, str]]) -> tuple[dict[str, str], list[str]]:
    """The engine's payload errors as a message per field path, plus those that fit no field."""
    by_path = {f.path: f for f in walk_fields(fields)}
    messages: dict[str, str] = {}
    loose: list[str] = []
    for error in errors:
        path, text = error.get("path", ""), error.get("message", "")
        target = by_path.get(path)
        while target is None and "/" in path:
            path = path.rsplit("/", 1)[0]
            target = by_path.get(path)
        if target is None:
            loose.append(text)
            continue
        if text.endswith("is required"):
            message = _("Wajib diisi.")
        elif "is too short" in text and target.min_length:
            message = _("Terlalu pendek: paling sedikit %(n)d karakter.", n=target.min_length)
        elif (longer := _LONGER.match(text)) is not None:
            message = _("Terlalu panjang: paling banyak %(n)d karakter, tertulis %(given)d.",
                        n=int(longer.group(1)), given=int(longer.group(2)))
        elif "is not one of" in text:
            message = _("Pilih salah satu pilihan yang tersedia.")
        else:
            message = text
        messages.setdefault(target.path, message)
    return messages, loose


@dataclass(frozen=True)
class ShownItem:
    """One entry of a saved payload as a person reads it: a label and a value, or a group of entries."""

    label: str
    value: str = ""
    children: tuple[ShownItem, ...] = ()


def payload_items(payload: Mapping[str, Any], parent: str | None = None) -> tuple[ShownItem, ...]:
    """A saved payload (a rating, an appeal) as labelled entries, nested objects as groups."""
    items = []
    for key, value in payload.items():
        label = BERAKHLAK.get(key) if parent == "perilaku" else FIELD_LABELS.get(key)
        text = str(label) if label is not None else key.replace("_", " ").capitalize()
        if isinstance(value, Mapping):
            items.append(ShownItem(text, children=payload_items(value, key)))
        elif value is None or value == "":
            continue
        else:
            items.append(ShownItem(text, str(CHOICE_LABELS.get(str(value), value))))
    return tuple(items)


def feedback_answers_from(form: Mapping[str, str]) -> dict[str, str]:
    """The answers of a feedback form (every input q-<question id> that was filled in), as typed.

    The engine checks them, unknown questions included, exactly as it checks an API request.
    """
    return {name[2:]: value.strip() for name, value in form.items()
            if name.startswith("q-") and isinstance(value, str) and value.strip()}
