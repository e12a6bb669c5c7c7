"""The web front ends over the catalog: the HTTP API (`web/api.py`) and the review desk
(`web/desk/`).

Only the CLI imports this package; it imports `flows`, `storage`, `ocr` and `extract`.
"""
