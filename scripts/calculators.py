"""In-page calculators: their specifications, their Python reference implementations, and the
HTML a ```calculator fence renders to.

Each calculator has a reference function here (``REFERENCE[kind]``) and the same formulas in
docs/javascripts/calculators.js; the test suite drives the real widget in Chromium over a table of
inputs and asserts that every output equals the reference. Authors place one on a chapter with

    ```calculator
    kind: kv-cache
    ```
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field

import markdown
import yaml


class CalculatorError(ValueError):
    pass


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    unit: str
    default: float
    minimum: float = 0.0  # smallest allowed value
    exclusive: bool = True  # minimum itself is not allowed (division, sizes)
    maximum: float = 1e12  # anything above is an absurd magnitude
    integer: bool = False
    choices: tuple[tuple[str, float], ...] = ()  # a <select> of (label, value)


@dataclass(frozen=True)
class Output:
    name: str
    label: str
    unit: str


@dataclass(frozen=True)
class Preset:
    label: str
    values: dict
    source: str  # what the numbers are, and where they come from
    url: str


@dataclass(frozen=True)
class Calculator:
    kind: str
    title: str
    fields: tuple[Field, ...]
    outputs: tuple[Output, ...]
    how: str  # Markdown: how the outputs are computed
    presets: tuple[Preset, ...] = field(default=())


H100_DS = "https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet"
MI300X_DS = "https://www.amd.com/content/dam/amd/en/documents/instinct-tech-docs/data-sheets/amd-instinct-mi300x-data-sheet.pdf"
LLAMA2 = "https://arxiv.org/abs/2307.09288"
LLAMA3 = "https://arxiv.org/abs/2407.21783"
ZERO = "https://arxiv.org/abs/1910.02054"
CHINCHILLA = "https://arxiv.org/abs/2203.15556"
DEEPSEEK_V3 = "https://arxiv.org/abs/2412.19437"

# --- the reference implementations ----------------------------------------------------------


def roofline(peak, bandwidth, intensity):
    """peak in TFLOP/s, bandwidth in TB/s, intensity in FLOP/byte."""
    ridge = peak / bandwidth
    attainable = min(peak, bandwidth * intensity)
    return {
        "ridge": ridge,
        "attainable": attainable,
        "fraction": 100 * attainable / peak,
        "bound": "memory bandwidth" if intensity < ridge else "compute",
    }


def training_compute(params, tokens, peak, mfu, gpus, price):
    """params and tokens in billions; peak in TFLOP/s per GPU; mfu in %; price in $ per GPU-hour."""
    flops = 6 * params * 1e9 * tokens * 1e9
    gpu_hours = flops / (peak * 1e12 * mfu / 100) / 3600
    n_opt = math.sqrt(flops / 120)  # Chinchilla's rule of thumb: D ≈ 20 N and C ≈ 6 N D
    return {
        "flops": flops,
        "gpu_hours": gpu_hours,
        "days": gpu_hours / gpus / 24,
        "cost": gpu_hours * price,
        "tokens_per_param": tokens / params,
        "n_opt": n_opt / 1e9,
        "d_opt": 20 * n_opt / 1e9,
    }


# bytes per parameter for (weights, gradients, optimizer state) with Adam
PRECISION = {
    1: (2, 2, 12),  # mixed precision: BF16/FP16 weights and grads, FP32 master copy + Adam m and v
    2: (4, 4, 8),  # FP32 throughout
    3: (2, 2, 4),  # BF16 throughout, Adam states in BF16
}


def training_memory(params, precision, stage, gpus):
    """Model state per GPU, in GB, for Adam under ZeRO stage 0-3 across `gpus` data-parallel GPUs."""
    p, g, o = PRECISION[int(precision)]
    stage = int(stage)
    shard_p, shard_g, shard_o = stage >= 3, stage >= 2, stage >= 1
    weights = params * p / (gpus if shard_p else 1)
    grads = params * g / (gpus if shard_g else 1)
    optim = params * o / (gpus if shard_o else 1)
    return {"weights": weights, "grads": grads, "optimizer": optim, "total": weights + grads + optim}


def kv_cache(layers, kv_heads, head_dim, context, batch, bytes_per):
    per_token = 2 * layers * kv_heads * head_dim * bytes_per
    total = per_token * context * batch
    return {"per_token": per_token, "total_gb": total / 1e9, "total_gib": total / 2**30}


def inference_latency(params, bytes_per, peak, bandwidth, prompt, batch):
    """Lower bounds from the roofline, weights only (the KV cache adds to the bytes moved)."""
    flops_per_token = 2 * params * 1e9
    weight_bytes = params * 1e9 * bytes_per
    prefill = max(flops_per_token * prompt * batch / (peak * 1e12), weight_bytes / (bandwidth * 1e12))
    step = max(flops_per_token * batch / (peak * 1e12), weight_bytes / (bandwidth * 1e12))
    return {
        "prefill_ms": prefill * 1e3,
        "step_ms": step * 1e3,
        "per_sequence": 1 / step,
        "aggregate": batch / step,
        "critical_batch": peak * 1e12 * bytes_per / (2 * bandwidth * 1e12),
    }


def serving_cost(price, gpus, throughput, utilization):
    """price in $ per GPU-hour; throughput in output tokens/s per replica; utilization in %."""
    tokens_per_hour = throughput * 3600 * utilization / 100
    return {
        "per_million": price * gpus / tokens_per_hour * 1e6,
        "tokens_per_gpu_hour": tokens_per_hour / gpus,
    }


REFERENCE = {
    "roofline": roofline,
    "training-compute": training_compute,
    "training-memory": training_memory,
    "kv-cache": kv_cache,
    "inference-latency": inference_latency,
    "serving-cost": serving_cost,
}

# --- the specifications -----------------------------------------------------------------------

CALCULATORS = {
    c.kind: c
    for c in [
        Calculator(
            "roofline",
            "Roofline: what can this kernel attain?",
            (
                Field("peak", "Peak compute", "TFLOP/s", 989.4, maximum=1e6),
                Field("bandwidth", "Memory bandwidth", "TB/s", 3.35, maximum=1e4),
                Field("intensity", "Arithmetic intensity", "FLOP/byte", 1, maximum=1e9),
            ),
            (
                Output("ridge", "Ridge point", "FLOP/byte"),
                Output("attainable", "Attainable throughput", "TFLOP/s"),
                Output("fraction", "Share of peak", "%"),
                Output("bound", "Bound by", ""),
            ),
            "Ridge point $I^* = P/\\beta$; attainable $= \\min(P, \\beta \\cdot I)$. Below the ridge a kernel "
            "waits on memory; above it, on arithmetic.",
            (
                Preset("NVIDIA H100 SXM, BF16 dense", {"peak": 989.4, "bandwidth": 3.35},
                       "NVIDIA H100 datasheet: 1,979 TFLOP/s BF16 with sparsity (half that dense), 3.35 TB/s HBM3", H100_DS),
                Preset("AMD MI300X, BF16 dense", {"peak": 1307.4, "bandwidth": 5.3},
                       "AMD Instinct MI300X data sheet: 1,307.4 TFLOP/s BF16 dense, 5.3 TB/s HBM3", MI300X_DS),
            ),
        ),
        Calculator(
            "training-compute",
            "Training compute, time and cost",
            (
                Field("params", "Parameters", "billion", 8, maximum=1e5),
                Field("tokens", "Training tokens", "billion", 15000, maximum=1e7),
                Field("peak", "Peak per GPU (dense)", "TFLOP/s", 989.4, maximum=1e6),
                Field("mfu", "Model FLOPs utilisation", "%", 40, maximum=100),
                Field("gpus", "GPUs", "GPUs", 1024, minimum=1, exclusive=False, maximum=1e7, integer=True),
                Field("price", "Price", "$ per GPU-hour", 2, minimum=0, exclusive=False, maximum=1e4),
            ),
            (
                Output("flops", "Training compute C ≈ 6ND", "FLOP"),
                Output("gpu_hours", "GPU-hours", "GPU-hours"),
                Output("days", "Wall-clock time", "days"),
                Output("cost", "Compute cost", "$"),
                Output("tokens_per_param", "Tokens per parameter", "tokens/param"),
                Output("n_opt", "Compute-optimal size for this C (Chinchilla)", "billion params"),
                Output("d_opt", "Compute-optimal tokens for this C", "billion tokens"),
            ),
            "$C = 6ND$ FLOPs; GPU-hours $= C / (P \\cdot \\text{MFU}) / 3600$. The compute-optimal split uses "
            "Chinchilla's rule of thumb $D \\approx 20N$, so $N_{\\text{opt}} = \\sqrt{C/120}$.",
            (
                Preset("Llama 3 8B on H100s", {"params": 8, "tokens": 15000, "peak": 989.4},
                       "Llama 3 paper: 8B parameters, over 15T tokens; H100 BF16 dense from NVIDIA's datasheet", LLAMA3),
                Preset("Chinchilla 70B", {"params": 70, "tokens": 1400},
                       "Hoffmann et al. 2022: Chinchilla, 70B parameters on 1.4T tokens", CHINCHILLA),
            ),
        ),
        Calculator(
            "training-memory",
            "Training memory per GPU (model state)",
            (
                Field("params", "Parameters", "billion", 7.5, maximum=1e5),
                Field("precision", "Precision", "", 1, choices=(("Mixed: BF16 + FP32 master & Adam (16 B/param)", 1),
                                                              ("FP32 throughout (16 B/param)", 2),
                                                              ("BF16 throughout (8 B/param)", 3))),
                Field("stage", "ZeRO stage", "", 0, choices=(("0: replicate everything", 0), ("1: shard optimizer state", 1),
                                                            ("2: + shard gradients", 2), ("3: + shard weights", 3))),
                Field("gpus", "Data-parallel GPUs", "GPUs", 64, minimum=1, exclusive=False, maximum=1e7, integer=True),
            ),
            (
                Output("weights", "Weights", "GB"),
                Output("grads", "Gradients", "GB"),
                Output("optimizer", "Optimizer state", "GB"),
                Output("total", "Model state per GPU", "GB"),
            ),
            "Adam keeps weights, gradients, and two moments per parameter (plus an FP32 master copy in mixed "
            "precision). ZeRO stage 1 shards the optimizer state across the GPUs, stage 2 the gradients too, "
            "stage 3 the weights too. Activations are extra and depend on batch and sequence length.",
            (
                Preset("ZeRO paper: 7.5B on 64 GPUs", {"params": 7.5, "precision": 1, "gpus": 64},
                       "Rajbhandari et al. 2020, Figure 1: 120 GB, 31.4 GB, 16.6 GB and 1.9 GB per GPU for stages 0–3", ZERO),
                Preset("Llama 2 70B on 512 GPUs", {"params": 70, "precision": 1, "gpus": 512},
                       "Touvron et al. 2023: Llama 2, 70B parameters", LLAMA2),
            ),
        ),
        Calculator(
            "kv-cache",
            "KV-cache size",
            (
                Field("layers", "Layers", "layers", 80, maximum=1e4, integer=True),
                Field("kv_heads", "Key/value heads", "heads", 8, maximum=1e4, integer=True),
                Field("head_dim", "Head dimension", "values", 128, maximum=1e5, integer=True),
                Field("context", "Context length", "tokens", 4096, maximum=1e9, integer=True),
                Field("batch", "Concurrent sequences", "sequences", 1, maximum=1e7, integer=True),
                Field("bytes_per", "Element size", "", 2, choices=(("BF16/FP16 (2 bytes)", 2), ("FP8 (1 byte)", 1), ("FP32 (4 bytes)", 4))),
            ),
            (
                Output("per_token", "Per token", "bytes"),
                Output("total_gb", "Whole cache", "GB"),
                Output("total_gib", "Whole cache", "GiB"),
            ),
            "Per token: $2 \\cdot L \\cdot h_{kv} \\cdot d_h \\cdot s$ bytes (a key and a value per layer and KV head). "
            "The whole cache multiplies by context length and concurrent sequences.",
            (
                Preset("Llama 2 70B (GQA, 8 KV heads)", {"layers": 80, "kv_heads": 8, "head_dim": 128, "context": 4096},
                       "Touvron et al. 2023: 80 layers, 64 query heads sharing 8 KV heads of width 128, 4,096-token context", LLAMA2),
                Preset("Llama 3 8B (GQA, 8 KV heads)", {"layers": 32, "kv_heads": 8, "head_dim": 128, "context": 8192},
                       "Llama 3 paper, Table 3: 32 layers, 8 KV heads, model width 4,096 over 32 heads; 8K context", LLAMA3),
            ),
        ),
        Calculator(
            "inference-latency",
            "Prefill and decode: roofline bounds",
            (
                Field("params", "Parameters", "billion", 70, maximum=1e5),
                Field("bytes_per", "Weight format", "", 2, choices=(("BF16 (2 bytes)", 2), ("FP8/INT8 (1 byte)", 1), ("INT4 (0.5 byte)", 0.5))),
                Field("peak", "Peak compute (dense)", "TFLOP/s", 989.4, maximum=1e6),
                Field("bandwidth", "Memory bandwidth", "TB/s", 3.35, maximum=1e4),
                Field("prompt", "Prompt length", "tokens", 1000, maximum=1e8, integer=True),
                Field("batch", "Batch", "sequences", 1, maximum=1e6, integer=True),
            ),
            (
                Output("prefill_ms", "Prefill time (lower bound)", "ms"),
                Output("step_ms", "Decode step (lower bound)", "ms"),
                Output("per_sequence", "Decode speed per sequence (upper bound)", "tokens/s"),
                Output("aggregate", "Decode throughput (upper bound)", "tokens/s"),
                Output("critical_batch", "Batch where decode turns compute-bound", "sequences"),
            ),
            "Each token costs about $2N$ FLOPs and each step must read all $N \\cdot s$ weight bytes. A phase takes "
            "at least $\\max(\\text{FLOPs}/P, \\text{bytes}/\\beta)$. Weights only: the KV cache adds bytes, so "
            "real decode is slower. Decode becomes compute-bound at batch $B^* = P s / (2\\beta)$.",
            (
                Preset("70B BF16 on one H100 SXM", {"params": 70, "bytes_per": 2, "peak": 989.4, "bandwidth": 3.35},
                       "NVIDIA H100 datasheet: 989 TFLOP/s BF16 dense, 3.35 TB/s (a 70B model needs 140 GB: more than one GPU holds)", H100_DS),
                Preset("70B BF16 on one MI300X", {"params": 70, "bytes_per": 2, "peak": 1307.4, "bandwidth": 5.3},
                       "AMD Instinct MI300X data sheet: 1,307.4 TFLOP/s BF16 dense, 5.3 TB/s, 192 GB", MI300X_DS),
            ),
        ),
        Calculator(
            "serving-cost",
            "Serving cost per million tokens",
            (
                Field("price", "Price", "$ per GPU-hour", 2, minimum=0, exclusive=False, maximum=1e4),
                Field("gpus", "GPUs per replica", "GPUs", 8, minimum=1, exclusive=False, maximum=1e5, integer=True),
                Field("throughput", "Output throughput per replica", "tokens/s", 3000, maximum=1e9),
                Field("utilization", "Utilisation", "%", 60, maximum=100),
            ),
            (
                Output("per_million", "Cost per million output tokens", "$"),
                Output("tokens_per_gpu_hour", "Tokens per GPU-hour", "tokens"),
            ),
            "Cost per million tokens $= \\text{price} \\times \\text{GPUs} / (\\text{tokens/s} \\times 3600 \\times "
            "\\text{utilisation}) \\times 10^6$. Idle capacity is paid for too: utilisation is the share of the hour "
            "spent producing tokens.",
            (
                Preset("8-GPU server at $2 per GPU-hour", {"price": 2, "gpus": 8},
                       "DeepSeek-V3 report: its cost estimate assumes $2 per H800 GPU-hour; DGX/HGX servers hold 8 GPUs. "
                       "Throughput is yours to measure", DEEPSEEK_V3),
            ),
        ),
    ]
}

# --- rendering --------------------------------------------------------------------------------

_md = markdown.Markdown(extensions=["pymdownx.arithmatex"], extension_configs={"pymdownx.arithmatex": {"generic": True}})


def _inline(text: str) -> str:
    out = _md.reset().convert(text)
    return out[3:-4] if out.startswith("<p>") and out.endswith("</p>") else out


def parse(source: str) -> Calculator:
    try:
        spec = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise CalculatorError(f"not valid YAML: {exc}") from exc
    kind = spec.get("kind") if isinstance(spec, dict) else None
    if kind not in CALCULATORS:
        raise CalculatorError(f"unknown calculator kind {kind!r}; known: {', '.join(sorted(CALCULATORS))}")
    return CALCULATORS[kind]


def _number(x: float) -> str:
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def render(source: str) -> str:
    calc = parse(source)
    k = calc.kind
    out = [f'<div class="calculator" data-calc="{k}" id="calc-{k}">', f'<p class="calc-title"><strong>{html.escape(calc.title)}</strong></p>']
    out.append('<noscript><p class="calc-noscript">This calculator needs JavaScript. How it computes its results is written below it.</p></noscript>')
    if calc.presets:
        out.append(f'<div class="calc-preset"><label for="calc-{k}-preset">Preset</label><select id="calc-{k}-preset" data-preset>')
        out.append('<option value="">Custom values</option>')
        for i, p in enumerate(calc.presets):
            values = html.escape(json.dumps(p.values), quote=True)
            out.append(f'<option value="{i}" data-values="{values}">{html.escape(p.label)}</option>')
        out.append("</select></div>")
    out.append('<div class="calc-fields">')
    for f in calc.fields:
        fid = f"calc-{k}-{f.name}"
        attrs = (
            f'data-field="{f.name}" data-min="{_number(f.minimum)}" data-exclusive="{str(f.exclusive).lower()}" '
            f'data-max="{_number(f.maximum)}" data-integer="{str(f.integer).lower()}" data-default="{_number(f.default)}"'
        )
        out.append(f'<div class="calc-field"><label for="{fid}">{html.escape(f.label)}</label>')
        if f.choices:
            out.append(f'<select id="{fid}" {attrs}>')
            for label, value in f.choices:
                sel = " selected" if value == f.default else ""
                out.append(f'<option value="{_number(value)}"{sel}>{html.escape(label)}</option>')
            out.append("</select>")
        else:
            out.append(
                f'<input id="{fid}" type="text" inputmode="decimal" autocomplete="off" value="{_number(f.default)}" '
                f'aria-describedby="{fid}-error" {attrs}>'
            )
            out.append(f'<span class="calc-unit">{html.escape(f.unit)}</span>')
        out.append(f'<span class="calc-error" id="{fid}-error" aria-live="polite"></span></div>')
    out.append("</div>")
    out.append('<dl class="calc-outputs" aria-live="polite">')
    for o in calc.outputs:
        unit = f' <span class="calc-unit">{html.escape(o.unit)}</span>' if o.unit else ""
        out.append(f'<dt>{html.escape(o.label)}</dt><dd><output data-out="{o.name}">—</output>{unit}</dd>')
    out.append("</dl>")
    out.append(f'<details class="calc-how"><summary>How it is computed</summary><p>{_inline(calc.how)}</p>')
    if calc.presets:
        out.append('<p class="calc-sources">Preset sources:</p><ul class="calc-sources">')
        for p in calc.presets:
            out.append(f'<li>{html.escape(p.label)}: <a href="{html.escape(p.url)}">{html.escape(p.source)}</a></li>')
        out.append("</ul>")
    out.append("</details></div>")
    return "\n".join(out)


def fence(source, language, css_class, options, md, **kwargs):
    """pymdownx.superfences custom-fence formatter."""
    try:
        return render(source)
    except CalculatorError as exc:  # the hook checks pages first and names them
        return f'<div class="admonition failure"><p>Broken calculator: {html.escape(str(exc))}</p></div>'
