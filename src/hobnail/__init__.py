"""Hobnail: a self-hosted workplace platform."""

__version__ = "0.1.0"
