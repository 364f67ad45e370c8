#!/usr/bin/env python3
"""Builds tests/data/varied.txt: the hand-written texts of
tests/data/varied_handwritten.txt followed by about 3,000 texts made by
combining fragments that exercise each VADER rule (negation, boosters,
dampeners, caps, "but", "least", "kind of", idioms, punctuation, emoji,
emoticons, URLs, @mentions, #hashtags, contractions, odd whitespace).

Deterministic (fixed seed): running it twice gives the same file. After
changing it, run scripts/vader_reference.py to refresh reference.tsv.
"""
import random
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TARGET = 3000

SUBJECTS = ["The course", "This training", "my manager", "The new policy", "Our team",
            "the webinar", "@somu_academy", "The trainer", "this update", "Customer service",
            "THE EXAM", "Your post", "the capstone project", "It", "This", "The app",
            "#SocialMedia training", "The session at https://example.org/s/42"]
VERBS = ["is", "was", "isn't", "wasn't", "seems", "looks", "has been", "will be", "is not",
         "was never", "is NOT", "ain't", "felt", "could be", "was so", "is the"]
MODIFIERS = ["", "", "", "very ", "really ", "extremely ", "kind of ", "sort of ", "kinda ",
             "somewhat ", "barely ", "not ", "never ", "not very ", "hardly ", "totally ",
             "the least ", "at least ", "so ", "no ", "without doubt ", "VERY ", "REALLY ",
             "quite ", "slightly ", "just enough ", "not so ", "never so ", "this ",
             "absolutely ", "incredibly ", "a little ", "more ", "most ", "less ",
             "fucking ", "friggin ", "uber ", "not the least ", "at the very least "]
WORDS = ["good", "great", "bad", "terrible", "amazing", "awful", "helpful", "useless",
         "boring", "fun", "nice", "horrible", "excellent", "ok", "fine", "sad", "happy",
         "disappointing", "GREAT", "BAD", "AWESOME", "sux", "lol", "wonderful", "painful",
         "love", "hate", "brilliant", "stupid", "clear", "confusing", "perfect", "worst",
         "best", "Good", "Bad", "cool", "lame", "interesting", "dull", "worth it",
         "a disaster", "a success", "a joke", "the shit", "the bomb", "bad ass",
         "to die for", "the kiss of death", "yeah right", "no problem", "no joke",
         "fantastic", "meh", "okay", "well done", "a mess", "nightmare", "dream"]
CONNECTORS = [" but ", " and ", ", but ", " yet ", " BUT ", " although ", ". But ", "; ",
              " but also ", " but not ", ", and ", " or ", " nor "]
TAILS = ["", "", "", ".", "!", "!!", "!!!", "!!!!!", "?", "??", "???", "????", "?!",
         " :)", " :(", " :D", " ;)", " :-(", " <3", " 😁", " 😡", " 😂", " 👍", " 💔", " 😭",
         " 🎉", " ❤️", " 👍🏽", "😊", " http://t.co/abc123", " #fail", " #win", " @somu",
         " lol", " LOL", " smh", " ...", " haha", " xD", " 🇳🇱", " 🙄", " 😐"]
PREFIXES = ["", "", "", "Honestly, ", "RT @ana: ", "@bob ", "Well, ", "OMG ", "Ugh, ",
            "Wow, ", "lol ", "Yes! ", "No, ", "Hmm, ", "I think ", "I don't think ",
            "I can't say ", "Never thought ", "😁 ", "👎 ", "#monday ", "Sadly, ",
            "Thankfully ", "Not gonna lie, "]
EMOJI = ["😁", "😡", "😂", "👍", "👎", "💔", "😭", "🎉", "❤", "❤️", "😊", "🙄", "😐", "🔥",
         "💯", "✅", "❌", "☹", "🥶", "😍", "🤬", "🙂", "🙃", "👏", "💩", "🤔", "😱", "🥰"]
SPACES = [" ", " ", " ", " ", "  ", "\u00a0", "\u2003", "\u3000", "\t"]


def clause(rng):
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(MODIFIERS)}{rng.choice(WORDS)}"


def make(rng):
    kind = rng.randrange(10)
    if kind <= 3:
        text = rng.choice(PREFIXES) + clause(rng) + rng.choice(TAILS)
    elif kind <= 5:
        text = (rng.choice(PREFIXES) + clause(rng) + rng.choice(CONNECTORS)
                + clause(rng).lower() + rng.choice(TAILS))
    elif kind == 6:
        text = "".join(rng.choice(EMOJI + [" ", "!", " great", " bad", "?"])
                       for _ in range(rng.randrange(1, 6)))
    elif kind == 7:
        words = [rng.choice(MODIFIERS).strip() or rng.choice(WORDS) for _ in range(rng.randrange(2, 7))]
        text = rng.choice(SPACES).join(words) + rng.choice(TAILS)
    elif kind == 8:
        text = clause(rng)
        text = text.upper() if rng.random() < 0.5 else text.title()
        text += rng.choice(TAILS)
    else:
        a, b = clause(rng), clause(rng)
        text = f"{a}{rng.choice(TAILS)} {rng.choice(PREFIXES)}{b}{rng.choice(TAILS)}"
    return text.strip("\n")


# Whitespace that only Python's str.split() knows about, and other odd
# characters, written as escapes so the file stays readable.
ODD = [
    "good\x1fbad", "very\x1cgood", "not\x1d\x1egood", "great\x85day", "nice\u2028day",
    "good\u00a0\u00a0day!!", "\u3000great\u3000", "ǅemo is GOOD", "ΣΟΦΟΣ WISE good",
    "İYİ good", "good\u200bday", "cool\ufeff", "Ｇｏｏｄ ｄａｙ", "K\u212a good", "tab\tgood\tday",
]


def main():
    handwritten = (DATA / "varied_handwritten.txt").read_text(encoding="utf-8").split("\n")
    handwritten = [t for t in handwritten if t]
    rng = random.Random(20260323)
    seen = set(handwritten)
    generated = []
    while len(generated) < TARGET:
        text = make(rng)
        if text and text not in seen and "\n" not in text and "\r" not in text:
            seen.add(text)
            generated.append(text)
    odd = [t for t in ODD if t not in seen]
    (DATA / "varied.txt").write_text("\n".join(handwritten + generated + odd) + "\n", encoding="utf-8")
    print(f"varied.txt: {len(handwritten)} hand-written + {len(generated)} generated + {len(odd)} odd texts")


if __name__ == "__main__":
    main()
