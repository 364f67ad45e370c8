//! Python 3 string and number semantics that the reference implementation
//! relies on without saying so: what counts as whitespace for `str.split()`,
//! what `str.isupper()` means, what `str.strip(string.punctuation)` removes
//! and how `round(x, n)` rounds. Agreement to the fourth decimal depends on
//! getting each of these exactly right, so they live together here.

use std::borrow::Cow;

/// Python's `str.isspace()` for one character.
///
/// Rust's `char::is_whitespace` is the Unicode `White_Space` property; Python
/// also treats the four ASCII information separators U+001C..U+001F as
/// whitespace, so `str.split()` breaks on them too.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` with no argument.
pub(crate) fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Python's whitespace among ASCII bytes: `\t \n \v \f \r`, the
/// separators 0x1C..0x1F, and space.
pub(crate) const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f)
}

/// Python's `str.split()` with no argument: runs of whitespace separate
/// fields and no field is empty.
pub(crate) fn split_whitespace(s: &str) -> Words<'_> {
    Words { rest: s }
}

/// Iterator of [`split_whitespace`]. Works on bytes and decodes a character
/// only where a byte is not ASCII, because nearly all text it sees is ASCII
/// and this loop is the hottest in the crate.
pub(crate) struct Words<'a> {
    rest: &'a str,
}

impl<'a> Words<'a> {
    /// Byte offset of the first character at or after `from` for which
    /// `is_space` equals `space`.
    fn scan_to(&self, mut from: usize, space: bool) -> usize {
        let bytes = self.rest.as_bytes();
        // ASCII bytes that end the run: spaces when looking for a space,
        // anything else when looking for a word. Non-ASCII bytes always stop
        // the fast scan and are decoded below.
        let stop = if space { SPACE } else { WORD };
        loop {
            let run = bytes.get(from..).unwrap_or_default();
            match run.iter().position(|&b| CLASS[usize::from(b)] & stop != 0) {
                Some(offset) => from += offset,
                None => return bytes.len(),
            }
            if bytes.get(from).is_some_and(|&b| b < 0x80) {
                return from;
            }
            let Some(c) = self.rest.get(from..).and_then(|r| r.chars().next()) else {
                return bytes.len();
            };
            if is_space(c) == space {
                return from;
            }
            from += c.len_utf8();
        }
    }
}

/// [`CLASS`] bit: stops a scan for the next space.
const SPACE: u8 = 1;
/// [`CLASS`] bit: stops a scan for the next word.
const WORD: u8 = 2;

/// Per byte: `SPACE` for Python's ASCII whitespace, `WORD` for other ASCII,
/// both for non-ASCII bytes (the character must be decoded to decide).
static CLASS: [u8; 256] = {
    let mut class = [SPACE | WORD; 256];
    let mut b = 0;
    while b < 0x80 {
        class[b] = if is_ascii_space(b as u8) { SPACE } else { WORD };
        b += 1;
    }
    class
};

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = self.scan_to(0, false);
        let end = self.scan_to(start, true);
        let word = self.rest.get(start..end).filter(|w| !w.is_empty());
        self.rest = self.rest.get(end..).unwrap_or_default();
        word
    }
}

/// A word of at most 15 bytes packed with its length into one integer: a
/// hash key that is compared without following a pointer to the word's
/// bytes, which matters because look-ups dominate scoring time.
pub(crate) fn pack(word: &[u8]) -> Option<u128> {
    pack_with(word, |b| b)
}

/// [`pack`] of `bytes[start..start + len]`, reading 16 bytes at once and
/// masking when the slice extends far enough past the word (the usual case
/// for a word inside a text).
pub(crate) fn pack_at(bytes: &[u8], start: usize, len: usize) -> Option<u128> {
    if len > 15 {
        return None;
    }
    let wide = start
        .checked_add(16)
        .and_then(|end| bytes.get(start..end))
        .and_then(|wide| <[u8; 16]>::try_from(wide).ok());
    match wide {
        Some(wide) => {
            let mask = (1_u128 << (8 * len)) - 1;
            Some((u128::from_le_bytes(wide) & mask) | ((len as u128) << 120))
        }
        None => pack(bytes.get(start..start + len)?),
    }
}

/// [`pack_at`] of the ASCII-lowercased word (for ASCII `bytes`): the
/// capitals among the 16 loaded bytes are found and lowered all at once.
pub(crate) fn pack_at_ascii_lower(bytes: &[u8], start: usize, len: usize) -> Option<u128> {
    const LOW7: u128 = u128::from_le_bytes([0x7f; 16]);
    const HIGH: u128 = u128::from_le_bytes([0x80; 16]);
    let key = pack_at(bytes, start, len)?;
    // Add 0x3f / 0x25 to the low 7 bits of each byte (no carry between
    // bytes): the high bit is then set for bytes >= 'A' / > 'Z'.
    let x = key & LOW7;
    let from_a = (x + u128::from_le_bytes([0x3f; 16])) & HIGH;
    let past_z = (x + u128::from_le_bytes([0x25; 16])) & HIGH;
    let capitals = from_a & !past_z & !(key & HIGH);
    Some(key | (capitals >> 2))
}

/// [`pack`] of the ASCII-lowercased word.
pub(crate) fn pack_ascii_lower(word: &[u8]) -> Option<u128> {
    pack_with(word, |b| b.to_ascii_lowercase())
}

/// Byte `i` goes to bits `8i..8i+8` (as `u128::from_le_bytes` would place
/// it) and the length to the top byte. Built with shifts rather than through
/// a byte buffer, which stalls the CPU when read back as one integer.
fn pack_with(word: &[u8], map: impl Fn(u8) -> u8) -> Option<u128> {
    if word.len() > 15 {
        return None;
    }
    let mut key = (word.len() as u128) << 120;
    for (i, &b) in word.iter().enumerate() {
        key |= u128::from(map(b)) << (8 * i);
    }
    Some(key)
}

/// Python's whitespace among ASCII bytes, as a table for the hot loop.
static ASCII_SPACE: [bool; 128] = {
    let mut space = [false; 128];
    let mut b = 0;
    while b < 128 {
        space[b] = is_ascii_space(b as u8);
        b += 1;
    }
    space
};

/// For an ASCII text, calls `f(token, word, is_upper)` for each
/// whitespace-separated token, with `word` the token through [`strip_punc_if_word`] and
/// `is_upper` as [`is_upper`] of it: the scorer's whole tokenisation in one
/// pass over the bytes. Non-ASCII bytes are treated as ordinary word bytes,
/// so callers must check [`str::is_ascii`] first.
pub(crate) fn ascii_words<'t>(text: &'t str, mut f: impl FnMut(&'t str, &'t str, bool)) {
    let bytes = text.as_bytes();
    // The mask keeps the index in bounds; the text is ASCII anyway.
    let space = |b: &u8| ASCII_SPACE[usize::from(b & 0x7f)];
    let mut i = 0;
    loop {
        let rest = bytes.get(i..).unwrap_or_default();
        let Some(skip) = rest.iter().position(|b| !space(b)) else {
            break;
        };
        let start = i + skip;
        let token = bytes.get(start..).unwrap_or_default();
        let len = token.iter().position(space).unwrap_or(token.len());
        let token = token.get(..len).unwrap_or_default();
        let end = start + len;
        // Strip punctuation from both ends, unless two characters or fewer
        // would be left (emoticons). These scans stop at the first letter.
        let range = match token.iter().position(|b| !b.is_ascii_punctuation()) {
            Some(first) => {
                let last = token
                    .iter()
                    .rposition(|b| !b.is_ascii_punctuation())
                    .unwrap_or(first);
                if last + 1 - first > 2 {
                    start + first..start + last + 1
                } else {
                    start..end
                }
            }
            None => start..end,
        };
        // Punctuation is uncased, so the token and its stripped form agree;
        // most words end the first scan at their first letter.
        let is_upper =
            !token.iter().any(u8::is_ascii_lowercase) && token.iter().any(u8::is_ascii_uppercase);
        f(
            text.get(start..end).unwrap_or_default(),
            text.get(range).unwrap_or_default(),
            is_upper,
        );
        i = end;
    }
}

/// The reference's `_strip_punc_if_word`: strip ASCII punctuation
/// (`string.punctuation`) from both ends, unless what remains has two
/// characters or fewer, in which case the token was probably an emoticon
/// such as `:)` and is kept whole.
pub(crate) fn strip_punc_if_word(token: &str) -> &str {
    // Punctuation is ASCII, so trimming bytes keeps character boundaries.
    let bytes = token.as_bytes();
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_punctuation())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_punctuation())
        .map_or(start, |i| i + 1);
    let stripped = token.get(start..end).unwrap_or_default();
    if stripped.chars().nth(2).is_none() {
        token
    } else {
        stripped
    }
}

/// Unicode general category Lt (titlecase letters), which Python's
/// `isupper()` rejects like lowercase letters. Rust has no predicate for it.
fn is_titlecase(c: char) -> bool {
    matches!(c,
        '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}'
        | '\u{1f88}'..='\u{1f8f}'
        | '\u{1f98}'..='\u{1f9f}'
        | '\u{1fa8}'..='\u{1faf}'
        | '\u{1fbc}' | '\u{1fcc}' | '\u{1ffc}')
}

/// Python's `str.isupper()`: at least one cased character and no lowercase
/// or titlecase character. `"OK!"` and `"A1"` are upper; `"!!"` is not.
pub(crate) fn is_upper(s: &str) -> bool {
    if s.is_ascii() {
        return is_upper_ascii(s);
    }
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// [`is_upper`] for text known to be ASCII.
pub(crate) fn is_upper_ascii(s: &str) -> bool {
    let (mut upper, mut lower) = (false, false);
    for b in s.bytes() {
        upper |= b.is_ascii_uppercase();
        lower |= b.is_ascii_lowercase();
    }
    upper && !lower
}

/// Python's `str.lower()`, borrowing when nothing changes (the common case
/// for social-media text, which is mostly lowercase ASCII).
pub(crate) fn lower(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else if s.chars().any(|c| c.is_uppercase() || is_titlecase(c)) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Python's `round(x, digits)` for `digits` in 0..=9.
///
/// Python rounds the exact binary value of `x` to the nearest multiple of
/// 10^-digits, ties to even, and returns the double nearest to that decimal.
/// The quotient `k / 10^digits` of two exactly representable integers is
/// correctly rounded by IEEE division, so only `k` needs care: it is taken
/// from `x * 10^digits` unless that product lies within a hair of a tie,
/// where the rounding error of the product could matter; then `k` comes from
/// Rust's exact decimal formatting, which rounds ties to even as Python does.
pub(crate) fn round(x: f64, digits: i32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits);
    let y = x * scale;
    let frac = y - y.floor();
    if (frac - 0.5).abs() > 1e-6 && y.abs() < 1e15 {
        return y.round() / scale;
    }
    let precision = usize::try_from(digits).unwrap_or(0);
    format!("{x:.precision$}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_matches_python_whitespace() {
        // U+001F (unit separator) splits in Python but is not White_Space.
        let words: Vec<&str> = split_whitespace(" a\u{1f}b\u{a0}c\t\r\nd ").collect();
        assert_eq!(words, ["a", "b", "c", "d"]);
        let words: Vec<&str> = split_whitespace("\u{3000}été\u{2003}😁x\u{85}").collect();
        assert_eq!(words, ["été", "😁x"]);
        assert_eq!(split_whitespace("  \t ").next(), None);
        assert_eq!(split_whitespace("").next(), None);
    }

    #[test]
    fn punctuation_stripping_keeps_emoticons() {
        assert_eq!(strip_punc_if_word("good!!!"), "good");
        assert_eq!(strip_punc_if_word("#great"), "great");
        assert_eq!(strip_punc_if_word(":)"), ":)");
        // "no" is two characters after stripping, so the token stays whole.
        assert_eq!(strip_punc_if_word("no!"), "no!");
        assert_eq!(strip_punc_if_word("@bob:"), "bob");
        assert_eq!(strip_punc_if_word("'é!'"), "'é!'");
    }

    #[test]
    fn ascii_words_agree_with_split_strip_and_isupper() {
        let corpus = include_str!("../tests/data/varied.txt");
        let extra = [
            "  !!  ok!! NO!!! 'A' x \u{1f}GOOD\t:-) ..a.. 12345 ",
            "",
            "   ",
        ];
        for text in corpus.lines().chain(extra).filter(|t| t.is_ascii()) {
            let mut fast = Vec::new();
            ascii_words(text, |_, word, upper| fast.push((word, upper)));
            let general: Vec<(&str, bool)> = split_whitespace(text)
                .map(strip_punc_if_word)
                .map(|word| (word, is_upper(word)))
                .collect();
            assert_eq!(fast, general, "{text:?}");
        }
    }

    #[test]
    fn packed_keys_are_unique_per_word() {
        assert_eq!(pack(b"good"), pack_ascii_lower(b"GooD"));
        assert_ne!(pack(b"a"), pack(b"a\0"));
        assert_ne!(pack(b""), pack(b"\0"));
        assert!(pack(b"fifteen-bytes!!").is_some());
        assert_eq!(pack(b"sixteen-bytes!!!"), None);
        assert_eq!(pack_ascii_lower(b"sixteen-bytes!!!"), None);
        let mut le = [0_u8; 16];
        le[..3].copy_from_slice(b"abc");
        le[15] = 3;
        assert_eq!(pack(b"abc"), Some(u128::from_le_bytes(le)));
        let mixed = b"The QUICK brown Fox @[]`{ jumps OVER the lazy DOG AZaz09";
        for start in 0..mixed.len() {
            for len in 0..=16.min(mixed.len() - start) {
                assert_eq!(
                    pack_at_ascii_lower(mixed, start, len),
                    pack_ascii_lower(&mixed[start..start + len]),
                    "{start} {len}"
                );
            }
        }
        let text = b"the quick brown fox jumps over the lazy dog";
        for start in 0..text.len() {
            for len in 0..=16.min(text.len() - start) {
                assert_eq!(
                    pack_at(text, start, len),
                    pack(&text[start..start + len]),
                    "{start} {len}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_words_agree_on_any_ascii(text in "[\\x00-\\x7f]{0,60}") {
            let mut fast = Vec::new();
            ascii_words(&text, |_, word, upper| fast.push((word, upper)));
            let general: Vec<(&str, bool)> = split_whitespace(&text)
                .map(strip_punc_if_word)
                .map(|word| (word, is_upper(word)))
                .collect();
            proptest::prop_assert_eq!(fast, general);
        }
    }

    #[test]
    fn isupper_matches_python() {
        assert!(is_upper("GREAT"));
        assert!(is_upper("A1!"));
        assert!(!is_upper("!!"));
        assert!(!is_upper("Great"));
        assert!(is_upper("ÉTÉ"));
        assert!(!is_upper("ÉtÉ"));
        // U+01C5 is titlecase: Python says "\u01c5".isupper() is False.
        assert!(!is_upper("A\u{1c5}"));
    }

    #[test]
    fn round_is_half_even_on_exact_binary_value() {
        // 0.125 is exact in binary, a true tie: Python gives 0.12.
        assert_eq!(round(0.125, 2), 0.12);
        assert_eq!(round(0.375, 2), 0.38);
        // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875.
        assert_eq!(round(2.675, 2), 2.67);
        assert_eq!(round(0.44045, 4), 0.4405);
        assert_eq!(round(-0.61245, 4), -0.6125);
        assert_eq!(round(0.5, 0), 0.0);
        assert_eq!(round(1.5, 0), 2.0);
    }
}
