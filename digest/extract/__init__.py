"""Pure extraction: article text in, Metadata out (see digest.extract.pipeline).

Only the version lives here, so that reading it does not import spaCy: that
takes most of a second, and a build whose articles are all cached never needs it.
"""

# Bump whenever a rule, data file or model change alters output: it keys the extraction cache.
EXTRACTOR_VERSION = "0.8.3"
