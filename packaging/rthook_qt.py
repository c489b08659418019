"""PyInstaller runtime hook, in place of PyInstaller's own PySide6 hook on Linux (build.spec).

PyInstaller's hook imports PySide6.QtCore at every start of the executable, to register an
embedded qt.conf. That costs 0.1 to 0.15 s before any of our code runs, in every process the
bundle starts: `parallax compare` and the window's comparison worker (a re-launched copy of the
executable) never use Qt, yet both paid for it. This hook sets the same environment at once
(cheap) and does the QtCore part when, and only when, the app itself imports PySide6.QtCore.
"""

import os
import sys


def _install() -> None:
    import importlib.abc
    import importlib.machinery

    # The Linux part of PyInstaller's hook (Windows and macOS builds keep PyInstaller's own).
    qt_path = os.path.join(getattr(sys, "_MEIPASS", os.path.dirname(sys.executable)),
                           "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_path, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_path, "qml")

    def after_qtcore() -> None:
        # What PyInstaller's hook does at start-up, now that QtCore is loaded.
        from _pyi_rth_utils import qt

        qt.ensure_single_qt_bindings_package("PySide6")
        qt.create_embedded_qt_conf("PySide6", qt_path)

    class QtCoreHook(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
            if name != "PySide6.QtCore":
                return None
            sys.meta_path.remove(self)  # once: the real finders take it from here
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return spec
            run = spec.loader.exec_module

            def exec_module(module: object) -> None:
                run(module)  # type: ignore[arg-type]
                after_qtcore()

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, QtCoreHook())


_install()
del _install
