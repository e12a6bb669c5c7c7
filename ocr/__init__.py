"""Reading inputs and turning pages into text with positions.

Imports nothing else of sohoa. The public result types live in :mod:`ocr.types`.
"""
