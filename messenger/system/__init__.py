"""Host services with no Qt: per-OS paths (and, later, the keyring credential store)."""
