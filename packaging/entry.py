"""Frozen entry point: PyInstaller runs this file as __main__, the app lives in the `app` package.

(Freezing app/__main__.py directly would import it twice: once as __main__, once as app.__main__.)
"""

import multiprocessing

from app.__main__ import finish, main

if __name__ == "__main__":
    # A frozen app has no `python -c` for spawned worker processes (the GUI's "process" task
    # mode uses spawn): this turns a re-launched copy of the executable into that worker.
    multiprocessing.freeze_support()
    finish(main())
