"""The pass's checklist: a tick or an untick is posted as Checklist.Ticked, for the screen to store."""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.widgets import SelectionList

from readroom.reading import PassPlan, ReadingState


class Checklist(SelectionList[str]):
    class Ticked(Message):
        def __init__(self, pass_no: int, item_id: str, checked: bool) -> None:
            super().__init__()
            self.pass_no, self.item_id, self.checked = pass_no, item_id, checked

    def __init__(self, plan: PassPlan, state: ReadingState) -> None:
        ticked = state.ticks.get(plan.number, set())
        super().__init__(*[(item.text, item.id, item.id in ticked) for item in plan.items], id="reader-checklist")
        self.pass_no = plan.number

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        event.stop()
        item_id = event.selection.value
        self.post_message(self.Ticked(self.pass_no, item_id, item_id in self.selected))
