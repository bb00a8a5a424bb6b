"""Install weight: the audit needs neither numpy nor scipy (they are the `simulate` extra), and
the one command that needs them says how to install them."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from helpers import MENUS, ROOT
from ivraudit.cli import main


def test_the_audit_imports_neither_numpy_nor_scipy():
    # a fresh interpreter: this test process has imported numpy for the simulator's tests
    script = (
        "import sys\n"
        "from ivraudit.cli import main\n"
        "for fmt in ('text', 'json', 'html', 'sarif'):\n"
        "    try:\n"
        "        main(['audit', '--fail-on', 'never', '--format', fmt, 'menus/'],"
        " standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'scipy')),"
        " file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_statistics_without_numpy_say_how_to_install_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "numpy", None)  # `import numpy` now raises ImportError
    bank = str(MENUS / "bank.yaml")
    result = CliRunner().invoke(main, ["simulate", bank, "--persona", "elderly"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the statistics of many callers (simulate --persona) "
                                    "need numpy")
    assert "pip install 'ivraudit[simulate]'" in result.stderr
    assert "Traceback" not in result.stderr
    # a scripted call needs neither
    assert CliRunner().invoke(main, ["simulate", bank, "--keys", "1"]).exit_code == 0


def test_the_live_preview_without_its_extra_says_how_to_install_it(monkeypatch, tmp_path):
    for module in ("starlette", "watchfiles"):  # as if `ivraudit[serve]` were not installed
        monkeypatch.setitem(sys.modules, module, None)
    for command in (["serve", str(MENUS)],
                    ["render", "--watch", str(MENUS / "bank.yaml"), "-o", str(tmp_path / "b.svg")]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.exception
        assert result.stderr.startswith("error: the live preview (serve) and render --watch need ")
        assert "pip install 'ivraudit[serve]'" in result.stderr
