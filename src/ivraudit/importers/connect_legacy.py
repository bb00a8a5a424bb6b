"""The legacy Amazon Connect export (``{"modules": [...], "version": "1", "start": ...}``, before
flow language 2019-10-30), read into the same actions as a current flow: each module's type
becomes the action that replaced it, its ``parameters`` list a mapping, its ``branches`` the
transitions (Success -> NextAction, Error -> NoMatchingError, NoMatch -> NoMatchingCondition,
Timeout -> InputTimeLimitExceeded, AtCapacity -> QueueAtCapacity, Evaluate/True/False ->
conditions, Looping/Complete -> the Loop's)."""

from __future__ import annotations

from ..errors import MenuError
from ..format.yamlsource import PosDict
from .connect_flow import Action, Condition, ConnectFlow

_TYPES = {
    "PlayPrompt": "MessageParticipant", "StoreUserInput": "GetParticipantInput",
    "GetUserInput": "GetParticipantInput", "Disconnect": "DisconnectParticipant",
    "InvokeExternalResource": "InvokeLambdaFunction", "CheckAttribute": "Compare",
    "CheckHoursOfOperation": "CheckHoursOfOperation", "CheckStaffing": "CheckMetricData",
    "SetQueue": "UpdateContactTargetQueue", "Transfer": "TransferContactToQueue",
    "TransferToFlow": "TransferToFlow", "Loop": "Loop",
    "SetLoggingBehavior": "UpdateFlowLoggingBehavior", "SetAttributes": "UpdateContactAttributes",
    "SetVoice": "UpdateContactTextToSpeechVoice", "SetRecordingBehavior":
    "UpdateContactRecordingBehavior", "StartMediaStreaming": "StartMediaStreaming",
    "StopMediaStreaming": "StopMediaStreaming", "SetEventHook": "UpdateContactEventHooks",
    "SetCallbackNumber": "UpdateContactCallbackNumber",
    "SetWhisperFlow": "UpdateContactEventHooks", "SetCustomerQueueFlow": "UpdateContactEventHooks",
    "SetHoldFlow": "UpdateContactEventHooks",
}
_ERRORS = {"Error": "NoMatchingError", "NoMatch": "NoMatchingCondition",
           "Timeout": "InputTimeLimitExceeded", "AtCapacity": "QueueAtCapacity"}
_CASES = {"True": "True", "False": "False", "Looping": "ContinueLooping",
          "Complete": "DoneLooping"}


def legacy_flow(tree: PosDict, path: str, name: str, aliases: list[str]) -> ConnectFlow:
    actions: dict[str, Action] = {}
    modules = tree["modules"]
    for index, module in enumerate(modules):
        where = modules.item_pos[index]
        if not isinstance(module, dict) or not isinstance(module.get("id"), str) \
                or not isinstance(module.get("type"), str):
            raise MenuError(path, *where, "a module needs an `id` and a `type` (text)",
                            "give every module its id and type")
        kind = module["type"]
        params = _parameters(module.get("parameters"))
        action_type = _TYPES.get(kind, kind)
        params = _translate(kind, params)
        nxt, conditions, errors = None, [], {}
        branches = module.get("branches") if isinstance(module.get("branches"), list) else []
        for k, branch in enumerate(branches):
            if not isinstance(branch, dict):
                continue
            condition, target = branch.get("condition"), branch.get("transition")
            target = target if isinstance(target, str) and target else None
            if condition == "Success":
                nxt = target
            elif condition in _ERRORS:
                errors.setdefault(_ERRORS[condition], target)
            elif condition == "Evaluate":
                conditions.append(Condition(str(branch.get("conditionType") or "Equals"),
                                            [branch.get("conditionValue")], target,
                                            branches.item_pos[k]))
            elif condition in _CASES:
                conditions.append(Condition("Equals", [_CASES[condition]], target,
                                            branches.item_pos[k]))
        if kind == "CheckStaffing":  # True: agents staffed; False: none
            staffed = [c for c in conditions if c.operands == ["True"]]
            none = [c for c in conditions if c.operands == ["False"]]
            conditions = [Condition("NumberGreaterThan", ["0"], c.target, c.pos) for c in staffed]
            if none and none[0].target:
                errors.setdefault("NoMatchingCondition", none[0].target)
        metadata = module.get("metadata") if isinstance(module.get("metadata"), dict) else {}
        actions[module["id"]] = Action(module["id"], action_type, params, nxt, conditions,
                                       {k: v for k, v in errors.items() if v}, where,
                                       dict(metadata))
    start = tree.get("start")
    return ConnectFlow(name, "CONTACT_FLOW", str(start), tree.value_pos["start"], actions,
                       tree.pos, aliases)


def _parameters(listed) -> dict:
    """``[{name, value, resourceName...}]`` -> name -> value (a repeated name keeps the
    first; a value given as a resource keeps its resource name)."""
    found: dict = {}
    for item in listed if isinstance(listed, list) else []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            value = item.get("value")
            if value is None:
                value = item.get("resourceName")
            found.setdefault(item["name"], value)
    return found


def _translate(kind: str, params: dict) -> dict:
    """A legacy module's parameters under the names the current action uses."""
    out = dict(params)
    text = params.get("Text")
    if text is not None and str(params.get("TextToSpeechType", "text")).lower() == "ssml":
        out["SSML"] = out.pop("Text")
    if "AudioPrompt" in params and params["AudioPrompt"] is not None:
        out["PromptId"] = params["AudioPrompt"]
    if kind in ("StoreUserInput", "GetUserInput"):
        if "Timeout" in params:
            out["InputTimeLimitSeconds"] = params["Timeout"]
        if kind == "StoreUserInput":
            out["StoreInput"] = "True"
            if "MaxDigits" in params:
                out["InputValidation"] = {"CustomValidation": {"MaximumLength":
                                                               params["MaxDigits"]}}
    if kind == "InvokeExternalResource":
        out["LambdaFunctionARN"] = params.get("FunctionArn")
    if kind == "CheckAttribute":
        namespace = str(params.get("Namespace") or "Attributes").replace(" ", "")
        out["ComparisonValue"] = f"$.{namespace}.{params.get('Attribute')}"
    if kind == "CheckStaffing":
        out["MetricType"] = "NumberOfAgentsStaffed"
    if kind == "TransferToFlow":
        out["ContactFlowId"] = params.get("ContactFlowId") or params.get("ContactFlow")
    return out
