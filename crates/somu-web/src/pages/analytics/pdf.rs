//! Reports as PDF: A4 portrait pages drawn with the base-14 Helvetica fonts (nothing to embed),
//! the same sections as the dashboards (headings, sentences, charts, tables), the period and
//! the comparison period on top, the definitions as footnotes on the last page, and a footer
//! with the page number on every page. Charts are the dashboards' shapes
//! ([`Chart::shapes`]) drawn as vector paths, not pictures.

use super::chart::{self, Anchor, Chart, Shape, Style, PALETTE};
use super::dashboards::{Section, Table};
use crate::pages::credentials::pdf::{text_width, win_ansi};
use pdf_writer::types::{LineCapStyle, LineJoinStyle};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const W: f32 = 595.0;
const H: f32 = 842.0;
const MARGIN: f32 = 48.0;
const TEXT_W: f32 = W - 2.0 * MARGIN;
/// Lowest y the body may use; the footer sits below it.
const FLOOR: f32 = 64.0;
const INK: (f32, f32, f32) = (0.11, 0.13, 0.17);
const MUTED: (f32, f32, f32) = (0.38, 0.41, 0.47);
const NAVY: (f32, f32, f32) = (0.106, 0.188, 0.345);
const RULE: (f32, f32, f32) = (0.84, 0.86, 0.90);

/// What the first page says above the sections.
pub struct Cover<'a> {
    /// The organisation's name.
    pub org: &'a str,
    /// The report's title.
    pub title: &'a str,
    /// Lines under the title: the period, the comparison period, when it was made.
    pub lines: Vec<String>,
    /// Footer text (the page number is added to it).
    pub footer: String,
    /// Heading of the footnotes.
    pub notes_heading: &'a str,
    /// Footnotes: the definitions the numbers follow.
    pub notes: Vec<String>,
}

#[derive(Clone, Copy)]
enum Font {
    Regular,
    Bold,
    Italic,
}

impl Font {
    fn name(self) -> &'static [u8] {
        match self {
            Font::Regular => b"F1",
            Font::Bold => b"F2",
            Font::Italic => b"F3",
        }
    }
}

/// Text in the report's character set: arrows and minus signs become ASCII, the rest is
/// WinAnsi (Latin-1 plus typographic punctuation).
fn plain(s: &str) -> String {
    s.replace('\u{2192}', "->")
        .replace('\u{2212}', "-")
        .replace('\u{2264}', "<=")
        .replace('\u{2265}', ">=")
        .replace('\u{03a3}', "sum ")
}

/// Width of `s` in Helvetica: the shared estimate is tuned for Times, which is narrower.
fn width(s: &str, size: f32, font: Font) -> f32 {
    text_width(&plain(s), size, matches!(font, Font::Bold)) * 1.12
}

/// Split `s` into lines no wider than `max` points.
fn wrap(s: &str, size: f32, font: Font, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, font) > max && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Pages being written, top to bottom.
struct Writer {
    pages: Vec<Content>,
    y: f32,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            pages: vec![Content::new()],
            y: H - MARGIN,
        }
    }

    fn c(&mut self) -> &mut Content {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Start a new page unless `needed` points still fit on this one.
    fn room(&mut self, needed: f32) {
        if self.y - needed < FLOOR {
            self.pages.push(Content::new());
            self.y = H - MARGIN;
        }
    }

    fn fill(&mut self, (r, g, b): (f32, f32, f32)) {
        self.c().set_fill_rgb(r, g, b);
    }

    fn stroke(&mut self, (r, g, b): (f32, f32, f32)) {
        self.c().set_stroke_rgb(r, g, b);
    }

    fn text_at(&mut self, font: Font, size: f32, x: f32, y: f32, s: &str) {
        let bytes = win_ansi(&plain(s));
        let c = self.c();
        c.begin_text();
        c.set_font(Name(font.name()), size);
        c.next_line(x, y);
        c.show(Str(&bytes));
        c.end_text();
    }

    /// A wrapped paragraph at the cursor.
    fn paragraph(&mut self, font: Font, size: f32, colour: (f32, f32, f32), s: &str) {
        let lead = size * 1.35;
        for line in wrap(s, size, font, TEXT_W) {
            self.room(lead);
            self.y -= lead;
            self.fill(colour);
            self.text_at(font, size, MARGIN, self.y + size * 0.3, &line);
        }
    }

    fn hrule(&mut self, colour: (f32, f32, f32), weight: f32) {
        let y = self.y;
        self.stroke(colour);
        let c = self.c();
        c.set_line_width(weight);
        c.move_to(MARGIN, y);
        c.line_to(W - MARGIN, y);
        c.stroke();
    }

    fn cover(&mut self, cover: &Cover) {
        self.fill(NAVY);
        self.c().rect(0.0, H - 10.0, W, 10.0);
        self.c().fill_nonzero();
        self.y -= 8.0;
        self.fill(MUTED);
        self.text_at(Font::Bold, 9.0, MARGIN, self.y, &cover.org.to_uppercase());
        self.y -= 6.0;
        self.paragraph(Font::Bold, 22.0, NAVY, cover.title);
        self.y -= 4.0;
        for l in &cover.lines {
            self.paragraph(Font::Regular, 10.0, MUTED, l);
        }
        self.y -= 8.0;
        self.hrule(NAVY, 1.2);
        self.y -= 6.0;
    }

    fn section(&mut self, s: &Section) {
        // Keep a heading with at least its first lines.
        self.room(80.0);
        self.y -= 10.0;
        self.paragraph(Font::Bold, 14.0, NAVY, &s.heading);
        self.y -= 2.0;
        for p in &s.paragraphs {
            self.paragraph(Font::Regular, 10.0, INK, p);
            self.y -= 3.0;
        }
        for c in &s.charts {
            self.chart(c);
        }
        if let Some(t) = &s.table {
            self.table(t, &s.heading);
        }
    }

    fn chart(&mut self, c: &Chart) {
        let scale = (TEXT_W / chart::W as f32).min(0.78);
        let h = chart::H as f32 * scale;
        self.room(h + 26.0);
        self.y -= 6.0;
        self.paragraph(Font::Bold, 9.5, INK, &c.title);
        self.y -= 4.0;
        let (x0, top) = (MARGIN, self.y);
        let px = |x: f64| x0 + x as f32 * scale;
        let py = |y: f64| top - y as f32 * scale;
        // A white card with a hairline border, like the page's.
        self.fill((1.0, 1.0, 1.0));
        self.stroke(RULE);
        {
            let cc = self.c();
            cc.set_line_width(0.6);
            cc.rect(x0, top - h, chart::W as f32 * scale, h);
            cc.fill_nonzero_and_stroke();
            cc.set_line_join(LineJoinStyle::RoundJoin);
            cc.set_line_cap(LineCapStyle::RoundCap);
        }
        for shape in c.shapes() {
            match shape {
                Shape::Path {
                    style,
                    points,
                    closed,
                } => {
                    if points.is_empty() {
                        continue;
                    }
                    match style {
                        Style::Grid => {
                            self.stroke((0.89, 0.90, 0.93));
                            self.c().set_line_width(0.5);
                        }
                        Style::Line(k) => {
                            self.stroke(PALETTE[k % PALETTE.len()]);
                            self.c().set_line_width(2.5 * scale);
                        }
                        Style::Band => self.fill(tint(PALETTE[0], 0.15)),
                        Style::Area(k) => self.fill(tint(PALETTE[k % PALETTE.len()], 0.75)),
                    }
                    let cc = self.c();
                    for (x, y, mv) in points {
                        if mv {
                            cc.move_to(px(x), py(y));
                        } else {
                            cc.line_to(px(x), py(y));
                        }
                    }
                    if closed {
                        cc.close_path();
                        cc.fill_nonzero();
                    } else {
                        cc.stroke();
                    }
                }
                Shape::Rect { series, x, y, w, h } => {
                    self.fill(PALETTE[series % PALETTE.len()]);
                    let cc = self.c();
                    cc.rect(px(x), py(y + h), w as f32 * scale, h as f32 * scale);
                    cc.fill_nonzero();
                }
                Shape::Text { x, y, anchor, text } => {
                    let size = 11.0 * scale;
                    let tw = width(&text, size, Font::Regular);
                    let left = match anchor {
                        Anchor::Start => px(x),
                        Anchor::Middle => px(x) - tw / 2.0,
                        Anchor::End => px(x) - tw,
                    };
                    self.fill(MUTED);
                    self.text_at(Font::Regular, size, left, py(y), &text);
                }
            }
        }
        self.y = top - h - 6.0;
    }

    /// A table; its caption is left out when it only repeats the section's `heading`.
    fn table(&mut self, t: &Table, heading: &str) {
        let cols = t
            .head
            .len()
            .max(t.rows.iter().map(Vec::len).max().unwrap_or(1));
        if cols == 0 {
            return;
        }
        // The row headings get the most room; the numbers share the rest.
        let first = if cols == 1 { TEXT_W } else { TEXT_W * 0.42 };
        let rest = if cols == 1 {
            0.0
        } else {
            (TEXT_W - first) / (cols - 1) as f32
        };
        let col_x = |i: usize| {
            if i == 0 {
                MARGIN
            } else {
                MARGIN + first + rest * (i - 1) as f32
            }
        };
        let col_w = |i: usize| if i == 0 { first } else { rest };
        let size = 8.5;
        let lead = size * 1.3;
        self.room(40.0);
        self.y -= 6.0;
        if t.caption != heading {
            self.paragraph(Font::Italic, 8.5, MUTED, &t.caption);
        }
        let mut header = true;
        let rows = std::iter::once(&t.head).chain(t.rows.iter());
        for row in rows {
            let cells: Vec<Vec<String>> = (0..cols)
                .map(|i| {
                    let font = if header || i == 0 {
                        Font::Bold
                    } else {
                        Font::Regular
                    };
                    wrap(
                        row.get(i).map_or("", String::as_str),
                        size,
                        font,
                        // The widths are estimates: leave a margin so neighbours never touch.
                        col_w(i) - 14.0,
                    )
                })
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1);
            let height = lines as f32 * lead + 5.0;
            self.room(height);
            let top = self.y;
            if header {
                self.fill((0.93, 0.95, 0.98));
                self.c().rect(MARGIN, top - height, TEXT_W, height);
                self.c().fill_nonzero();
            }
            for (i, cell) in cells.iter().enumerate() {
                let font = if header || i == 0 {
                    Font::Bold
                } else {
                    Font::Regular
                };
                self.fill(if header { NAVY } else { INK });
                for (j, line) in cell.iter().enumerate() {
                    let y = top - 3.0 - lead * (j as f32 + 1.0) + size * 0.3;
                    self.text_at(font, size, col_x(i) + 4.0, y, line);
                }
            }
            self.y = top - height;
            self.hrule(RULE, 0.5);
            header = false;
        }
        self.y -= 4.0;
    }

    fn notes(&mut self, heading: &str, notes: &[String]) {
        if notes.is_empty() {
            return;
        }
        self.room(60.0);
        self.y -= 14.0;
        self.hrule(RULE, 0.8);
        self.y -= 2.0;
        self.paragraph(Font::Bold, 9.0, INK, heading);
        for (i, n) in notes.iter().enumerate() {
            self.paragraph(Font::Regular, 7.5, MUTED, &format!("{}. {n}", i + 1));
        }
    }

    fn footers(&mut self, text: &str) {
        let n = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            let s = format!("{text}  \u{00b7}  {} / {n}", i + 1);
            let bytes = win_ansi(&plain(&s));
            page.set_stroke_rgb(RULE.0, RULE.1, RULE.2);
            page.set_line_width(0.5);
            page.move_to(MARGIN, 44.0);
            page.line_to(W - MARGIN, 44.0);
            page.stroke();
            page.set_fill_rgb(MUTED.0, MUTED.1, MUTED.2);
            page.begin_text();
            page.set_font(Name(Font::Regular.name()), 7.5);
            page.next_line(MARGIN, 32.0);
            page.show(Str(&bytes));
            page.end_text();
        }
    }
}

/// Mix a colour with white: what an opacity `a` over white paper looks like.
fn tint((r, g, b): (f32, f32, f32), a: f32) -> (f32, f32, f32) {
    (
        1.0 - a * (1.0 - r),
        1.0 - a * (1.0 - g),
        1.0 - a * (1.0 - b),
    )
}

/// The report as PDF bytes.
pub fn report(cover: &Cover, sections: &[Section]) -> Vec<u8> {
    let mut w = Writer::new();
    w.cover(cover);
    for s in sections {
        w.section(s);
    }
    w.notes(cover.notes_heading, &cover.notes);
    w.footers(&cover.footer);

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let fonts = [
        (Ref::new(3), Font::Regular, "Helvetica"),
        (Ref::new(4), Font::Bold, "Helvetica-Bold"),
        (Ref::new(5), Font::Italic, "Helvetica-Oblique"),
    ];
    let info = Ref::new(6);
    let first_page = 7;
    let ids: Vec<(Ref, Ref)> = (0..w.pages.len())
        .map(|i| {
            let n = first_page + 2 * i as i32;
            (Ref::new(n), Ref::new(n + 1))
        })
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(p, _)| *p))
        .count(ids.len() as i32);
    for (id, font, base) in &fonts {
        let _ = font;
        pdf.type1_font(*id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info)
        .title(pdf_writer::TextStr(cover.title))
        .author(pdf_writer::TextStr(cover.org))
        .creator(pdf_writer::TextStr("Somu"));
    for ((page_id, content_id), content) in ids.iter().zip(w.pages) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, W, H));
        page.parent(tree);
        page.contents(*content_id);
        {
            let mut res = page.resources();
            let mut f = res.fonts();
            for (id, font, _) in &fonts {
                f.pair(Name(font.name()), *id);
            }
        }
        page.finish();
        pdf.stream(*content_id, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::analytics::chart::{Kind, Series};

    #[test]
    fn wrapping_keeps_every_word_and_fits_the_width() {
        let text = "Trained practitioners post 1.8 more times per week than they would have \
                    without training; 95% interval 1.2 to 2.4.";
        let lines = wrap(text, 10.0, Font::Regular, 150.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        for l in &lines[..lines.len() - 1] {
            assert!(width(l, 10.0, Font::Regular) <= 150.0, "{l}");
        }
    }

    #[test]
    fn a_long_report_flows_onto_numbered_pages() {
        let chart = Chart {
            title: "Posts per week".into(),
            desc: "d".into(),
            labels: (1..=20).map(|i| format!("W{i}")).collect(),
            series: vec![Series {
                name: "posts".into(),
                values: (1..=20).map(|i| Some(f64::from(i))).collect(),
            }],
            band: Some(vec![Some((0.5, 2.0)); 20]),
            kind: Kind::Line,
        };
        let sections: Vec<Section> = (0..6)
            .map(|i| Section {
                id: format!("s{i}"),
                heading: format!("Section {i}"),
                paragraphs: vec!["A sentence \u{2192} with an arrow.".into()],
                charts: vec![chart.clone()],
                table: Some(Table {
                    caption: "Numbers".into(),
                    head: vec!["Metric".into(), "Value".into()],
                    rows: (0..12)
                        .map(|j| vec![format!("Row {j}"), format!("{j}.5")])
                        .collect(),
                }),
                csv: None,
            })
            .collect();
        let cover = Cover {
            org: "Acme",
            title: "Programme results",
            lines: vec!["Period 2026-01-01 \u{2026} 2026-03-31".into()],
            footer: "Somu".into(),
            notes_heading: "Definitions",
            notes: vec!["engagement rate = \u{03a3} engagements / \u{03a3} reach".into()],
        };
        let bytes = report(&cover, &sections);
        let text = String::from_utf8_lossy(&bytes);
        assert!(bytes.starts_with(b"%PDF-"));
        // Six sections with a chart and a 12-row table each need several pages.
        let pages: usize = text
            .split("/Count ")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(pages > 1, "{pages} pages");
        // Text is stored uncompressed (and so searchable).
        assert!(text.contains("(Section 5) Tj"));
        assert!(text.contains("->"), "the arrow is spelt in ASCII");
        assert!(!text.contains("NaN"));
    }
}
