"""Matching published items to the requirements they satisfy."""
