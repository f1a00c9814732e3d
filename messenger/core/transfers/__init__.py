"""File transfers: uploads and downloads with progress, pause, resume and cancel, persisted so
an upload continues after a dropped connection or a restart; and the local media cache."""
