"""Forms of the workspace's pages: meetings with their agenda, decisions, action items, minutes, documents.

The forms only parse and show; every write goes through :mod:`dtforum.forum.services` (validated, audited, one
transaction). Model validation (``Meeting.clean``, ``ActionItem.clean``...) runs when the form is checked, and
whatever the service refuses afterwards is put back on the form's fields by :func:`show_errors`, so every
message appears next to its field in the user's language.

Times of a meeting are typed as the local time of the meeting's time zone (what the invitation letter says),
and stored in UTC.
"""
from __future__ import annotations

import zoneinfo
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dtforum.forum.models import ActionItem, AgendaItem, Decision, Document, Meeting, Minutes, ThematicArea
from dtforum.forum.services import COUNTRY_DOCUMENT_KINDS
from dtforum.members.models import Economy

_LOCAL = "%Y-%m-%dT%H:%M"
_MEETING_TIMES = ("start", "end", "registration_deadline", "publish_at")
SECRETARIAT = "SEC"


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to ``form``: per field where the form has it, else on top.

    Parameters
    ----------
    form : Form
    error : ValidationError
        With a message dict (field name -> messages) or plain messages.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class MeetingForm(forms.ModelForm):
    """A meeting's fields; start, end, registration deadline and publication in the meeting's local time."""

    online_url = forms.URLField(label=Meeting._meta.get_field("online_url").verbose_name, required=False,
                                assume_scheme="https")

    class Meta:
        model = Meeting
        fields = ("kind", "title_en", "title_fr", "title_ar", "start", "end", "time_zone", "venue", "online_url",
                  "registration_deadline", "publish_at", "areas")
        widgets = {name: _datetime_widget() for name in _MEETING_TIMES} | {
            "areas": forms.CheckboxSelectMultiple}
        help_texts: ClassVar[dict] = {name: _("Local time of the meeting's time zone.") for name in _MEETING_TIMES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = ThematicArea.objects.order_by("order")
        if self.instance.pk:   # show the stored UTC times as the venue's clock shows them
            zone = zoneinfo.ZoneInfo(self.instance.time_zone)
            for name in _MEETING_TIMES:
                self.initial[name] = timezone.localtime(getattr(self.instance, name), zone).replace(tzinfo=None)

    def clean(self):
        """Read the typed times in the meeting's time zone (the fields parsed them in the server's, UTC)."""
        data = super().clean()
        name = data.get("time_zone")
        if name in zoneinfo.available_timezones():
            zone = zoneinfo.ZoneInfo(name)
            for field in _MEETING_TIMES:
                if data.get(field) is not None:
                    local = timezone.make_naive(data[field], timezone.get_current_timezone())
                    data[field] = timezone.make_aware(local, zone)
                    setattr(self.instance, field, data[field])
        return data

    def service_fields(self) -> dict:
        """The cleaned fields as keyword arguments of the meeting services (``areas`` separate)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "areas"}


class AgendaItemForm(forms.ModelForm):
    """One agenda item (appended in order; existing items are edited in place, never removed)."""

    class Meta:
        model = AgendaItem
        fields = ("title_en", "title_fr", "title_ar", "area")


AgendaFormSet = forms.inlineformset_factory(Meeting, AgendaItem, form=AgendaItemForm, extra=3, can_delete=False)


def agenda_from(formset) -> list[dict]:
    """The agenda items typed in ``formset`` as service dicts (``pk`` for existing ones), blanks skipped."""
    items = []
    for item_form in formset.forms:
        data = item_form.cleaned_data
        if not data or not data.get("title_en"):
            continue
        fields = {name: data.get(name) or ("" if name != "area" else None) for name in AgendaItemForm.Meta.fields}
        if item_form.instance.pk:
            fields["pk"] = item_form.instance.pk
        items.append(fields)
    return items


class DecisionForm(forms.ModelForm):
    """A decision adopted at a meeting: reference, date, text in the three languages, thematic areas."""

    class Meta:
        model = Decision
        fields = ("reference", "adopted_on", "text_en", "text_fr", "text_ar", "areas", "is_public")
        widgets: ClassVar[dict] = {
            "adopted_on": _date_widget(), "areas": forms.CheckboxSelectMultiple,
            "text_ar": forms.Textarea(attrs={"dir": "rtl", "lang": "ar"}),
            "text_fr": forms.Textarea(attrs={"lang": "fr"}), "text_en": forms.Textarea(attrs={"lang": "en"})}


class ActionItemForm(forms.ModelForm):
    """An action item under a decision; ``owner`` is the secretariat or one member state."""

    # not required here: ActionItem.clean says what an owner is, in one message for the site and the admin
    owner = forms.ChoiceField(label=_("responsible"), required=False)

    class Meta:
        model = ActionItem
        fields = ("title_en", "title_fr", "title_ar", "owner", "due_date", "area")
        widgets: ClassVar[dict] = {"due_date": _date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        states = Economy.objects.filter(kind=Economy.Kind.MEMBER).order_by("name_en")
        self.fields["owner"].choices = [("", "—"), (SECRETARIAT, _("Secretariat"))] + [
            (e.iso3, e.name) for e in states]
        if self.instance.pk:
            self.initial["owner"] = SECRETARIAT if self.instance.owner_secretariat else self.instance.owner_economy.iso3

    def clean(self):
        """Turn ``owner`` into the model's two owner fields, so that ``ActionItem.clean`` checks them."""
        data = super().clean()
        owner = data.get("owner")
        self.instance.owner_secretariat = owner == SECRETARIAT
        self.instance.owner_economy = Economy.objects.filter(iso3=owner).first() if owner != SECRETARIAT else None
        return data

    def _update_errors(self, errors):
        # the model names its owner fields; the person filled in ``owner``
        if hasattr(errors, "error_dict"):
            for name in ("owner_economy", "owner_secretariat"):
                if name in errors.error_dict:
                    errors.error_dict.setdefault("owner", []).extend(errors.error_dict.pop(name))
        super()._update_errors(errors)

    def service_fields(self) -> dict:
        """Keyword arguments of :func:`~dtforum.forum.services.create_action_item` and ``update_action_item``."""
        data = self.cleaned_data
        return {"title_en": data["title_en"], "title_fr": data.get("title_fr", ""),
                "title_ar": data.get("title_ar", ""), "due_date": data["due_date"], "area": data.get("area"),
                "owner_economy": self.instance.owner_economy, "owner_secretariat": self.instance.owner_secretariat}


class MinutesForm(forms.ModelForm):
    """The minutes in three languages; publication now, at a scheduled time (UTC), or not yet (draft)."""

    class Meta:
        model = Minutes
        fields = ("text_en", "text_fr", "text_ar", "publish_at")
        widgets: ClassVar[dict] = {
            "publish_at": _datetime_widget(), "text_ar": forms.Textarea(attrs={"dir": "rtl", "lang": "ar"}),
            "text_fr": forms.Textarea(attrs={"lang": "fr"}), "text_en": forms.Textarea(attrs={"lang": "en"})}
        help_texts: ClassVar[dict] = {"publish_at": _(
            "UTC. Leave empty to keep the minutes as a draft; participants are e-mailed once they are published.")}


def _file_field() -> forms.FileField:
    limit = filesizeformat(settings.DTFORUM_DOCUMENT_MAX_BYTES)
    return forms.FileField(label=_("file"), help_text=_("PDF, DOCX, XLSX or PPTX, at most %(limit)s; the type is "
                                                        "read from the content.") % {"limit": limit})


class DocumentForm(forms.ModelForm):
    """A new meeting document with its first file.

    The secretariat chooses everything; a focal point chooses among the kinds open to member states
    (:data:`~dtforum.forum.services.COUNTRY_DOCUMENT_KINDS`), and access and member state are set by the rule
    (members only, its own state), so those fields are not shown to it.

    Parameters
    ----------
    meeting : Meeting
        Agenda items are offered from this meeting.
    secretariat : bool
        Whether the user is secretariat.
    """

    class Meta:
        model = Document
        fields = ("kind", "title_en", "title_fr", "title_ar", "agenda_item", "access", "economy")

    def __init__(self, *args, meeting: Meeting, secretariat: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        if not secretariat:
            del self.fields["access"], self.fields["economy"]
            self.fields["kind"].choices = [(value, label) for value, label in Document.Kind.choices
                                           if value in COUNTRY_DOCUMENT_KINDS]

    def service_fields(self) -> dict:
        """Keyword arguments of :func:`dtforum.forum.services.add_document` (besides the file)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "file"}


class VersionForm(forms.Form):
    """A new version of a document: the file only (its type and size are checked by the service)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()


__all__ = ["NON_FIELD_ERRORS", "ActionItemForm", "AgendaFormSet", "DecisionForm", "DocumentForm", "MeetingForm",
           "MinutesForm", "VersionForm", "agenda_from", "show_errors"]
