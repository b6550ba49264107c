"""`migdesk partner`: the same service and rules as the window's partner forms."""

import json

from tests.helpers import dump
from tests.test_cli import cli  # noqa: F401  (the fixture)


def test_partner_add_stage_and_a_refused_duplicate(cli, db_path):  # noqa: F811
    code, out, _ = cli("partner", "add", "PL", "--stage", "negotiating", "--notes", "პილოტი")
    assert code == 0 and out.strip() == "პარტნიორი სახელმწიფო დაემატა"
    before = dump(db_path)
    code, _, err = cli("partner", "add", "pl")
    assert code != 0 and "PL" in err and "/" in err  # one bilingual line
    assert dump(db_path) == before
    code, out, _ = cli("partner", "stage", "PL", "in_force", "--reason", "ratified")
    assert code == 0
    code, out, _ = cli("partner", "list", "--format", "json")
    assert [(p["iso_code"], p["stage"], p["notes"]) for p in json.loads(out)] == [
        ("PL", "in_force", "პილოტი")]
