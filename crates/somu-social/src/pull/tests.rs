use super::*;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    h
}

#[test]
fn link_header_next_is_found_among_others() {
    let h = headers(&[(
        "link",
        "<https://m.example/api/v1/accounts/1/statuses?limit=40&max_id=107>; rel=\"next\", \
         <https://m.example/api/v1/accounts/1/statuses?limit=40&min_id=120>; rel=\"prev\"",
    )]);
    let next = link_next(&h).unwrap();
    assert_eq!(http::query_param(&next, "max_id").as_deref(), Some("107"));
    assert_eq!(
        link_next(&headers(&[("link", "<https://x/?a=1>; rel=\"prev\"")])),
        None
    );
}

#[test]
fn retry_after_reads_seconds_and_dates() {
    assert_eq!(retry_after(&headers(&[("retry-after", "7")]), 0), Some(7));
    let now = 1_445_412_470; // 2015-10-21 07:27:50 UTC
    let h = headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]);
    assert_eq!(retry_after(&h, now), Some(10));
    assert_eq!(retry_after(&headers(&[]), now), None);
}

#[test]
fn rate_limit_headers_of_both_platforms() {
    let m = headers(&[
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", "2026-11-23T18:05:00.000Z"),
    ]);
    let l = RateLimit::from_headers(&m, 0).unwrap();
    assert_eq!(l.remaining, 0);
    assert_eq!(
        l.reset,
        crate::parse_rfc3339("2026-11-23T18:05:00Z").unwrap()
    );
    let b = headers(&[
        ("ratelimit-remaining", "2999"),
        ("ratelimit-reset", "1795000000"),
    ]);
    assert_eq!(
        RateLimit::from_headers(&b, 0),
        Some(RateLimit {
            remaining: 2999,
            reset: 1_795_000_000
        })
    );
    let rel = headers(&[("ratelimit-remaining", "5"), ("ratelimit-reset", "60")]);
    assert_eq!(RateLimit::from_headers(&rel, 1000).unwrap().reset, 1060);
}

#[test]
fn mastodon_statuses_become_posts() {
    let v = json!({
        "id": "1093", "created_at": "2026-11-20T10:00:00.000Z",
        "content": "<p>Hello <span class=\"h-card\"><a href=\"https://m.example/@bo\">@<span>bo</span></a></span> &amp; all</p>",
        "url": "https://m.example/@ana/1093", "in_reply_to_id": null, "reblog": null,
        "replies_count": 2, "reblogs_count": 3, "favourites_count": 5,
        "mentions": [{"acct": "bo"}, {"acct": "cy@other.example"}],
        "account": {"acct": "ana", "followers_count": 120}
    });
    let p = mastodon::status(&v, "m.example", None).unwrap();
    assert_eq!(p.account, "@ana@m.example");
    assert_eq!(p.text, "Hello @bo & all");
    assert_eq!((p.likes, p.reposts, p.replies), (5, 3, 2));
    assert_eq!(p.followers, Some(120));
    assert_eq!(p.mentions, vec!["@bo@m.example", "@cy@other.example"]);
    let boost = json!({"id": "1100", "created_at": "2026-11-21T10:00:00Z", "content": "",
        "reblog": {"id": "9", "url": "https://o.example/@x/9"}, "account": {"acct": "ana"}});
    let b = mastodon::status(&boost, "m.example", Some("@ana@m.example")).unwrap();
    assert_eq!(b.kind, crate::PostKind::Repost);
    let bad = json!({"id": "1", "created_at": "yesterday"});
    assert_eq!(
        mastodon::status(&bad, "m.example", Some("@a@b"))
            .unwrap_err()
            .0,
        "created_at"
    );
    assert_eq!(
        mastodon::split_handle("@ana@m.example"),
        Some(("ana", "m.example"))
    );
}

#[test]
fn query_values_are_encoded() {
    assert_eq!(
        encode("at://did:plc:x/app.bsky.feed.post/3k"),
        "at%3A%2F%2Fdid%3Aplc%3Ax%2Fapp.bsky.feed.post%2F3k"
    );
}

#[test]
fn only_public_instances_are_asked() {
    assert_eq!(
        mastodon::instance_url("@ana@Mastodon.Social").as_deref(),
        Some("https://mastodon.social")
    );
    for bad in [
        "@a@127.0.0.1",
        "@a@localhost",
        "@a@db.internal",
        "@a@host:8080",
        "@a@x.example/path",
        "@a@[::1]",
        "@a@printer.local",
        "@a",
    ] {
        assert_eq!(mastodon::instance_url(bad), None, "{bad}");
    }
}
