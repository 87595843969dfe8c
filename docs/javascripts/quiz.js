// Self-check quizzes. The page's HTML already shows every question with its answers in a
// collapsed <details> block (the no-JavaScript form). This script turns each question into
// buttons, or a number field for numeric questions, that say whether a choice is right and why.
(function () {
  "use strict";

  var uid = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  // Parse what a reader typed: "295", "2.9e2", "1,024", " 42 ". Returns NaN for anything else.
  function parseNumber(raw) {
    var s = String(raw).trim().replace(/[\s\u00a0\u202f]/g, "").replace(/,(?=\d{3}(\D|$))/g, "");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return NaN;
    return parseFloat(s);
  }

  function choice(q, n) {
    var prompt = q.querySelector(".quiz-prompt");
    var list = q.querySelector(".quiz-options");
    var explanations = q.querySelectorAll(".quiz-explanations > li");
    prompt.id = prompt.id || "quiz-prompt-" + n;
    var group = el("div", { "class": "quiz-choices", role: "group", "aria-labelledby": prompt.id });
    var feedback = el("div", { "class": "quiz-feedback", role: "status", "aria-live": "polite" });
    Array.prototype.forEach.call(list.children, function (item, i) {
      var button = el("button", { type: "button", "class": "quiz-choice", "aria-pressed": "false" });
      button.innerHTML = '<span class="quiz-letter">' + String.fromCharCode(65 + i) + "</span> " + item.innerHTML;
      button.addEventListener("click", function () {
        var expl = explanations[i];
        var right = expl.getAttribute("data-correct") === "true";
        group.querySelectorAll(".quiz-choice").forEach(function (b) {
          b.setAttribute("aria-pressed", "false");
          b.classList.remove("quiz-choice--picked");
        });
        button.setAttribute("aria-pressed", "true");
        button.classList.add("quiz-choice--picked");
        button.classList.add(right ? "quiz-choice--right" : "quiz-choice--wrong");
        feedback.className = "quiz-feedback " + (right ? "quiz-feedback--right" : "quiz-feedback--wrong");
        feedback.innerHTML = expl.innerHTML;
      });
      group.appendChild(button);
    });
    list.replaceWith(group);
    group.after(feedback);
  }

  function numeric(q, n) {
    var answer = parseFloat(q.getAttribute("data-answer"));
    var tolerance = parseFloat(q.getAttribute("data-tolerance"));
    var unit = q.getAttribute("data-unit") || "";
    var solution = q.querySelector(".quiz-solution");
    var id = "quiz-input-" + n;
    var form = el("form", { "class": "quiz-numeric", novalidate: "" });
    var label = el("label", { "for": id }, "Your answer");
    var input = el("input", { id: id, type: "text", inputmode: "decimal", autocomplete: "off", "aria-describedby": id + "-fb" });
    var check = el("button", { type: "submit", "class": "md-button" }, "Check");
    var feedback = el("div", { id: id + "-fb", "class": "quiz-feedback", role: "status", "aria-live": "polite" });
    form.appendChild(label);
    form.appendChild(input);
    if (unit) form.appendChild(el("span", { "class": "quiz-unit" }, unit));
    form.appendChild(check);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = parseNumber(input.value);
      input.removeAttribute("aria-invalid");
      if (input.value.trim() === "") {
        feedback.className = "quiz-feedback quiz-feedback--error";
        feedback.textContent = "Type a number first.";
        input.setAttribute("aria-invalid", "true");
        return;
      }
      if (!isFinite(value)) {
        feedback.className = "quiz-feedback quiz-feedback--error";
        feedback.textContent = "That is not a number. Type digits, such as 295 or 2.95e2.";
        input.setAttribute("aria-invalid", "true");
        return;
      }
      var right = Math.abs(value - answer) <= tolerance;
      feedback.className = "quiz-feedback " + (right ? "quiz-feedback--right" : "quiz-feedback--wrong");
      feedback.innerHTML = "<strong>" + (right ? "Right." : "Not quite.") + "</strong> The answer is " +
        answer.toLocaleString("en") + (unit ? " " + unit : "") + ". " + solution.innerHTML;
    });
    q.querySelector(".quiz-prompt").after(form);
    form.after(feedback);
  }

  function enhance(root) {
    root.querySelectorAll(".quiz[data-quiz]:not(.quiz--live)").forEach(function (quiz) {
      quiz.querySelectorAll(".quiz-question").forEach(function (q) {
        uid += 1;
        if (q.getAttribute("data-kind") === "choice") choice(q, uid);
        else numeric(q, uid);
      });
      quiz.classList.add("quiz--live");
    });
  }

  // Material's instant navigation swaps the page without reloading: document$ emits each time.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { enhance(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
