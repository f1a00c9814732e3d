"""What server nodes tell each other: the node bus (in-process by default, Redis for several)."""
