//! The TOML files as written on disk. Reading keeps spans so problems can
//! be reported by line; writing borrows from the model and fixes the field
//! order, which makes exported files canonical.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

pub(crate) type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCourse {
    pub slug: S<String>,
    pub title: S<String>,
    pub summary: S<String>,
    pub audiences: S<Vec<S<String>>>,
    pub level: S<String>,
    pub estimated_minutes: S<u32>,
    pub version: S<String>,
    pub language: S<String>,
    #[serde(default, rename = "module")]
    pub modules: Vec<RawModule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawModule {
    pub slug: S<String>,
    pub title: S<String>,
    pub topics: S<Vec<S<String>>>,
    pub quiz: S<String>,
    #[serde(default, rename = "lesson")]
    pub lessons: Vec<RawLesson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLesson {
    pub file: S<String>,
    pub title: S<String>,
    pub minutes: S<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuiz {
    pub title: S<String>,
    pub pass_mark: S<i64>,
    #[serde(default)]
    pub attempts: Option<S<i64>>,
    #[serde(default, rename = "question")]
    pub questions: Vec<RawQuestion>,
}

/// A quiz question or an item-bank item; `topic` belongs to items only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuestion {
    pub id: S<String>,
    pub topic: Option<S<String>>,
    pub kind: S<String>,
    pub prompt: S<String>,
    pub rubric: Option<S<String>>,
    #[serde(default, rename = "option")]
    pub options: Vec<RawOption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOption {
    pub text: S<String>,
    pub correct: Option<S<bool>>,
    pub explanation: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawItemBank {
    #[serde(default, rename = "item")]
    pub items: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCurriculum {
    pub slug: S<String>,
    pub title: S<String>,
    pub summary: S<String>,
    pub version: S<String>,
    pub language: S<String>,
    #[serde(default)]
    pub placeholders: BTreeMap<String, S<String>>,
    #[serde(default, rename = "track")]
    pub tracks: Vec<RawTrack>,
    #[serde(default, rename = "certification")]
    pub certifications: Vec<RawCertification>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTrack {
    pub audience: S<String>,
    pub title: S<String>,
    pub summary: S<String>,
    pub courses: S<Vec<S<String>>>,
    pub test_items: S<Vec<S<String>>>,
    pub pass_mark: S<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCertification {
    pub slug: S<String>,
    pub title: S<String>,
    pub summary: S<String>,
    pub duration_weeks: S<u32>,
    pub courses: S<Vec<S<String>>>,
    pub exam_items: S<Vec<S<String>>>,
    pub exam_pass_mark: S<i64>,
    pub capstone: S<String>,
}

// ---- writing -------------------------------------------------------------

#[derive(Serialize)]
pub(crate) struct OutCourse<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub audiences: Vec<&'static str>,
    pub level: &'static str,
    pub estimated_minutes: u32,
    pub version: &'a str,
    pub language: &'a str,
    #[serde(rename = "module")]
    pub modules: Vec<OutModule<'a>>,
}

#[derive(Serialize)]
pub(crate) struct OutModule<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub topics: Vec<&'static str>,
    pub quiz: &'a str,
    #[serde(rename = "lesson")]
    pub lessons: Vec<OutLesson<'a>>,
}

#[derive(Serialize)]
pub(crate) struct OutLesson<'a> {
    pub file: &'a str,
    pub title: &'a str,
    pub minutes: u32,
}

#[derive(Serialize)]
pub(crate) struct OutQuiz<'a> {
    pub title: &'a str,
    pub pass_mark: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u8>,
    #[serde(rename = "question")]
    pub questions: Vec<OutQuestion<'a>>,
}

#[derive(Serialize)]
pub(crate) struct OutQuestion<'a> {
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<&'static str>,
    pub kind: &'static str,
    pub prompt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rubric: Option<&'a str>,
    #[serde(rename = "option", skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OutOption<'a>>,
}

#[derive(Serialize)]
pub(crate) struct OutOption<'a> {
    pub text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<bool>,
    pub explanation: &'a str,
}

#[derive(Serialize)]
pub(crate) struct OutItemBank<'a> {
    #[serde(rename = "item")]
    pub items: Vec<OutQuestion<'a>>,
}

#[derive(Serialize)]
pub(crate) struct OutCurriculum<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub version: &'a str,
    pub language: &'a str,
    #[serde(skip_serializing_if = "is_empty_map")]
    pub placeholders: &'a BTreeMap<String, String>,
    // Empty lists are left out: `certification = []` would clash with a
    // `[[certification]]` table an author appends later.
    #[serde(rename = "track", skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<OutTrack<'a>>,
    #[serde(rename = "certification", skip_serializing_if = "Vec::is_empty")]
    pub certifications: Vec<OutCertification<'a>>,
}

#[derive(Serialize)]
pub(crate) struct OutTrack<'a> {
    pub audience: &'static str,
    pub title: &'a str,
    pub summary: &'a str,
    pub courses: &'a [String],
    pub test_items: &'a [String],
    pub pass_mark: u8,
}

#[derive(Serialize)]
pub(crate) struct OutCertification<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub duration_weeks: u32,
    pub courses: &'a [String],
    pub exam_items: &'a [String],
    pub exam_pass_mark: u8,
    pub capstone: &'a str,
}

fn is_empty_map(map: &&BTreeMap<String, String>) -> bool {
    map.is_empty()
}
