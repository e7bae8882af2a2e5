"""``load_demo``: the demonstration data set fills every workspace screen and is loaded once."""
from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from dtforum.forum import selectors
from dtforum.forum.models import ActionItem, Decision, Meeting, Registration


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from dtforum.forum import demo as module

    return module.load(password="x", today=date(2025, 6, 1))


def test_demo_data_set(demo, client):
    assert demo == {"users": demo["users"], "meetings": 3, "decisions": 3, "action_items": 5}
    assert len(demo["users"]) == 12 and all(e.endswith("@example.org") for e in demo["users"])
    assert Meeting.objects.filter(is_demo=True).count() == 3
    assert all(m.title_en.startswith("[DEMO]") for m in Meeting.objects.all())
    # session: 5 focal points + 4 delegates + 1 observer; data meeting 4; skills meeting 3
    assert Registration.objects.count() == 17
    assert Decision.objects.count() == 3 and ActionItem.objects.count() == 5
    # on 2025-06-01: EGY item done, IDN item 5 days overdue, SEN/SEC/MYS items open and not yet due
    board = selectors.follow_up_board(today=date(2025, 6, 1))
    assert board["totals"] == {"open": 4, "overdue": 1, "done": 1}
    assert client.get("/en/meetings/?when=all").content.decode().count("[DEMO]") == 3


def test_demo_is_loaded_once(demo):
    with pytest.raises(CommandError, match="already loaded"):
        call_command("load_demo")
