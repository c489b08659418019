"""Undo commands over the project's do/undo pairs. The change itself is made (and committed)
by the controller before the command is pushed, so a failed save never lands on the stack; the
command's first redo() is therefore a no-op, later ones re-apply the change (also committed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from app.store.errors import ProjectError
from app.store.project import Project
from app.store.records import Annotation, ConflictStatus

if TYPE_CHECKING:
    from app.ui.annotations.controller import ProjectController

NOTE_EDIT_ID = 5001  # consecutive note edits of one annotation merge into one undo step
DECISION_ID = 5002  # consecutive saves of one conflict's decision (saved as you go) merge too


class ProjectCommand(QUndoCommand):
    def __init__(self, controller: ProjectController, project: Project, text: str) -> None:
        super().__init__(text)
        self.controller = controller
        self.project = project
        self._done = True  # the controller already made the change

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)

    def _guard(self, fn: object) -> None:
        try:
            records = fn()  # type: ignore[operator]
        except ProjectError as exc:
            self.controller.show_error(str(exc))
            return
        self.controller.after_change(records)

    def apply(self) -> list[Annotation] | None:
        raise NotImplementedError

    def revert(self) -> list[Annotation] | None:
        raise NotImplementedError


class AddAnnotation(ProjectCommand):
    def __init__(self, controller: ProjectController, project: Project, record: Annotation) -> None:
        super().__init__(controller, project, "Annotate Passage")
        self.record = record

    def apply(self) -> list[Annotation]:
        return [self.project.restore_annotation(self.record)]

    def revert(self) -> list[Annotation]:
        self.project.delete_annotation(self.record.id)
        return [self.project.annotation(self.record.id)]


class ChangeAnnotation(ProjectCommand):
    """An edit (note, tags, colour) or a re-attachment: undo puts `before` back."""

    def __init__(
        self,
        controller: ProjectController,
        project: Project,
        before: Annotation,
        after: Annotation,
        text: str,
        note_only: bool = False,
    ) -> None:
        super().__init__(controller, project, text)
        self.before = before
        self.after = after
        self.note_only = note_only

    def id(self) -> int:
        return NOTE_EDIT_ID if self.note_only else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (
            isinstance(other, ChangeAnnotation)
            and other.note_only
            and self.note_only
            and other.before.id == self.after.id
        ):
            return False
        self.after = other.after
        return True

    def apply(self) -> list[Annotation]:
        return [self.project.restore_annotation(self.after)]

    def revert(self) -> list[Annotation]:
        return [self.project.restore_annotation(self.before)]


class DeleteAnnotation(ProjectCommand):
    def __init__(self, controller: ProjectController, project: Project, record: Annotation) -> None:
        super().__init__(controller, project, "Delete Annotation")
        self.record = record

    def apply(self) -> list[Annotation]:
        self.project.delete_annotation(self.record.id)
        return [self.project.annotation(self.record.id)]

    def revert(self) -> list[Annotation]:
        return [self.project.restore_annotation(self.record)]


class SetConflictStatus(ProjectCommand):
    def __init__(
        self,
        controller: ProjectController,
        project: Project,
        before: ConflictStatus | None,
        after: ConflictStatus,
    ) -> None:
        super().__init__(controller, project, "Decide on Conflict")
        self.before = before
        self.after = after

    def id(self) -> int:
        return DECISION_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, SetConflictStatus) and other.after.key == self.after.key):
            return False
        self.after = other.after
        return True

    def apply(self) -> None:
        self.project.put_conflict_status(self.after)

    def revert(self) -> None:
        if self.before is None:
            self.project.clear_conflict_status(self.after.key)
        else:
            self.project.put_conflict_status(self.before)
