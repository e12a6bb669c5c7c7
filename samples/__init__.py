"""Synthetic Vietnamese administrative documents with ground truth, and the committed sample batch."""
