//! Text helpers: HTML to plain text (Mastodon), @mentions in plain text (Bluesky, X fallback).

/// Plain text from the small HTML subset Mastodon writes: tags removed, paragraphs and line
/// breaks become new lines, the common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let Some(gt) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after[1..gt].trim().to_ascii_lowercase();
        if (tag.starts_with("br") || tag == "/p") && !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        rest = &after[gt + 1..];
    }
    out.push_str(rest);
    decode_entities(out.trim_end())
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `@handles` written in a text (`@ana`, `@ana.bsky.social`, `@ana@example.social`), in
/// order, without the trailing punctuation of a sentence.
pub fn mentions_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('@') {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '.') {
            continue;
        }
        let handle: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '@'))
            .collect();
        let handle = handle.trim_end_matches(['.', '-', '@']);
        if !handle.is_empty() {
            out.push(format!("@{handle}"));
        }
    }
    out
}
