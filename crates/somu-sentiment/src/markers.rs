//! Function words: the short, frequent words that give a language away even
//! in a text too short for a character-statistics detector such as whatlang.
//!
//! Each list leaves out words that are also English words or common English
//! slang ("is", "in", "die", "me", "son", "plus", "dat", "van", "ben", "yo", "as", "eu"),
//! so an English text with a French name in it does not trip the rule.

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
            "n'est", "merci", "bonjour", "suis", "tout", "bien", "été", "était", "l'",
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
