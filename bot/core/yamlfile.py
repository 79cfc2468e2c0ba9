"""Safe YAML loading that remembers where every key and item stood, for messages with line numbers."""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor

from bot.core.errors import Problem

Pos = tuple[int, int]  # 1-based line, column


class LDict(dict):
    """A mapping from YAML with the position of itself, each key and each value."""

    pos: Pos = (0, 0)
    key_pos: dict
    value_pos: dict


class LList(list):
    """A sequence from YAML with the position of itself and of each item."""

    pos: Pos = (0, 0)
    item_pos: list


def _pos(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def load_yaml(path: Path, shown: str) -> tuple[object, list[Problem]]:
    """Parse a YAML file with the safe loader; return (data, problems)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        return None, [Problem(shown, 0, 0, f"is not UTF-8 text ({e.reason} at byte {e.start}); save it as UTF-8")]
    except OSError as e:
        return None, [Problem(shown, 0, 0, f"cannot be read: {e.strerror}")]
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = e.problem or "invalid YAML"
        hint = ""
        if "found character '\\t'" in str(e):
            hint = " (YAML does not allow tabs for indentation: use spaces)"
        elif "mapping values are not allowed" in what:
            hint = " (a value containing ': ' needs quotes)"
        return None, [Problem(shown, line, col, f"YAML syntax error: {what}{hint}")]
    if node is None:
        return None, []
    problems: list[Problem] = []
    return _build(node, SafeConstructor(), shown, problems), problems


def _build(node: yaml.Node, constructor: SafeConstructor, shown: str, problems: list[Problem]):
    if isinstance(node, yaml.MappingNode):
        out = LDict()
        out.pos, out.key_pos, out.value_pos = _pos(node), {}, {}
        for key_node, value_node in node.value:
            key = _build(key_node, constructor, shown, problems)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                problems.append(Problem(shown, *_pos(key_node), "a key must be a plain word"))
                continue
            key = str(key)
            if key in out:
                first = out.key_pos[key][0]
                problems.append(Problem(shown, *_pos(key_node), f"'{key}' appears twice in the same block (first on line {first})"))
                continue
            out[key] = _build(value_node, constructor, shown, problems)
            out.key_pos[key] = _pos(key_node)
            out.value_pos[key] = _pos(value_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LList(_build(item, constructor, shown, problems) for item in node.value)
        seq.pos, seq.item_pos = _pos(node), [_pos(item) for item in node.value]
        return seq
    return constructor.construct_object(node, deep=True)
