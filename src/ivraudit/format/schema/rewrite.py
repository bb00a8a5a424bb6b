"""fastjsonschema's validator, rewritten before it is compiled: the same answers and the same
messages, in the same order whatever the hash seed, at about half the cost.

The rewrite works on the syntax tree of the code fastjsonschema writes (its own, from our
schema) and changes four things:

1. A mapping's keys are walked in the file's order: ``set(data.keys())`` becomes
   ``dict.fromkeys(data)`` (and ``keys.remove(k)`` becomes ``del keys[k]``). Walking a set
   follows the hash seed: of two mistakes, one run would report one and the next the other.
2. ``"...{x}...".format(**locals())`` names the fields it uses (``locals()`` copies every local
   variable of a large function, and it runs for every node, to name the path of a value).
3. Where a failure is caught and dropped (a branch of ``anyOf``, the ``if`` of ``if``/``then``:
   each node of a menu tries the ``if`` of all eight node types), it is raised as a bare
   ``_Skipped`` instead of an exception whose message, path and schema are built first and
   never read. Failures that reach the caller keep their message.
4. The ``if`` of a node type (``{"properties": {"type": {"const": "menu"}}, "required":
   ["type"]}``, tried for all eight types on every node) becomes one comparison,
   ``data.get('type') == 'menu'``, in an ``if`` around its ``then``: no set of missing keys,
   no copy of the keys and no exception for each of the seven types a node is not (a fifth of
   the validation of a 5,000-menu file). Recognised by the code's exact text: code that
   differs (another fastjsonschema) is left as it is.
5. Nothing else: every check stays where fastjsonschema put it.
"""

from __future__ import annotations

import ast
import re
from string import Formatter

EXCEPTION = "JsonSchemaValueException"
SKIPPED = "_Skipped"  # defined where the code runs (schema._run)


def rewrite(source: str) -> ast.Module:
    """The rewritten validator module (to compile)."""
    return ast.fix_missing_locations(_Rewriter().visit(ast.parse(source)))


class _Rewriter(ast.NodeTransformer):
    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        self.generic_visit(node)
        value = node.value
        # X_keys = set(Y.keys())  ->  X_keys = dict.fromkeys(Y)
        if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id == "set" and len(value.args) == 1
                and isinstance(value.args[0], ast.Call)
                and isinstance(value.args[0].func, ast.Attribute)
                and value.args[0].func.attr == "keys" and not value.args[0].args):
            node.value = ast.Call(ast.Attribute(ast.Name("dict", ast.Load()), "fromkeys",
                                                ast.Load()),
                                  [value.args[0].func.value], [])
        return node

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        self.generic_visit(node)
        call = node.value
        # X_keys.remove(K)  ->  del X_keys[K]
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr == "remove" and isinstance(call.func.value, ast.Name)
                and call.func.value.id.endswith("_keys") and len(call.args) == 1):
            return ast.Delete([ast.Subscript(ast.Name(call.func.value.id, ast.Load()),
                                             call.args[0], ast.Del())])
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        # "...{x}...".format(**locals())  ->  "...{x}...".format(x=x)
        if (isinstance(node.func, ast.Attribute) and node.func.attr == "format"
                and isinstance(node.func.value, ast.Constant)
                and isinstance(node.func.value.value, str) and not node.args
                and len(node.keywords) == 1 and node.keywords[0].arg is None
                and _is_locals(node.keywords[0].value)):
            names = dict.fromkeys(field.split(".")[0].split("[")[0]
                                  for _, field, _, _ in Formatter().parse(node.func.value.value)
                                  if field)
            node.keywords = [ast.keyword(name, ast.Name(name, ast.Load())) for name in names]
        return node

    def visit_Try(self, node: ast.Try) -> ast.AST:
        self.generic_visit(node)
        if node.handlers and all(_drops(handler) for handler in node.handlers):
            node.body = [_SkipRaises().visit(statement) for statement in node.body]
            tested = _TYPE_TEST.fullmatch(ast.unparse(node.body))
            if tested and node.orelse and not node.finalbody:
                # a non-mapping passes the `if` (its `properties` say nothing about it); a
                # mapping passes when its `type` is the constant, a string (const compares
                # types too, and only a string equals a string)
                test = ast.parse(f"not isinstance(data, dict) or data.get('type') == "
                                 f"{tested.group(1)}", mode="eval").body
                return ast.copy_location(ast.If(test, node.orelse, []), node)
        return node


# The `if` of one node type, as fastjsonschema writes it (after _SkipRaises).
_TYPE_TEST = re.compile(re.escape(
    "data_is_dict = isinstance(data, dict)\n"
    "if data_is_dict:\n"
    "    data__missing_keys = set(['type']) - data.keys()\n"
    "    if data__missing_keys:\n"
    "        raise _Skipped()\n"
    "    data_keys = dict.fromkeys(data)\n"
    "    if 'type' in data_keys:\n"
    "        del data_keys['type']\n"
    "        data__type = data['type']\n"
    "        if not (isinstance(data__type, str) and data__type == ")
    + r"('[a-z_]+')" + re.escape("):\n            raise _Skipped()"))


def _is_locals(value: ast.AST) -> bool:
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id == "locals" and not value.args)


def _drops(handler: ast.ExceptHandler) -> bool:
    """Whether a handler catches the validator's failures without looking at them."""
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return handler.name is None and any(isinstance(t, ast.Name) and t.id == EXCEPTION
                                        for t in caught)


class _SkipRaises(ast.NodeTransformer):
    """``raise JsonSchemaValueException(...)`` -> ``raise _Skipped()`` (not inside a
    function defined there, which raises to its own callers)."""

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return node

    def visit_Raise(self, node: ast.Raise) -> ast.AST:
        exc = node.exc
        if isinstance(exc, ast.Call) and isinstance(exc.func, ast.Name) and exc.func.id == EXCEPTION:
            return ast.copy_location(ast.Raise(ast.Call(ast.Name(SKIPPED, ast.Load()), [], []),
                                               None), node)
        return node
