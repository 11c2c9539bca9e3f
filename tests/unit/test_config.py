"""Configuration: validation messages, TOML, flat options."""

from __future__ import annotations

import dataclasses
import re

import pytest

from dedup import ConfigError, DedupConfig, DedupError
from dedup.config import (
    CanonicalConfig,
    CleanConfig,
    ClusterConfig,
    LSHConfig,
    MinHashConfig,
    NormalizeConfig,
    ShingleConfig,
    VerifyConfig,
)


def write(tmp_path, text: str):
    path = tmp_path / "dedup.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [0, 0.0, -0.1, 1.01, 2, float("nan"), float("inf"), "0.5", True, None]
)
def test_bad_threshold_names_the_value(value):
    with pytest.raises(
        ConfigError,
        match=rf"verify.threshold must be a number in \(0, 1\], got {re.escape(repr(value))}$",
    ):
        VerifyConfig(threshold=value)


def test_threshold_of_one_is_allowed():
    assert VerifyConfig(threshold=1.0).threshold == 1.0
    assert VerifyConfig(threshold=1).threshold == 1


@pytest.mark.parametrize("value", [0, -1, 4097, 12.0, "128", False])
def test_bad_num_perm_names_the_value(value):
    with pytest.raises(
        ConfigError, match=rf"minhash.num_perm must be a whole number from 1 to 4096, got {value!r}"
    ):
        MinHashConfig(num_perm=value)


@pytest.mark.parametrize(
    "factory,message",
    [
        (lambda: ShingleConfig(size=0), r"shingle.size must be a whole number from 1 to 32, got 0"),
        (
            lambda: MinHashConfig(seed=-1),
            r"minhash.seed must be a whole number from 0 to 4294967295, got -1",
        ),
        (lambda: MinHashConfig(seed=2**32), r"minhash.seed .* got 4294967296"),
        (lambda: LSHConfig(max_bucket=1), r"lsh.max_bucket must be a whole number from 2 .* got 1"),
        (lambda: LSHConfig(min_recall=0), r"lsh.min_recall must be a number in \(0, 1\], got 0"),
        (lambda: LSHConfig(threshold=1.5), r"lsh.threshold must be a number in \(0, 1\], got 1.5"),
        (
            lambda: LSHConfig(bands=0, rows=128),
            r"lsh.bands must be a whole number from 1 to 4096, got 0",
        ),
        (lambda: LSHConfig(rows=8), r"lsh.bands and lsh.rows go together"),
        (lambda: VerifyConfig(min_excerpt_shingles=0), r"verify.min_excerpt_shingles .* got 0"),
        (lambda: VerifyConfig(recurring_after_hours=-1), r"verify.recurring_after_hours must be a number from 0 to 1e\+09, got -1"),
        (lambda: VerifyConfig(recurring_after_hours=float("nan")), r"verify.recurring_after_hours must be a number .* got nan"),
        (lambda: VerifyConfig(min_own_shingles=0), r"verify.min_own_shingles .* got 0"),
        (
            lambda: ClusterConfig(rendering_share=1.5),
            r"cluster.rendering_share .* got 1.5",
        ),
        (lambda: CleanConfig(enabled="yes"), r"clean.enabled must be true or false, got 'yes'"),
        (lambda: NormalizeConfig(casefold=1), r"normalize.casefold must be true or false, got 1"),
        (
            lambda: CanonicalConfig(policy="most_complete"),
            r"canonical.policy must be a non-empty list",
        ),
    ],
)
def test_stage_validation_messages(factory, message):
    with pytest.raises(ConfigError, match=message):
        factory()


def test_config_error_is_a_value_error_with_exit_code_2():
    with pytest.raises(ValueError):
        VerifyConfig(threshold=5)
    assert issubclass(ConfigError, DedupError)
    assert ConfigError.exit_code == 2


def test_bands_rows_mismatch_message_names_values_and_fix():
    with pytest.raises(
        ConfigError,
        match=r"lsh.bands \* lsh.rows must equal num_perm \(16 \* 8 != 100\); unset them to derive from threshold=0.25",
    ):
        DedupConfig(minhash=MinHashConfig(num_perm=100), lsh=LSHConfig(bands=16, rows=8))


def test_configs_are_frozen():
    cfg = DedupConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.verify = VerifyConfig()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.verify.threshold = 0.9  # type: ignore[misc]


# --- flat options -------------------------------------------------------------------------------


def test_with_options_sets_the_right_fields():
    cfg = DedupConfig().with_options(
        threshold=0.6,
        shingle_size=4,
        num_perm=64,
        seed=7,
        max_bucket=50,
        clean=False,
        fix_mojibake=False,
        min_excerpt_shingles=3,
        min_own_shingles=20,
        lsh_threshold=0.4,
        canonical_policy=["earliest_published"],
    )
    assert cfg.verify == VerifyConfig(threshold=0.6, min_excerpt_shingles=3, min_own_shingles=20)
    assert cfg.shingle.size == 4
    assert (cfg.minhash.num_perm, cfg.minhash.seed) == (64, 7)
    assert cfg.lsh.max_bucket == 50 and cfg.lsh.threshold == 0.4
    assert cfg.lsh_threshold == 0.4
    assert cfg.clean.enabled is False and cfg.normalize.fix_mojibake is False
    assert cfg.canonical.policy == ("earliest_published", "smallest_id")


def test_with_options_returns_a_copy_and_ignores_none():
    base = DedupConfig()
    changed = base.with_options(threshold=0.7)
    assert base.verify.threshold == 0.5
    assert changed.verify.threshold == 0.7
    assert base.with_options(threshold=None) == base
    assert changed.lsh_threshold == 0.35


def test_with_options_policy_string_is_split():
    cfg = DedupConfig().with_options(canonical_policy=" earliest_published , least_boilerplate ")
    assert cfg.canonical.policy == ("earliest_published", "least_boilerplate", "smallest_id")


def test_with_options_unknown_option_lists_known_ones():
    with pytest.raises(ConfigError, match=r"unknown option 'thresold'; known options: .*threshold"):
        DedupConfig().with_options(thresold=0.5)


def test_with_options_validates_values():
    with pytest.raises(
        ConfigError, match=r"verify.threshold must be a number in \(0, 1\], got 1.5"
    ):
        DedupConfig().with_options(threshold=1.5)
    with pytest.raises(
        ConfigError, match=r"shingle.size must be a whole number from 1 to 32, got 40"
    ):
        DedupConfig().with_options(shingle_size=40)


# --- TOML --------------------------------------------------------------------------------------


def test_toml_round_trip(tmp_path):
    path = write(
        tmp_path,
        """
threshold = 0.55

[verify]
min_excerpt_shingles = 12
min_own_shingles = 30

[shingle]
size = 4

[minhash]
num_perm = 64
seed = 9

[lsh]
bands = 16
rows = 4
max_bucket = 100

[canonical]
policy = ["earliest_published", "most_complete"]

[clean]
enabled = false

[normalize]
fix_mojibake = false

[cluster]
rendering_share = 0.8
""",
    )
    cfg = DedupConfig.from_toml(path)
    assert cfg == DedupConfig(
        clean=CleanConfig(enabled=False),
        normalize=NormalizeConfig(fix_mojibake=False),
        shingle=ShingleConfig(size=4),
        minhash=MinHashConfig(num_perm=64, seed=9),
        lsh=LSHConfig(bands=16, rows=4, max_bucket=100),
        verify=VerifyConfig(threshold=0.55, min_excerpt_shingles=12, min_own_shingles=30),
        cluster=ClusterConfig(rendering_share=0.8),
        canonical=CanonicalConfig(policy=("earliest_published", "most_complete", "smallest_id")),
    )
    assert cfg.lsh_params() == (16, 4)


def test_toml_verify_table_threshold(tmp_path):
    cfg = DedupConfig.from_toml(write(tmp_path, "[verify]\nthreshold = 0.6\n"))
    assert cfg.verify.threshold == 0.6
    assert cfg.lsh_threshold == 0.3
    assert cfg.minhash == MinHashConfig()


def test_toml_top_level_threshold_overrides_table(tmp_path):
    cfg = DedupConfig.from_toml(write(tmp_path, "threshold = 0.7\n[verify]\nthreshold = 0.6\n"))
    assert cfg.verify.threshold == 0.7


def test_empty_toml_is_the_default(tmp_path):
    assert DedupConfig.from_toml(write(tmp_path, "")) == DedupConfig()


def test_toml_unknown_table(tmp_path):
    path = write(tmp_path, "[verfy]\nthreshold = 0.5\n")
    with pytest.raises(
        ConfigError, match=r"unknown table or key 'verfy'; expected one of .*verify"
    ):
        DedupConfig.from_toml(path)


def test_toml_unknown_key_lists_known_keys(tmp_path):
    path = write(tmp_path, "[shingle]\nlength = 4\n")
    with pytest.raises(
        ConfigError, match=r"unknown setting shingle.length; known settings of \[shingle\]: size"
    ):
        DedupConfig.from_toml(path)


def test_toml_table_must_be_a_table(tmp_path):
    path = write(tmp_path, "verify = 0.5\n")
    with pytest.raises(ConfigError, match=r"\[verify\] must be a table of settings, got 0.5"):
        DedupConfig.from_toml(path)


def test_toml_bad_value_names_the_value(tmp_path):
    path = write(tmp_path, '[verify]\nthreshold = "high"\n')
    with pytest.raises(
        ConfigError, match=r"verify.threshold must be a number in \(0, 1\], got 'high'"
    ):
        DedupConfig.from_toml(path)


def test_toml_syntax_error_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        DedupConfig.from_toml(write(tmp_path, "[verify\n"))
    with pytest.raises(ConfigError, match="config file not found"):
        DedupConfig.from_toml(tmp_path / "missing.toml")


def test_toml_bands_rows_mismatch(tmp_path):
    path = write(tmp_path, "[lsh]\nbands = 16\nrows = 4\n")
    with pytest.raises(ConfigError, match=r"must equal num_perm \(16 \* 4 != 128\)"):
        DedupConfig.from_toml(path)


def test_from_dict_origin_in_messages():
    with pytest.raises(ConfigError, match=r"^settings.toml: unknown table or key 'x'"):
        DedupConfig.from_dict({"x": 1}, origin="settings.toml")
