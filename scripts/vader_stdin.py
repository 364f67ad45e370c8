#!/usr/bin/env python3
"""Python counterpart of somu-sentiment's example `score_stdin`, for timing
the two side by side: reads texts one per line on standard input, scores
each with the reference vaderSentiment 3.3.2 and prints one JSON object per
line: {"text":…,"compound":…,"pos":…,"neu":…,"neg":…,"language":null}
(the reference does no language detection).

    pip install vaderSentiment==3.3.2
    time python3 scripts/vader_stdin.py < texts.txt > /dev/null
"""
import json
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


def main():
    analyzer = SentimentIntensityAnalyzer()
    out = sys.stdout
    for line in sys.stdin:
        text = line.rstrip("\n").rstrip("\r")
        s = analyzer.polarity_scores(text)
        out.write(json.dumps({"text": text, "compound": s["compound"], "pos": s["pos"],
                              "neu": s["neu"], "neg": s["neg"], "language": None},
                             ensure_ascii=False))
        out.write("\n")


if __name__ == "__main__":
    main()
