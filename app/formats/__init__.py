"""Our overrides of Django's locale formats (settings.FORMAT_MODULE_PATH); what is not set here
comes from Django's own (django/conf/locale/<language>/formats.py)."""
