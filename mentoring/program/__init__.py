"""The program an admin tunes per workspace: its settings (``settings``, validated changes in
``settings_changes``), its lists of functional areas and tags (``taxonomy``), and the
workspaces a deployment serves (``workspaces``)."""
