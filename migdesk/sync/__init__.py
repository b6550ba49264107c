"""Change packages between desks and the central store: keys, packages, merge."""
