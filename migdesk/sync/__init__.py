"""Change packages between desks and the central store: keys and seals (keys.py, seal.py),
the package file (package.py), a line of it (codec.py), the merge rule (rules.py, pure) and
the writer that carries it out (merge.py). Nothing here imports services or ui: the window's
export and import actions are in services/sync_window.py, and progress comes in as a
callback."""
