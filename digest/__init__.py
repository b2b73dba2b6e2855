"""Digest: turn a folder of news articles into a searchable static news-digest site."""

__version__ = "0.1.0"
