# Django's Vietnamese formats set the separators (1.234,56) but not NUMBER_GROUPING, so what it
# localises itself (the admin, a form's localized field) wrote 48898,43. The pages write figures
# through gis.numbers (the |number filter); this keeps Django's own in the same convention.
NUMBER_GROUPING = 3
