"""Browser tests: a real JupyterLab driven through Debian's Chromium (see lab.py)."""
