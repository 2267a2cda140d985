"""Images in, shared by every room: safe decoding, the size limits, arrays brought to RGB or gray.

The one home of the image limits (:data:`MAX_PIXELS`, :data:`MAX_FILE_BYTES`,
:data:`MIN_SIDE`) and of normalising an image: a file through
:func:`load_image`, an array through :func:`as_rgb` / :func:`as_gray`.
"""

from .arrays import as_gray, as_rgb, shrunk_to
from .load import MAX_FILE_BYTES, MAX_PIXELS, MIN_SIDE, LoadedImage, decode_fast, load_image, load_rgb

__all__ = ["LoadedImage", "load_image", "load_rgb", "decode_fast", "as_rgb", "as_gray", "shrunk_to",
           "MAX_PIXELS", "MAX_FILE_BYTES", "MIN_SIDE"]
