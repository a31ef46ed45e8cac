"""The coding desk's library: a report's candidate rows reviewed (:mod:`.review`),
saved into a dataset as one batch of its edit log under the dataset's lock, and taken
back (:mod:`.store`, :mod:`.log`)."""
