"""Amazon Connect contact flows (SPEC section 10; docs/importers.md, Amazon Connect).

Every container a flow is shipped in: the bare flow (``Version``, ``StartAction``,
``Actions``), the exported wrapper (``Name``, ``Type``, ``Content`` holding the flow as a JSON
string), the DescribeContactFlow response (``{"ContactFlow": {..., "Content": "..."}}``), the
legacy export (``modules``, before flow language 2019-10-30), and CloudFormation templates
with ``AWS::Connect::ContactFlow`` resources (YAML with ``!Sub``/``!Ref``, or JSON). A flow
inside a string keeps exact positions in the file (importers.templates).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import MenuError
from ..format.yamlsource import PosDict
from .base import ImportedFlow
from .connect_flow import API, TITLE, Action, Condition, ConnectFlow, build
from .connect_flow import NAME as NAME
from .connect_legacy import legacy_flow
from .source import Source
from .templates import parse_inner, string_relocation

SUFFIXES = (".json", ".yaml", ".yml", ".template")
# words its files hold whatever their shape: such a file that does not parse is a damaged
# flow, an error (importers.damaged_flow)
SIGNS = ('"StartAction"',)
_FLOW_RESOURCES = ("AWS::Connect::ContactFlow", "AWS::Connect::ContactFlowModule")

__all__ = ["NAME", "TITLE", "SUFFIXES", "SIGNS", "detect", "read"]


def _shape(tree) -> str | None:
    """Which container ``tree`` is, or None."""
    if not isinstance(tree, PosDict):
        return None
    if "StartAction" in tree and isinstance(tree.get("Actions"), list):
        return "bare"
    if isinstance(tree.get("ContactFlow"), dict) and "Content" in tree["ContactFlow"]:
        return "described"
    if isinstance(tree.get("Content"), str) and ("Type" in tree or "Name" in tree):
        return "wrapper"
    if isinstance(tree.get("modules"), list) and "start" in tree:
        return "legacy"
    resources = tree.get("Resources")
    if isinstance(resources, dict) and any(
            isinstance(r, dict) and r.get("Type") in _FLOW_RESOURCES for r in resources.values()):
        return "cloudformation"
    return None


def detect(source: Source) -> bool:
    if source.suffix not in SUFFIXES + ("",) or not source.has_lenient_tree():
        return False
    return _shape(source.lenient_tree) is not None


def read(source: Source, options) -> list[ImportedFlow]:
    """Every flow in the file; MenuError where one cannot be read."""
    tree = source.lenient_tree
    shape = _shape(tree)
    stem = Path(source.path).stem
    if shape is None:
        raise MenuError(source.path, *getattr(tree, "pos", (1, 1)),
                        "not an Amazon Connect flow: no StartAction and Actions, no Content, "
                        "no legacy modules and no AWS::Connect::ContactFlow resource",
                        "give a flow exported from Amazon Connect, or drop --from connect")
    if shape == "bare":
        return [build(_flow(tree, source.path, stem, None, [stem]), source.path, options)]
    if shape == "legacy":
        metadata = tree.get("metadata") if isinstance(tree.get("metadata"), dict) else {}
        name = str(metadata.get("name") or stem)
        return [build(legacy_flow(tree, source.path, name, [stem]), source.path, options)]
    if shape in ("wrapper", "described"):
        outer = tree["ContactFlow"] if shape == "described" else tree
        name = str(outer.get("Name") or stem)
        inner = _content(source, outer, "Content")
        kind = outer.get("Type")
        return [build(_flow(inner, source.path, name, kind, [stem]), source.path, options)]
    return _cloudformation(source, tree, options)


def _content(source: Source, holder: PosDict, key: str):
    """The flow written as a string under ``holder[key]``, parsed with positions in the file."""
    text = holder[key]
    if isinstance(text, dict) and len(text) == 1:  # CloudFormation JSON: {"Fn::Sub": ...}
        (function, value), = text.items()
        if function == "Fn::Sub":
            where = text.value_pos[function]
            if isinstance(value, list) and value and isinstance(value[0], str):
                where, value = value.item_pos[0], value[0]
            if isinstance(value, str):
                return parse_inner(value, source.path, string_relocation(source.text, where, value))
        if function == "Fn::Join" and isinstance(value, list) and len(value) == 2 \
                and isinstance(value[1], list) and all(isinstance(v, str) for v in value[1]):
            joined = str(value[0]).join(value[1])
            return parse_inner(joined, source.path,
                               string_relocation(source.text, holder.value_pos[key], ""))
    if not isinstance(text, str):
        raise MenuError(source.path, *holder.value_pos[key],
                        f"`{key}` must hold the flow as a JSON string",
                        "export the flow again, or give the flow JSON itself")
    return parse_inner(text, source.path, string_relocation(source.text, holder.value_pos[key],
                                                           text))


def _cloudformation(source: Source, tree: PosDict, options) -> list[ImportedFlow]:
    flows = []
    for logical_id, resource in tree["Resources"].items():
        if not isinstance(resource, dict) or resource.get("Type") not in _FLOW_RESOURCES:
            continue
        properties = resource.get("Properties")
        if not isinstance(properties, dict) or "Content" not in properties:
            raise MenuError(source.path, *tree["Resources"].value_pos[logical_id],
                            f"resource {logical_id} has no Properties.Content",
                            "give the flow's Content (its JSON as a string)")
        name = properties.get("Name")
        name = str(name) if isinstance(name, str) and name.strip() else str(logical_id)
        inner = _content(source, properties, "Content")
        kind = "FLOW_MODULE" if resource["Type"].endswith("Module") else properties.get("Type")
        flow = _flow(inner, source.path, name, kind, [str(logical_id)])
        flows.append(build(flow, source.path, options))
    return flows


def _flow(tree, path: str, name: str, kind, aliases: list[str]) -> ConnectFlow:
    """A flow in flow language 2019-10-30 (the parsed JSON, positions in ``path``)."""
    if not isinstance(tree, PosDict) or not isinstance(tree.get("Actions"), list) \
            or "StartAction" not in tree:
        where = getattr(tree, "pos", (1, 1))
        raise MenuError(path, *where, "the flow has no `StartAction` and `Actions`",
                        "give a flow in the Amazon Connect flow language (Version 2019-10-30)")
    metadata = tree.get("Metadata") if isinstance(tree.get("Metadata"), dict) else {}
    action_meta = metadata.get("ActionMetadata") if isinstance(metadata, dict) else {}
    action_meta = action_meta if isinstance(action_meta, dict) else {}
    actions: dict[str, Action] = {}
    for index, raw in enumerate(tree["Actions"]):
        where = tree["Actions"].item_pos[index]
        if not isinstance(raw, PosDict) or not isinstance(raw.get("Identifier"), str) \
                or not isinstance(raw.get("Type"), str):
            raise MenuError(path, *where, "an action needs an `Identifier` and a `Type` (text)",
                            "give every action its Identifier and Type",)
        transitions = raw.get("Transitions") if isinstance(raw.get("Transitions"), dict) else {}
        conditions = []
        for k, item in enumerate(_list(transitions.get("Conditions"))):
            if not isinstance(item, dict):
                continue
            condition = item.get("Condition") if isinstance(item.get("Condition"), dict) else {}
            operands = condition.get("Operands")
            conditions.append(Condition(str(condition.get("Operator", "Equals")),
                                        list(operands) if isinstance(operands, list) else
                                        [operands], _text(item.get("NextAction")),
                                        transitions["Conditions"].item_pos[k]))
        errors = {}
        for item in _list(transitions.get("Errors")):
            if isinstance(item, dict) and isinstance(item.get("ErrorType"), str):
                errors.setdefault(item["ErrorType"], _text(item.get("NextAction")))
        params = raw.get("Parameters") if isinstance(raw.get("Parameters"), dict) else {}
        meta = action_meta.get(raw["Identifier"])
        actions[raw["Identifier"]] = Action(
            raw["Identifier"], raw["Type"], params, _text(transitions.get("NextAction")),
            conditions, {k: v for k, v in errors.items() if v}, where,
            meta if isinstance(meta, dict) else {})
    start = tree["StartAction"]
    return ConnectFlow(name, str(kind) if kind else None, str(start), tree.value_pos["StartAction"],
                       actions, tree.pos, aliases)


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


DOCS = API + "flow-language.html"
