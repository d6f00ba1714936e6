"""Views of messaging profiles, one module per concern: `browse` (list, detail, linked numbers, CSV)
and `edit` (create, edit, spend limit, delete)."""
