"""Object storage, the managed local S3 server, the catalog and the record model.

Imports nothing else of sohoa but `ocr.vntext` (accent folding, standard library only).
"""
