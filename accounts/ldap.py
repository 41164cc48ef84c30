"""Sign-in with the county's directory (LDAP / Active Directory) via django-auth-ldap.

The directory checks the password and says which groups a person is in; the role in the
portal's plan (`settings.KEK_PLAN_SLUG`) follows from `KEK_LDAP_ROLE_MAPPING`, a list of
rules `{"group": DN, "role": "koordination|redaktion|beteiligte|leser", "organisation": ABBR}`
(organisation for office roles). The first rule whose group the person is in wins; in no
mapped group, a directory user keeps no role. Local accounts (demo, emergency admin) still
sign in with their password through Django's ModelBackend.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_auth_ldap.backend import LDAPBackend, _LDAPUser

from accounts.models import Membership
from plans.models import Organisation, Plan


def role_for_groups(group_dns: set[str]) -> dict[str, str] | None:
    """The first mapping rule whose group is among the person's groups (DNs, any case)."""
    groups = {dn.lower() for dn in group_dns}
    for rule in settings.KEK_LDAP_ROLE_MAPPING:
        if str(rule["group"]).lower() in groups:
            return {key: str(value) for key, value in rule.items()}
    return None


@transaction.atomic
def sync_membership(user: Any, group_dns: set[str]) -> Membership | None:
    """Give the user the role of their directory groups in the portal's plan (or none)."""
    plan = Plan.objects.filter(slug=settings.KEK_PLAN_SLUG).first()
    if plan is None:
        return None
    rule = role_for_groups(group_dns)
    if rule is None:
        Membership.objects.filter(user=user, plan=plan).delete()
        return None
    if rule["role"] not in Membership.Role.values:
        raise ImproperlyConfigured(f"KEK_LDAP_ROLE_MAPPING: unbekannte Rolle {rule['role']!r}")
    organisation = None
    if rule.get("organisation"):
        organisation = Organisation.objects.filter(
            plan=plan, abbreviation=rule["organisation"]
        ).first()
        if organisation is None:
            raise ImproperlyConfigured(
                f"KEK_LDAP_ROLE_MAPPING: Organisation {rule['organisation']!r} fehlt im Plan"
            )
    membership, _created = Membership.objects.update_or_create(
        user=user, plan=plan, defaults={"role": rule["role"], "organisation": organisation}
    )
    return membership


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, mapping directory groups to the role in the plan."""

    def authenticate_ldap_user(self, ldap_user: _LDAPUser, password: str) -> Any:
        """Authenticate against the directory, then bring the role up to date."""
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            sync_membership(user, set(ldap_user.group_dns))
        return user
