"""Group dialogs: New group (with a member picker), Join a group, Add members, Edit the group,
and the join-request inbox of owners and admins. Every dialog is window-modal and opened with
``open()``: nothing blocks the event loop."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from messenger.protocol.group_rules import DEFAULT_JOIN_OPTION, FIXED_JOIN_OPTION
from messenger.protocol.models import GroupApplication, GroupType, JoinOption
from messenger.ui.async_slots import async_slot
from messenger.ui.avatar_chooser import AvatarChooser
from messenger.viewmodels.group import GroupViewModel
from messenger.viewmodels.group_create import (
    JoinGroupViewModel,
    NewGroupViewModel,
    PeoplePicker,
    Person,
)

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("DialogError")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #d9363e;")
    label.hide()
    return label


def _show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.show()


class _GroupDialog(QDialog):
    """A dialog with an error line. Its handlers of the (longer-lived) view model's signals are
    bound methods, which Qt disconnects when the dialog is deleted; a lambda would outlive it."""

    error: QLabel

    def show_failure(self, message: str) -> None:
        _show_error(self.error, message)

    def accept_result(self, _result: object = None) -> None:
        self.accept()


def _ok_cancel(
    dialog: QDialog, label: str, name: str, on_ok: Callable[[], object]
) -> QDialogButtonBox:
    """OK (relabelled ``label``, object name ``name``) and Cancel, wired to ``on_ok`` and
    ``reject``."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(label)
    ok.setObjectName(name)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


GROUP_AVATAR_PREVIEW = 56


def join_option_box(parent: QWidget) -> QComboBox:
    """Who may join a group, as its owner chooses it."""
    box = QComboBox(parent)
    box.setObjectName("JoinOption")
    for option, text in (
        (JoinOption.APPROVAL, QCoreApplication.translate("Groups", "Owner or admin approves")),
        (JoinOption.FREE, QCoreApplication.translate("Groups", "Anyone may join")),
        (JoinOption.FORBIDDEN, QCoreApplication.translate("Groups", "Nobody may ask to join")),
    ):
        box.addItem(text, option)
    return box


class PickerWidget(QWidget):
    """Search people, tick several; the chosen show as chips above the list."""

    def __init__(self, picker: PeoplePicker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = picker
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.chips = QLabel(self)
        self.chips.setObjectName("Chips")
        self.chips.setTextFormat(Qt.TextFormat.PlainText)
        self.chips.setWordWrap(True)
        self.search = QLineEdit(self)
        self.search.setObjectName("PeopleSearch")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("People")
        layout.addWidget(self.chips)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._search)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.list.itemChanged.connect(self._item_changed)
        picker.people_changed.connect(self._fill)
        picker.chosen_changed.connect(self._chips)
        self.search.setPlaceholderText(self.tr("Search by user ID or nickname"))
        self._chips()

    @async_slot()
    async def _search(self) -> None:
        await self.picker.search(self.search.text())

    def _fill(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for person in self.picker.people:
            item = QListWidgetItem(f"{person.name}  ({person.user_id})", self.list)
            item.setData(PERSON_ROLE, person)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = self.picker.is_chosen(person.user_id)
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)

    def _item_changed(self, item: QListWidgetItem) -> None:
        person = item.data(PERSON_ROLE)
        if isinstance(person, Person):
            checked = item.checkState() == Qt.CheckState.Checked
            if checked != self.picker.is_chosen(person.user_id):
                self.picker.toggle(person)

    def _chips(self) -> None:
        chosen = self.picker.chosen
        self.chips.setText("  ".join(f"[{p.name} ×]" for p in chosen))
        self.chips.setVisible(bool(chosen))

    def choose(self, user_id: str) -> None:
        """Tick ``user_id`` in the list (for tests and keyboard users)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            person = item.data(PERSON_ROLE)
            if isinstance(person, Person) and person.user_id == user_id:
                item.setCheckState(Qt.CheckState.Checked)


class NewGroupDialog(_GroupDialog):
    def __init__(self, vm: NewGroupViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("NewGroupDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("New group"))
        self.resize(420, 520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("GroupName")
        self.type = QComboBox(self)
        self.type.setObjectName("GroupType")
        names = {
            GroupType.WORK: self.tr("Work group (members invite)"),
            GroupType.PUBLIC: self.tr("Public group (anyone may ask to join)"),
            GroupType.MEETING: self.tr("Meeting (anyone may join)"),
            GroupType.COMMUNITY: self.tr("Community"),
            GroupType.AVCHATROOM: self.tr("Live room"),
        }
        for group_type, text in names.items():
            self.type.addItem(text, group_type)
        self.join_option = join_option_box(self)
        self.avatar = AvatarChooser("new-group", "", self, side=GROUP_AVATAR_PREVIEW)
        self.avatar.setObjectName("GroupAvatar")
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Type"), self.type)
        form.addRow(self.tr("Who may join"), self.join_option)
        form.addRow(self.tr("Avatar"), self.avatar)
        layout.addLayout(form)
        self.members_title = QLabel(self.tr("Members"), self)
        layout.addWidget(self.members_title)
        self.picker = PickerWidget(vm.picker, self)
        layout.addWidget(self.picker, 1)
        self.error = _error_label(self)
        layout.addWidget(self.error)
        self.buttons = _ok_cancel(self, self.tr("Create"), "Create", self._create)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self.avatar.set_name)
        self.type.currentIndexChanged.connect(self._type_changed)
        vm.failed.connect(self.show_failure)
        self.avatar.refused.connect(self.show_failure)
        vm.created.connect(self.accept_result)
        self._type_changed()
        QTimer.singleShot(0, self.picker._search)

    def _type_changed(self) -> None:
        group_type = self.type.currentData()
        fixed = FIXED_JOIN_OPTION.get(group_type)
        self.join_option.setEnabled(fixed is None)
        option = fixed or DEFAULT_JOIN_OPTION[group_type]
        self.join_option.setCurrentIndex(self.join_option.findData(option))
        live = group_type is GroupType.AVCHATROOM
        self.picker.setEnabled(not live)
        self.members_title.setText(
            self.tr("Members (a live room starts empty: people join it)")
            if live
            else self.tr("Members")
        )

    @async_slot()
    async def _create(self) -> None:
        group_type = self.type.currentData()
        option = self.join_option.currentData() if self.join_option.isEnabled() else None
        await self.vm.create(self.name.text().strip(), group_type, option, self.avatar.png)


class JoinGroupDialog(_GroupDialog):
    def __init__(self, vm: JoinGroupViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("JoinGroupDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Join a group"))
        self.resize(380, 300)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.group_id = QLineEdit(self)
        self.group_id.setObjectName("JoinGroupId")
        self.group_id.setPlaceholderText(self.tr("Group ID"))
        self.find_button = QPushButton(self.tr("Find"), self)
        self.find_button.setObjectName("Find")
        row.addWidget(self.group_id, 1)
        row.addWidget(self.find_button)
        layout.addLayout(row)
        self.profile = QLabel(self)
        self.profile.setObjectName("JoinProfile")
        self.profile.setTextFormat(Qt.TextFormat.PlainText)
        self.profile.setWordWrap(True)
        layout.addWidget(self.profile)
        self.note = QLineEdit(self)
        self.note.setObjectName("JoinNote")
        self.note.setPlaceholderText(self.tr("A note for the owner and admins (optional)"))
        layout.addWidget(self.note)
        self.error = _error_label(self)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.join = self.buttons.addButton(self.tr("Join"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.join.setObjectName("Join")
        self.join.setEnabled(False)
        self.buttons.rejected.connect(self.reject)
        self.join.clicked.connect(self._join)
        layout.addWidget(self.buttons)
        self.find_button.clicked.connect(self._find)
        self.group_id.returnPressed.connect(self._find)
        vm.failed.connect(self.show_failure)
        vm.found.connect(self._found)
        vm.joined.connect(self.accept_result)
        vm.waiting.connect(self._waiting)

    @async_slot()
    async def _find(self) -> None:
        self.error.hide()
        await self.vm.find(self.group_id.text())

    def _found(self) -> None:
        group = self.vm.group
        if group is None:
            return
        lines = [
            group.name,
            self.tr("%n member(s)", "", group.member_count),
            group.introduction,
        ]
        self.profile.setText("\n".join(x for x in lines if x))
        approval = group.join_option is JoinOption.APPROVAL
        self.join.setText(self.tr("Apply") if approval else self.tr("Join"))
        self.note.setVisible(approval)
        self.join.setEnabled(group.join_option is not JoinOption.FORBIDDEN)
        if group.join_option is JoinOption.FORBIDDEN:
            _show_error(self.error, self.tr("This group takes no join requests."))

    def _waiting(self) -> None:
        self.profile.setText(self.tr("Your request was sent. You will be told the answer."))
        self.join.setEnabled(False)

    @async_slot()
    async def _join(self) -> None:
        self.error.hide()
        await self.vm.join(self.note.text())


class AddMembersDialog(_GroupDialog):
    def __init__(self, vm: GroupViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("AddMembersDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Add members"))
        self.resize(380, 460)
        current = [m.user_id for m in vm.members.members()]
        self.people = PeoplePicker(vm.client, exclude=current, parent=self)
        layout = QVBoxLayout(self)
        self.picker = PickerWidget(self.people, self)
        layout.addWidget(self.picker, 1)
        self.error = _error_label(self)
        layout.addWidget(self.error)
        self.buttons = _ok_cancel(self, self.tr("Add"), "Add", self._add)
        layout.addWidget(self.buttons)
        vm.failed.connect(self._failed)
        QTimer.singleShot(0, self.picker._search)

    def _failed(self, message: str) -> None:
        _show_error(self.error, message)

    @async_slot()
    async def _add(self) -> None:
        if self.people.chosen_ids and await self.vm.add_members(self.people.chosen_ids):
            self.accept()


class EditGroupDialog(_GroupDialog):
    def __init__(self, vm: GroupViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("EditGroupDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Edit group"))
        info = vm.info
        layout = QFormLayout(self)
        name = info.name if info else vm.group_id
        self.avatar = AvatarChooser("GROUP" + vm.group_id, name, self, side=GROUP_AVATAR_PREVIEW)
        self.avatar.setObjectName("EditAvatar")
        self.name = QLineEdit(info.name if info else "", self)
        self.name.setObjectName("EditName")
        self.join_option = join_option_box(self)
        fixed = FIXED_JOIN_OPTION.get(info.type) if info else None
        self.join_option.setEnabled(fixed is None)  # a type that fixes it: shown, not offered
        current = fixed or (info.join_option if info else None)
        self.join_option.setCurrentIndex(max(0, self.join_option.findData(current)))
        self.notification = QPlainTextEdit(info.notification if info else "", self)
        self.notification.setObjectName("EditNotification")
        self.introduction = QPlainTextEdit(info.introduction if info else "", self)
        self.introduction.setObjectName("EditIntroduction")
        layout.addRow(self.tr("Avatar"), self.avatar)
        layout.addRow(self.tr("Name"), self.name)
        layout.addRow(self.tr("Who may join"), self.join_option)
        layout.addRow(self.tr("Notification"), self.notification)
        layout.addRow(self.tr("Introduction"), self.introduction)
        self.error = _error_label(self)
        layout.addRow(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout.addRow(self.buttons)
        vm.failed.connect(self.show_failure)
        self.avatar.refused.connect(self.show_failure)
        self._show_current_avatar()

    @async_slot()
    async def _show_current_avatar(self) -> None:
        data = await self.vm.avatar_image()
        if shiboken6.isValid(self.avatar):  # (the dialog may be gone by the answer)
            self.avatar.show_current(data)

    @async_slot()
    async def _save(self) -> None:
        option = self.join_option.currentData() if self.join_option.isEnabled() else None
        saved = await self.vm.edit(
            self.name.text().strip(),
            self.notification.toPlainText(),
            self.introduction.toPlainText(),
            avatar_png=self.avatar.png,
            join_option=option,
        )
        if saved:
            self.accept()


class RequestsDialog(_GroupDialog):
    """Pending join requests: approve or refuse each (another admin may have been first)."""

    def __init__(self, vm: GroupViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("RequestsDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Join requests"))
        self.resize(420, 360)
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setObjectName("Requests")
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.approve = QPushButton(self.tr("Approve"), self)
        self.approve.setObjectName("Approve")
        self.refuse = QPushButton(self.tr("Refuse"), self)
        self.refuse.setObjectName("Refuse")
        row.addWidget(self.approve)
        row.addWidget(self.refuse)
        layout.addLayout(row)
        self.error = _error_label(self)
        layout.addWidget(self.error)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.approve.clicked.connect(lambda: self._handle(True))
        self.refuse.clicked.connect(lambda: self._handle(False))
        vm.failed.connect(self.show_failure)
        QTimer.singleShot(0, self.reload)

    @async_slot()
    async def reload(self) -> None:
        await self._reload()

    async def _reload(self) -> None:
        found = await self.vm.applications()
        self.list.clear()
        for application in found:
            text = application.applicant
            if application.note:
                text += f" — {application.note}"
            item = QListWidgetItem(text, self.list)
            item.setData(PERSON_ROLE, application)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.approve.setEnabled(bool(self.list.count()))
        self.refuse.setEnabled(bool(self.list.count()))

    @async_slot()
    async def _handle(self, approve: bool) -> None:
        item = self.list.currentItem()
        application = item.data(PERSON_ROLE) if item is not None else None
        if isinstance(application, GroupApplication):
            self.error.hide()
            await self.vm.handle(application.application_id, approve)
            await self._reload()
