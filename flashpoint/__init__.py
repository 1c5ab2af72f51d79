"""Flashpoint: regional security news turned into dated, traceable events."""

__version__ = "0.1.0"
