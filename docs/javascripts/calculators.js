// In-page calculators. The formulas mirror the Python reference implementations in
// scripts/calculators.py; the test suite checks the two agree over a table of inputs.
// Inputs are validated field by field, with the message beside the field; outputs never show
// NaN or Infinity. Values are kept in the URL (?<calc>.<field>=value) so a configuration can be
// shared.
(function () {
  "use strict";

  var PRECISION = { 1: [2, 2, 12], 2: [4, 4, 8], 3: [2, 2, 4] };

  var FORMULAS = {
    "roofline": function (v) {
      var ridge = v.peak / v.bandwidth;
      var attainable = Math.min(v.peak, v.bandwidth * v.intensity);
      return {
        ridge: ridge,
        attainable: attainable,
        fraction: 100 * attainable / v.peak,
        bound: v.intensity < ridge ? "memory bandwidth" : "compute"
      };
    },
    "training-compute": function (v) {
      var flops = 6 * v.params * 1e9 * v.tokens * 1e9;
      var gpuHours = flops / (v.peak * 1e12 * v.mfu / 100) / 3600;
      var nOpt = Math.sqrt(flops / 120);
      return {
        flops: flops,
        gpu_hours: gpuHours,
        days: gpuHours / v.gpus / 24,
        cost: gpuHours * v.price,
        tokens_per_param: v.tokens / v.params,
        n_opt: nOpt / 1e9,
        d_opt: 20 * nOpt / 1e9
      };
    },
    "training-memory": function (v) {
      var b = PRECISION[v.precision];
      var weights = v.params * b[0] / (v.stage >= 3 ? v.gpus : 1);
      var grads = v.params * b[1] / (v.stage >= 2 ? v.gpus : 1);
      var optim = v.params * b[2] / (v.stage >= 1 ? v.gpus : 1);
      return { weights: weights, grads: grads, optimizer: optim, total: weights + grads + optim };
    },
    "kv-cache": function (v) {
      var perToken = 2 * v.layers * v.kv_heads * v.head_dim * v.bytes_per;
      var total = perToken * v.context * v.batch;
      return { per_token: perToken, total_gb: total / 1e9, total_gib: total / Math.pow(2, 30) };
    },
    "inference-latency": function (v) {
      var flopsPerToken = 2 * v.params * 1e9;
      var weightBytes = v.params * 1e9 * v.bytes_per;
      var prefill = Math.max(flopsPerToken * v.prompt * v.batch / (v.peak * 1e12), weightBytes / (v.bandwidth * 1e12));
      var step = Math.max(flopsPerToken * v.batch / (v.peak * 1e12), weightBytes / (v.bandwidth * 1e12));
      return {
        prefill_ms: prefill * 1e3,
        step_ms: step * 1e3,
        per_sequence: 1 / step,
        aggregate: v.batch / step,
        critical_batch: v.peak * 1e12 * v.bytes_per / (2 * v.bandwidth * 1e12)
      };
    },
    "serving-cost": function (v) {
      var tokensPerHour = v.throughput * 3600 * v.utilization / 100;
      return {
        per_million: v.price * v.gpus / tokensPerHour * 1e6,
        tokens_per_gpu_hour: tokensPerHour / v.gpus
      };
    }
  };

  function parseNumber(raw) {
    var s = String(raw).trim().replace(/[\s\u00a0\u202f_]/g, "").replace(/,(?=\d{3}(\D|$))/g, "");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return NaN;
    return parseFloat(s);
  }

  function fmtLimit(x) {
    return Math.abs(x) >= 1e6 ? x.toExponential(0).replace("e+", "e") : x.toLocaleString("en");
  }

  // Returns [value, null] or [null, message].
  function validate(input) {
    var raw = input.value;
    if (input.tagName === "SELECT") {
      var v = parseFloat(raw);
      return isFinite(v) ? [v, null] : [null, "Choose one of the options."];
    }
    if (String(raw).trim() === "") return [null, "Enter a number."];
    var x = parseNumber(raw);
    if (!isFinite(x)) return [null, "Not a number: type digits, such as 42 or 1.5e3."];
    var min = parseFloat(input.dataset.min), max = parseFloat(input.dataset.max);
    var exclusive = input.dataset.exclusive === "true";
    if (exclusive && x <= min) return [null, "Must be greater than " + fmtLimit(min) + "."];
    if (!exclusive && x < min) return [null, "Must be at least " + fmtLimit(min) + "."];
    if (x > max) return [null, "Too large: at most " + fmtLimit(max) + "."];
    if (input.dataset.integer === "true" && Math.floor(x) !== x) return [null, "Must be a whole number."];
    return [x, null];
  }

  function format(x) {
    if (typeof x === "string") return x;
    var a = Math.abs(x);
    if (a !== 0 && (a >= 1e7 || a < 1e-3)) return x.toExponential(3).replace("e+", " × 10^").replace("e-", " × 10^-");
    var digits = a >= 100 ? 0 : a >= 1 ? 2 : 4;
    return x.toLocaleString("en", { maximumFractionDigits: digits });
  }

  function setup(calc) {
    if (calc.dataset.live) return;
    calc.dataset.live = "1";
    var kind = calc.dataset.calc;
    var formula = FORMULAS[kind];
    var inputs = Array.prototype.slice.call(calc.querySelectorAll("[data-field]"));
    var outputs = calc.querySelectorAll("output[data-out]");
    var preset = calc.querySelector("[data-preset]");
    var params = new URLSearchParams(window.location.search);

    inputs.forEach(function (input) {
      var fromUrl = params.get(kind + "." + input.dataset.field);
      if (fromUrl !== null) input.value = fromUrl;
    });

    function update(writeUrl) {
      var values = {}, ok = true;
      inputs.forEach(function (input) {
        var res = validate(input);
        var err = calc.querySelector("#" + input.id + "-error");
        if (res[1]) {
          ok = false;
          input.setAttribute("aria-invalid", "true");
          err.textContent = res[1];
        } else {
          input.removeAttribute("aria-invalid");
          err.textContent = "";
          values[input.dataset.field] = res[0];
        }
      });
      var result = ok ? formula(values) : null;
      if (result) {
        Object.keys(result).forEach(function (k) {
          if (typeof result[k] === "number" && !isFinite(result[k])) result = null;
        });
      }
      outputs.forEach(function (out) {
        var value = result ? result[out.dataset.out] : undefined;
        if (value === undefined) {
          out.textContent = "—";
          out.removeAttribute("data-value");
        } else {
          out.textContent = format(value);
          out.setAttribute("data-value", typeof value === "number" ? String(value) : value);
        }
      });
      calc.classList.toggle("calc--invalid", !result);
      if (writeUrl) {
        var url = new URL(window.location.href);
        inputs.forEach(function (input) { url.searchParams.set(kind + "." + input.dataset.field, input.value); });
        window.history.replaceState(window.history.state, "", url.toString());
      }
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", function () { if (preset) preset.value = ""; update(true); });
      input.addEventListener("change", function () { if (preset) preset.value = ""; update(true); });
    });
    if (preset) {
      preset.addEventListener("change", function () {
        var option = preset.options[preset.selectedIndex];
        if (!option || !option.dataset.values) return;
        var values = JSON.parse(option.dataset.values);
        inputs.forEach(function (input) {
          if (values[input.dataset.field] !== undefined) input.value = String(values[input.dataset.field]);
        });
        update(true);
      });
    }
    update(false);
  }

  function enhance() {
    document.querySelectorAll(".calculator[data-calc]").forEach(setup);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
