"""Pure extraction: article text in, Metadata out (see digest.extract.pipeline).

Only the version and the error of a damaged model live here, so that reading them
does not import spaCy: that takes most of a second, and a build whose articles are
all cached never needs it.
"""

# Bump whenever a rule, data file or model change alters output: it keys the extraction cache.
EXTRACTOR_VERSION = "0.9.0"
# The shipped NER model, a folder of the digest package (digest.extract.nlp loads it).
NER_DIR = "data/ner"


class ModelError(RuntimeError):
    """A shipped model file is missing or not the one pinned: reinstalling Digest helps."""
