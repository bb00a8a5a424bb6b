"""The README and docs/ as a newcomer meets them: every menu and policy they show can be used
as written, every link goes somewhere, and `./run` sees what is installed."""

from __future__ import annotations

import re
import subprocess

from helpers import ROOT


def test_run_sees_an_installed_cjk_font_however_long_the_font_list(tmp_path):
    # `fc-list | grep -q` under pipefail: grep stops at the first match, fc-list dies of
    # SIGPIPE and the font counted as missing, so every ./run called apt-get again
    fake = tmp_path / "fc-list"
    fake.write_text("#!/bin/sh\necho '/fonts/NotoSansCJK-Regular.ttc: Noto Sans CJK SC'\n"
                    "yes '/fonts/Other.ttf: Other Sans:style=Regular' | head -n 200000\n")
    fake.chmod(0o755)
    function = re.search(r"^missing_packages\(\) \{.*?^\}", (ROOT / "run").read_text(),
                         re.S | re.M).group(0)
    script = f"set -euo pipefail\n{function}\nmissing_packages fonts-noto-cjk\n"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                          env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
