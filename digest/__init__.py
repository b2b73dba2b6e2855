"""Digest: turn a folder of news articles into a searchable static news-digest site."""

__version__ = "0.1.0"

# The name on the package index ("digest" there is another project); `digest new`
# pins this name and version in the workflow it writes.
DISTRIBUTION = "news-digest"
