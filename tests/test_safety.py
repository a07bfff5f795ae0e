"""Safety: user-controlled strings never become markup, and the kernel installer writes only
under its prefix (issue 6, item 6).

A notebook namespace can bind any string as a "variable name", a custom ``autograd.Function``
can have any class name, and graph notes repeat both. Every output (DOT, SVG, the HTML
export, the widget's SVG, inspector and status) is parsed with ``html.parser``: no
``<script>`` element and no ``on...=`` event-handler attribute may come from user data.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from graph_programs import graph_of_function_named, graph_with_name

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.graph.steps import step_count
from autogradviz.render.dot import html_escape
from autogradviz.widget.inspector import inspector_html

EVIL_NAMES = [
    "<script>alert(1)</script>",
    '"><img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "'><a href='javascript:alert(1)'>x</a>",
    '\\N"; node [label=<<script>>]; x="',  # DOT escapes and a DOT injection attempt
    "<![CDATA[<script>alert(1)</script>]]>",
    "ok\nline<b onmouseover=alert(1)>",
]


class _Markup(HTMLParser):
    """Collects the elements and attributes of an HTML/SVG document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


def assert_inert(markup: str) -> None:
    """No script element, no event handler, no javascript: URL anywhere in ``markup``."""
    parser = _Markup()
    parser.feed(markup)
    parser.close()
    assert "script" not in parser.tags, parser.tags
    handlers = [name for name, _ in parser.attrs if name.lower().startswith("on")]
    assert not handlers, handlers
    urls = [v for n, v in parser.attrs if n.endswith("href") and "javascript:" in v.lower()]
    assert not urls, urls
    # Graphviz's own <a> elements carry tooltips; elements that load or embed content do not
    # appear in a drawing, so one of them could only come from user text.
    assert not {"img", "iframe", "object", "embed", "foreignobject"} & set(parser.tags)


def assert_inert_page(page: str, name: str) -> None:
    """The handout: inert but for its one script of its own, which holds no user text."""
    head, script_and_rest = page.split("<script>", 1)
    script, rest = script_and_rest.split("</script>", 1)
    assert "<script" not in rest and name not in script and html_escape(name) not in script
    assert_inert(head + rest)


@pytest.fixture(autouse=True)
def _capture(with_capture):
    """Every test here reads ``mx.last_graph()``."""


@pytest.mark.parametrize("name", EVIL_NAMES)
def test_safety_variable_names_are_escaped_in_dot(name):
    graph = graph_with_name(name, nonfinite=True)
    assert graph.node("n0").name == name
    dot = graph.to_dot()
    # every DOT statement is one line: an injected quote or newline cannot start a new one
    assert all(not line.lstrip().startswith("node [label=<<") for line in dot.splitlines())
    labels = [line for line in dot.splitlines() if line.startswith("  n0 [")]
    assert len(labels) == 1
    assert "<script" not in dot and "<img" not in dot and "<svg" not in dot
    assert "first NaN/Inf" in dot  # the note repeats the name, escaped


@pytest.mark.parametrize("name", EVIL_NAMES)
def test_safety_variable_names_are_inert_in_svg_and_html(name, tmp_path):
    graph = graph_with_name(name, nonfinite=True)
    svg = graph.to_svg()
    assert_inert(svg)
    page = Path(graph.save(tmp_path / "graph.html")).read_text(encoding="utf-8")
    assert_inert_page(page, name)
    pictures = step_count(graph) + 1  # one drawing per backward step, none supplied by a user
    assert page.count("<svg") == pictures
    bundle = graph._repr_mimebundle_()
    assert_inert(bundle["image/svg+xml"])


@pytest.mark.parametrize("name", EVIL_NAMES)
def test_safety_variable_names_are_inert_in_the_widget(name):
    from autogradviz.widget.view import GraphView

    graph = graph_with_name(name)
    view = GraphView()
    view.push(graph)
    for step in range(view.slider.max + 1):
        view._stepping = True
        view.slider.value = step
        view.refresh()
        assert_inert(view.status.value)
        assert_inert(view.picture())
    for node in graph.nodes:
        view.canvas.selected = node.id
        assert_inert(view.inspector.value)
        assert_inert(inspector_html(graph, node.id))


@pytest.mark.parametrize("name", EVIL_NAMES[:3])
def test_safety_widget_without_dot_escapes_the_text_listing(name, monkeypatch, tmp_path):
    from autogradviz.render import svg
    from autogradviz.widget.view import GraphView

    graph = graph_with_name(name)
    monkeypatch.setattr(svg, "_chosen", "system")  # a system dot was asked for...
    monkeypatch.setenv("PATH", str(tmp_path))  # ...and is missing: the widget shows text
    view = GraphView()
    view.push(graph)
    assert "<pre>" in view.picture()
    assert_inert(view.picture())


@pytest.mark.parametrize("name", EVIL_NAMES)
def test_safety_custom_function_class_names_are_inert_everywhere(name, tmp_path):
    from autogradviz.widget.view import GraphView

    graph = graph_of_function_named(name)
    assert graph.node(graph.heads[0]).op == name
    assert "<script" not in graph.to_dot() and "<img" not in graph.to_dot()
    view = GraphView()
    view.push(graph)
    view._move(+1)
    view.canvas.selected = graph.heads[0]
    for markup in (view.picture(), view.inspector.value, view.status.value):
        assert_inert(markup)
    assert_inert(graph.to_svg())
    assert_inert_page(Path(graph.save(tmp_path / "g.html")).read_text(encoding="utf-8"), name)


def test_safety_text_listing_keeps_names_verbatim():
    """Plain text is not markup: the listing shows the name as the user wrote it."""
    graph = graph_with_name(EVIL_NAMES[0])
    assert EVIL_NAMES[0] in graph.to_text()


def test_safety_html_export_has_a_strict_content_security_policy(tmp_path):
    page = Path(graph_with_name("x_safe").save(tmp_path / "g.html")).read_text()
    assert "default-src 'none'" in page and "'unsafe-inline'; img" not in page
    # scripts: only the page's own, by its hash (an injected inline script has another)
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in page


# --------------------------------------------------------------------------- kernel installer

jupyter_client = pytest.importorskip("jupyter_client")
pytest.importorskip("ipykernel")


def _files(directory: Path) -> set[Path]:
    return {Path(top) / name for top, _, names in os.walk(directory) for name in names}


@pytest.fixture
def _isolated_jupyter(tmp_path, monkeypatch):
    for variable in ("JUPYTER_DATA_DIR", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "IPYTHONDIR"):
        (tmp_path / "env" / variable).mkdir(parents=True)
        monkeypatch.setenv(variable, str(tmp_path / "env" / variable))


@pytest.mark.usefixtures("_isolated_jupyter")
@pytest.mark.parametrize("prefix", ["with spaces/and more", "ünïcødé-前缀", "a'quote \"b"])
def test_safety_kernel_prefix_with_spaces_and_unicode(tmp_path, prefix):
    from autogradviz import kernel

    root = tmp_path / "root"
    root.mkdir()
    before = _files(tmp_path)
    path = Path(kernel.install(prefix=str(root / prefix)))
    created = _files(tmp_path) - before
    assert created and all(p.is_relative_to(root / prefix) for p in created), created
    assert path == root / prefix / "share" / "jupyter" / "kernels" / "autogradviz"
    assert kernel.loads_autogradviz(str(path))
    kernel.uninstall(prefix=str(root / prefix))
    assert not path.exists()


@pytest.mark.usefixtures("_isolated_jupyter")
def test_safety_kernel_relative_prefix_resolves_against_the_working_directory(
    tmp_path, monkeypatch
):
    from autogradviz import kernel

    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    before = _files(tmp_path)
    path = Path(kernel.install(prefix="rel/env"))
    created = _files(tmp_path) - before
    assert path.is_absolute() and path.is_relative_to(tmp_path / "work" / "rel" / "env")
    assert all(p.is_relative_to(tmp_path / "work" / "rel" / "env") for p in created), created


@pytest.mark.usefixtures("_isolated_jupyter")
@pytest.mark.parametrize(
    "name", ["../escape", "a/b", "..", ".", "...", "x y", "/abs", "autogradviz\n", "a\nb"]
)  # (a trailing newline passed)
def test_safety_kernel_name_cannot_escape_the_prefix(tmp_path, name):
    from autogradviz import kernel

    """Bug fixed: ".." passed the name check, so the spec went to (and replaced) the parent."""
    with pytest.raises(kernel.KernelSpecError, match="invalid kernel name"):
        kernel.install(prefix=str(tmp_path / "p"), name=name)
    with pytest.raises(kernel.KernelSpecError, match="invalid kernel name"):
        kernel.uninstall(prefix=str(tmp_path / "p"), name=name)
    assert not (tmp_path / "p").exists() and not (tmp_path / "escape").exists()


@pytest.mark.usefixtures("_isolated_jupyter")
def test_safety_kernel_cli_with_unicode_prefix_writes_only_there(tmp_path):
    prefix = tmp_path / "dossier élève" / "env"
    (tmp_path / "home").mkdir()
    (tmp_path / "tmp").mkdir()
    before = _files(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "autogradviz.kernel", "install", "--prefix", str(prefix)],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path / "tmp")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    created = _files(tmp_path) - before
    assert created and all(p.is_relative_to(prefix) for p in created), created


def test_safety_a_script_whose_file_name_is_not_utf8_still_saves_and_draws(tmp_path):
    # Linux file names are bytes; Python shows the non-UTF-8 ones with lone surrogates, which
    # no UTF-8 file can hold: every save and display broke (issue 12).
    filename = os.fsdecode(bytes(tmp_path) + b"/caf\xe9.py")
    code = "x = nd.array([1.0])\nx.attach_grad()\nwith autograd.record():\n    y = x * 2\n"
    space = {"nd": nd, "autograd": autograd}
    exec(compile(code, filename, "exec"), space)
    graph = mx.graph_of(space["y"])
    assert graph.nodes[-1].source == "caf\ufffd.py:4"
    for ext in ("svg", "html", "dot", "txt"):  # (.png needs a system Graphviz)
        graph.save(tmp_path / f"graph.{ext}")
        assert (tmp_path / f"graph.{ext}").stat().st_size > 0
    bundle = graph._repr_mimebundle_()
    assert all(isinstance(text, str) and text.encode("utf-8") for text in bundle.values())
    assert "caf\ufffd.py:4" in inspector_html(graph, graph.nodes[-1].id)
