"""Configuration: one frozen dataclass per stage, composed in :class:`DedupConfig`.

Every value is validated when the config is built; messages name the value and the
fix. A config can be read from TOML (one table per stage) and overridden with flat
keyword options (``threshold=0.6``), which is how ``deduplicate(**options)`` and the
CLI build theirs.

Example:
    >>> cfg = DedupConfig().with_options(threshold=0.6)
    >>> cfg.verify.threshold
    0.6
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dedup.errors import ConfigError
from dedup.verify import CopyRule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CANONICAL_RULES = ("most_complete", "earliest_published", "least_boilerplate", "smallest_id")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ConfigError(message)


def _check_fraction(name: str, value: float, *, allow_zero: bool = False) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    low_ok = ok and (value >= 0.0 if allow_zero else value > 0.0)
    _check(
        low_ok and value <= 1.0,
        f"{name} must be a number in {'[0' if allow_zero else '(0'}, 1], got {value!r}",
    )


def _check_int(name: str, value: int, low: int, high: int) -> None:
    _check(
        isinstance(value, int) and not isinstance(value, bool) and low <= value <= high,
        f"{name} must be a whole number from {low} to {high}, got {value!r}",
    )


def _check_number(name: str, value: float, low: float, high: float) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    _check(ok and low <= value <= high, f"{name} must be a number from {low:g} to {high:g}, got {value!r}")


@dataclass(frozen=True)
class CleanConfig:
    """Page-junk removal.

    Args:
        enabled: Remove navigation, widgets, credits, footers and repeated lines.
        max_chars: Texts longer than this are rejected before any work: no news article
            is this long (10 million characters is some 1.6 million words), and a dump or
            a blob would only cost time and memory.
        learn_template: Leave out text blocks that recur on pages that otherwise share
            nothing (a site's consent, paywall or newsletter text in any language),
            learned from the whole corpus (see :mod:`dedup.text.template`).
    """

    enabled: bool = True
    max_chars: int = 10_000_000
    learn_template: bool = True

    def __post_init__(self) -> None:
        _check(isinstance(self.enabled, bool), f"clean.enabled must be true or false, got {self.enabled!r}")
        _check_int("clean.max_chars", self.max_chars, 1, 2**40)
        _check(
            isinstance(self.learn_template, bool),
            f"clean.learn_template must be true or false, got {self.learn_template!r}",
        )


@dataclass(frozen=True)
class NormalizeConfig:
    """Text normalisation applied before shingling.

    Args:
        fix_mojibake: Repair text decoded with the wrong codec (``Â£`` -> ``£``) with ftfy.
        casefold: Compare text case-insensitively.
    """

    fix_mojibake: bool = True
    casefold: bool = True

    def __post_init__(self) -> None:
        for name in ("fix_mojibake", "casefold"):
            value = getattr(self, name)
            _check(isinstance(value, bool), f"normalize.{name} must be true or false, got {value!r}")


@dataclass(frozen=True)
class ShingleConfig:
    """Shingling.

    Args:
        size: Words per shingle (word n-gram length).
    """

    size: int = 5

    def __post_init__(self) -> None:
        _check_int("shingle.size", self.size, 1, 32)


@dataclass(frozen=True)
class MinHashConfig:
    """MinHash signatures.

    Args:
        num_perm: Number of permutations (signature length).
        seed: Seed of the permutations; signatures are only comparable with the same seed.
    """

    num_perm: int = 128
    seed: int = 1

    def __post_init__(self) -> None:
        _check_int("minhash.num_perm", self.num_perm, 1, 4096)
        _check_int("minhash.seed", self.seed, 0, 2**32 - 1)


@dataclass(frozen=True)
class LSHConfig:
    """LSH banding, which proposes candidate pairs (all of them are verified later).

    Args:
        bands: Number of bands; set together with ``rows`` or leave both unset.
        rows: Rows per band; ``bands * rows`` must equal ``minhash.num_perm``.
        threshold: Jaccard similarity that LSH should catch with probability
            ``min_recall``; unset derives it as half the copy threshold, so that a copy
            whose shorter side is fully contained in a text up to twice as long is found.
        min_recall: Required probability of proposing a pair at ``threshold``.
        max_bucket: Band buckets larger than this emit only a sliding window of pairs
            (counted and reported as oversized buckets) instead of every pair.
        lede_shingles: Size of the lede set (the first shingles of the body). A second,
            small MinHash of the lede proposes pairs that share their beginning, which
            whole-text LSH misses when one side is much shorter (teasers, trimmed
            copies: a teaser of 7% of an article has Jaccard 0.07). Short enough that a
            one-sentence teaser is most of a lede. 0 turns it off.
        lede_perm: Permutations of the lede MinHash.
        lede_rows: Rows per band of the lede LSH (``lede_perm`` must be a multiple).
    """

    bands: int | None = None
    rows: int | None = None
    threshold: float | None = None
    min_recall: float = 0.95
    max_bucket: int = 500
    lede_shingles: int = 20
    lede_perm: int = 16
    lede_rows: int = 2

    def __post_init__(self) -> None:
        _check(
            (self.bands is None) == (self.rows is None),
            "lsh.bands and lsh.rows go together: set both, or unset both to derive them from the threshold",
        )
        if self.bands is not None:
            _check_int("lsh.bands", self.bands, 1, 4096)
            _check_int("lsh.rows", self.rows, 1, 4096)  # type: ignore[arg-type]
        if self.threshold is not None:
            _check_fraction("lsh.threshold", self.threshold)
        _check_fraction("lsh.min_recall", self.min_recall)
        _check_int("lsh.max_bucket", self.max_bucket, 2, 10**9)
        _check_int("lsh.lede_shingles", self.lede_shingles, 0, 10**6)
        _check_int("lsh.lede_perm", self.lede_perm, 1, 1024)
        _check_int("lsh.lede_rows", self.lede_rows, 1, 1024)
        _check(
            self.lede_perm % self.lede_rows == 0,
            f"lsh.lede_perm must be a multiple of lsh.lede_rows ({self.lede_perm} % {self.lede_rows} != 0)",
        )


@dataclass(frozen=True)
class VerifyConfig:
    """Candidate verification on the exact shingle sets: the copy rule.

    A pair is a copy when at least ``threshold`` of the shorter article's shingles
    appear in the other (the shorter text is mostly contained in the longer).

    Args:
        threshold: Minimum containment of the shorter article in the longer.
        min_excerpt_shingles: A pair where only one side is mostly contained in the
            other (``excerpt``) needs at least this many shingles on the shorter side;
            tinier texts match only when each side is mostly in the other.
        min_own_shingles: An article with at least this many own-words shingles (words
            outside quotation marks) is "in" another only if at least ``threshold / 2``
            of its own words are too, so shared quotations alone never make a copy. Set
            it very high to judge on all words only.
        min_figures: An article with at least this many distinct figures (numbers) is
            "in" another only if ``threshold`` of its figures occur there too: template
            items with other figures are other reports. Set it very high to ignore figures.
        recurring_after_hours: Two articles both dated more than this many hours apart
            are copies only if the contained one's figures all occur in the other: the
            same words with other figures days later are a recurring report (a weekly
            estimate, a monthly notice). 0 turns the rule off; undated articles are
            never affected.
        window_days: Two articles both dated more than this many days apart are never
            copies (a time window for archives and long-running indexes). 0, the
            default, sets no window; undated articles are never affected.
        min_shared_shingles: Two texts that are not identical are copies only if they
            share at least this many shingles: a page of a few words ("See all photos
            (18)") is too short to judge and matches nothing but its identical twin.
    """

    threshold: float = 0.5
    min_excerpt_shingles: int = 10
    min_own_shingles: int = 10
    min_figures: int = 3
    recurring_after_hours: float = 48.0
    window_days: float = 0.0
    min_shared_shingles: int = 8

    @property
    def rule(self) -> CopyRule:
        """The copy rule these settings make."""
        return CopyRule(
            self.threshold, self.min_excerpt_shingles, self.min_own_shingles, self.min_figures,
            self.recurring_after_hours, self.window_days * 24.0, self.min_shared_shingles,
        )

    def __post_init__(self) -> None:
        _check_fraction("verify.threshold", self.threshold)
        _check_int("verify.min_excerpt_shingles", self.min_excerpt_shingles, 1, 10**6)
        _check_int("verify.min_own_shingles", self.min_own_shingles, 1, 10**9)
        _check_int("verify.min_figures", self.min_figures, 1, 10**9)
        _check_number("verify.recurring_after_hours", self.recurring_after_hours, 0.0, 1e9)
        _check_number("verify.window_days", self.window_days, 0.0, 1e7)
        _check_int("verify.min_shared_shingles", self.min_shared_shingles, 0, 10**6)


@dataclass(frozen=True)
class ClusterConfig:
    """Story families from verified pairs (see :mod:`dedup.families`).

    Args:
        rendering_share: A text at least this share inside another is a rendering of
            it and ties it to the other texts it is in; a text no other holds this
            much of is only partly shared and hangs on one text.
    """

    rendering_share: float = 0.7

    def __post_init__(self) -> None:
        _check_fraction("cluster.rendering_share", self.rendering_share)


@dataclass(frozen=True)
class CanonicalConfig:
    """Election of the canonical copy of each cluster.

    Args:
        policy: Rules applied in order until one decides; ``smallest_id`` is always
            appended as the final tie-break. Rules: ``most_complete`` (most body words
            after cleaning), ``earliest_published`` (undated articles rank last),
            ``least_boilerplate`` (smallest share of the page removed as junk),
            ``smallest_id``.
    """

    policy: tuple[str, ...] = CANONICAL_RULES

    def __post_init__(self) -> None:
        policy = tuple(self.policy) if isinstance(self.policy, (list, tuple)) else None
        _check(
            policy is not None and len(policy) > 0,
            f"canonical.policy must be a non-empty list of rules from {list(CANONICAL_RULES)}, "
            f"got {self.policy!r}",
        )
        assert policy is not None
        for rule in policy:
            _check(
                rule in CANONICAL_RULES,
                f"canonical.policy has unknown rule {rule!r}; choose from {list(CANONICAL_RULES)}",
            )
        _check(len(set(policy)) == len(policy), f"canonical.policy lists a rule twice: {list(policy)}")
        if policy[-1] != "smallest_id":
            policy = tuple(r for r in policy if r != "smallest_id") + ("smallest_id",)
        object.__setattr__(self, "policy", policy)


# Flat option names accepted by deduplicate(**options) and the CLI -> (stage, field).
_FLAT_OPTIONS: dict[str, tuple[str, str]] = {
    "threshold": ("verify", "threshold"),
    "min_excerpt_shingles": ("verify", "min_excerpt_shingles"),
    "min_own_shingles": ("verify", "min_own_shingles"),
    "min_figures": ("verify", "min_figures"),
    "recurring_after_hours": ("verify", "recurring_after_hours"),
    "window_days": ("verify", "window_days"),
    "min_shared_shingles": ("verify", "min_shared_shingles"),
    "rendering_share": ("cluster", "rendering_share"),
    "shingle_size": ("shingle", "size"),
    "num_perm": ("minhash", "num_perm"),
    "seed": ("minhash", "seed"),
    "bands": ("lsh", "bands"),
    "rows": ("lsh", "rows"),
    "lsh_threshold": ("lsh", "threshold"),
    "max_bucket": ("lsh", "max_bucket"),
    "lede_shingles": ("lsh", "lede_shingles"),
    "clean": ("clean", "enabled"),
    "learn_template": ("clean", "learn_template"),
    "fix_mojibake": ("normalize", "fix_mojibake"),
    "canonical_policy": ("canonical", "policy"),
}


@dataclass(frozen=True)
class DedupConfig:
    """The whole configuration, one member per pipeline stage.

    Example:
        >>> DedupConfig(verify=VerifyConfig(threshold=0.7)).lsh_params()
        (64, 2)
    """

    clean: CleanConfig = field(default_factory=CleanConfig)
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    shingle: ShingleConfig = field(default_factory=ShingleConfig)
    minhash: MinHashConfig = field(default_factory=MinHashConfig)
    lsh: LSHConfig = field(default_factory=LSHConfig)
    verify: VerifyConfig = field(default_factory=VerifyConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    canonical: CanonicalConfig = field(default_factory=CanonicalConfig)

    def __post_init__(self) -> None:
        if self.lsh.bands is not None and self.lsh.rows is not None:
            product = self.lsh.bands * self.lsh.rows
            _check(
                product == self.minhash.num_perm,
                f"lsh.bands * lsh.rows must equal num_perm ({self.lsh.bands} * {self.lsh.rows} != "
                f"{self.minhash.num_perm}); unset them to derive from threshold={self.lsh_threshold}",
            )

    @property
    def lsh_threshold(self) -> float:
        """The Jaccard similarity LSH is tuned to catch."""
        if self.lsh.threshold is not None:
            return self.lsh.threshold
        return self.verify.threshold / 2.0

    def lsh_params(self) -> tuple[int, int]:
        """``(bands, rows)``: as set, or the fewest-collision split of ``num_perm``
        whose probability of proposing a pair at ``lsh_threshold`` is at least
        ``lsh.min_recall``; if no split reaches it, one row per band (the most
        recall ``num_perm`` allows)."""
        if self.lsh.bands is not None and self.lsh.rows is not None:
            return self.lsh.bands, self.lsh.rows
        num_perm, target = self.minhash.num_perm, self.lsh_threshold
        best = (num_perm, 1)
        for rows in range(1, num_perm + 1):
            if num_perm % rows:
                continue
            bands = num_perm // rows
            recall = 1.0 - (1.0 - target**rows) ** bands
            if recall >= self.lsh.min_recall:
                best = (bands, rows)
        return best

    def with_options(self, **options: Any) -> DedupConfig:
        """A copy with flat options applied (``threshold``, ``num_perm``, ``shingle_size``,
        ``seed``, ``bands``, ``rows``, ``lsh_threshold``, ``max_bucket``, ``lede_shingles``, ``clean``,
        ``fix_mojibake``, ``min_excerpt_shingles``, ``min_own_shingles``, ``min_figures``, ``recurring_after_hours``, ``window_days``, ``min_shared_shingles``,
        ``canonical_policy``)."""
        sections: dict[str, dict[str, Any]] = {}
        for name, value in options.items():
            if name not in _FLAT_OPTIONS:
                raise ConfigError(
                    f"unknown option {name!r}; known options: {', '.join(sorted(_FLAT_OPTIONS))}"
                )
            if value is None:
                continue
            stage, key = _FLAT_OPTIONS[name]
            if key == "policy" and isinstance(value, str):
                value = tuple(part.strip() for part in value.split(",") if part.strip())
            sections.setdefault(stage, {})[key] = value
        return self._merged(sections)

    def _merged(self, sections: Mapping[str, Mapping[str, Any]]) -> DedupConfig:
        changes: dict[str, Any] = {}
        for stage, values in sections.items():
            current = getattr(self, stage)
            known = {f.name for f in dataclasses.fields(current)}
            for key in values:
                if key not in known:
                    raise ConfigError(
                        f"unknown setting {stage}.{key}; known settings of [{stage}]: {', '.join(sorted(known))}"
                    )
            try:
                changes[stage] = dataclasses.replace(current, **values)
            except TypeError as exc:  # pragma: no cover - guarded by the check above
                raise ConfigError(f"bad setting in [{stage}]: {exc}") from exc
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Every setting, one table per stage (the shape :meth:`from_dict` reads).

        Example:
            >>> DedupConfig.from_dict(DedupConfig().as_dict()) == DedupConfig()
            True
        """
        return {
            stage.name: {
                f.name: list(value) if isinstance(value := getattr(getattr(self, stage.name), f.name), tuple) else value
                for f in dataclasses.fields(getattr(self, stage.name))
            }
            for stage in dataclasses.fields(self)
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str = "config") -> DedupConfig:
        """Build from a mapping shaped like the TOML file: one table per stage, plus
        an optional top-level ``threshold`` shortcut."""
        stages = {f.name for f in dataclasses.fields(cls)}
        sections: dict[str, Mapping[str, Any]] = {}
        flat: dict[str, Any] = {}
        for key, value in data.items():
            if key in stages:
                if not isinstance(value, Mapping):
                    raise ConfigError(f"{origin}: [{key}] must be a table of settings, got {value!r}")
                sections[key] = value
            elif key == "threshold":
                flat[key] = value
            else:
                raise ConfigError(
                    f"{origin}: unknown table or key {key!r}; expected one of "
                    f"{', '.join(sorted(stages | {'threshold'}))}"
                )
        return cls()._merged(sections).with_options(**flat)

    @classmethod
    def from_toml(cls, path: str | Path) -> DedupConfig:
        """Read a TOML config file (see README for the tables and keys)."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: config file not found; check the path given to --config") from None
        except IsADirectoryError:
            raise ConfigError(f"{path}: is a directory, not a TOML config file") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        return cls.from_dict(data, origin=str(path))
