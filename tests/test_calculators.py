"""Calculators: the Python references reproduce published figures, and the real widgets in
Chromium agree with the references over a table of inputs, reject bad input beside the field
without printing NaN or Infinity, and keep their inputs in the URL."""

import math
import random
import re

import pytest
from book import DOCS, load_outline
from calculators import CALCULATORS, REFERENCE, CalculatorError, parse, render

# --- the references against published numbers ---------------------------------------------


def test_roofline_reference_matches_the_h100_ridge_point():
    r = REFERENCE["roofline"](989.4, 3.35, 1.0)
    assert round(r["ridge"]) == 295 and r["bound"] == "memory bandwidth"
    assert REFERENCE["roofline"](989.4, 3.35, 1000)["attainable"] == 989.4


def test_training_memory_reference_matches_the_zero_paper():
    # Rajbhandari et al. 2020, Figure 1: 7.5B parameters, 64 GPUs, mixed-precision Adam.
    got = [REFERENCE["training-memory"](7.5, 1, stage, 64)["total"] for stage in range(4)]
    assert [round(x, 1) for x in got] == [120.0, 31.4, 16.6, 1.9]


def test_kv_cache_reference_matches_llama2_70b():
    # 80 layers x 8 KV heads x 128 x (K and V) x 2 bytes = 327,680 bytes per token.
    assert REFERENCE["kv-cache"](80, 8, 128, 4096, 1, 2)["per_token"] == 327_680


def test_training_compute_reference_is_6nd_and_chinchilla_optimal():
    r = REFERENCE["training-compute"](70, 1400, 989.4, 40, 1024, 2)
    assert r["flops"] == pytest.approx(5.88e23)
    assert r["n_opt"] == pytest.approx(70, rel=1e-9) and r["d_opt"] == pytest.approx(1400, rel=1e-9)


def test_inference_latency_reference_reproduces_decode_arithmetic():
    r = REFERENCE["inference-latency"](70, 2, 989.4, 3.35, 1000, 1)
    assert r["step_ms"] == pytest.approx(140e9 / 3.35e12 * 1e3)  # ~41.8 ms: read 140 GB per token
    assert r["critical_batch"] == pytest.approx(989.4 * 2 / (2 * 3.35))


def test_serving_cost_reference():
    r = REFERENCE["serving-cost"](2, 8, 3000, 100)
    assert r["per_million"] == pytest.approx(16 / (3000 * 3600) * 1e6)


def test_every_reference_has_a_widget_and_a_spec():
    assert set(REFERENCE) == set(CALCULATORS)
    for kind, calc in CALCULATORS.items():
        html = render(f"kind: {kind}")
        for f in calc.fields:
            assert f'data-field="{f.name}"' in html
        for o in calc.outputs:
            assert f'data-out="{o.name}"' in html
        for p in calc.presets:
            assert set(p.values) <= {f.name for f in calc.fields}, f"{kind}: preset {p.label} sets unknown fields"
            assert p.url.startswith("https://"), f"{kind}: preset {p.label} cites no source"


def test_unknown_calculator_is_rejected():
    with pytest.raises(CalculatorError, match="unknown calculator kind"):
        parse("kind: teleporter")


def placements() -> dict[str, str]:
    """Calculator kind -> URL path of the chapter that hosts it."""
    found = {}
    for ch in load_outline().live_chapters():
        for kind in re.findall(r"^```calculator\nkind:\s*([\w-]+)", (DOCS / ch.path).read_text(), re.M):
            found.setdefault(kind, "/" + ch.url)
    return found


def test_all_six_calculators_are_live_on_chapters():
    assert set(placements()) == set(CALCULATORS), f"missing: {sorted(set(CALCULATORS) - set(placements()))}"


# --- the widgets in the browser ---------------------------------------------------------------


def input_table(kind: str) -> list[dict]:
    """Defaults, every preset, and seeded random valid inputs."""
    calc = CALCULATORS[kind]
    defaults = {f.name: f.default for f in calc.fields}
    rows = [defaults] + [{**defaults, **p.values} for p in calc.presets]
    rng = random.Random(kind)
    for _ in range(4):
        row = {}
        for f in calc.fields:
            if f.choices:
                row[f.name] = rng.choice(f.choices)[1]
            else:
                lo = max(f.minimum, 1e-3) if f.exclusive else f.minimum
                hi = min(f.maximum, max(10 * f.default, 10))
                value = math.exp(rng.uniform(math.log(max(lo, 1e-3)), math.log(hi)))
                row[f.name] = float(round(value)) if f.integer else round(value, 4)
                if f.integer and row[f.name] < max(1, f.minimum):
                    row[f.name] = float(max(1, f.minimum))
        rows.append(row)
    return rows


def fill(calc_el, kind, values):
    for name, value in values.items():
        field = calc_el.locator(f'[data-field="{name}"]')
        text = repr(value) if not float(value).is_integer() else str(int(value))
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(text)
        else:
            field.fill(text)


def read_outputs(calc_el):
    out = {}
    for o in calc_el.locator("output[data-out]").all():
        out[o.get_attribute("data-out")] = o.get_attribute("data-value")
    return out


KINDS_LIVE = sorted(placements())


@pytest.mark.browser
@pytest.mark.parametrize("kind", KINDS_LIVE)
def test_widget_agrees_with_its_python_reference(page, server, kind):
    page.goto(server + placements()[kind], wait_until="networkidle")
    calc_el = page.locator(f'.calculator[data-calc="{kind}"]')
    calc_el.scroll_into_view_if_needed()
    for values in input_table(kind):
        fill(calc_el, kind, values)
        got = read_outputs(calc_el)
        want = REFERENCE[kind](**values)
        for name, expected in want.items():
            assert got[name] is not None, f"{kind} {values}: {name} shows no value"
            if isinstance(expected, str):
                assert got[name] == expected
            else:
                assert float(got[name]) == pytest.approx(expected, rel=1e-12), f"{kind} {values}: {name}"
        units = calc_el.locator(".calc-outputs").inner_text()
        for o in CALCULATORS[kind].outputs:
            assert o.unit in units


BAD = ["", "-1", "0", "abc", "NaN", "Infinity", "1e400", "1e30", "1..2", "--5"]


@pytest.mark.browser
@pytest.mark.parametrize("kind", KINDS_LIVE)
def test_bad_input_shows_a_message_beside_the_field_and_no_nan(page, server, kind):
    page.goto(server + placements()[kind], wait_until="networkidle")
    calc_el = page.locator(f'.calculator[data-calc="{kind}"]')
    for f in CALCULATORS[kind].fields:
        if f.choices:
            continue
        for bad in BAD:
            number = None
            try:
                number = float(bad)
            except ValueError:
                pass
            allowed = number is not None and math.isfinite(number) and (number > f.minimum if f.exclusive else number >= f.minimum) and number <= f.maximum
            if allowed:
                continue
            fill(calc_el, kind, {x.name: x.default for x in CALCULATORS[kind].fields})
            field = calc_el.locator(f'[data-field="{f.name}"]')
            field.fill(bad)
            message = calc_el.locator(f"#calc-{kind}-{f.name}-error").inner_text().strip()
            assert message, f"{kind}.{f.name} = {bad!r}: no message beside the field"
            assert field.get_attribute("aria-invalid") == "true"
            text = calc_el.inner_text()
            assert "NaN" not in text.replace(bad, "") and "Infinity" not in text.replace(bad, ""), f"{kind}.{f.name}={bad!r}"
            assert all(v is None for v in read_outputs(calc_el).values()), f"{kind}.{f.name}={bad!r}: outputs still shown"


@pytest.mark.browser
@pytest.mark.parametrize("kind", KINDS_LIVE)
def test_inputs_survive_in_the_url(page, server, kind):
    page.goto(server + placements()[kind], wait_until="networkidle")
    calc_el = page.locator(f'.calculator[data-calc="{kind}"]')
    values = input_table(kind)[-1]
    fill(calc_el, kind, values)
    before = read_outputs(calc_el)
    shared = page.url
    assert f"{kind}." in shared
    page.goto(server + "/", wait_until="networkidle")
    page.goto(shared, wait_until="networkidle")
    assert read_outputs(page.locator(f'.calculator[data-calc="{kind}"]')) == before


@pytest.mark.browser
@pytest.mark.parametrize("kind", [k for k in KINDS_LIVE if CALCULATORS[k].presets])
def test_presets_fill_the_fields_and_cite_their_source(page, server, kind):
    page.goto(server + placements()[kind], wait_until="networkidle")
    calc_el = page.locator(f'.calculator[data-calc="{kind}"]')
    for i, preset in enumerate(CALCULATORS[kind].presets):
        calc_el.locator("[data-preset]").select_option(str(i))
        for name, value in preset.values.items():
            assert float(calc_el.locator(f'[data-field="{name}"]').input_value()) == pytest.approx(value)
        assert calc_el.locator(f'.calc-sources a[href="{preset.url}"]').count() == 1
