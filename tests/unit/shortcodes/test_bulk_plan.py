"""The bulk plan: which rows change, and the fingerprint that ties a confirmation to its preview."""

from __future__ import annotations

from shortcodes.bulk import BIND, UNBIND, Plan, PlanRow
from telnyx_admin.telnyx.short_codes import ShortCode

TARGET = "11111111-1111-4111-8111-111111111111"
OTHER = "22222222-2222-4222-8222-222222222222"


def _row(
    code_id: str, current: str | None, new: str | None, stamp: str = "2025-01-01T00:00:00.000Z"
) -> PlanRow:
    code = ShortCode(id=code_id, short_code=code_id[:5], messaging_profile_id=current, updated_at=stamp)
    return PlanRow(code=code, current_profile_id=current, current_name=None, new_profile_id=new)


def _plan(*rows: PlanRow, operation: str = BIND, target: str | None = TARGET) -> Plan:
    return Plan(operation=operation, target_profile_id=target, target_name="Target", rows=rows)


def test_rows_already_as_wanted_do_not_change():
    plan = _plan(_row("a", None, TARGET), _row("b", TARGET, TARGET), _row("c", OTHER, TARGET))
    assert [row.code.id for row in plan.changing] == ["a", "c"]
    assert plan.unchanged == 1


def test_unbinding_an_unassigned_short_code_is_no_change():
    plan = _plan(_row("a", None, None), _row("b", OTHER, None), operation=UNBIND, target=None)
    assert [row.code.id for row in plan.changing] == ["b"]


def test_the_fingerprint_ignores_order_and_no_op_rows():
    one = _plan(_row("a", None, TARGET), _row("b", OTHER, TARGET), _row("c", TARGET, TARGET))
    other = _plan(_row("b", OTHER, TARGET), _row("a", None, TARGET))
    assert one.fingerprint == other.fingerprint


def test_the_fingerprint_moves_when_a_row_the_preview_showed_moves():
    base = _plan(_row("a", None, TARGET), _row("b", OTHER, TARGET))
    changed_since = _plan(_row("a", None, TARGET), _row("b", OTHER, TARGET, stamp="2025-01-02T00:00:00.000Z"))
    another_target = _plan(_row("a", None, OTHER), _row("b", None, OTHER), target=OTHER)
    fewer = _plan(_row("a", None, TARGET))
    assert (
        len({base.fingerprint, changed_since.fingerprint, another_target.fingerprint, fewer.fingerprint}) == 4
    )
