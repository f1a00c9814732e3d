"""Host services with no Qt, used by ``messenger.app`` alone: per-OS paths, small JSON files,
the saved-account list (profiles) and the credential store (OS keyring, or an opted-in file)."""
