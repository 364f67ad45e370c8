//! The words Somu shows people come from Fluent files in `locales/<lang>/`. English is complete;
//! another language is added by adding its folder, with no code change.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, Loader};
use std::borrow::Cow;
use std::collections::HashMap;
use unic_langid::LanguageIdentifier;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A translator for one language.
#[derive(Clone, Debug)]
pub struct Tr {
    lang: LanguageIdentifier,
}

impl Default for Tr {
    fn default() -> Self {
        Tr::new("en")
    }
}

impl Tr {
    /// A translator for a BCP 47 tag; unknown or malformed tags fall back to English.
    pub fn new(tag: &str) -> Self {
        let lang = tag
            .parse::<LanguageIdentifier>()
            .ok()
            .filter(|l| LOCALES.locales().any(|have| have.language == l.language))
            .unwrap_or_else(|| unic_langid::langid!("en"));
        Tr { lang }
    }

    /// Pick the first supported language from an `Accept-Language` header.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let tag = header
            .unwrap_or("")
            .split(',')
            .map(|part| part.split(';').next().unwrap_or("").trim())
            .find(|t| {
                t.parse::<LanguageIdentifier>()
                    .is_ok_and(|l| LOCALES.locales().any(|have| have.language == l.language))
            })
            .unwrap_or("en");
        Tr::new(tag)
    }

    /// The language tag in use (for `<html lang>`).
    pub fn lang(&self) -> String {
        self.lang.to_string()
    }

    /// The message with this id.
    pub fn t(&self, id: &str) -> String {
        LOCALES.lookup(&self.lang, id)
    }

    /// The message with this id and arguments.
    pub fn ta(&self, id: &str, args: &[(&'static str, FluentArg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    FluentArg::Str(s) => FluentValue::from(s.clone()),
                    FluentArg::Num(n) => FluentValue::from(*n),
                };
                (Cow::Borrowed(*k), value)
            })
            .collect();
        LOCALES.lookup_with_args(&self.lang, id, &map)
    }
}

/// An argument to a Fluent message.
#[derive(Clone, Debug)]
pub enum FluentArg {
    /// Text.
    Str(String),
    /// A number (plural rules apply).
    Num(f64),
}

impl From<&str> for FluentArg {
    fn from(s: &str) -> Self {
        FluentArg::Str(s.to_string())
    }
}

impl From<String> for FluentArg {
    fn from(s: String) -> Self {
        FluentArg::Str(s)
    }
}

impl From<&i64> for FluentArg {
    fn from(n: &i64) -> Self {
        FluentArg::Num(*n as f64)
    }
}

impl From<i64> for FluentArg {
    fn from(n: i64) -> Self {
        FluentArg::Num(n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_messages_resolve_and_unknown_languages_fall_back() {
        let tr = Tr::from_accept_language(Some("xx-YY, en;q=0.8"));
        assert_eq!(tr.lang(), "en");
        assert_eq!(tr.t("nav-people"), "People");
        assert_eq!(tr.ta("people-count", &[("count", 1i64.into())]), "1 person");
        assert_eq!(tr.ta("people-count", &[("count", 3i64.into())]), "3 people");
    }
}
