"""Feature exports (issue 10): a layer's features, filtered as its list filters them, written as
GeoPackage, zipped Shapefile, CSV, Excel or KML in a chosen coordinate system.

``selectors.feature_batches`` reads them in batches from a server-side cursor; the writers of
``gis.exports`` write each batch as it comes; ``responses.export_response`` sends the file.
"""
