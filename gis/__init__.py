"""Framework-free geometry code: reading files, CRS handling, validation, areas.

The Django app and the notebooks both call this package; it never imports Django.
"""
