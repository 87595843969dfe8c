"""Quizzes: the parser rejects malformed quizzes with a message naming the question, every
chapter has a quiz, and in the browser a quiz answers each choice (keyboard included), checks
numbers within tolerance, rejects nonsense, survives instant navigation, and degrades honestly
without JavaScript."""

import re

import pytest
from book import DOCS, load_outline
from quiz import QuizError, parse, render

CHAPTERS = load_outline().live_chapters()
GOOD = """
- question: Pick B
  options:
    - text: A
      explain: no
    - text: B
      correct: true
      explain: yes
- question: Two plus two?
  answer: 4
  tolerance: 0.1
  unit: things
  explain: $2 + 2 = 4$.
"""


@pytest.mark.parametrize(
    "source, message",
    [
        ("- question: x\n  options: [{text: a, explain: b}]\n", "question 1 needs at least two options"),
        ("- question: x\n  options:\n    - {text: a, explain: b}\n    - {text: c, explain: d}\n", "exactly one option"),
        ("- question: x\n  options:\n    - {text: a, correct: true}\n    - {text: c, explain: d}\n", "option 1 needs both 'text' and 'explain'"),
        ("- question: x\n  answer: .nan\n  tolerance: 1\n  explain: e\n", "'answer' must be a finite number"),
        ("- question: x\n  answer: 3\n  tolerance: -1\n  explain: e\n", "'tolerance' must not be negative"),
        ("- question: x\n  answer: '3'\n  tolerance: 1\n  explain: e\n", "'answer' must be a finite number"),
        ("- question: x\n", "needs either 'options' or 'answer'"),
        ("- {question: ''}\n", "question 1 has no 'question' text"),
        ("[oops", "not valid YAML"),
        ("", "non-empty YAML list"),
    ],
)
def test_malformed_quizzes_are_rejected_with_the_question_named(source, message):
    with pytest.raises(QuizError, match=re.escape(message)):
        parse(source)


def test_rendered_quiz_hides_answers_in_a_details_block():
    out = render(GOOD)
    assert 'class="quiz" data-quiz' in out
    assert out.count('<details class="quiz-answer">') == 2
    before_details = out.split("<details")[0]
    assert "yes" not in before_details and "no</" not in before_details, "an explanation shows before any choice"
    assert 'data-answer="4"' in out and 'data-tolerance="0.1"' in out


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda c: c.path)
def test_every_chapter_has_a_quiz_of_three_or_more_questions(ch):
    text = (DOCS / ch.path).read_text()
    blocks = re.findall(r"^```quiz\n(.*?)^```", text, re.S | re.M)
    assert blocks, f"{ch.path} has no ```quiz block"
    assert sum(len(parse(b)) for b in blocks) >= 3, f"{ch.path}: fewer than 3 quiz questions"


# --- in the browser ------------------------------------------------------------------------

PAGE = "/hardware/roofline/"


def _quiz_page(page, server):
    page.goto(server + PAGE, wait_until="networkidle")
    quiz = page.locator(".quiz").first
    quiz.scroll_into_view_if_needed()
    return quiz


@pytest.mark.browser
def test_choosing_shows_right_or_wrong_with_that_choices_explanation(page, server):
    quiz = _quiz_page(page, server)
    question = quiz.locator(".quiz-question[data-kind=choice]").first
    feedback = question.locator(".quiz-feedback")
    assert not question.locator(".quiz-answer").is_visible(), "answers are visible before choosing"
    assert feedback.inner_text().strip() == ""
    explanations = question.locator(".quiz-explanations > li")
    buttons = question.locator("button.quiz-choice")
    for i in range(buttons.count()):
        buttons.nth(i).click()
        expected = explanations.nth(i).inner_text().strip()
        assert feedback.inner_text().strip() == expected
        right = explanations.nth(i).get_attribute("data-correct") == "true"
        assert feedback.inner_text().startswith("Right." if right else "Not quite.")
        assert buttons.nth(i).get_attribute("aria-pressed") == "true"


@pytest.mark.browser
def test_quiz_works_with_the_keyboard(page, server):
    quiz = _quiz_page(page, server)
    question = quiz.locator(".quiz-question[data-kind=choice]").first
    first = question.locator("button.quiz-choice").first
    first.focus()
    page.keyboard.press("Enter")
    assert question.locator(".quiz-feedback").inner_text().strip() != ""
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert question.locator("button.quiz-choice").nth(1).get_attribute("aria-pressed") == "true"


@pytest.mark.browser
def test_numeric_questions_accept_within_tolerance_and_reject_nonsense(page, server):
    quiz = _quiz_page(page, server)
    numeric = quiz.locator(".quiz-question[data-kind=numeric]")
    if numeric.count() == 0:
        pytest.fail(f"{PAGE} has no numeric quiz question to test")
    q = numeric.first
    answer = float(q.get_attribute("data-answer"))
    tol = float(q.get_attribute("data-tolerance"))
    field, check, feedback = q.locator("input"), q.locator("button"), q.locator(".quiz-feedback")
    cases = [
        (repr(answer), "Right."),
        (repr(answer + tol * 0.5), "Right."),
        (repr(answer + tol * 2 + abs(answer) * 0.5 + 1), "Not quite."),
        ("", "Type a number first."),
        ("banana", "That is not a number"),
        ("1e999", "That is not a number"),
        ("NaN", "That is not a number"),
        ("--3", "That is not a number"),
    ]
    for typed, expected in cases:
        field.fill(typed)
        check.click()
        text = feedback.inner_text()
        assert text.startswith(expected) or expected in text, f"typed {typed!r}: {text!r}"
        assert "NaN" not in text.replace(typed, "") and "Infinity" not in text, f"typed {typed!r}: {text!r}"


@pytest.mark.browser
def test_quiz_works_after_instant_navigation(page, server):
    page.goto(server + "/hardware/", wait_until="networkidle")
    page.locator("article a[href*='roofline']").first.click()
    page.wait_for_url("**" + PAGE)
    question = page.locator(".quiz-question[data-kind=choice]").first
    question.scroll_into_view_if_needed()
    question.locator("button.quiz-choice").first.click()
    assert question.locator(".quiz-feedback").inner_text().strip() != ""


@pytest.mark.browser
def test_without_javascript_questions_show_and_answers_are_collapsible(browser, server):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server + PAGE)
    quiz = pg.locator(".quiz").first
    assert quiz.locator(".quiz-prompt").first.is_visible()
    details = quiz.locator("details.quiz-answer").first
    assert details.get_attribute("open") is None
    details.locator("summary").click()
    assert details.locator("li, p").first.is_visible()
    context.close()
