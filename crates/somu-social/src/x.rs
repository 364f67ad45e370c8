//! X / Twitter account archive: `data/tweets.js` (older archives: `tweet.js`), a JavaScript
//! assignment `window.YTD.tweets.part0 = [ { "tweet": { … } }, … ]` with counts as strings and
//! dates like `Sat Aug 12 16:10:37 +0000 2023`. The handle comes from `account.js` beside it.

use crate::json_stream::{each_element, get, get_str};
use crate::{count_of, normalize_handle, problem, Item, Platform, PostKind, SocialPost};
use serde_json::Value;
use somu_domain::FieldError;
use std::io::BufRead;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

const X_DATE: &[BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] [offset_hour sign:mandatory][offset_minute] [year]"
);

/// Parse an X archive date (`Sat Aug 12 16:10:37 +0000 2023`) into Unix seconds.
pub(crate) fn parse_x_date(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s.trim(), X_DATE)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// The handle from `account.js` (`window.YTD.account.part0 = [{"account":{"username":…}}]`).
pub(crate) fn account_from(js: &str) -> Option<String> {
    let start = js.find('[')?;
    let v: Value = serde_json::from_str(&js[start..]).ok()?;
    get_str(v.get(0)?, "account.username").map(str::to_string)
}

/// Skip the `window.YTD.tweets.part0 = ` before the array, leaving the `[` unread.
fn skip_assignment(input: &mut dyn BufRead, name: &str) -> Result<(), FieldError> {
    let mut skipped = 0usize;
    loop {
        let buf = input
            .fill_buf()
            .map_err(|e| problem(name, "unreadable", format!("cannot read: {e}")))?;
        if buf.is_empty() {
            return Err(problem(
                name,
                "not-archive",
                "no tweet list ([ … ]) in the file",
            ));
        }
        if let Some(i) = buf.iter().position(|&b| b == b'[') {
            input.consume(i);
            return Ok(());
        }
        let n = buf.len();
        input.consume(n);
        skipped += n;
        if skipped > 4096 {
            return Err(problem(
                name,
                "not-archive",
                "this does not start like an X archive's tweets.js (window.YTD.tweets.part0 = [ … ])",
            ));
        }
    }
}

pub(crate) fn read(
    input: &mut dyn BufRead,
    name: &str,
    account: Option<&str>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<(), FieldError> {
    let Some(account) = account.map(|a| normalize_handle(Platform::X, a)) else {
        return Err(problem(
            "account",
            "required",
            "an X archive's tweets.js does not name its account: give the handle (--account), or upload the zip with account.js",
        ));
    };
    skip_assignment(input, name)?;
    each_element(input, &[], &mut |i, v| match tweet(&account, &v) {
        Ok(p) => each(Ok(p)),
        Err((field, m)) => each(Err(problem(format!("[{i}].tweet.{field}"), "invalid", m))),
    })
    .map_err(|e| problem(name, "bad-json", format!("not a readable tweet list: {e}")))?;
    Ok(())
}

fn tweet(account: &str, v: &Value) -> Result<SocialPost, (&'static str, String)> {
    let t = get(v, "tweet").unwrap_or(v);
    let post_id = get_str(t, "id_str")
        .map(str::to_string)
        .or_else(|| get(t, "id").map(|i| i.to_string().trim_matches('"').to_string()))
        .filter(|s| !s.is_empty())
        .ok_or(("id_str", "every tweet has an id_str".to_string()))?;
    let date =
        get_str(t, "created_at").ok_or(("created_at", "every tweet has a created_at".into()))?;
    let created_at = parse_x_date(date).ok_or((
        "created_at",
        format!("\"{date}\" is not a date like Sat Aug 12 16:10:37 +0000 2023"),
    ))?;
    let text = get_str(t, "full_text")
        .or_else(|| get_str(t, "text"))
        .unwrap_or_default()
        .to_string();
    let likes = count_of(get(t, "favorite_count")).map_err(|m| ("favorite_count", m))?;
    let reposts = count_of(get(t, "retweet_count")).map_err(|m| ("retweet_count", m))?;
    let in_reply_to = get_str(t, "in_reply_to_status_id_str").map(str::to_string);
    let kind = if text.starts_with("RT @") {
        PostKind::Repost
    } else if in_reply_to.is_some() {
        PostKind::Reply
    } else if get(t, "quoted_status_id_str").is_some() {
        PostKind::Quote
    } else {
        PostKind::Original
    };
    let mut mentions: Vec<String> = get(t, "entities.user_mentions")
        .and_then(Value::as_array)
        .map(|ms| {
            ms.iter()
                .filter_map(|m| get_str(m, "screen_name"))
                .map(|h| normalize_handle(Platform::X, h))
                .collect()
        })
        .unwrap_or_default();
    if mentions.is_empty() {
        mentions = crate::mentions_in(&text)
            .iter()
            .map(|h| normalize_handle(Platform::X, h))
            .collect();
    }
    Ok(SocialPost {
        platform: Platform::X,
        account: account.to_string(),
        post_id,
        created_at,
        kind,
        text: crate::html_to_text(&text),
        in_reply_to,
        likes,
        reposts,
        replies: 0,
        quotes: 0,
        impressions: None,
        followers: None,
        mentions,
    })
}
