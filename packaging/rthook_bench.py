"""PyInstaller runtime hook: lets packaging/bench_frozen.py time the frozen window.

Only when PARALLAX_BENCH_CHILD=1 is set, the bundle runs the GUI benchmark child of app/ui/bench.py
(launch -> first paint -> findings shown) instead of the app, so the figures are those of the
shipped executable (bootloader, bundled Qt, fonts and model), not of the source tree.
Without the variable this does nothing.
"""

import os
import sys

if os.environ.get("PARALLAX_BENCH_CHILD") == "1":
    os.environ.pop("PARALLAX_BENCH_CHILD")  # not inherited by worker processes
    # This hook runs as __main__: a spawned worker would try to run it again as its main
    # script. Without a main file it starts as the app's own worker does (entry.py).
    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__file__", None):
        del main.__file__
    from app.ui import bench

    sys.exit(bench.main(["--child", *sys.argv[1:]]))
