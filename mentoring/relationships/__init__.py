"""Mentoring relationships after the match: finishing, ending early, hiding, listing.

The public operations are importable from the package.
"""

from mentoring.relationships.lifecycle import abandon, finish, relationships_of, set_hidden

__all__ = ["abandon", "finish", "relationships_of", "set_hidden"]
