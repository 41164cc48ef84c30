"""Forms of the staff pages of the registers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import (
    CONTRIBUTION_TEXT_LIMIT,
    EntryStatus,
    Municipality,
    OwnerType,
    RegisterEntry,
)
from indicators.services import EntryData

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class GermanDecimalField(forms.DecimalField):
    """A decimal typed with comma or point ("12,5" or "12.5"), in a text box: number inputs
    reject the German comma in some browsers."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        """No min/step attributes: they belong to number inputs."""
        return {}


class EntryForm(forms.Form):
    """An entry of a register; the Gemeinden offered are those the user maintains."""

    gemeinde = forms.ChoiceField(label=_("Town or municipality"))
    designation = forms.CharField(label=_("Designation"), max_length=300)
    quantity = GermanDecimalField(
        label=_("Area in ha or count"), min_value=0, max_digits=12, decimal_places=2
    )
    status = forms.ChoiceField(label=_("Status"), choices=EntryStatus.choices)
    available_from = forms.DateField(
        label=_("Available from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    owner_type = forms.ChoiceField(label=_("Owner"), choices=OwnerType.choices)
    latitude = GermanDecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        help_text=_("A point inside the Gemeinde (WGS84), e.g. 51.234950"),
    )
    longitude = GermanDecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        help_text=_("e.g. 12.795220"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, allowed_ags: set[str] | None, unit: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.by_name()
        if allowed_ags is not None:
            municipalities = municipalities.filter(ags__in=allowed_ags)
        gemeinde = self.fields["gemeinde"]
        assert isinstance(gemeinde, forms.ChoiceField)
        gemeinde.choices = list(municipalities.values_list("ags", "name"))
        self.fields["quantity"].label = _("Area in ha") if unit == "ha" else _("Count")

    @classmethod
    def initial_of(cls, entry: RegisterEntry) -> dict[str, Any]:
        """The form's initial values from an entry."""
        return {
            "gemeinde": entry.municipality.ags,
            "designation": entry.designation,
            "quantity": entry.quantity,
            "status": entry.status,
            "available_from": entry.available_from,
            "owner_type": entry.owner_type,
            "latitude": entry.latitude,
            "longitude": entry.longitude,
            "version": entry.version,
        }

    def entry_data(self) -> EntryData:
        """The cleaned values for the service."""
        data = self.cleaned_data
        return EntryData(
            ags=data["gemeinde"],
            designation=data["designation"],
            quantity=data["quantity"],
            status=data["status"],
            available_from=data["available_from"],
            owner_type=data["owner_type"],
            latitude=data["latitude"],
            longitude=data["longitude"],
        )


class RegisterFileForm(forms.Form):
    """A register file (CSV or XLSX) to preview, then import."""

    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns gemeinde (AGS), bezeichnung, menge, status, verfuegbar_ab, eigentum, "
            "breite, laenge; in a CSV separated by comma or semicolon, in a workbook on its "
            "first sheet"
        ),
    )

    def clean_file(self) -> Any:
        """Bounded in size."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class ValueFileForm(forms.Form):
    """Values of a Gemeinde in the long format, to preview, then import."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns indicator, ags, year, value and optionally source; "
            "only your municipality's key"
        ),
    )

    def clean_file(self) -> Any:
        """Bounded in size."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class ContributionForm(forms.Form):
    """A Gemeinde's contribution to a measure in a round: a status of the plan and a text."""

    status = forms.ChoiceField(label=_("Status in your municipality"))
    text = forms.CharField(
        label=_("What your municipality does"),
        required=False,
        max_length=CONTRIBUTION_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At most 1000 characters; shown on the measure's public page"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [("", _("– choose –")), *statuses]
