"""An independent, deliberately simple reference for every metric of SPEC sections 5 and 9.

It reads a menu's plain data itself (menu.py) and answers by brute force: every simple path
enumerated for the best paths (paths.py), the silent caller stepped one event at a time and the
persistent caller searched over fully explicit states (callers.py), plain searches for the
shape (structure.py). It is written from the SPEC alone, never from src/ivraudit/analysis/, and
is meant for small menus (up to ~8 nodes). tests/test_reference.py compares it with the JSON
report on random menus; compare.py says how.
"""

from .compare import differences
from .metrics import reference_metrics

__all__ = ["differences", "reference_metrics"]
