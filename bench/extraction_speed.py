"""Extraction speed against raw spaCy+jieba tokenisation of the same text.

    .venv/bin/python bench/extraction_speed.py [FOLDER] [--repeat N]

Reads the reports of FOLDER (default: seeds/), then times, in this one run,
(1) ``spacy.blank("zh")`` with the jieba segmenter alone over their texts and
(2) Yibao KG's whole extraction (pipeline, records, linking) over the same
documents, after one warm-up pass of each. Prints characters per second of
both and their ratio (the goal is at least 0.4).
"""

from __future__ import annotations

import argparse
import logging
import platform
import time

import jieba
import spacy

from kg.extract import extract
from kg.ingest import collect, read_document
from kg.link import link
from kg.nlp import make_nlp


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default="seeds")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    files, _ = collect([args.folder])
    docs = [read_document(p) for p in files]
    chars = sum(len(d.text) for d in docs) * args.repeat

    jieba.setLogLevel(logging.WARNING)
    raw = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for d in docs:
        raw(d.text)
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for d in docs:
            raw(d.text)
    t_raw = time.perf_counter() - t0

    nlp = make_nlp()
    for d in docs:
        link(extract(d, nlp))
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for d in docs:
            link(extract(d, nlp))
    t_kg = time.perf_counter() - t0

    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, Python {platform.python_version()}")
    print(f"{len(docs)} reports x {args.repeat}, {chars} characters")
    print(f"raw spaCy+jieba tokenisation: {chars / t_raw:,.0f} chars/s")
    print(f"Yibao KG extraction + linking: {chars / t_kg:,.0f} chars/s")
    print(f"ratio: {t_raw / t_kg:.2f}x (goal >= 0.4x)")


if __name__ == "__main__":
    main()
