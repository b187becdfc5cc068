#!/usr/bin/env python3
"""Checks that `zhengce export --jsonl` gives another engine zhengce's substring recall: for
random CJK substrings of the exported texts (2-6 characters), the passages whose `grams`
hold the substring's bigrams as a phrase (consecutive tokens, as a whitespace analyzer and a
phrase query see them) are exactly the passages whose `norm` holds the substring.

    zhengce export --jsonl > export.jsonl && scripts/export_check.py export.jsonl [QUERIES]
"""
import json
import random
import sys


def cjk(c):
    return '\u4e00' <= c <= '\u9fff' or '\u3400' <= c <= '\u4dbf'


def bigrams(q):
    return [q[i:i + 2] for i in range(len(q) - 1)]


def holds_phrase(tokens, phrase):
    n = len(phrase)
    first = phrase[0]
    return any(tokens[i] == first and tokens[i:i + n] == phrase
               for i in range(len(tokens) - n + 1))


def main():
    path = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    passages = [(p['norm'], p['grams'].split(' ')) for p in map(json.loads, open(path))]
    rng = random.Random(7)
    queries = []
    while len(queries) < count:
        norm, _ = rng.choice(passages)
        length = rng.randint(2, 6)
        start = rng.randrange(max(1, len(norm) - length))
        q = norm[start:start + length]
        if len(q) == length and all(cjk(c) for c in q):
            queries.append(q)
    worst = 1.0
    for q in queries:
        phrase = bigrams(q)
        truth = {i for i, (norm, _) in enumerate(passages) if q in norm}
        found = {i for i, (_, tokens) in enumerate(passages)
                 if holds_phrase(tokens, phrase)}
        recall = len(truth & found) / len(truth)
        precision = len(truth & found) / len(found) if found else 1.0
        worst = min(worst, recall, precision)
        if recall < 1 or precision < 1:
            print(f"{q}: recall {recall:.4f} precision {precision:.4f}")
    print(f"{len(queries)} queries over {len(passages)} passages: lowest recall or precision {worst:.4f}")


main()
