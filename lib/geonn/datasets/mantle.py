"""mantle (being written)"""

__all__ = []
