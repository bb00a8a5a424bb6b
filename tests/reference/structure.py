"""Reachability and shape (SPEC 5, 9.5, 9.6, 9.10): depth, one_key_human, unreachable, dead ends
and traps, by plain searches over explicit edge lists."""

from __future__ import annotations

from .menu import KEYPAD, Menu

HANGUP = None  # the implicit hangup node: an edge target, never listed


def _failure_targets(node):
    for action in node.on_invalid + node.on_timeout + (
            [node.on_exhausted] if node.on_exhausted is not None else []):
        yield node.id if action.kind in ("replay", "reprompt") else \
            ("restart" if action.kind == "restart" else
             "hangup" if action.kind == "hangup" else action.target)


def edges(menu: Menu, node_id: str, conditions: frozenset | None) -> list[str | None]:
    """Every edge out of a node as node ids (None: hangup). ``conditions`` None: the file's
    edges (every branch case and overflow); else the scenario's (its branch case, its
    overflows)."""
    node = menu.nodes[node_id]
    targets: list[str] = []
    if node.type in ("message", "input"):
        targets.append(node.next)
    if node.type == "menu":
        targets += [o.goto for o in node.options]  # spoken and hidden options included
    if node.type in ("menu", "input"):
        targets += list(_failure_targets(node))
    if node.type == "branch":
        if conditions is None:
            targets += [goto for _, goto in node.cases] + [node.else_]
        else:
            targets.append(menu.passes(node_id, conditions))
    if node.person and node.overflow:
        if conditions is None or node.overflow[0] <= conditions:
            targets.append(node.overflow[1])
    return [menu.resolve(t) for t in targets]


def reachable(menu: Menu, conditions: frozenset | None) -> set[str]:
    seen, todo = set(), [menu.entry]
    while todo:
        node_id = todo.pop()
        if node_id is None or node_id in seen:
            continue
        seen.add(node_id)
        todo += edges(menu, node_id, conditions)
    return seen


def depth(menu: Menu, conditions: frozenset) -> int:
    """The largest, over reachable menus, of the fewest menus passed to reach it (itself
    included): relax until nothing changes."""
    def weight(node_id):
        return 1 if menu.nodes[node_id].type == "menu" else 0
    level = {menu.entry: weight(menu.entry)}
    changed = True
    while changed:
        changed = False
        for node_id in list(level):
            for nxt in edges(menu, node_id, conditions):
                if nxt is None:
                    continue
                through = level[node_id] + weight(nxt)
                if nxt not in level or through < level[nxt]:
                    level[nxt], changed = through, True
    return max((lv for n, lv in level.items() if menu.nodes[n].type == "menu"), default=0)


def one_key_human(menu: Menu, conditions: frozenset) -> dict[str, list[dict]]:
    found = {}
    for node_id in sorted(reachable(menu, conditions)):
        node = menu.nodes[node_id]
        if node.type != "menu":
            continue
        rows = []
        for option in node.keyed:
            if len(option.key) != 1:
                continue
            here, seen = menu.resolve(option.goto), set()
            while here is not None and here not in seen and not menu.is_person(here, conditions):
                seen.add(here)
                there = menu.nodes[here]
                passed = menu.passes(here, conditions)
                if passed is not None:
                    here = menu.resolve(passed)
                elif there.type == "message":
                    here = menu.resolve(there.next)
                else:
                    here = None
            if here is not None and menu.is_person(here, conditions):
                rows.append({"key": option.key, "announced": option.seconds is not None})
        if rows:
            found[node_id] = sorted(rows, key=lambda r: KEYPAD.index(r["key"]))
    return found


def unreachable(menu: Menu) -> list[str]:
    return sorted(set(menu.nodes) - reachable(menu, None))


def _reaches(menu: Menu, start: str) -> set:
    """Nodes reachable from ``start`` over the file's edges (start itself only via a cycle);
    the hangup appears as None."""
    seen, todo = set(), list(edges(menu, start, None))
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        if node_id is not None:
            todo += edges(menu, node_id, None)
    return seen


def dead_ends(menu: Menu) -> list[str]:
    def goal(node_id):
        node = menu.nodes[node_id]
        return node.person or node.type in ("callback", "transfer")
    ends = []
    for node_id, node in menu.nodes.items():
        if node.person or node.type in ("callback", "hangup", "transfer"):
            continue
        if not any(n is not None and goal(n) for n in _reaches(menu, node_id)):
            ends.append(node_id)
    return sorted(ends)


def traps(menu: Menu) -> list[list[str]]:
    reach = {n: _reaches(menu, n) for n in menu.nodes}
    found = set()
    for node_id in menu.nodes:
        if node_id not in reach[node_id]:
            continue  # on no cycle: no self-loop and no larger group
        group = {n for n in reach[node_id] if n is not None and node_id in reach[n]} | {node_id}
        leaves = any(t not in group for n in group for t in edges(menu, n, None))
        if not leaves and not any(menu.nodes[n].person for n in group):
            found.add(tuple(sorted(group)))
    return [list(t) for t in sorted(found)]
