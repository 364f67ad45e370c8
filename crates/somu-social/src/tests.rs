use super::*;
use proptest::prelude::*;
use std::sync::Arc;

fn bytes(name: &str, content: &[u8]) -> Source {
    Source::Bytes {
        name: name.into(),
        bytes: Arc::from(content),
    }
}

fn read_all(src: &Source, account: Option<&str>) -> (Vec<SocialPost>, Vec<FieldError>) {
    let format = src.detect().expect("format");
    let opts = ReadOptions {
        account: account.map(str::to_string),
    };
    let (mut posts, mut errors) = (Vec::new(), Vec::new());
    let whole = read(src, format, &opts, &mut |item| {
        match item {
            Ok(p) => posts.push(p),
            Err(e) => errors.push(e),
        }
        true
    });
    if let Err(e) = whole {
        errors.push(e);
    }
    (posts, errors)
}

const JSONL: &str = r#"{"platform":"mastodon","account":"@Ana@example.social","post_id":"1093","created_at":"2026-03-02T09:14:00Z","text":"Great talk!","likes":12,"reposts":3,"replies":2,"quotes":0,"impressions":null,"followers":845,"in_reply_to":null,"mentions":["@brand@example.social"]}

{"platform":"x","account":"ana","post_id":7,"created_at":"2026-03-02T10:00:00+01:00","followers":10,"in_reply_to":"6","unknown":true}
"#;

#[test]
fn generic_lines_are_read_and_normalised() {
    let (posts, errors) = read_all(&bytes("a.jsonl", JSONL.as_bytes()), None);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].account, "@ana@example.social");
    assert_eq!(posts[0].likes, 12);
    assert_eq!(posts[0].followers, Some(845));
    assert_eq!(posts[0].mentions, vec!["@brand@example.social"]);
    assert_eq!(posts[0].created_at, 1_772_442_840);
    assert_eq!(posts[1].post_id, "7");
    assert_eq!(posts[1].kind, PostKind::Reply);
    assert_eq!(posts[1].created_at, 1_772_442_000);
}

#[test]
fn generic_problems_name_line_and_field() {
    let bad = "{\"platform\":\"myspace\",\"account\":\"a\",\"post_id\":\"1\",\"created_at\":\"yesterday\",\"likes\":-1}\nnot json\n";
    let (posts, errors) = read_all(&bytes("b.jsonl", bad.as_bytes()), None);
    assert!(posts.is_empty());
    let places: Vec<(Option<u64>, &str)> =
        errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        places,
        vec![
            (Some(1), "platform"),
            (Some(1), "created_at"),
            (Some(1), "likes"),
            (Some(1), "followers"),
            (Some(2), "line"),
        ]
    );
}

#[test]
fn an_upload_is_read_from_its_path_and_named_by_its_file_name() {
    // A temporary file's own name says nothing of its format; the uploaded name does.
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    std::io::Write::write_all(&mut file, b"post_id,created_at\n").expect("write");
    let upload = |name: &str| Source::Upload {
        name: name.into(),
        path: file.path().to_path_buf(),
    };
    assert_eq!(
        upload("Shares.csv").detect().expect("by name"),
        Format::LinkedinShares
    );
    assert!(Source::File(file.path().to_path_buf()).detect().is_err());
    std::fs::write(file.path(), JSONL).expect("write");
    let (posts, errors) = read_all(&upload("posts.jsonl"), None);
    assert_eq!((posts.len(), errors.len()), (2, 0), "{errors:?}");
    // Problems name the upload, never the temporary path.
    let gone = upload("posts.jsonl");
    drop(file);
    let err = gone.detect().expect_err("deleted");
    assert_eq!(
        (err.field.as_str(), err.code),
        ("posts.jsonl", "unreadable")
    );
}

const TWEETS: &str = r#"window.YTD.tweets.part0 = [
  { "tweet" : { "id_str" : "1690421", "full_text" : "Learning a lot at @NorthwindHQ &amp; friends", "created_at" : "Sat Aug 12 16:10:37 +0000 2023",
    "favorite_count" : "14", "retweet_count" : "2", "entities" : { "user_mentions" : [ { "screen_name" : "NorthwindHQ" } ] } } },
  { "tweet" : { "id_str" : "1690422", "full_text" : "@bob agreed", "created_at" : "Sun Aug 13 08:00:00 +0000 2023",
    "favorite_count" : "0", "retweet_count" : "0", "in_reply_to_status_id_str" : "1690000" } }
]"#;

#[test]
fn x_archive_counts_are_strings_and_dates_are_twitter_style() {
    let (posts, errors) = read_all(&bytes("tweets.js", TWEETS.as_bytes()), Some("@Ana"));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].account, "ana");
    assert_eq!(posts[0].likes, 14);
    assert_eq!(posts[0].reposts, 2);
    assert_eq!(posts[0].text, "Learning a lot at @NorthwindHQ & friends");
    assert_eq!(posts[0].mentions, vec!["northwindhq"]);
    assert_eq!(posts[0].created_at, 1_691_856_637);
    assert_eq!(posts[1].kind, PostKind::Reply);
    assert_eq!(posts[1].in_reply_to.as_deref(), Some("1690000"));
}

#[test]
fn x_archive_without_account_is_refused_and_bad_tweet_is_located() {
    let (_, errors) = read_all(&bytes("tweets.js", TWEETS.as_bytes()), None);
    assert_eq!(errors[0].field, "account");
    let bad = TWEETS.replace("\"14\"", "\"many\"");
    let (_, errors) = read_all(&bytes("tweets.js", bad.as_bytes()), Some("ana"));
    assert_eq!(errors[0].field, "[0].tweet.favorite_count");
}

#[test]
fn zipped_x_archive_takes_the_handle_from_account_js() {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("data/account.js", opts).unwrap();
        z.write_all(
            br#"window.YTD.account.part0 = [ { "account" : { "username" : "AnaSmith" } } ]"#,
        )
        .unwrap();
        z.start_file("data/tweets.js", opts).unwrap();
        z.write_all(TWEETS.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    let src = bytes("archive.zip", buf.get_ref());
    assert_eq!(src.detect().unwrap(), Format::XArchive);
    let (posts, errors) = read_all(&src, None);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].account, "anasmith");
}

const OUTBOX: &str = r#"{"@context":"https://www.w3.org/ns/activitystreams","id":"outbox.json","type":"OrderedCollection","totalItems":3,
"orderedItems":[
 {"id":"https://example.social/users/ana/statuses/1093/activity","type":"Create","actor":"https://example.social/users/ana","published":"2026-03-02T09:14:00Z",
  "object":{"id":"https://example.social/users/ana/statuses/1093","type":"Note","content":"<p>Hello <span class=\"h-card\"><a href=\"https://example.social/@brand\">@<span>brand</span></a></span> &amp; all</p><p>Second</p>",
   "inReplyTo":null,"tag":[{"type":"Mention","href":"https://example.social/users/brand","name":"@brand@example.social"}],
   "likes":{"totalItems":5},"shares":{"totalItems":1}}},
 {"id":"https://example.social/users/ana/statuses/1094/activity","type":"Announce","actor":"https://example.social/users/ana","published":"2026-03-03T10:00:00Z","object":"https://other.example/users/bob/statuses/9"},
 {"id":"x","type":"Like"}
]}"#;

#[test]
fn mastodon_outbox_posts_and_boosts() {
    let (posts, errors) = read_all(&bytes("outbox.json", OUTBOX.as_bytes()), None);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].account, "@ana@example.social");
    assert_eq!(posts[0].post_id, "1093");
    assert_eq!(posts[0].text, "Hello @brand & all\nSecond");
    assert_eq!(posts[0].likes, 5);
    assert_eq!(posts[0].mentions, vec!["@brand@example.social"]);
    assert_eq!(posts[1].kind, PostKind::Repost);
    assert_eq!(posts[1].post_id, "1094");
}

const FEED: &str = r#"{"feed":[
 {"post":{"uri":"at://did:plc:abc/app.bsky.feed.post/3kabc","cid":"c","author":{"did":"did:plc:abc","handle":"ana.bsky.social","followersCount":120},
  "record":{"$type":"app.bsky.feed.post","text":"Thanks @northwind.bsky.social!","createdAt":"2026-01-05T12:00:00.000Z"},
  "replyCount":1,"repostCount":2,"likeCount":3,"quoteCount":0,"indexedAt":"2026-01-05T12:00:01Z"}},
 {"post":{"uri":"at://did:plc:zzz/app.bsky.feed.post/3kzzz","author":{"handle":"bob.bsky.social"},
  "record":{"text":"orig","createdAt":"2026-01-04T12:00:00Z"},"likeCount":9},
  "reason":{"$type":"app.bsky.feed.defs#reasonRepost","by":{"handle":"ana.bsky.social"},"indexedAt":"2026-01-06T08:00:00Z"}}
],"cursor":"2026-01-04T12:00:00Z"}"#;

#[test]
fn bluesky_feed_posts_and_reposts() {
    let (posts, errors) = read_all(&bytes("feed.json", FEED.as_bytes()), None);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].post_id, "3kabc");
    assert_eq!(posts[0].mentions, vec!["northwind.bsky.social"]);
    assert_eq!(posts[0].followers, Some(120));
    assert_eq!(
        (posts[0].likes, posts[0].reposts, posts[0].replies),
        (3, 2, 1)
    );
    assert_eq!(posts[1].kind, PostKind::Repost);
    assert_eq!(posts[1].account, "ana.bsky.social");
    assert_eq!(posts[1].post_id, "repost-3kzzz");
}

const SHARES: &str = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n\
2023-08-12 16:10:37,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7096,\"First line\nsecond \"\"quoted\"\" line\",,,MEMBER_NETWORK\n\
yesterday,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7097,x,,,PUBLIC\n";

#[test]
fn linkedin_shares_multiline_text_and_located_problems() {
    let (posts, errors) = read_all(&bytes("Shares.csv", SHARES.as_bytes()), Some("ana-smith"));
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].post_id, "7096");
    assert_eq!(posts[0].text, "First line\nsecond \"quoted\" line");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].line, errors[0].field.as_str()),
        (Some(4), "Date")
    );
}

#[test]
fn mentions_and_html() {
    assert_eq!(
        mentions_in("hi @ana, and @bob@host.social. mail a@b.c"),
        vec!["@ana", "@bob@host.social"]
    );
    assert_eq!(html_to_text("a<br>b &lt;3 &#x1F600;"), "a\nb <3 😀");
}

#[test]
fn handles_are_checked() {
    assert_eq!(
        check_handle(Platform::Mastodon, "Ana@Example.social").unwrap(),
        "@ana@example.social"
    );
    assert!(check_handle(Platform::Mastodon, "ana").is_err());
    assert!(check_handle(Platform::X, "a b").is_err());
    assert_eq!(check_handle(Platform::X, "@Ana").unwrap(), "ana");
}

proptest! {
    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600), which in 0usize..5) {
        let src = bytes("f", &data);
        let format = Format::ALL[which];
        let opts = ReadOptions { account: Some("a".into()) };
        let _ = read(&src, format, &opts, &mut |_| true);
        let _ = src.detect();
    }
}
