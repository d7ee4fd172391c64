"""Catalogue views: reading pages in ``reading``, editing and upkeep in ``editing``."""
