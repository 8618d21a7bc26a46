"""porosity (being written)"""

__all__ = []
