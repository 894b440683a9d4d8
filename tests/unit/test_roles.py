"""gis_server.roles with plain objects standing in for users (no database users)."""

from types import SimpleNamespace

import pytest

from gis_server.roles import (
    ADMINISTRATOR,
    EDITOR,
    OPERATOR,
    ROLES,
    VIEWER,
    has_role,
    is_administrator,
    is_staff_member,
    user_groups,
)


class Groups:
    """Answers `values_list("name", flat=True)` like a related manager, and counts the calls."""

    def __init__(self, names):
        self.names = list(names)
        self.calls = 0

    def values_list(self, field, flat=False):
        assert (field, flat) == ("name", True)
        self.calls += 1
        return list(self.names)


def user(*groups, superuser=False, staff=False, authenticated=True):
    return SimpleNamespace(is_authenticated=authenticated, is_superuser=superuser, is_staff=staff,
                           groups=Groups(groups))


ANONYMOUS = SimpleNamespace(is_authenticated=False, is_superuser=False, is_staff=False, groups=Groups([]))


def test_the_four_roles():
    assert set(ROLES) == {VIEWER, OPERATOR, EDITOR, ADMINISTRATOR}


def test_user_groups_are_the_group_names():
    assert user_groups(user(VIEWER, "gis-team")) == frozenset({VIEWER, "gis-team"})


def test_user_groups_are_read_once_per_user_object():
    u = user(EDITOR)
    user_groups(u)
    user_groups(u)
    has_role(u, EDITOR)
    assert u.groups.calls == 1


@pytest.mark.parametrize("who", [None, ANONYMOUS])
def test_nobody_has_groups_or_roles(who):
    assert user_groups(who) == frozenset()
    assert not has_role(who, VIEWER, OPERATOR, EDITOR)
    assert not is_administrator(who)
    assert not is_staff_member(who)


def test_an_anonymous_user_is_not_asked_for_groups():
    anon = SimpleNamespace(is_authenticated=False, is_superuser=True, is_staff=True, groups=None)
    assert user_groups(anon) == frozenset()
    assert not is_administrator(anon)
    assert not is_staff_member(anon)


def test_a_member_has_the_role_of_the_group():
    assert has_role(user(EDITOR), EDITOR)
    assert has_role(user(EDITOR), VIEWER, EDITOR)


def test_a_member_does_not_have_other_roles():
    assert not has_role(user(VIEWER), EDITOR, OPERATOR)
    assert not has_role(user(VIEWER))


def test_the_administrator_group_has_every_role():
    admin = user(ADMINISTRATOR)
    assert is_administrator(admin)
    assert all(has_role(admin, r) for r in ROLES)
    assert has_role(admin)


def test_a_superuser_is_an_administrator_without_the_group():
    root = user(superuser=True)
    assert is_administrator(root)
    assert has_role(root, OPERATOR)
    assert is_staff_member(root)


def test_staff_members_are_staff_users_or_administrators():
    assert is_staff_member(user(staff=True))
    assert is_staff_member(user(ADMINISTRATOR))
    assert not is_staff_member(user(EDITOR))
