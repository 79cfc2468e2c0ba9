"""Safe YAML loading that remembers where every key and item stood, for messages with line numbers.

Course and config files are read from the parser's event stream (libyaml's C parser when PyYAML
has it, which is ~15x faster than the pure-Python composer) and built into plain dicts and lists
here, so that:

* **anchors (``&name``) and aliases (``*name``) are refused** with file:line. Teachers do not need
  them, and they are how a few lines of YAML expand into gigabytes ("billion laughs") or into a
  structure that contains itself. Refusing them is simpler to explain and to trust than capping an
  expanded size.
* **nesting is capped** at ``MAX_DEPTH`` levels (a course file needs five); deeper YAML is refused
  before anything is built, so no recursion limit can be hit.
* **tags** other than YAML's own scalar, list and mapping tags (``!!python/object``, ``!!set``,
  ``!custom``) are refused: only plain data comes in.
* a file bigger than ``MAX_BYTES`` is refused before parsing.
* parser errors are turned into a plain sentence a teacher can act on, with the line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)

from bot.core.errors import Problem

Pos = tuple[int, int]  # 1-based line, column

MAX_DEPTH = 20  # a fact file nests facts: [ {trivia: {accept: [..]}} ]: five levels; 20 leaves room
MAX_BYTES = 16 * 1024 * 1024  # one YAML file; a 5,000-fact course fits in a few MB even in one file
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed, same safe rules
_PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
               "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
# what YAML 1.1 does not allow in a stream (yaml.reader.Reader.NON_PRINTABLE)
_CONTROL = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")


# Values read from YAML are whatever the author wrote (text, numbers, lists, mappings) until a
# checker looks at them: Any is the honest type of an unchecked value.
class LDict(dict[str, Any]):
    """A mapping from YAML with the position of itself, each key and each value."""

    pos: Pos = (0, 0)
    key_pos: dict[str, Pos]
    value_pos: dict[str, Pos]


class LList(list[Any]):
    """A sequence from YAML with the position of itself and of each item."""

    pos: Pos = (0, 0)
    item_pos: list[Pos]


def new_dict(pos: Pos = (1, 1), **items: Any) -> LDict:
    out = LDict(items)
    out.pos, out.key_pos, out.value_pos = pos, dict.fromkeys(items, pos), dict.fromkeys(items, pos)
    return out


class _Refused(Exception):
    """Stop reading: the file uses something we do not accept (the problem is already recorded)."""


def load_yaml(path: Path, shown: str, typed: bool = True) -> tuple[object, list[Problem]]:
    """Parse a YAML file safely; return (data, problems). Never raises for what the file holds.

    With ``typed=False`` every scalar stays the text the author wrote (``yes`` stays "yes", ``3.10``
    stays "3.10"); only an empty value or ``~``/``null`` is None. Course files are read this way.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(shown, 0, 0, f"is {size // (1024 * 1024)} MB; a YAML file may be at most "
                                               f"{MAX_BYTES // (1024 * 1024)} MB: split it into several files")]
        raw = path.read_bytes()
    except OSError as e:
        return None, [Problem(shown, 0, 0, f"cannot be read: {e.strerror or e}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [Problem(shown, line, 0, f"is not UTF-8 text (bad byte at line {line}); save it as UTF-8")]
    return parse_yaml(text, shown, typed)


def parse_yaml(text: str, shown: str, typed: bool = True) -> tuple[object, list[Problem]]:
    """Parse YAML text (see the module docstring for what is refused); return (data, problems)."""
    problems: list[Problem] = []
    bad = _CONTROL.search(text)
    if bad:  # the reader would refuse it without a line number
        line = text.count("\n", 0, bad.start()) + 1
        return None, [Problem(shown, line, 0, f"holds an invisible control character (U+{ord(bad.group()):04X}) "
                                              "on this line: delete it")]
    loader = _Loader(text)
    try:
        return _build(loader, shown, problems, typed), problems
    except _Refused:
        return None, problems
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, problems + [Problem(shown, line, col, plain_error(e, text))]
    except yaml.YAMLError as e:  # e.g. a control character the reader refuses
        return None, problems + [Problem(shown, 0, 0, f"is not valid YAML: {_first_line(str(e))}")]
    finally:
        loader.dispose()


def _first_line(s: str) -> str:
    return s.strip().splitlines()[0] if s.strip() else "unknown error"


_INDENT = ("this line is indented differently from the lines of its block: line it up with the key or '- ' "
           "item it belongs with (indent with spaces, the same number for every line of a block)")
# The parser's words -> what to do about it. Checked in order against "context problem".
_PLAIN = (
    ("found character '\\t'", "a tab is used for indentation; YAML needs spaces"),
    ("found a tab character", "a tab is used for indentation; YAML needs spaces"),
    ("mapping values are not allowed", "a ':' followed by a space here: put the whole value in quotes "
                                       "(\"...\"), or check this line's indentation"),
    ("block sequence entries are not allowed", "a '- ' list item here is not where a list can start: check the "
                                               "indentation, or put the value after the ':' on its own lines"),
    ("expected <block end>", _INDENT),
    ("did not find expected key", _INDENT),
    ("did not find expected '-' indicator", _INDENT),
    ("could not find expected ':'", "a key is missing its ':', or a quote opened earlier is never closed"),
    ("found unexpected end of stream", "the file ends inside a quoted text: a quote is never closed"),
    ("expected ',' or ']'", "a [list] is not closed with ']', or an item in it needs quotes"),
    ("expected ',' or '}'", "a {mapping} is not closed with '}', or a value in it needs quotes"),
    ("found unknown escape character", "a backslash in double quotes starts an unknown escape: use single "
                                       "quotes, or write \\\\"),
    ("found undefined alias", "a '*' starts a YAML alias: put text that starts with '*' in quotes"),
    ("found character '@'", "a value cannot start with '@' or '`': put it in quotes"),
    ("found character '`'", "a value cannot start with '@' or '`': put it in quotes"),
    ("found character '%'", "a value cannot start with '%': put it in quotes"),
    ("found unexpected ':'", "a ':' here is not allowed: put the value in quotes"),
)


def plain_error(e: yaml.MarkedYAMLError, text: str = "") -> str:
    said = f"{e.context or ''} {e.problem or ''}"
    mark = e.problem_mark
    if mark is not None and "cannot start any token" in said:
        lines = text.split("\n")
        if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
            said = "found character '\\t'"
    for words, plain in _PLAIN:
        if words in said:
            return f"YAML syntax error: {plain}"
    return f"YAML syntax error ({e.problem or 'invalid YAML'}): check the indentation and quotes on this line and the one before"


def _pos(event: yaml.Event) -> Pos:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


_NO_KEY = object()


def _tag(tag: str | None) -> str:
    return (tag or "").replace("tag:yaml.org,2002:", "!!")


def _build(loader: Any, shown: str, problems: list[Problem], typed: bool = True) -> object:
    """Build LDict/LList/scalars from the event stream, refusing anchors, aliases, odd tags and deep nesting."""
    root = None
    documents = 0
    stack: list[list[Any]] = []  # [container, pending key, pending key position]

    def refuse(event: yaml.Event, message: str) -> None:
        line, column = _pos(event)
        problems.append(Problem(shown, line, column, message))
        raise _Refused

    def add(value: object, pos: Pos) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, LList):
            container.append(value)
            container.item_pos.append(pos)
            return
        if frame[1] is _NO_KEY:
            frame[1], frame[2] = value, pos
            return
        key, key_pos = frame[1], frame[2]
        frame[1] = _NO_KEY
        if isinstance(key, (LDict, LList)) or key is None or not isinstance(key, (str, int, float, bool)):
            problems.append(Problem(shown, key_pos[0], key_pos[1], "a key must be a plain word"))
            return
        key = str(key)
        if key in container:
            first = container.key_pos[key][0]
            problems.append(Problem(shown, key_pos[0], key_pos[1], f"'{key}' appears twice in the same block (first on line {first})"))
            return
        container[key] = value
        container.key_pos[key] = key_pos
        container.value_pos[key] = pos

    while True:
        event = loader.get_event()
        if isinstance(event, ScalarEvent):
            if event.anchor is not None:
                refuse(event, f"YAML anchors ('&{event.anchor}') are not allowed here: write the value out in full")
            if event.tag not in _PLAIN_TAGS:
                refuse(event, f"the YAML tag '{_tag(event.tag)}' is not allowed here: write plain text or numbers")
            add(_scalar(loader, event, typed), _pos(event))
        elif isinstance(event, CollectionStartEvent):
            if event.anchor is not None:
                refuse(event, f"YAML anchors ('&{event.anchor}') are not allowed here: write the value out in full")
            if event.tag not in _PLAIN_TAGS:
                refuse(event, f"the YAML tag '{_tag(event.tag)}' is not allowed here: write plain lists and mappings")
            if len(stack) >= MAX_DEPTH:
                refuse(event, f"the YAML is nested more than {MAX_DEPTH} levels deep here; a course needs far fewer")
            container = LDict() if isinstance(event, MappingStartEvent) else LList()
            container.pos = _pos(event)
            if isinstance(container, LDict):
                container.key_pos, container.value_pos = {}, {}
            else:
                container.item_pos = []
            stack.append([container, _NO_KEY, (0, 0)])
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            container = stack.pop()[0]
            add(container, container.pos)
        elif isinstance(event, AliasEvent):
            refuse(event, f"YAML aliases ('*{event.anchor}') are not allowed here: write the value out in full "
                          "(or put text that starts with '*' in quotes)")
        elif isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                refuse(event, "a second YAML document starts here ('---'): keep one document per file")
        elif isinstance(event, StreamEndEvent):
            return root


def _scalar(loader: Any, event: ScalarEvent, typed: bool = True) -> object:
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit) if tag is None else _STR
    if tag == _STR:
        return event.value
    if tag == _NULL:
        return None
    if not typed:
        return event.value
    # libyaml's Mark has the fields of yaml.error.Mark (the stubs name two classes); only messages read it
    start, end = cast("yaml.error.Mark | None", event.start_mark), cast("yaml.error.Mark | None", event.end_mark)
    node = yaml.ScalarNode(tag, event.value, start, end, event.style)
    try:
        return loader.yaml_constructors[tag](loader, node)
    except Exception:  # "!!int abc", "2024-13-45", 5,000-digit numbers: keep the text as written
        return event.value
