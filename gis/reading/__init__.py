"""Reading uploaded GIS files: one layer in, WGS 84 features and how they were read out.

``read_layer`` is the entry point; ``ReadError`` the one exception for a file it cannot take.
"""

from gis.reading.errors import SUPPORTED_FORMATS, ReadError
from gis.reading.layers import LayerRead, read_layer

__all__ = ["SUPPORTED_FORMATS", "LayerRead", "ReadError", "read_layer"]
