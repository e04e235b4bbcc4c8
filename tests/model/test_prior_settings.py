"""prior_settings: HSSM's "safe" and None tables exactly, hierax's "scaled" kept, printed as HSSM.

The expected printouts are HSSM's, copied from its hierarchical-modelling
tutorial (``print(model)`` of each analytical model on cavanagh_theta). HSSM
ran in float32, so its 0.3 prints as 0.30000001192092896; numbers are
compared after rounding to float32 and 6 significant digits.
"""

import re
from math import gamma

import jax
import numpy as np
import pytest
from numpyro.infer import Predictive

import hierax as hx
from hierax._config import precision
from hierax.defaults import HDDM_GROUP, HDDM_INTERCEPT

_W = "Weibull(alpha: 1.5, beta: 0.30000001192092896)"
_HIER = "y ~ 1 + (1|participant_id)"
_HEADER = (
    "Hierarchical Sequential Sampling Model Model: ddm Response variable: rt,response "
    "Likelihood: analytical Observations: 3988 Parameters: "
)
_LAPSE = " Lapse probability: 0.05 Lapse distribution: Uniform(lower: 0.0, upper: 20.0)"


def _regression(name, intercept, group, link, bounds):
    return (
        f"{name}: Formula: {name} ~ 1 + (1|participant_id) Priors: {name}_Intercept ~ "
        f"{intercept} {name}_1|participant_id ~ {group} Link: {link} Explicit bounds: {bounds}"
    )


_LOGIT = "Generalized logit link function with bounds (0.0, 1.0)"
_IGNORED = " (ignored due to link function)"
# The tutorial's printouts of its four analytical models, by its variable names.
TUTORIAL = {
    "model_non_hierarchical": _HEADER
    + "v: Prior: Normal(mu: 0.0, sigma: 2.0) Explicit bounds: (-inf, inf) "
    "a: Prior: HalfNormal(sigma: 2.0) Explicit bounds: (0.0, inf) "
    "z: Prior: Uniform(lower: 0.0, upper: 1.0) Explicit bounds: (0.0, 1.0) "
    "t: Prior: HalfNormal(sigma: 2.0) Explicit bounds: (0.0, inf)" + _LAPSE,
    "model_hierarchical": _HEADER
    + " ".join(
        [
            _regression(
                "v",
                "Normal(mu: 2.0, sigma: 3.0)",
                f"Normal(mu: 0.0, sigma: {_W})",
                "identity",
                "(-inf, inf)",
            ),
            _regression(
                "a",
                "Gamma(mu: 1.5, sigma: 0.75)",
                f"Normal(mu: 0.0, sigma: {_W})",
                "identity",
                "(0.0, inf)",
            ),
            _regression(
                "z",
                "Beta(alpha: 10.0, beta: 10.0)",
                f"Normal(mu: 0.0, sigma: {_W})",
                "identity",
                "(0.0, 1.0)",
            ),
            _regression(
                "t",
                "Gamma(mu: 0.20000000298023224, sigma: 0.20000000298023224)",
                f"Normal(mu: 0.0, sigma: {_W})",
                "identity",
                "(0.0, inf)",
            ),
        ]
    )
    + _LAPSE,
    "model_log_logit": _HEADER
    + " ".join(
        [
            _regression(
                "v",
                "Normal(mu: 0.0, sigma: 2.5)",
                "Normal(mu: 0.0, sigma: HalfNormal(sigma: 2.5))",
                "identity",
                "(-inf, inf)" + _IGNORED,
            ),
            _regression(
                "a",
                "Normal(mu: 0.0, sigma: 1.0)",
                "Normal(mu: 0.0, sigma: HalfNormal(sigma: 1.0))",
                "log",
                "(0.0, inf)" + _IGNORED,
            ),
            _regression(
                "z",
                "Normal(mu: 0.0, sigma: 1.0)",
                "Normal(mu: 0.0, sigma: HalfNormal(sigma: 1.0))",
                _LOGIT,
                "(0.0, 1.0)" + _IGNORED,
            ),
            _regression(
                "t",
                "Normal(mu: 0.0, sigma: 1.0)",
                "Normal(mu: 0.0, sigma: HalfNormal(sigma: 1.0))",
                "log",
                "(0.0, inf)" + _IGNORED,
            ),
        ]
    )
    + _LAPSE,
    "model_safe_loglogit": _HEADER
    + " ".join(
        [
            _regression(
                name,
                "Normal(mu: 0.0, sigma: 0.25)",
                f"Normal(mu: 0.0, sigma: {_W})",
                link,
                bounds + _IGNORED,
            )
            for name, link, bounds in [
                ("v", "identity", "(-inf, inf)"),
                ("a", "log", "(0.0, inf)"),
                ("z", _LOGIT, "(0.0, 1.0)"),
                ("t", "log", "(0.0, inf)"),
            ]
        ]
    )
    + _LAPSE,
}
# The tutorial's calls, with hx in place of hssm.
CALLS = {
    "model_non_hierarchical": {},
    "model_hierarchical": {"global_formula": _HIER, "prior_settings": "safe"},
    "model_log_logit": {
        "global_formula": _HIER,
        "prior_settings": None,
        "link_settings": "log_logit",
    },
    "model_safe_loglogit": {
        "global_formula": _HIER,
        "prior_settings": "safe",
        "link_settings": "log_logit",
    },
}
# The priors of the tutorial's model_safe_off (approx_differentiable, whose
# likelihood hierax lacks) with prior_settings=None: the same on the analytical DDM.
SAFE_OFF_PRIORS = [
    "v_Intercept ~ Normal(mu: 0.0, sigma: 2.5)",
    "v_1|participant_id ~ Normal(mu: 0.0, sigma: HalfNormal(sigma: 2.5))",
    *[f"{n}_Intercept ~ Normal(mu: 0.0, sigma: 1.0)" for n in "azt"],
    *[f"{n}_1|participant_id ~ Normal(mu: 0.0, sigma: HalfNormal(sigma: 1.0))" for n in "azt"],
]
# hierax's own annotations, which HSSM does not print.
_HIERAX_NOTES = re.compile(r"  \((?:non-)?centred\)$|  \[values outside get log density -inf\]$")


def _norm(text: str) -> str:
    """Numbers as float32 to 6 significant digits, so that 0.30000001192092896 reads 0.3."""
    return re.sub(r"-?\d+\.\d+", lambda m: f"{float(np.float32(m.group())):.6g}", text)


def tutorial_items(text: str) -> list[tuple[str, str]]:
    """(block, item) pairs of a flattened HSSM printout; block "" for the model lines."""
    body = text[text.index("Parameters: ") + len("Parameters: ") : text.index(" Lapse probability")]
    items = [("", m) for m in ("Model: ddm", "Response variable: rt,response")]
    items += [("", re.search(r"(Likelihood: \w+)", text).group(1))]
    items += [("", re.search(r"(Observations: \d+)", text).group(1))]
    for chunk in re.split(r" (?=\w+: (?:Formula|Prior):)", body):
        name, rest = chunk.split(": ", 1)
        bounds = rest.index(" Explicit bounds: ")
        items.append((name, rest[bounds + 1 :]))
        rest = rest[:bounds]
        if rest.startswith("Prior: "):
            items.append((name, rest))
            continue
        formula, rest = rest.split(" Priors: ")
        priors, link = rest.split(" Link: ")
        items += [(name, formula), (name, f"Link: {link}")]
        items += [(name, p) for p in re.split(r" (?=\w+_(?:Intercept|1\|\w+) ~ )", priors)]
    lapse = text[text.index("Lapse probability") :]
    items += [("", item) for item in re.split(r" (?=Lapse distribution)", lapse)]
    return items


def hierax_lines(text: str) -> dict[str, list[str]]:
    """The lines of print(model) by parameter block (block "" for the model lines)."""
    blocks: dict[str, list[str]] = {"": []}
    block = ""
    for line in text.splitlines():
        if re.fullmatch(r"\w+:", line):
            block = line[:-1]
            blocks[block] = []
        elif line.startswith(("Lapse", "Model:", "Response", "Likelihood", "Observations")):
            blocks[""].append(line)
        elif line.strip():
            blocks[block].append(_HIERAX_NOTES.sub("", line.strip()))
    return blocks


def missing_items(text: str, expected: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The expected items that print(model) does not show as HSSM does."""
    lines = {k: [_norm(line) for line in v] for k, v in hierax_lines(text).items()}
    out = []
    for block, item in expected:
        item = _norm(item)
        got = lines.get(block, [])
        ok = any(g.startswith(item) for g in got) if block == "" else item in got
        if not ok:
            out.append((block, item))
    return out


@pytest.fixture(scope="module")
def cavanagh():
    return hx.load_data("cavanagh_theta")


@pytest.fixture(scope="module")
def small():
    return hx.load_data("cavanagh_theta").query("participant_id < 4").reset_index(drop=True)


def test_tutorial_parser_reads_every_item():
    items = tutorial_items(TUTORIAL["model_hierarchical"])
    assert len(items) == 4 + 4 * 5 + 2
    assert ("a", "a_Intercept ~ Gamma(mu: 1.5, sigma: 0.75)") in items
    assert ("z", "Explicit bounds: (0.0, 1.0)") in items


@pytest.mark.parametrize("name", list(TUTORIAL))
def test_print_matches_the_tutorial(cavanagh, name):
    text = str(hx.Model(cavanagh, **CALLS[name]))
    expected = tutorial_items(TUTORIAL[name])
    assert missing_items(text, expected) == []


def test_prior_settings_none_matches_the_tutorial_priors(cavanagh):
    text = str(hx.Model(cavanagh, global_formula=_HIER, prior_settings=None))
    expected = [(p.split("_")[0], p) for p in SAFE_OFF_PRIORS]
    assert missing_items(text, expected) == []
    assert "Default priors: prior_settings=None (bambi's defaults, as HSSM sets them)" in text


def test_print_says_which_table_is_in_force(small):
    for setting, words in [
        ("safe", "HSSM's safe priors"),
        (None, "bambi's defaults"),
        ("scaled", "hierax's scaled priors"),
    ]:
        text = str(hx.Model(small, global_formula=_HIER, prior_settings=setting))
        assert f"Default priors: prior_settings={setting!r} ({words}" in text


def test_scaled_keeps_hierax_priors(small):
    hier = str(hx.Model(small, global_formula=_HIER, prior_settings="scaled"))
    expected = [
        ("v", "v_Intercept ~ Normal(mu: 0.0, sigma: 2.0)"),
        ("v", "v_1|participant_id ~ Normal(mu: 0.0, sigma: HalfNormal(sigma: 0.5))"),
        ("a", "a_Intercept ~ Gamma(mu: 1.0, sigma: 0.75)"),
        ("a", "a_1|participant_id ~ Normal(mu: 0.0, sigma: HalfNormal(sigma: 0.25))"),
        ("z", "z_Intercept ~ Beta(alpha: 5.0, beta: 5.0)"),
        ("z", "z_1|participant_id ~ Normal(mu: 0.0, sigma: HalfNormal(sigma: 0.05))"),
        ("t", "t_Intercept ~ Gamma(mu: 0.3, sigma: 0.3)"),
        ("t", "t_1|participant_id ~ Normal(mu: 0.0, sigma: HalfNormal(sigma: 0.1))"),
        ("a", "Link: identity"),
        ("a", "Explicit bounds: (0.0, inf)"),
    ]
    assert missing_items(hier, expected) == []
    linked = str(
        hx.Model(small, global_formula=_HIER, prior_settings="scaled", link_settings="log_logit")
    )
    expected = [
        ("a", "a_Intercept ~ Normal(mu: 0.0, sigma: 1.0)"),
        ("t", "t_Intercept ~ Normal(mu: -1.6094, sigma: 1.0)"),
        ("z", "z_1|participant_id ~ Normal(mu: 0.0, sigma: HalfNormal(sigma: 0.2))"),
        ("z", f"Link: {_LOGIT}"),
        ("z", "Explicit bounds: (0.0, 1.0)" + _IGNORED),
    ]
    assert missing_items(linked, expected) == []
    free = str(hx.Model(small, prior_settings="scaled"))
    expected = [
        ("a", "Prior: Gamma(mu: 1.0, sigma: 0.75)"),
        ("z", "Prior: Beta(alpha: 5.0, beta: 5.0)"),
        ("t", "Prior: Gamma(mu: 0.3, sigma: 0.3)"),
    ]
    assert missing_items(free, expected) == []


def test_safe_ddm_intercepts_of_every_parameter(small):
    m = hx.Model(
        small, model="full_ddm", global_formula="y ~ 1", p_outlier={"formula": "p_outlier ~ 1"}
    )
    intercepts = {p.name: p.common[0].prior for p in m.resolved.plans}
    assert intercepts == {name: HDDM_INTERCEPT[name] for name in intercepts}
    assert str(intercepts["sz"]) == "HalfNormal(sigma: 0.5)"
    assert str(intercepts["p_outlier"]) == "Beta(alpha: 5.0, beta: 100.0)"


def test_safe_group_terms(small):
    weibull = hx.Prior("Weibull", alpha=1.5, beta=0.3)
    m = hx.Model(
        small,
        include=[
            {"name": "v", "formula": "v ~ 1 + theta + (1 + theta|participant_id)"},
            {"name": "a", "formula": "a ~ 1 + (0 + theta|participant_id)"},
            {"name": "z", "formula": "z ~ 0 + (1|participant_id)"},
            {"name": "t", "formula": "t ~ 0 + (1|participant_id)", "link": "log"},
        ],
    )
    plans = {p.name: p for p in m.resolved.plans}
    v = {g.site: g.prior for g in plans["v"].common + plans["v"].group}
    assert v["v_theta"] == hx.Prior("Normal", mu=0.0, sigma=0.25)
    assert v["v_1|participant_id"] == hx.Prior("Normal", mu=0.0, sigma=weibull)
    assert v["v_theta|participant_id"] == hx.Prior("Normal", mu=0.0, sigma=weibull)
    # A group slope without its common term is centred on an estimated mean.
    mean = hx.Prior("Normal", mu=0.0, sigma=0.25)
    assert plans["a"].group[0].prior == hx.Prior("Normal", mu=mean, sigma=weibull)
    # A group intercept without a common one: HSSM's HDDM_SETTINGS_GROUP, or the generic
    # rule under a link.
    assert plans["z"].group[0].prior == HDDM_GROUP["z"]
    assert str(HDDM_GROUP["a"]) == (
        "Gamma(mu: Gamma(mu: 1.5, sigma: 0.75), sigma: HalfNormal(sigma: 0.1))"
    )
    assert plans["t"].group[0].prior == hx.Prior("Normal", mu=mean, sigma=weibull)


def test_safe_rules_of_other_families():
    data = hx.simulate_data("lba2", {"A": 0.3, "b": 0.8, "v0": 1.0, "v1": 0.6}, size=50, seed=1)
    data = data.assign(participant_id=np.arange(50) % 2)
    m = hx.Model(data, model="lba2", global_formula="y ~ 1 + (1|participant_id)")
    plans = {p.name: p for p in m.resolved.plans}
    # Identity link: Normal(0, 0.25) truncated to the half-line bounds.
    assert plans["b"].common[0].prior == hx.Prior("TruncatedNormal", mu=0.0, sigma=0.25, lower=0.2)
    assert (
        str(plans["A"].group[0].prior) == "Normal(mu: 0.0, sigma: Weibull(alpha: 1.5, beta: 0.3))"
    )
    linked = hx.Model(data, model="lba2", global_formula="y ~ 1", link_settings="log_logit")
    assert all(
        p.common[0].prior == hx.Prior("Normal", mu=0.0, sigma=0.25)
        for p in linked.resolved.plans
        if p.kind == "regression"
    )
    # Finite bounds: Normal(midpoint, 0.25) truncated to them.
    bounded = hx.Model(
        data, model="lba2", include=[{"name": "A", "formula": "A ~ 1", "bounds": (0.0, 2.0)}]
    )
    prior = next(p for p in bounded.resolved.plans if p.name == "A").common[0].prior
    assert prior == hx.Prior("TruncatedNormal", mu=1.0, sigma=0.25, lower=0.0, upper=2.0)


def test_none_scales_the_parent_as_bambi(small):
    m = hx.Model(
        small,
        prior_settings=None,
        include=[
            {"name": "v", "formula": "v ~ 1 + theta + (1 + theta|participant_id)"},
            {"name": "a", "formula": "a ~ 1 + theta"},
        ],
    )
    plans = {p.name: p for p in m.resolved.plans}
    theta = small["theta"].to_numpy()
    slope = 2.5 / theta.std()
    v = {t.site: t.prior for t in plans["v"].common + plans["v"].group}
    assert v["v_theta"].params["sigma"] == pytest.approx(slope, rel=1e-5)
    intercept = np.sqrt(2.5**2 + (slope * theta.mean()) ** 2)
    assert v["v_Intercept"].params["sigma"] == pytest.approx(intercept, rel=1e-5)
    group = v["v_theta|participant_id"].params["sigma"]
    assert group.params["sigma"] == pytest.approx(slope, rel=1e-5)
    # Parameters other than the parent take bambi's unscaled Normal(0, 1).
    assert [c.prior for c in plans["a"].common] == [hx.Prior("Normal", mu=0.0, sigma=1.0)] * 2


def test_user_priors_win_over_every_table(small):
    prior = hx.Prior("Normal", mu=0.5, sigma=0.1)
    for setting in ("safe", None, "scaled"):
        m = hx.Model(
            small,
            prior_settings=setting,
            include=[{"name": "v", "formula": "v ~ 1 + theta", "prior": {"theta": prior}}],
        )
        v = next(p for p in m.resolved.plans if p.name == "v")
        assert v.common[1].prior == prior


def test_unknown_prior_settings_lists_the_tables(small):
    with pytest.raises(ValueError, match=r"one of \('safe', 'scaled', None\)"):
        hx.Model(small, prior_settings="hssm")


def test_gamma_mean_sd_form_has_the_closed_form_moments():
    d = hx.Prior("Gamma", mu=1.5, sigma=0.75).distribution()
    assert float(d.concentration) == pytest.approx((1.5 / 0.75) ** 2)
    assert float(d.rate) == pytest.approx(1.5 / 0.75**2)
    assert float(d.mean) == pytest.approx(1.5) and float(d.variance) == pytest.approx(0.75**2)
    with precision("float64"):
        draws = np.asarray(d.sample(jax.random.PRNGKey(0), (200_000,)))
    assert draws.mean() == pytest.approx(1.5, rel=0.01)
    assert draws.std() == pytest.approx(0.75, rel=0.01)


def test_weibull_takes_hssm_names():
    d = hx.Prior("Weibull", alpha=1.5, beta=0.3).distribution()
    assert float(d.concentration) == 1.5 and float(d.scale) == 0.3
    assert float(d.mean) == pytest.approx(0.3 * gamma(1 + 1 / 1.5), rel=1e-6)


def test_safe_hierarchical_priors_sample(small):
    """The priors of the safe table, hyperpriors included, draw as declared."""
    m = hx.Model(
        small,
        include=[
            {"name": "a", "formula": "a ~ 1 + (1|participant_id)"},
            {"name": "t", "formula": "t ~ 0 + (1|participant_id)"},
        ],
    )
    arrays = {k: np.asarray(v) for k, v in m.resolved.arrays.items()}
    with precision("float64"):
        draws = Predictive(m.model_fn, num_samples=20000)(jax.random.PRNGKey(1), arrays)
    a = np.asarray(draws["a_Intercept"])  # Gamma(mu=1.5, sigma=0.75)
    assert a.mean() == pytest.approx(1.5, rel=0.03) and a.std() == pytest.approx(0.75, rel=0.05)
    sigma = np.asarray(draws["a_1|participant_id_sigma"])  # Weibull(1.5, 0.3)
    assert sigma.mean() == pytest.approx(0.3 * gamma(1 + 1 / 1.5), rel=0.03)
    mu = np.asarray(draws["t_1|participant_id_mu"])  # Gamma(mu=0.2, sigma=0.2)
    assert mu.mean() == pytest.approx(0.2, rel=0.03)
    assert np.all(np.asarray(draws["t_1|participant_id"]) >= 0)  # Gamma draws, on (0, inf)
