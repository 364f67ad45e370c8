//! LinkedIn member data export: `Shares.csv` (`Date,ShareLink,ShareCommentary,SharedUrl,
//! MediaUrl,Visibility`), text quoted over several lines, no engagement counts, times in UTC
//! written `2023-08-12 16:10:37`.

use crate::{normalize_handle, problem, Item, Platform, PostKind, SocialPost};
use somu_domain::FieldError;
use std::io::BufRead;
use time::macros::format_description;

fn parse_date(s: &str) -> Option<i64> {
    let f = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::PrimitiveDateTime::parse(s.trim(), f)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
        .or_else(|| crate::parse_rfc3339(s))
}

/// The share id in a link like `https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7096…`.
fn share_id(link: &str) -> Option<String> {
    let last = link.trim().trim_end_matches('/').rsplit('/').next()?;
    let decoded = last.replace("%3A", ":").replace("%3a", ":");
    let id = decoded.rsplit(':').next()?.trim();
    (!id.is_empty()).then(|| id.to_string())
}

pub(crate) fn read(
    input: &mut dyn BufRead,
    name: &str,
    account: Option<&str>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<(), FieldError> {
    let Some(account) = account.map(|a| normalize_handle(Platform::Linkedin, a)) else {
        return Err(problem(
            "account",
            "required",
            "Shares.csv does not name its account: give the profile handle (--account)",
        ));
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| problem(name, "bad-csv", format!("cannot read the header line: {e}")))?
        .clone();
    let col = |h: &str| {
        headers.iter().position(|x| {
            x.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(h)
        })
    };
    let (Some(date_col), Some(link_col)) = (col("Date"), col("ShareLink")) else {
        return Err(problem(
            format!("{name}: line 1"),
            "missing-column",
            "Shares.csv has the columns Date and ShareLink",
        ));
    };
    let text_col = col("ShareCommentary");
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() + 1;
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                each(Err(problem("line", "bad-csv", e.to_string()).at_line(line)));
                return Ok(());
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        let date = record.get(date_col).unwrap_or_default();
        let link = record.get(link_col).unwrap_or_default();
        let item = match (parse_date(date), share_id(link)) {
            (None, _) => Err(problem(
                "Date",
                "invalid-date",
                format!("\"{date}\" is not a time like 2023-08-12 16:10:37"),
            )),
            (_, None) => Err(problem("ShareLink", "required", "every share has its link")),
            (Some(created_at), Some(post_id)) => {
                let text = text_col
                    .and_then(|c| record.get(c))
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string();
                Ok(SocialPost {
                    platform: Platform::Linkedin,
                    account: account.clone(),
                    post_id,
                    created_at,
                    kind: PostKind::Original,
                    mentions: Vec::new(),
                    text,
                    in_reply_to: None,
                    likes: 0,
                    reposts: 0,
                    replies: 0,
                    quotes: 0,
                    impressions: None,
                    followers: None,
                })
            }
        };
        if !each(item.map_err(|e| e.at_line(line))) {
            return Ok(());
        }
    }
}
