"""Sign-in with the county's directory: a real OpenLDAP server (Debian slapd), once per module."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from accounts.models import Membership
from kekmonitor.settings import ldap_settings
from operations.tests.servers import free_port, port_open, require_binary, stop, wait_until
from plans.models import Plan
from plans.services import import_parsed_plan
from plans.tests.parsed_plans import small_plan

BASE = "dc=landkreis,dc=example"
ADMIN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "dienstkonto-geheim"
PASSWORD = "verzeichnis-passwort"
GROUP_COORDINATION = f"cn=kek-koordination,ou=gruppen,{BASE}"
GROUP_AFS = f"cn=kek-redaktion-afs,ou=gruppen,{BASE}"

SLAPD_CONF = """
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
database mdb
suffix "{base}"
rootdn "{admin}"
rootpw {admin_password}
directory {dir}/data
"""


def person(uid: str, given: str, surname: str) -> str:
    return f"""dn: uid={uid},ou=personen,{BASE}
objectClass: inetOrgPerson
uid: {uid}
cn: {given} {surname}
givenName: {given}
sn: {surname}
mail: {uid}@landkreis.example
userPassword: {PASSWORD}
"""


def group(dn: str, *members: str) -> str:
    cn = dn.split(",")[0].split("=")[1]
    lines = "".join(f"member: uid={m},ou=personen,{BASE}\n" for m in members)
    return f"dn: {dn}\nobjectClass: groupOfNames\ncn: {cn}\n{lines}"


DATA = "\n".join(
    [
        f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\n"
        "o: Landkreis\ndc: landkreis\n",
        f"dn: ou=personen,{BASE}\nobjectClass: organizationalUnit\nou: personen\n",
        f"dn: ou=gruppen,{BASE}\nobjectClass: organizationalUnit\nou: gruppen\n",
        person("k.koordinator", "Karla", "Koordinator"),
        person("a.strasse", "Anton", "Straße"),
        person("o.gruppe", "Otto", "Ohnegruppe"),
        group(GROUP_COORDINATION, "k.koordinator"),
        group(GROUP_AFS, "a.strasse"),
    ]
)


@pytest.fixture(scope="module")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = require_binary("slapd", "slapd")
    slapadd = require_binary("slapadd", "slapd")
    directory: Path = tmp_path_factory.mktemp("slapd")
    (directory / "data").mkdir()
    conf = directory / "slapd.conf"
    conf.write_text(
        SLAPD_CONF.format(dir=directory, base=BASE, admin=ADMIN, admin_password=ADMIN_PASSWORD)
    )
    (directory / "data.ldif").write_text(DATA)
    subprocess.run(
        [slapadd, "-f", str(conf), "-l", str(directory / "data.ldif")],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [binary, "-f", str(conf), "-h", f"ldap://127.0.0.1:{port}/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: port_open(port), process, "slapd")
        yield f"ldap://127.0.0.1:{port}"
    finally:
        stop(process)  # waits for slapd to exit before its directory is removed


@pytest.fixture
def directory(slapd: str, settings: Any, db: Any) -> Plan:
    """The project configured for the directory as from the environment; a plan with AfS."""
    environment = {
        "LDAP_SERVER_URI": slapd,
        "LDAP_BIND_DN": ADMIN,
        "LDAP_BIND_PASSWORD": ADMIN_PASSWORD,
        "LDAP_USER_BASE": f"ou=personen,{BASE}",
        "LDAP_GROUP_BASE": f"ou=gruppen,{BASE}",
    }
    for name, value in ldap_settings(environment).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "accounts.ldap.DirectoryBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.KEK_LDAP_ROLE_MAPPING = [
        {"group": GROUP_COORDINATION, "role": "koordination"},
        {"group": GROUP_AFS, "role": "redaktion", "organisation": "AfS"},
    ]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    import_parsed_plan(small_plan("kek-2030"), apply=True)
    return Plan.objects.get(slug="kek-2030")


def sign_in(username: str, password: str) -> Any:
    return Client().post("/anmelden/", {"username": username, "password": password})


def test_a_directory_user_signs_in_and_gets_the_role_of_their_group(
    directory: Plan, django_user_model: Any
) -> None:
    response = sign_in("k.koordinator", PASSWORD)

    assert response.status_code == 302
    user = django_user_model.objects.get(username="k.koordinator")
    assert (user.first_name, user.last_name) == ("Karla", "Koordinator")
    assert not user.has_usable_password()  # the password stays in the directory
    membership = Membership.objects.get(user=user, plan=directory)
    assert membership.role == Membership.Role.COORDINATION
    assert membership.organisation is None


def test_an_office_group_maps_to_the_role_for_its_organisation(directory: Plan) -> None:
    assert sign_in("a.strasse", PASSWORD).status_code == 302

    membership = Membership.objects.get(user__username="a.strasse", plan=directory)
    assert membership.role == Membership.Role.EDITOR
    assert membership.organisation is not None
    assert membership.organisation.abbreviation == "AfS"


def test_a_directory_user_in_no_mapped_group_keeps_no_role(
    directory: Plan, django_user_model: Any
) -> None:
    user = django_user_model.objects.create_user("o.gruppe")
    Membership.objects.create(user=user, plan=directory, role=Membership.Role.READER)

    assert sign_in("o.gruppe", PASSWORD).status_code == 302

    assert not Membership.objects.filter(user__username="o.gruppe").exists()


def test_a_wrong_directory_password_is_refused(directory: Plan) -> None:
    response = sign_in("k.koordinator", "falsch")

    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session


def test_local_accounts_still_sign_in(directory: Plan, django_user_model: Any) -> None:
    django_user_model.objects.create_user("admin-lokal", password="lokal-und-lang-genug")

    assert sign_in("admin-lokal", "lokal-und-lang-genug").status_code == 302
