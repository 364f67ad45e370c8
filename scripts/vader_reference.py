#!/usr/bin/env python3
"""Regenerates the stored outputs of the reference VADER implementation that
somu-sentiment's conformance test (crates/somu-sentiment/tests/conformance.rs)
compares against. The test needs no Python; run this only when the corpus
changes.

    pip install vaderSentiment==3.3.2
    python3 scripts/vader_reference.py

Reads
  ../shared/conformance/vader/tweets_GroundTruth.txt  (4,200 tweets rated by
      people; Hutto & Gilbert, ICWSM 2014; MIT) - or the path given by --tweets
  crates/somu-sentiment/tests/data/varied.txt          (one text a line)
Writes
  crates/somu-sentiment/tests/data/reference.tsv with the columns
  corpus, id, human_rating, neg, neu, pos, compound, text
  (corpus is "tweets" or "varied"; id is the tweet id or the 1-based line
  number; human_rating is empty for varied texts; floats as Python's repr,
  which reads back to the same double; text last so it may hold tabs).

Use Python 3.11 or older: from 3.12 on, sum() of floats is compensated,
which can change the last bits of the reference's valence sums.
"""
import argparse
import importlib.metadata
import sys
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "crates" / "somu-sentiment" / "tests" / "data"


def read_tweets(path):
    # CRLF line ends; fields id, mean rating, text.
    raw = path.read_bytes().decode("utf-8")
    for line in raw.split("\r\n"):
        if not line:
            continue
        tweet_id, rating, text = line.split("\t", 2)
        yield "tweets", tweet_id, rating, text


def read_varied(path):
    for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if text:
            yield "varied", str(number), "", text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tweets", type=Path,
                        default=ROOT.parent / "shared" / "conformance" / "vader" / "tweets_GroundTruth.txt")
    parser.add_argument("--varied", type=Path, default=DATA / "varied.txt")
    parser.add_argument("--out", type=Path, default=DATA / "reference.tsv")
    args = parser.parse_args()

    version = importlib.metadata.version("vaderSentiment")
    if version != "3.3.2":
        sys.exit(f"vaderSentiment {version} installed; the reference is 3.3.2")
    if sys.version_info >= (3, 12):
        print("warning: Python >= 3.12 sums floats differently from 3.11", file=sys.stderr)

    analyzer = SentimentIntensityAnalyzer()
    rows = ["corpus\tid\thuman_rating\tneg\tneu\tpos\tcompound\ttext"]
    counts = {}
    for corpus, ident, rating, text in [*read_tweets(args.tweets), *read_varied(args.varied)]:
        if "\n" in text or "\r" in text:
            sys.exit(f"{corpus} {ident}: text holds a line break")
        s = analyzer.polarity_scores(text)
        rows.append("\t".join([corpus, ident, rating, repr(s["neg"]), repr(s["neu"]),
                               repr(s["pos"]), repr(s["compound"]), text]))
        counts[corpus] = counts.get(corpus, 0) + 1
    args.out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{args.out}: {counts}")


if __name__ == "__main__":
    main()
