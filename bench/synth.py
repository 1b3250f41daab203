"""A deterministic generator of synthetic knowledge bases for the benchmark.

`python bench/synth.py N DIR` writes DIR/content/<kind>/<id>.yaml: N entries of every kind with
realistic field lengths, 3-5 relations each, tags, [[id]] links in prose and a few learning paths.
The same N always gives byte-identical files, so timings compare across runs and machines.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

# Share of each kind in a base (learning paths are added on top: one per 100 entries, at least one).
KIND_SHARES = {"sources": 0.10, "definitions": 0.20, "behaviours": 0.20, "examples": 0.30, "case-notes": 0.20}
WORDS = (
    "customer service listen promise trust answer follow team value feedback quality journey need "
    "question care detail time honest clear simple quick owner problem solve learn improve measure "
    "support empathy respect promise keep handover context experience friction effort outcome "
    "complaint praise loyalty habit first contact channel queue escalate apology recovery expect"
).split()
TAGS = [f"topic-{n}" for n in range(40)]
SEED = 20261123


def generate(count: int, destination: Path) -> list[Path]:
    """Write a synthetic base of `count` entries (plus paths) under destination/content."""
    rng = random.Random(SEED + count)
    ids = _allocate_ids(count, rng)
    ids["prose"] = [i for k in ("definitions", "behaviours", "examples", "case-notes") for i in ids[k]]
    ids["related"] = [i for k in ("definitions", "behaviours", "examples") for i in ids[k]]
    written = []
    for kind in (*KIND_SHARES, "paths"):
        kind_ids = ids[kind]
        folder = destination / "content" / kind
        folder.mkdir(parents=True, exist_ok=True)
        for entry_id in kind_ids:
            data = _entry(kind, entry_id, ids, rng)
            path = folder / f"{entry_id}.yaml"
            path.write_text(
                yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
            )
            written.append(path)
    return written


def _allocate_ids(count: int, rng: random.Random) -> dict[str, list[str]]:
    """Give every entry an id first, so relations can point anywhere in the base (plus pools to pick from)."""
    ids: dict[str, list[str]] = {}
    for kind, share in KIND_SHARES.items():
        ids[kind] = [f"{kind[:3]}-{n:05d}-{_words(rng, 2, sep='-')}" for n in range(max(1, round(count * share)))]
    ids["paths"] = [f"path-{n:03d}-{_words(rng, 2, sep='-')}" for n in range(max(1, count // 100))]
    return ids


def _entry(kind: str, entry_id: str, ids: dict[str, list[str]], rng: random.Random) -> dict:
    """One entry's fields: the common ones, then its kind's, 3-5 relations in all."""
    # Four or more words per name: shorter ones drawn from a small vocabulary collide,
    # and kb check warns of near-duplicates.
    data: dict = {"title": _sentence(rng, 4, 7).rstrip("."), "summary": _sentence(rng, 12, 25)}
    if kind == "definitions":
        data["term"] = data["title"].lower()
        data["also_known_as"] = [_words(rng, 5) for _ in range(rng.randint(0, 2))]
    data["body"] = _body(rng, _pick(rng, ids["prose"], 1, 2, entry_id))
    data["tags"] = sorted(set(rng.sample(TAGS, rng.randint(1, 3))))
    data["sources"] = [
        {"source": s, "locator": f"section {rng.randint(1, 9)}"} for s in _pick(rng, ids["sources"], 1, 2, entry_id)
    ]
    if kind in ("definitions", "behaviours", "sources"):  # the others relate through shows/demonstrates/steps
        data["related"] = _pick(rng, ids["related"], 1, 1, entry_id)
    data.update(_kind_fields(kind, entry_id, ids, rng))
    # In 2025: kb check refuses a date in the future.
    data["added"] = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return data


def _kind_fields(kind: str, entry_id: str, ids: dict[str, list[str]], rng: random.Random) -> dict:
    """The fields only one kind has."""
    behaviours = ids["behaviours"]
    if kind == "behaviours":
        return {
            "in_practice": [_sentence(rng, 8, 16) for _ in range(3)],
            "why_it_matters": _sentence(rng, 20, 40),
            "anti_patterns": [_sentence(rng, 8, 14) for _ in range(2)],
            "discussion_questions": [_sentence(rng, 6, 12).rstrip(".") + "?" for _ in range(2)],
        }
    if kind == "examples":
        return {"shows": _pick(rng, behaviours, 1, 1, entry_id), "takeaway": _sentence(rng, 10, 20)}
    if kind == "case-notes":
        return {
            "company": _words(rng, 2).title() + " Ltd",
            "period": f"as described in {rng.randint(1995, 2025)}",
            "what_they_did": [_sentence(rng, 10, 20) for _ in range(3)],
            "demonstrates": _pick(rng, behaviours, 1, 1, entry_id),
            "caveats": [_sentence(rng, 8, 14)],
        }
    if kind == "sources":
        return {
            "author": _words(rng, 2).title(),
            "publisher": _words(rng, 2).title() + " Review",
            "published": f"{rng.randint(1995, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "url": f"https://example.org/articles/{entry_id}",
        }
    if kind == "paths":
        targets = _pick(rng, behaviours + ids["definitions"], 4, 6, entry_id)
        return {
            "audience": "New starters in " + _words(rng, 2),
            "format": rng.choice(["self-study", "workshop"]),
            "objectives": [_sentence(rng, 6, 12) for _ in range(3)],
            "steps": [
                {"entry": t, "minutes": rng.choice([5, 10, 15, 20]), "activity": _sentence(rng, 5, 10)} for t in targets
            ],
        }
    return {}


def _pick(rng: random.Random, pool: list[str], low: int, high: int, exclude: str) -> list[str]:
    """Between low and high distinct ids from pool, never the entry itself."""
    candidates = [i for i in rng.sample(pool, min(len(pool), high + 1)) if i != exclude]
    return sorted(set(candidates[: rng.randint(low, high)]))


def _body(rng: random.Random, links: list[str]) -> str:
    """Two or three paragraphs of prose with [[id]] links woven in."""
    paragraphs = [" ".join(_sentence(rng, 10, 22) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(2, 3))]
    for n, target in enumerate(links):
        paragraphs[n % len(paragraphs)] += (
            f" See [[{target}]]." if n % 2 == 0 else f" Compare [[{target}|this {_words(rng, 1)}]]."
        )
    return "\n\n".join(paragraphs) + "\n"


def _sentence(rng: random.Random, low: int, high: int) -> str:
    """A capitalised sentence of low to high words."""
    return _words(rng, rng.randint(low, high)).capitalize() + "."


def _words(rng: random.Random, count: int, sep: str = " ") -> str:
    return sep.join(rng.choice(WORDS) for _ in range(count))


class _BlockDumper(yaml.SafeDumper):
    """Write multi-line prose as a literal block, the way contributors do."""


_BlockDumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None),
)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/synth.py N DIR")
    files = generate(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {len(files)} entries to {sys.argv[2]}/content")
