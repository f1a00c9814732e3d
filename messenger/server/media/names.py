"""File names as shown in a download's ``Content-Disposition``: whatever a client called its
file, the name given back is one plain name (no folders, control or direction characters). The
rules are shared with the client (``protocol.filenames``)."""

from __future__ import annotations

from messenger.protocol.filenames import MAX_CHARS as MAX_CHARS
from messenger.protocol.filenames import safe_name as safe_name
