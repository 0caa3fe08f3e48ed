# Django's English writes a moment month first ("11/24/2026 2:05 p.m."), which the site's
# readers, used to Vietnamese day-first dates, would misread. Vietnamese keeps Django's own
# ("14:05 24-11-2026"). Pages show moments with |date:"SHORT_DATETIME_FORMAT".
SHORT_DATETIME_FORMAT = "j M Y, H:i"
# A day alone (the day an earlier upload was committed, in a report sentence): the same order.
SHORT_DATE_FORMAT = "j M Y"
