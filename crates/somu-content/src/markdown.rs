//! Lesson text: safe HTML rendering and organisation placeholders.

use std::collections::BTreeMap;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Renders lesson Markdown to HTML that is safe to embed in a page.
///
/// Raw HTML in the source is never passed through: it is shown as text,
/// escaped. Links and images whose URL uses a scheme other than `http`,
/// `https` or `mailto` (for example `javascript:`) lose their URL; relative
/// URLs (images under `assets/`) are kept. The text is always shown under a page's own `<h1>` (the
/// lesson title), so a leading `# Title` line is left out and any other `#` heading becomes `<h2>`.
pub fn render_markdown(source: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut events: Vec<Event<'_>> = Parser::new_ext(source, options).collect();
    if let Some(Event::Start(Tag::Heading {
        level: HeadingLevel::H1,
        ..
    })) = events.first()
    {
        let end = events
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(HeadingLevel::H1))))
            .unwrap_or(0);
        events.drain(..=end);
    }
    let events = events.into_iter().map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: HeadingLevel::H2,
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
            Event::End(TagEnd::Heading(HeadingLevel::H2))
        }
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|i| lower.as_bytes()[i] == b':');
    let allowed = ["http:", "https:", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s));
    if has_scheme && !allowed {
        CowStr::Borrowed("")
    } else {
        url
    }
}

/// A placeholder found in a text: `{{org.NAME}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// `NAME`, the part after `org.`; empty if malformed.
    pub name: String,
    /// The whole text between the braces as written.
    pub raw: String,
    /// 1-based line.
    pub line: usize,
    /// Whether it follows the syntax `org.` + `[a-z0-9_]+`.
    pub well_formed: bool,
}

/// Finds every `{{…}}` in a text. An opening `{{` without `}}` on the same
/// line is reported as a malformed placeholder.
pub fn find_placeholders(text: &str) -> Vec<Placeholder> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let (raw, next) = match after.find("}}") {
                Some(end) => (&after[..end], &after[end + 2..]),
                None => (after, ""),
            };
            let closed = after.contains("}}");
            let name = raw.strip_prefix("org.").unwrap_or("");
            let well_formed = closed
                && !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            found.push(Placeholder {
                name: if well_formed {
                    name.to_owned()
                } else {
                    String::new()
                },
                raw: raw.to_owned(),
                line: i + 1,
                well_formed,
            });
            rest = next;
        }
    }
    found
}

/// Replaces each well-formed `{{org.NAME}}` with `values[NAME]`. A
/// placeholder without a value is left as written, so a missing value shows
/// in the lesson instead of silently vanishing.
pub fn fill_placeholders(text: &str, values: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{org.") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 6..];
        let end = after.find("}}");
        let value = end.and_then(|e| values.get(&after[..e]));
        match (end, value) {
            (Some(e), Some(v)) => {
                out.push_str(v);
                rest = &after[e + 2..];
            }
            _ => {
                out.push_str("{{org.");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_leading_title_is_left_to_the_page_and_no_h1_remains() {
        let html = render_markdown("# Why it matters\n\nText.\n\n## An example\n\n# Later\n");
        assert!(!html.contains("Why it matters"), "{html}");
        assert!(html.starts_with("<p>Text.</p>"), "{html}");
        assert!(html.contains("<h2>An example</h2>"), "{html}");
        assert!(html.contains("<h2>Later</h2>"), "{html}");
        assert!(!html.contains("<h1"), "{html}");
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = render_markdown("Hello <script>alert(1)</script>\n\n<div onclick=x>hi</div>\n");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<div"), "{html}");
    }

    #[test]
    fn dangerous_links_lose_their_url() {
        let html =
            render_markdown("[x](javascript:alert(1)) [y](https://example.org) ![i](assets/a.png)");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("src=\"assets/a.png\""), "{html}");
    }

    #[test]
    fn markdown_structure_renders() {
        let html =
            render_markdown("## Exercise\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<h2>Exercise</h2>"));
        assert!(html.contains("<li>one</li>"));
        assert!(html.contains("<td>2</td>"), "{html}");
    }

    #[test]
    fn placeholders_found_with_lines() {
        let found = find_placeholders("a {{org.name}}\nb {{org.Bad}} {{org.goal_1}}\n{{oops");
        let names: Vec<_> = found.iter().map(|p| (p.line, p.well_formed)).collect();
        assert_eq!(names, vec![(1, true), (2, false), (2, true), (3, false)]);
        assert_eq!(found[2].name, "goal_1");
    }

    #[test]
    fn fill_replaces_known_and_keeps_unknown() {
        let mut v = BTreeMap::new();
        v.insert("name".to_owned(), "Larkspur".to_owned());
        assert_eq!(
            fill_placeholders("{{org.name}} and {{org.other}}.", &v),
            "Larkspur and {{org.other}}."
        );
    }
}
