"""Fava's frontend, read-only for supervisors: no editor, add, import or upload control.

Fava 1.30's read-only mode refuses writes on the wire only: its Svelte bundle still
draws the 编辑器 link with its "+" (add entry) dialog, 导入, the save and delete
buttons and the drop-to-upload dialog, all of which then fail with a red HTTP
error. The sidebar and dialogs are built in `static/app.js` from code, not from a
template or an option, so the service hands the browser a copy of Fava's bundle
with those pieces cut out (and the source view's CodeMirror made read-only).

Every cut is an exact text replacement that must match exactly once: a Fava
release that changes the bundle makes `patched()` raise at startup (and the
tests fail) instead of silently showing the controls again. pyproject pins fava
<1.31.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import fava

STATIC = Path(fava.__file__).parent / "static"
APP_JS = "app.js"
SOURCE_TITLE = "源文件（只读）"

# (what Fava's bundle says, what we serve instead, why)
APP_PATCHES: list[tuple[str, str]] = [
    # The sidebar's 编辑器 entry (and its "+" add-entry link): not drawn at all.
    (
        '    SidebarLink(node_13, {\n      report: "editor",',
        '    (() => {})(node_13, {\n      report: "editor",',
    ),
    # The sidebar's 导入 entry (Fava's import page is the accountant's job).
    (
        '    SidebarLink(node_15, {\n      report: "import",',
        '    (() => {})(node_15, {\n      report: "import",',
    ),
    # The narrow-screen "+" button next to the menu button.
    (
        ' <a class="button svelte-1j8fgfq" href="#add-transaction">+</a>',
        "",
    ),
    # The add-entry dialog never opens, not even from `#add-transaction` typed in the URL.
    (
        'let shown = user_derived(() => $hash() === "add-transaction");',
        "let shown = user_derived(() => false);",
    ),
    # Dropping files on the page opens no upload dialog.
    (
        "let shown = user_derived(() => get2(files) != null);",
        "let shown = user_derived(() => false);",
    ),
    # No 保存 and no 删除 button (source view, entry context).
    (
        "function SaveButton($$anchor, $$props) {\n",
        "function SaveButton($$anchor, $$props) {\n  return;\n",
    ),
    (
        "function DeleteButton($$anchor, $$props) {\n",
        "function DeleteButton($$anchor, $$props) {\n  return;\n",
    ),
    # Ctrl-S in the source view sends nothing.
    (
        "  async function save(cm) {\n    set(saving, true);",
        "  async function save(cm) {\n    return;\n    set(saving, true);",
    ),
    # The editor page is the read-only source view: so titled.
    (
        '  () => _("Editor")\n);',
        f'  () => "{SOURCE_TITLE}"\n);',
    ),
    # Sidebar query labels whole: Fava's truncate keeps the *tail* ("转）…").
    (
        "const truncate = (s) => s.length < 25 ? s : `${s.slice(25)}\\u2026`;",
        "const truncate = (s) => s;",
    ),
]

BEANCOUNT_PATCHES: list[tuple[str, str]] = [
    # The source view's CodeMirror refuses typing (programmatic loads still work).
    (
        "      base_extensions,\n      syntaxHighlighting(beancount_highlight)\n    ]",
        "      base_extensions,\n      syntaxHighlighting(beancount_highlight),\n"
        "      EditorState.readOnly.of(true)\n    ]",
    ),
]

# The lazily-loaded CodeMirror chunk, named with a content hash by Fava's build.
BEANCOUNT_CHUNK = re.compile(r"beancount-[A-Z0-9]+\.js")


class FrontendMismatch(RuntimeError):
    """Fava's bundle is not the one the patches were written for."""


def _apply(name: str, text: str, patches: list[tuple[str, str]]) -> str:
    for old, new in patches:
        count = text.count(old)
        if count != 1:
            raise FrontendMismatch(
                f"Fava 前端与本服务不匹配（{name} 中找到 {count} 处 {old[:60]!r}）"
            )
        text = text.replace(old, new)
    return text


@cache
def patched(name: str) -> bytes | None:
    """The served bytes of Fava's static file `name` if we change it, else None."""
    if name == APP_JS:
        patches = APP_PATCHES
    elif BEANCOUNT_CHUNK.fullmatch(name):
        patches = BEANCOUNT_PATCHES
    else:
        return None
    path = STATIC / name
    if not path.is_file():
        return None
    return _apply(name, path.read_text(encoding="utf-8"), patches).encode("utf-8")


def check_frontend() -> None:
    """Fail at startup, not in a supervisor's browser, if Fava's bundle changed."""
    patched(APP_JS)
    for chunk in STATIC.glob("beancount-*.js"):
        patched(chunk.name)
