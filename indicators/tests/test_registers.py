"""The registers of 2-84: entries by the lead office and Gemeinde editors, aggregates as
indicator values, file import with preview, public pages that hide internal fields."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Membership
from indicators.models import IndicatorValue, Register, RegisterEntry
from indicators.services import (
    RegisterError,
    ensure_default_registers,
    import_register,
    read_register_file,
    save_entry,
)
from indicators.tests.register_data import BORNA, GRIMMA, data, grimma_row, point, register_file

pytestmark = pytest.mark.django_db
Role = Membership.Role
THIS_YEAR = datetime.date.today().year


def gewerbe(plan) -> Register:
    return Register.objects.get(plan=plan, slug="gewerbeflaechen")


def test_the_three_default_registers_exist_with_their_indicators(registers):
    assert ensure_default_registers(registers) == 0  # a second run adds nothing
    found = {r.slug: (r.indicator.slug, r.unit) for r in Register.objects.filter(plan=registers)}
    assert found == {
        "gewerbeflaechen": ("kataster-gewerbeflaechen", "ha"),
        "brachflaechen": ("kataster-brachflaechen", "ha"),
        "leerstand": ("kataster-leerstand", "Anzahl"),
    }
    assert gewerbe(registers).lead_offices == ["VA", "SLR"]


def test_an_entry_becomes_the_aggregate_indicator_value_of_its_gemeinde_and_the_county(people):
    register = gewerbe(Register.objects.first().plan)
    save_entry(people["grimma_editor"], register, data())
    save_entry(people["va_editor"], register, data(BORNA, "Altes Werk", quantity=Decimal("3")))
    save_entry(people["grimma_editor"], register, data(designation="Reserviert", status="reserved"))

    values = dict(
        IndicatorValue.objects.current()
        .filter(indicator=register.indicator, year=THIS_YEAR)
        .values_list("ags", "value")
    )
    assert values[GRIMMA] == Decimal("12.5")
    assert values[BORNA] == Decimal("3")
    assert values["14729"] == Decimal("15.5")
    assert values["14729010"] == 0
    grimma = IndicatorValue.objects.current().get(indicator=register.indicator, ags=GRIMMA)
    assert grimma.origin == "register" and grimma.recorded_by == people["grimma_editor"]


@pytest.mark.parametrize(
    ("person", "ags", "allowed"),
    [
        ("coordination", BORNA, True),
        ("va_editor", BORNA, True),
        ("grimma_editor", GRIMMA, True),
        ("grimma_editor", BORNA, False),
        ("other_office", GRIMMA, False),
        ("reader", GRIMMA, False),
    ],
)
def test_who_may_add_an_entry_in_which_gemeinde(people, person, ags, allowed):
    register = gewerbe(Register.objects.first().plan)

    if allowed:
        save_entry(people[person], register, data(ags))
        assert RegisterEntry.objects.filter(municipality__ags=ags).count() == 1
    else:
        with pytest.raises(RegisterError):
            save_entry(people[person], register, data(ags))
        assert not RegisterEntry.objects.exists()


def test_a_point_outside_the_gemeinde_is_refused(people):
    register = gewerbe(Register.objects.first().plan)
    latitude, longitude = point(BORNA)

    with pytest.raises(RegisterError, match="liegt nicht in Grimma"):
        save_entry(
            people["grimma_editor"],
            register,
            data(latitude=latitude, longitude=longitude),
        )


def test_a_concurrent_change_is_detected_not_overwritten(people):
    register = gewerbe(Register.objects.first().plan)
    entry = save_entry(people["grimma_editor"], register, data())
    save_entry(people["va_editor"], register, data(quantity=Decimal(20)), entry, 1)

    with pytest.raises(RegisterError, match="in der Zwischenzeit"):
        save_entry(people["grimma_editor"], register, data(quantity=Decimal(5)), entry, 1)
    assert RegisterEntry.objects.get().quantity == Decimal(20)


def test_a_register_file_is_previewed_then_applied_all_at_once(people):
    register = gewerbe(Register.objects.first().plan)
    parsed = read_register_file(register_file(grimma_row("Am Bahnhof"), grimma_row("Süd", "2")))

    preview = import_register(people["grimma_editor"], register, parsed, file_name="g.csv")
    assert (len(preview.new), preview.applied, RegisterEntry.objects.count()) == (2, False, 0)

    import_register(people["grimma_editor"], register, parsed, file_name="g.csv", apply=True)
    entry = RegisterEntry.objects.get(designation="Am Bahnhof")
    assert (entry.quantity, entry.owner_type, entry.source_row) == (Decimal("4.5"), "private", 2)
    assert entry.available_from == datetime.date(2027, 7, 1)

    again = import_register(people["grimma_editor"], register, parsed, file_name="g.csv")
    assert (len(again.new), len(again.changed), again.unchanged) == (0, 0, 2)


def test_a_register_file_with_a_bad_row_is_refused_naming_row_and_column(people):
    register = gewerbe(Register.objects.first().plan)
    latitude, longitude = point(BORNA)
    parsed = read_register_file(
        register_file(
            grimma_row("Gut"),
            grimma_row("Kaputt", area="viel"),
            f"{BORNA};Fremd;1;verfügbar;;privat;{latitude};{longitude}",
        )
    )

    with pytest.raises(RegisterError) as refused:
        import_register(people["grimma_editor"], register, parsed, file_name="g.csv", apply=True)

    assert "Zeile 3, Spalte „menge“" in refused.value.problems[0]
    assert "Zeile 4, Spalte „gemeinde“" in refused.value.problems[1]
    assert not RegisterEntry.objects.exists()


def test_kek_indicators_import_register_previews_and_applies(registers, tmp_path, capsys):
    path = tmp_path / "leer.csv"
    path.write_bytes(register_file(grimma_row("Markt 3", "1")))

    call_command(
        "indicators", "import-register", str(path), "--plan", "kek-test", "--register", "leerstand"
    )
    assert "1 neu" in capsys.readouterr().out
    assert not RegisterEntry.objects.exists()

    call_command(
        "indicators",
        "import-register",
        str(path),
        "--plan",
        "kek-test",
        "--register",
        "leerstand",
        "--apply",
    )
    assert RegisterEntry.objects.get().register.slug == "leerstand"
    with pytest.raises(CommandError, match="nicht gefunden"):
        call_command(
            "indicators", "import-register", str(path), "--plan", "kek-test", "--register", "x"
        )


def test_public_pages_show_entries_without_their_internal_fields(client, people):
    register = gewerbe(Register.objects.first().plan)
    save_entry(people["grimma_editor"], register, data(owner_type="private"))
    register.internal_fields = ["owner_type", "location"]
    register.save()

    listing = client.get("/kataster/").content.decode()
    page = client.get("/kataster/gewerbeflaechen/").content.decode()
    gemeinde = client.get(f"/gemeinden/{GRIMMA}/").content.decode()

    assert 'href="/kataster/gewerbeflaechen/"' in listing and "Leerstand" in listing
    for html in (page, gemeinde):
        table = html.split('class="kern-table register-table"')[1].split("</table>")[0]
        assert "Gewerbegebiet Nord" in table and "12,5" in table and "verfügbar" in table
        assert "Eigentum" not in table and "privat" not in table
        assert "Lage (Breite, Länge)" not in table
    assert 'aria-label="Grimma: 12,5 ha"' in page  # the map of the aggregate indicator


def test_the_coordination_configures_a_register_in_the_back_office(admin_client, registers):
    response = admin_client.post(
        "/admin/indicators/register/add/",
        {
            "plan": registers.pk,
            "slug": "pflege",
            "name": "Pflegeplätze",
            "description": "",
            "quantity": "count",
            "indicator_name": "Freie Pflegeplätze",
            "lead_offices": '["SAM"]',
            "internal_fields": ["owner_type", "location"],
            "order": 4,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    register = Register.objects.get(slug="pflege")
    assert register.internal_fields == ["owner_type", "location"]
    assert register.indicator is not None and register.indicator.slug == "kataster-pflege"
    entries = admin_client.get("/admin/indicators/registerentry/")
    assert entries.status_code == 200
