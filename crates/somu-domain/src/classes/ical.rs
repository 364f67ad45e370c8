//! iCalendar (RFC 5545) output for sessions: one `VEVENT` per session with its time in the
//! session's own zone (`DTSTART;TZID=…`) and a `VTIMEZONE` for each zone used, built from the
//! bundled time-zone database for the span the events cover.
//!
//! Written here rather than with a generator crate because the part that matters (the
//! `VTIMEZONE` observances from the zone database) is not offered by one; the text rules
//! (escaping, folding at 75 octets, CRLF) are small and tested below and against a parser.

use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// One session as a calendar event.
#[derive(Debug, Clone)]
pub struct Event {
    /// Stable across edits: the same session always has the same UID.
    pub uid: String,
    /// Bumped every time the session moves (RFC 5545 §3.8.7.4).
    pub sequence: i64,
    /// Called off: `STATUS:CANCELLED`.
    pub cancelled: bool,
    /// Title.
    pub summary: String,
    /// Description.
    pub description: String,
    /// Place (or the meeting link when there is no place).
    pub location: Option<String>,
    /// Link to the session page.
    pub url: Option<String>,
    /// Start, Unix seconds.
    pub start_at: i64,
    /// End, Unix seconds.
    pub end_at: i64,
    /// IANA zone.
    pub time_zone: String,
    /// Last change (Unix seconds): `DTSTAMP` and `LAST-MODIFIED`.
    pub stamp: i64,
}

/// Escape a TEXT value (§3.3.11).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Append one content line, folded so that no line is longer than 75 octets (§3.1), ended by CRLF.
/// Folds never split a UTF-8 character.
pub fn push_line(out: &mut String, line: &str) {
    let mut budget = 75;
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > budget {
            out.push_str("\r\n ");
            // The leading space of a continuation line counts toward its 75 octets.
            budget = 74;
            used = 0;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

fn utc_stamp(unix: i64) -> String {
    Timestamp::from_second(unix)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn local_stamp(unix: i64, tz: &TimeZone) -> String {
    Timestamp::from_second(unix)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
        .strftime("%Y%m%dT%H%M%S")
        .to_string()
}

fn offset_text(o: Offset) -> String {
    let s = o.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.unsigned_abs();
    let (h, m, sec) = (a / 3600, (a % 3600) / 60, a % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// Most observances written for one zone (a feed spans a few years at most).
const MAX_OBSERVANCES: usize = 400;

/// A `VTIMEZONE` for `name` covering `[from, to]`: the observance in force at `from`, then every
/// transition up to `to`.
fn push_vtimezone(out: &mut String, name: &str, tz: &TimeZone, from: i64, to: i64) {
    let start = Timestamp::from_second(from).unwrap_or(Timestamp::UNIX_EPOCH);
    push_line(out, "BEGIN:VTIMEZONE");
    push_line(out, &format!("TZID:{name}"));
    let info = tz.to_offset_info(start);
    let first = info.offset();
    let observance =
        |out: &mut String, at: i64, from_o: Offset, to_o: Offset, abbr: &str, dst: bool| {
            let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
            push_line(out, &format!("BEGIN:{kind}"));
            // DTSTART of an observance is the local time of the onset, in the offset before it.
            push_line(
                out,
                &format!("DTSTART:{}", local_stamp(at, &TimeZone::fixed(from_o))),
            );
            push_line(out, &format!("TZOFFSETFROM:{}", offset_text(from_o)));
            push_line(out, &format!("TZOFFSETTO:{}", offset_text(to_o)));
            if !abbr.is_empty() {
                push_line(out, &format!("TZNAME:{}", escape(abbr)));
            }
            push_line(out, &format!("END:{kind}"));
        };
    observance(
        out,
        from,
        first,
        first,
        info.abbreviation(),
        info.dst().is_dst(),
    );
    let mut before = first;
    for t in tz.following(start).take(MAX_OBSERVANCES) {
        let at = t.timestamp().as_second();
        if at > to {
            break;
        }
        observance(
            out,
            at,
            before,
            t.offset(),
            t.abbreviation(),
            t.dst().is_dst(),
        );
        before = t.offset();
    }
    push_line(out, "END:VTIMEZONE");
}

/// A whole calendar: `name` is shown by clients as the calendar's name.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::with_capacity(1024 + events.len() * 600);
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, "PRODID:-//Somu//Classes//EN");
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    // The span each zone must cover: every event using it, with a day either side.
    let mut spans: BTreeMap<&str, (TimeZone, i64, i64)> = BTreeMap::new();
    for e in events {
        let Ok(tz) = TimeZone::get(&e.time_zone) else {
            continue;
        };
        let span = spans
            .entry(e.time_zone.as_str())
            .or_insert((tz, e.start_at, e.end_at));
        span.1 = span.1.min(e.start_at);
        span.2 = span.2.max(e.end_at);
    }
    for (zone, (tz, from, to)) in &spans {
        push_vtimezone(&mut out, zone, tz, from - 86_400, to + 86_400);
    }
    for e in events {
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}", escape(&e.uid)));
        push_line(&mut out, &format!("DTSTAMP:{}", utc_stamp(e.stamp)));
        push_line(&mut out, &format!("LAST-MODIFIED:{}", utc_stamp(e.stamp)));
        match spans.get(e.time_zone.as_str()) {
            Some((tz, _, _)) => {
                let z = escape(&e.time_zone);
                push_line(
                    &mut out,
                    &format!("DTSTART;TZID={z}:{}", local_stamp(e.start_at, tz)),
                );
                push_line(
                    &mut out,
                    &format!("DTEND;TZID={z}:{}", local_stamp(e.end_at, tz)),
                );
            }
            None => {
                push_line(&mut out, &format!("DTSTART:{}", utc_stamp(e.start_at)));
                push_line(&mut out, &format!("DTEND:{}", utc_stamp(e.end_at)));
            }
        }
        push_line(&mut out, &format!("SEQUENCE:{}", e.sequence.max(0)));
        push_line(
            &mut out,
            if e.cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            },
        );
        push_line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if let Some(l) = &e.location {
            push_line(&mut out, &format!("LOCATION:{}", escape(l)));
        }
        if let Some(u) = &e.url {
            push_line(&mut out, &format!("URL:{u}"));
        }
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(tz: &str) -> Event {
        Event {
            uid: "session-7@northwind.example".into(),
            sequence: 2,
            cancelled: false,
            summary: "Listening well; answering, then escalating".into(),
            description: "Bring a laptop.\nWe meet in the café — second floor. ".repeat(4),
            location: Some("Room 4, Harbour House".into()),
            url: Some("https://somu.example/o/northwind/classes/7".into()),
            // 2026-03-29 01:30 to 04:00 in Oslo (across the spring change).
            start_at: 1_774_744_200,
            end_at: 1_774_749_600,
            time_zone: tz.into(),
            stamp: 1_774_000_000,
        }
    }

    #[test]
    fn lines_are_folded_at_75_octets_with_crlf() {
        let text = calendar("Cours d'été", &[event("Europe/Oslo")]);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "too long: {line:?}");
            assert!(!line.contains('\n') && !line.contains('\r'));
        }
        // Unfolding gives back the escaped description whole.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded
            .contains("DESCRIPTION:Bring a laptop.\\nWe meet in the café — second floor. Bring"));
        assert!(unfolded.contains("SUMMARY:Listening well\\; answering\\, then escalating"));
    }

    #[test]
    fn times_carry_their_zone_and_the_zone_its_transition() {
        let text = calendar("x", &[event("Europe/Oslo")]);
        assert!(text.contains("DTSTART;TZID=Europe/Oslo:20260329T013000\r\n"));
        assert!(text.contains("DTEND;TZID=Europe/Oslo:20260329T040000\r\n"));
        // The spring change: 02:00 local in +01:00 becomes 03:00 in +02:00.
        assert!(text.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
        ));
        assert!(text.contains("SEQUENCE:2\r\nSTATUS:CONFIRMED"));
    }

    #[test]
    fn a_parser_reads_back_every_required_property() {
        let mut cancelled = event("America/New_York");
        cancelled.cancelled = true;
        cancelled.uid = "session-8@northwind.example".into();
        let text = calendar("Feed", &[event("Europe/Oslo"), cancelled]);
        let mut parser = ::ical::IcalParser::new(text.as_bytes());
        let cal = parser.next().expect("one calendar").expect("parses");
        assert!(parser.next().is_none());
        let names = |props: &[::ical::property::Property]| -> Vec<String> {
            props.iter().map(|p| p.name.clone()).collect()
        };
        let top = names(&cal.properties);
        assert!(top.contains(&"VERSION".to_string()) && top.contains(&"PRODID".to_string()));
        assert_eq!(cal.timezones.len(), 2);
        assert_eq!(cal.events.len(), 2);
        for ev in &cal.events {
            let n = names(&ev.properties);
            for required in [
                "UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY",
            ] {
                assert!(n.iter().any(|x| x == required), "{required} missing");
            }
            let start = ev
                .properties
                .iter()
                .find(|p| p.name == "DTSTART")
                .expect("DTSTART");
            let tzid = start
                .params
                .as_ref()
                .and_then(|ps| ps.iter().find(|(k, _)| k == "TZID"))
                .map(|(_, v)| v[0].clone())
                .expect("TZID");
            assert!(cal.timezones.iter().any(|z| z
                .properties
                .iter()
                .any(|p| p.name == "TZID" && p.value.as_deref() == Some(tzid.as_str()))));
        }
        let status: Vec<_> = cal
            .events
            .iter()
            .filter_map(|e| e.properties.iter().find(|p| p.name == "STATUS"))
            .filter_map(|p| p.value.clone())
            .collect();
        assert_eq!(status, ["CONFIRMED", "CANCELLED"]);
    }

    #[test]
    fn a_zone_without_changes_still_gets_one_observance() {
        let text = calendar("x", &[event("Asia/Kolkata")]);
        assert!(text.contains("BEGIN:STANDARD\r\nDTSTART:20260328T060000"));
        assert!(text.contains("TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530"));
    }
}
