"""Fresh virtualenvs for the install tests, offline: they see this interpreter's installed dependencies."""

from __future__ import annotations

import site
import subprocess
import sys
import sysconfig
from pathlib import Path


def venv_with_current_packages(where: Path) -> Path:
    """A fresh virtualenv that sees this interpreter's installed dependencies (so no network is needed).
    Only their folders are added, not their .pth files: an editable trace installed here is not seen."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = where / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    outer = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    Path(purelib, "outer-packages.pth").write_text("\n".join(sorted(outer)) + "\n")
    return python
