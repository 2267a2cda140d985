"""Image input and output shared by every room: safe decoding, colour conversion."""

from .load import LoadedImage, load_image, load_rgb

__all__ = ["LoadedImage", "load_image", "load_rgb"]
