"""Importers: other people's data as datasets of ours.

Modules
-------
acled     ACLED exports: every event an incident, its fatalities a claim by ACLED.
ucdp      UCDP GED event files: every event an incident, its deaths claims by UCDP.
geonames  GeoNames dumps as gazetteer files.

``_common`` holds what the ACLED and UCDP importers share.
"""
