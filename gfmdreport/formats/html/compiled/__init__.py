"""The built-in page templates compiled by Jinja2, written by
:mod:`gfmdreport.formats.html.precompiled`: do not edit (``python
tools/precompile_html.py`` writes them again)."""
