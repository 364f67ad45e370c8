//! Function words: the short, frequent words that give a language away even
//! in a text too short for a character-statistics detector such as whatlang.
//!
//! Each list leaves out words that are also English words or common English
//! slang ("is", "in", "die", "me", "son", "plus", "dat", "van", "ben", "yo", "as", "eu"),
//! so an English text with a French name in it does not trip the rule.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::pystr;

/// Common English function words and tweet staples. "i", "is", "in", "of",
/// "we", "was", "will", "my", "me", "so", "at", "die", "for" are left out on
/// purpose: they are Italian, Polish, Dutch, German, Danish, French or
/// Spanish words too. (A capital "I" standing alone counts as English: see
/// `language::detect_language`.)
pub(crate) const ENGLISH: &[&str] = &[
    "the", "and", "you", "your", "i'm", "i've", "i'll", "i'd", "im", "it's", "to", "with", "that",
    "this", "are", "have", "has", "just", "not", "be", "what", "it", "they", "he", "she", "but",
    "all", "from", "can", "get", "got", "if", "about", "when", "how", "out", "up", "there", "his",
    "our", "been", "would", "should", "could", "don't", "dont", "can't", "cant", "lol", "omg",
    "too", "one", "like", "love", "good", "day", "new", "now", "who", "why", "ur",
];

/// Function words of the languages Somu's organisations most often post in
/// besides English, by ISO 639-1 code.
pub(crate) const OTHER: &[(&str, &[&str])] = &[
    (
        "fr",
        &[
            "le", "la", "les", "des", "du", "une", "et", "est", "je", "tu", "il", "elle", "nous",
            "vous", "ils", "sont", "pour", "pas", "que", "qui", "dans", "sur", "avec", "ce",
            "cette", "mais", "ou", "très", "à", "au", "aux", "mon", "mes", "ses", "c'est", "j'ai",
            "n'est", "merci", "bonjour", "suis", "tout", "bien", "été", "était",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "en", "ik", "je", "jij", "niet", "te", "voor", "met", "zijn",
            "maar", "ook", "wat", "bij", "naar", "heb", "hebben", "deze", "dit", "nog", "wel",
            "geen", "kan", "wij", "zij", "mijn", "ons", "jullie", "echt", "bedankt", "dank",
            "goed", "tot", "gisteren", "morgen", "heeft", "veel", "volgende", "zien", "elkaar",
            "gaat",
        ],
    ),
    (
        "de",
        &[
            "der", "das", "und", "ist", "nicht", "ich", "du", "sie", "ein", "eine", "zu", "mit",
            "auf", "für", "von", "dem", "sich", "auch", "wir", "aber", "noch", "nur", "sehr",
            "danke", "ihr", "wie", "bei", "heute", "schön",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "de", "del", "y", "que", "en", "es", "una", "por", "para",
            "con", "mi", "su", "lo", "se", "pero", "muy", "todo", "más", "está", "gracias", "tu",
            "como", "sus", "hoy",
        ],
    ),
    (
        "it",
        &[
            "il", "la", "di", "che", "non", "un", "una", "sono", "mi", "con", "del", "della",
            "gli", "le", "questo", "molto", "grazie", "anche", "è", "sei", "oggi",
        ],
    ),
    (
        "pt",
        &[
            "os", "de", "que", "não", "uma", "para", "com", "por", "mais", "muito", "obrigado",
            "obrigada", "você", "está", "são", "hoje", "meu", "minha", "isso",
        ],
    ),
];

/// Longest function word in bytes ("obrigado", "gisteren", "volgende": 9).
const MAX_WORD_LEN: usize = 12;

/// Bit set of the languages whose function-word list holds `word` (in any
/// case): bit 0 for English, bit `1 + k` for `OTHER[k]`. One hash look-up
/// per word, and none for long words, keeps detection cheap.
pub(crate) fn lookup(word: &str) -> u8 {
    let elision = if is_french_elision(word) {
        FRENCH_BIT
    } else {
        0
    };
    if word.len() > MAX_WORD_LEN {
        return elision;
    }
    let bits = pystr::pack(pystr::lower(word).as_bytes()).and_then(|key| table().get(&key));
    bits.copied().unwrap_or(0) | elision
}

/// [`lookup`] for an ASCII word, lowercased on the stack.
pub(crate) fn lookup_ascii(word: &[u8]) -> u8 {
    let elision = if is_french_elision_bytes(word) {
        FRENCH_BIT
    } else {
        0
    };
    if word.len() > MAX_WORD_LEN {
        return elision;
    }
    let bits = pystr::pack_ascii_lower(word).and_then(|key| table().get(&key));
    bits.copied().unwrap_or(0) | elision
}

/// Function word → bit set of languages, built on first use.
fn table() -> &'static FxHashMap<u128, u8> {
    static TABLE: OnceLock<FxHashMap<u128, u8>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = FxHashMap::default();
        for (word, bit) in all_words() {
            if let Some(key) = pystr::pack(word.as_bytes()) {
                *table.entry(key).or_insert(0) |= bit;
            }
        }
        table
    })
}

/// Every function word with its language bit (see [`lookup`]).
pub(crate) fn all_words() -> impl Iterator<Item = (&'static str, u8)> {
    ENGLISH.iter().map(|word| (*word, 1)).chain(
        OTHER.iter().enumerate().flat_map(|(index, (_, words))| {
            words.iter().map(move |word| (*word, 1 << (index + 1)))
        }),
    )
}

/// The French bit when `word` starts with an elided article or pronoun.
pub(crate) fn elision_bits(word: &[u8]) -> u8 {
    if is_french_elision_bytes(word) {
        FRENCH_BIT
    } else {
        0
    }
}

/// The bit of French (`OTHER[0]`) in [`lookup`]'s result.
const FRENCH_BIT: u8 = 0b10;

/// French elided articles and pronouns: "l'équipe", "j'ai", "n'oubliez".
fn is_french_elision(word: &str) -> bool {
    is_french_elision_bytes(word.as_bytes())
}

fn is_french_elision_bytes(b: &[u8]) -> bool {
    let prefix = match b {
        [b'q' | b'Q', b'u' | b'U', b'\'', ..] => 3,
        [b'l' | b'd' | b'j' | b'n' | b'c' | b's' | b'm', b'\'', ..]
        | [b'L' | b'D' | b'J' | b'N' | b'C' | b'S' | b'M', b'\'', ..] => 2,
        _ => return false,
    };
    b.len() > prefix + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_function_word_is_longer_than_the_cut_off() {
        let longest = ENGLISH
            .iter()
            .chain(OTHER.iter().flat_map(|(_, words)| words.iter()))
            .map(|w| w.len())
            .max();
        assert!(longest.is_some_and(|len| len <= MAX_WORD_LEN));
    }

    #[test]
    fn lookup_sets_one_bit_per_language() {
        assert_eq!(lookup("the"), 1);
        // "de" is Dutch (bit 2), Spanish (bit 4) and Portuguese (bit 6).
        assert_eq!(lookup("de"), 0b101_0100);
        // French elision: French is OTHER[0], bit 1.
        assert_eq!(lookup("l'équipe"), 0b10);
        assert_eq!(lookup("d'oh"), 0b10);
        assert_eq!(lookup("l'"), 0);
        assert_eq!(lookup("The"), 1);
        assert_eq!(lookup("C'est"), 0b10);
        assert_eq!(lookup("l'administration-générale"), 0b10);
        assert_eq!(lookup_ascii(b"The"), 1);
        assert_eq!(lookup_ascii(b"DE"), 0b101_0100);
        assert_eq!(lookup_ascii(b"L'avoir"), 0b10);
        assert_eq!(lookup_ascii(b"somethinglong"), 0);
        assert_eq!(lookup("course"), 0);
    }
}
