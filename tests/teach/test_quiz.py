"""``Quiz``: predict each hidden gradient or value, in the order the pass makes them final."""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.teach.quiz import MAX_ELEMENTS, Quiz

pytestmark = pytest.mark.usefixtures("with_capture")


def _fan_out() -> mx.graph.Graph:
    a = nd.array([2.0])
    a.attach_grad()
    with autograd.record():
        b = a * 3
        c = nd.exp(b * 0.1) + b * a  # a and b are each used twice
    c.backward()
    return mx.last_graph()


def test_quiz_asks_each_gradient_after_everything_it_depends_on() -> None:
    graph = _fan_out()
    quiz = Quiz(graph)
    asked = [q.id for q in quiz.questions]
    position = {box: k for k, box in enumerate(asked)}
    for edge in graph.edges:  # a box is asked after every op that sends it a gradient
        if edge.src in position and edge.dst in position:
            assert position[edge.dst] < position[edge.src], (edge, asked)
    assert graph.heads[0] not in asked  # the head's gradient is given
    assert asked[-1] == graph.node("a").id


def test_quiz_grades_to_one_percent_and_reads_any_number_format() -> None:
    x = nd.array([[1.0, 2.0], [3.0, 4.0]])
    x.attach_grad()
    with autograd.record():
        y = (x * 0.0031).sum()
    y.backward()
    quiz = Quiz(mx.last_graph())
    assert quiz.answer("1, 1; 1 1").startswith("✓ Right")  # the product's gradient first
    assert quiz.answer("0.0031, 0.0031; 0.0031 0.0031") == (
        "✓ Right: x is [0.0031 0.0031 0.0031 0.0031]. Done: score 2 / 2."
    )
    quiz = Quiz(mx.last_graph())
    quiz.answer("1 1 1 1")
    assert quiz.answer("0 0 0 0").startswith("✗ Not quite")  # zeros are not 'close' to 0.0031
    assert quiz.answer("[[3.1e-3, 3.1e-3], [3.1e-3, 3.1e-3]]").startswith("✓ Right")
    assert quiz.score == 1.5


def test_quiz_asks_for_the_right_count_without_spending_a_try() -> None:
    quiz = Quiz(_fan_out())
    first = quiz.current
    assert first is not None
    assert quiz.answer("1 2") == f"Type 1 number(s) for box {first.id}; I read 2."
    assert quiz.tries == 0 and quiz.current is first


def test_quiz_hint_names_every_use_and_its_numbers() -> None:
    graph = _fan_out()
    quiz = Quiz(graph)
    while quiz.current is not None and quiz.current.label != "a":
        quiz.answer(" ".join(str(v) for v in quiz.current.truth.reshape(-1)))
    hint = quiz.hint(quiz.current)
    assert hint.startswith("a is used 2 times (by 2 ops): add what each use sends back.")
    assert hint.count("sends back") == 3 and "multiply" in hint
    answer = f"{float(np.asarray(graph.node('a').grad).reshape(-1)[0]):.4g}"
    assert f"= {answer}" not in hint and not hint.endswith(answer)  # the rule, not its result


def test_quiz_on_values_goes_forward_and_hints_with_the_operands() -> None:
    quiz = Quiz(_fan_out(), hide="values")
    first = quiz.current
    assert first is not None and first.what == "value" and "box n1" in first.text
    assert quiz.answer("5").startswith("✗ Not quite. Hint: box n1 is multiply(2, 3).")
    assert quiz.answer("6").startswith("✓ Right")
    masked = quiz.masked()
    assert masked.node("n1").value is not None and masked.node("n2").value is None


def test_quiz_skips_big_arrays_and_boxes_not_drawn_alone() -> None:
    big = nd.ones((4, MAX_ELEMENTS))
    small = nd.array([1.0, 2.0])
    for v in (big, small):
        v.attach_grad()
    with autograd.record():
        y = (big * 2).sum() + (small * small).sum()
    y.backward()
    graph = mx.last_graph()
    labels = [q.label for q in Quiz(graph).questions]
    assert "big" not in labels and "small" in labels
    only = Quiz(graph, asked={graph.node("small").id})
    assert [q.label for q in only.questions] == ["small"]
    with pytest.raises(ValueError, match="hide must be 'grads' or 'values'"):
        Quiz(graph, hide="both")


def test_quiz_masked_graph_hides_what_is_still_asked() -> None:
    graph = _fan_out()
    quiz = Quiz(graph)
    masked = quiz.masked()
    hidden = {q.id for q in quiz.questions}
    for node in masked.nodes:
        assert (node.grad is None) == (node.id in hidden)
    for edge in masked.edges:
        assert (edge.contribution is None) == (edge.src in hidden)
