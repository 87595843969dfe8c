"""Self-check quizzes written as a ```quiz fence of YAML in a chapter.

    ```quiz
    - question: What limits batch-1 decode on an H100?
      options:
        - text: HBM bandwidth
          correct: true
          explain: Every token streams all the weights.
        - text: Tensor-core throughput
          explain: The tensor cores mostly wait for weights.
    - question: The ridge point of an H100 SXM (dense BF16)?
      answer: 295
      tolerance: 5
      unit: FLOP/byte
      explain: 989 TFLOP/s / 3.35 TB/s.
    ```

The HTML works without JavaScript: the questions and options show, and the answers with every
explanation sit in a collapsed <details> block. docs/javascripts/quiz.js turns each question into
buttons (or an input for numeric questions) that reveal whether the choice was right and the
explanation for that choice.
"""

from __future__ import annotations

import html
import math

import markdown
import yaml


class QuizError(ValueError):
    pass


_md = markdown.Markdown(extensions=["pymdownx.arithmatex", "pymdownx.inlinehilite"], extension_configs={"pymdownx.arithmatex": {"generic": True}})


def inline(text: str) -> str:
    """Render one field's inline Markdown (and $math$, which the MathML hook converts later)."""
    out = _md.reset().convert(str(text).strip())
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def parse(source: str) -> list[dict]:
    """Parse and check a quiz; QuizError says which question is wrong and how."""
    try:
        questions = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise QuizError(f"the quiz is not valid YAML: {exc}") from exc
    if not isinstance(questions, list) or not questions:
        raise QuizError("a quiz is a non-empty YAML list of questions")
    for n, q in enumerate(questions, start=1):
        if not isinstance(q, dict) or not str(q.get("question", "")).strip():
            raise QuizError(f"question {n} has no 'question' text")
        if "options" in q:
            opts = q["options"]
            if not isinstance(opts, list) or len(opts) < 2:
                raise QuizError(f"question {n} needs at least two options")
            for i, o in enumerate(opts, start=1):
                if not isinstance(o, dict) or not str(o.get("text", "")).strip() or not str(o.get("explain", "")).strip():
                    raise QuizError(f"question {n}, option {i} needs both 'text' and 'explain'")
            if sum(1 for o in opts if o.get("correct") is True) != 1:
                raise QuizError(f"question {n} must mark exactly one option 'correct: true'")
        elif "answer" in q:
            for key in ("answer", "tolerance"):
                value = q.get(key)
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                    raise QuizError(f"question {n}: '{key}' must be a finite number, not {value!r}")
            if q["tolerance"] < 0:
                raise QuizError(f"question {n}: 'tolerance' must not be negative")
            if not str(q.get("explain", "")).strip():
                raise QuizError(f"question {n}: a numeric question needs 'explain' (the worked solution)")
        else:
            raise QuizError(f"question {n} needs either 'options' or 'answer'")
    return questions


def _number(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:.4g}"


def render(source: str) -> str:
    questions = parse(source)
    out = ['<div class="quiz" data-quiz>', '<p class="quiz-intro">Choose an answer to see whether it is right, and why.</p>', "<ol>"]
    for q in questions:
        prompt = f'<p class="quiz-prompt">{inline(q["question"])}</p>'
        if "options" in q:
            out.append('<li class="quiz-question" data-kind="choice">' + prompt + '<ol class="quiz-options" type="A">')
            out += [f'<li class="quiz-option">{inline(o["text"])}</li>' for o in q["options"]]
            out.append("</ol>")
            out.append('<details class="quiz-answer"><summary>Answer</summary><ol class="quiz-explanations" type="A">')
            for i, o in enumerate(q["options"]):
                verdict = "Right." if o.get("correct") is True else "Not quite."
                flag = "true" if o.get("correct") is True else "false"
                out.append(f'<li data-option="{i}" data-correct="{flag}"><strong>{verdict}</strong> {inline(o["explain"])}</li>')
            out.append("</ol></details></li>")
        else:
            unit = html.escape(str(q.get("unit", "")))
            out.append(
                f'<li class="quiz-question" data-kind="numeric" data-answer="{q["answer"]!r}" '
                f'data-tolerance="{q["tolerance"]!r}" data-unit="{unit}">' + prompt
            )
            out.append(
                f'<details class="quiz-answer"><summary>Answer</summary><p><strong>{_number(q["answer"])} {unit}</strong>'
                f' (answers within ±{_number(q["tolerance"])} count).</p><div class="quiz-solution">{inline(q["explain"])}</div></details></li>'
            )
    out.append("</ol></div>")
    return "\n".join(out)


def fence(source, language, css_class, options, md, **kwargs):
    """pymdownx.superfences custom-fence formatter."""
    try:
        return render(source)
    except QuizError as exc:  # the hook checks pages first and names them; this is a fallback
        return f'<div class="admonition failure"><p>Broken quiz: {html.escape(str(exc))}</p></div>'
