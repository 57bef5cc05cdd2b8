"""Vitrine: the partner and startup showcase directory of the Saint-Étienne digital ecosystem."""
