"""Frozen entry point: PyInstaller runs this file as __main__, the app lives in the `app` package.

(Freezing app/__main__.py directly would import it twice: once as __main__, once as app.__main__.)
"""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
