"""``EmojiModel``: the emoji picker's grid, Unicode emoji with English names to search by.
``EmojiFilterModel`` keeps those whose name contains the search text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)

from messenger.viewmodels.message_list import AnyIndex

NAME_ROLE = Qt.ItemDataRole.UserRole + 1

EMOJI: tuple[tuple[str, str], ...] = (
    ("😀", "grinning face smile"),
    ("😃", "smiley happy"),
    ("😄", "smile laugh"),
    ("😁", "grin beaming"),
    ("😆", "laughing"),
    ("😅", "sweat smile"),
    ("🤣", "rolling on the floor laughing rofl"),
    ("😂", "tears of joy laugh"),
    ("🙂", "slightly smiling"),
    ("🙃", "upside down"),
    ("😉", "wink"),
    ("😊", "blush smiling eyes"),
    ("😇", "innocent halo"),
    ("🥰", "smiling hearts love"),
    ("😍", "heart eyes love"),
    ("🤩", "star struck"),
    ("😘", "kiss blowing"),
    ("😋", "yum tasty"),
    ("😛", "tongue"),
    ("😜", "winking tongue"),
    ("🤪", "zany crazy"),
    ("🤗", "hug hugging"),
    ("🤭", "hand over mouth"),
    ("🤫", "shush quiet"),
    ("🤔", "thinking hmm"),
    ("🤐", "zipper mouth"),
    ("😐", "neutral"),
    ("😑", "expressionless"),
    ("😶", "no mouth"),
    ("😏", "smirk"),
    ("😒", "unamused"),
    ("🙄", "eye roll"),
    ("😬", "grimace"),
    ("😌", "relieved"),
    ("😔", "pensive"),
    ("😪", "sleepy"),
    ("😴", "sleeping"),
    ("😷", "mask sick"),
    ("🤒", "thermometer ill"),
    ("🤯", "mind blown exploding"),
    ("🥳", "party partying celebrate"),
    ("😎", "cool sunglasses"),
    ("🤓", "nerd"),
    ("😕", "confused"),
    ("😟", "worried"),
    ("🙁", "frown"),
    ("😮", "open mouth surprised"),
    ("😲", "astonished"),
    ("😳", "flushed"),
    ("🥺", "pleading"),
    ("😢", "cry tear"),
    ("😭", "sob loudly crying"),
    ("😱", "scream fear"),
    ("😤", "triumph huff"),
    ("😡", "pouting angry"),
    ("😠", "angry"),
    ("🤬", "cursing swearing"),
    ("💀", "skull dead"),
    ("💩", "poop"),
    ("🤡", "clown"),
    ("👻", "ghost"),
    ("👽", "alien"),
    ("🤖", "robot bot"),
    ("😺", "cat smiling"),
    ("🙈", "see no evil monkey"),
    ("👋", "wave hello bye"),
    ("🤚", "raised back of hand"),
    ("✋", "raised hand stop"),
    ("👌", "ok hand"),
    ("🤌", "pinched fingers"),
    ("✌️", "victory peace"),
    ("🤞", "crossed fingers luck"),
    ("🤟", "love you gesture"),
    ("🤘", "rock on horns"),
    ("👈", "point left"),
    ("👉", "point right"),
    ("👆", "point up"),
    ("👇", "point down"),
    ("👍", "thumbs up like yes"),
    ("👎", "thumbs down dislike no"),
    ("✊", "raised fist"),
    ("👊", "fist bump punch"),
    ("👏", "clap applause"),
    ("🙌", "raising hands hooray"),
    ("🤝", "handshake deal"),
    ("🙏", "pray thanks please"),
    ("💪", "muscle strong flex"),
    ("👀", "eyes look"),
    ("🧠", "brain"),
    ("❤️", "red heart love"),
    ("🧡", "orange heart"),
    ("💛", "yellow heart"),
    ("💚", "green heart"),
    ("💙", "blue heart"),
    ("💜", "purple heart"),
    ("🖤", "black heart"),
    ("💔", "broken heart"),
    ("💯", "hundred points perfect"),
    ("💥", "collision boom"),
    ("💫", "dizzy"),
    ("💬", "speech balloon"),
    ("💤", "zzz sleep"),
    ("🔥", "fire lit hot"),
    ("✨", "sparkles"),
    ("⭐", "star"),
    ("🌟", "glowing star"),
    ("⚡", "lightning zap"),
    ("☀️", "sun"),
    ("🌈", "rainbow"),
    ("☔", "umbrella rain"),
    ("❄️", "snowflake cold"),
    ("🌸", "cherry blossom flower"),
    ("🌹", "rose flower"),
    ("🌻", "sunflower"),
    ("🍀", "four leaf clover luck"),
    ("🍎", "apple"),
    ("🍕", "pizza"),
    ("🍔", "hamburger burger"),
    ("🍜", "noodles ramen"),
    ("🍣", "sushi"),
    ("🍰", "cake"),
    ("🎂", "birthday cake"),
    ("🍺", "beer"),
    ("🍻", "cheers beers"),
    ("🍷", "wine"),
    ("☕", "coffee hot beverage"),
    ("🍵", "tea"),
    ("🎉", "party popper tada celebrate"),
    ("🎊", "confetti"),
    ("🎁", "gift present"),
    ("🎈", "balloon"),
    ("🏆", "trophy win"),
    ("⚽", "soccer football"),
    ("🏀", "basketball"),
    ("🎮", "video game"),
    ("🎵", "music note"),
    ("🎧", "headphones"),
    ("📷", "camera photo"),
    ("💻", "laptop computer"),
    ("📱", "phone mobile"),
    ("💡", "bulb idea"),
    ("📌", "pin pushpin"),
    ("📎", "paperclip"),
    ("📅", "calendar date"),
    ("📝", "memo note write"),
    ("📚", "books"),
    ("✏️", "pencil"),
    ("🔒", "lock"),
    ("🔑", "key"),
    ("🔔", "bell"),
    ("⏰", "alarm clock"),
    ("⌛", "hourglass"),
    ("🚀", "rocket launch ship"),
    ("✈️", "airplane travel"),
    ("🚗", "car"),
    ("🏠", "house home"),
    ("🌍", "globe earth world"),
    ("✅", "check mark done yes"),
    ("❌", "cross mark no"),
    ("❓", "question"),
    ("❗", "exclamation"),
    ("⚠️", "warning"),
    ("🚫", "prohibited no"),
    ("➕", "plus"),
    ("🆗", "ok button"),
    ("🐶", "dog puppy"),
    ("🐱", "cat kitten"),
    ("🐼", "panda"),
    ("🐻", "bear"),
    ("🦊", "fox"),
    ("🐸", "frog"),
    ("🐵", "monkey"),
    ("🐔", "chicken"),
    ("🐧", "penguin"),
    ("🦄", "unicorn"),
    ("🐝", "bee"),
    ("🐢", "turtle slow"),
    ("🐍", "snake python"),
    ("🐳", "whale"),
)


class EmojiModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(EMOJI)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(EMOJI):
            return None
        emoji, name = EMOJI[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return emoji
        if role in (NAME_ROLE, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return name
        return None


class EmojiFilterModel(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(EmojiModel(self))
        self.setFilterRole(NAME_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_text(self, text: str) -> None:
        self.setFilterFixedString(text.strip())
