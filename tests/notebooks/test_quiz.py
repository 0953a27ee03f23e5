"""notebooks/quiz.py: the self-check quizzes grade answers and explain the right one."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "notebooks" / "quiz.py"
_SPEC = importlib.util.spec_from_file_location("course_quiz", _PATH)
quiz = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = quiz          # dataclasses look their module up
_SPEC.loader.exec_module(quiz)


def _right_answers(part):
    return {n: q.answer for n, q in enumerate(quiz.QUIZZES[part], 1)}


def test_every_part_has_a_quiz_with_well_formed_questions():
    assert sorted(quiz.QUIZZES) == ["01", "02", "03"]
    for questions in quiz.QUIZZES.values():
        assert len(questions) >= 5
        for q in questions:
            assert q.text.strip() and q.explanation.strip()
            if q.options:
                assert q.answer in q.options and len(q.options) >= 3
            else:
                assert isinstance(q.answer, (int, float))


@pytest.mark.parametrize("part", ["01", "02", "03"])
def test_right_answers_score_full_marks(part, capsys):
    score = quiz.check(part, _right_answers(part))
    n = len(quiz.QUIZZES[part])
    assert (score.correct, score.wrong, score.unanswered, score.total) == (n, 0, 0, n)
    out = capsys.readouterr().out
    assert out.count("✔ Correcto") == n
    assert f"{n} de {n} correctas" in out


def test_a_wrong_answer_is_explained_with_the_right_one(capsys):
    answers = {1: 5, 2: "a"}                       # both wrong, the rest unanswered
    score = quiz.check("01", answers)
    assert (score.correct, score.wrong, score.unanswered) == (0, 2, 4)
    out = capsys.readouterr().out
    assert "1. ✘ No: respondiste 5; la respuesta es 0." in out
    assert "la respuesta es b) Porque sin ellas" in out
    assert quiz.QUIZZES["01"][1].explanation in out
    assert "sin responder" in out


def test_unanswered_questions_do_not_reveal_the_answer(capsys):
    score = quiz.check(1, {n: None for n in range(1, 7)})
    assert score.unanswered == 6 and score.correct == 0
    out = capsys.readouterr().out
    assert "la respuesta es" not in out and "Correcto" not in out
    assert str(score) == "Parte 01: 0 de 6 correctas, 6 sin responder"


@pytest.mark.parametrize("given", ["B", " b) ", "b."])
def test_letters_are_read_loosely(given, capsys):
    assert quiz.check("01", {2: given}).correct == 1


@pytest.mark.parametrize("given", [0.25, "0,25", "0.25", " 0.250 "])
def test_numbers_accept_a_decimal_comma(given, capsys):
    assert quiz.check("01", {3: given}).correct == 1


def test_numbers_accept_thousands_spaces(capsys):
    assert quiz.check("01", {6: "33 280"}).correct == 1
    assert quiz.check("01", {6: 33281}).wrong == 1


def test_answers_that_cannot_be_read_say_why_and_count_as_unanswered(capsys):
    score = quiz.check("01", {1: "cero", 2: "z", 4: 3})
    assert (score.correct, score.wrong, score.unanswered) == (0, 0, 6)
    out = capsys.readouterr().out
    assert "no entiendo 'cero': la respuesta es un número" in out
    assert "no entiendo 'z': elige una letra entre a, b, c" in out
    assert "no entiendo 3" in out


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="part: no hay cuestionario '07'"):
        quiz.show("07")
    with pytest.raises(ValueError, match="answers: se esperaba un diccionario"):
        quiz.check("01", ["b"])
    with pytest.raises(ValueError, match="answers: la pregunta 9 no existe; las preguntas "
                                         "van de 1 a 6"):
        quiz.check("01", {9: "a"})


def test_show_lists_the_questions_options_and_the_answer_template(capsys):
    quiz.show("03")
    out = capsys.readouterr().out
    assert out.startswith("Cuestionario de la parte 03")
    assert "1. ¿Para qué sirve el conjunto de validación?" in out
    assert "   b) Para elegir hiperparámetros" in out
    assert "(responde con un número)" in out
    assert "answers = {1: None, 2: None, 3: None, 4: None, 5: None, 6: None, 7: None}" in out
