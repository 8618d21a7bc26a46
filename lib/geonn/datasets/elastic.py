"""elastic (being written)"""

__all__ = []
