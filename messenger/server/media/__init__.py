"""Uploaded files: resumable uploads, content checks, thumbnails, access-checked downloads."""
