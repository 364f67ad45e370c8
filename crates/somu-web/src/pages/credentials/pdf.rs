//! The printable certificate: one A4 landscape page drawn with the PDF base-14 fonts (Times
//! and Helvetica, nothing to embed), a double frame, the holder, the achievement, the issuer,
//! the dates and a QR code to the verification page.

use super::public::Shown;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const W: f32 = 842.0;
const H: f32 = 595.0;

/// Latin-1 bytes for WinAnsi text (characters outside it become `?`). Shared with the
/// analytics PDF reports.
pub(crate) fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '\u{2026}' => 0x85,
            '\u{2022}' => 0x95,
            '\u{20ac}' => 0x80,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2019}' => 0x92,
            '\u{00b7}' => 0xb7,
            c if (c as u32) < 0x100 => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// Approximate advance of a character in em units for Times/Helvetica (for centring).
fn advance(c: char, bold: bool) -> f32 {
    let base = match c {
        'i' | 'j' | 'l' | '.' | ',' | ';' | ':' | '\'' | '!' | '|' | 'I' | ' ' => 0.27,
        'f' | 't' | 'r' => 0.35,
        'm' | 'w' => 0.75,
        'M' | 'W' => 0.9,
        'A'..='Z' => 0.68,
        '0'..='9' => 0.5,
        _ => 0.46,
    };
    if bold {
        base * 1.06
    } else {
        base
    }
}

/// Approximate width in points of `s` set in Times or Helvetica at `size` (shared with the
/// analytics PDF reports).
pub(crate) fn text_width(s: &str, size: f32, bold: bool) -> f32 {
    s.chars().map(|c| advance(c, bold)).sum::<f32>() * size
}

struct Page {
    c: Content,
}

impl Page {
    fn text(&mut self, font: &[u8], size: f32, x: f32, y: f32, s: &str) {
        self.c.begin_text();
        self.c.set_font(Name(font), size);
        self.c.next_line(x, y);
        self.c.show(Str(&win_ansi(s)));
        self.c.end_text();
    }

    fn centred(&mut self, font: &[u8], size: f32, y: f32, s: &str) {
        let bold = font == b"TB";
        let x = (W - text_width(s, size, bold)) / 2.0;
        self.text(font, size, x.max(40.0), y, s);
    }

    fn frame(&mut self, inset: f32, line: f32) {
        self.c.set_line_width(line);
        self.c.rect(inset, inset, W - 2.0 * inset, H - 2.0 * inset);
        self.c.stroke();
    }
}

/// The certificate of `s` as PDF bytes.
pub fn certificate(s: &Shown) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, page_id, content_id) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
    let fonts = [
        (Ref::new(5), b"TR".as_slice(), "Times-Roman"),
        (Ref::new(6), b"TB".as_slice(), "Times-Bold"),
        (Ref::new(7), b"TI".as_slice(), "Times-Italic"),
        (Ref::new(8), b"HV".as_slice(), "Helvetica"),
    ];
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page_id]).count(1);
    let mut page = pdf.page(page_id);
    page.media_box(Rect::new(0.0, 0.0, W, H));
    page.parent(tree);
    page.contents(content_id);
    {
        let mut res = page.resources();
        let mut f = res.fonts();
        for (id, name, _) in &fonts {
            f.pair(Name(name), *id);
        }
    }
    page.finish();
    for (id, _, base) in &fonts {
        pdf.type1_font(*id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }

    let mut p = Page { c: Content::new() };
    // Cream paper, a navy double frame and a thin gold rule inside it.
    p.c.set_fill_rgb(0.992, 0.980, 0.949);
    p.c.rect(0.0, 0.0, W, H);
    p.c.fill_nonzero();
    p.c.set_stroke_rgb(0.106, 0.188, 0.345);
    p.frame(18.0, 4.0);
    p.frame(28.0, 1.0);
    p.c.set_stroke_rgb(0.722, 0.588, 0.263);
    p.frame(34.0, 0.6);

    p.c.set_fill_rgb(0.106, 0.188, 0.345);
    p.centred(b"HV", 12.0, 520.0, &spaced(&s.issuer.to_uppercase()));
    p.centred(b"TB", 40.0, 462.0, "Certificate");
    p.c.set_fill_rgb(0.3, 0.3, 0.3);
    p.centred(b"TI", 15.0, 428.0, "This certifies that");
    p.c.set_fill_rgb(0.08, 0.08, 0.08);
    p.centred(b"TB", 34.0, 378.0, &s.holder);
    // A gold rule under the name.
    p.c.set_stroke_rgb(0.722, 0.588, 0.263);
    p.c.set_line_width(1.0);
    p.c.move_to(W / 2.0 - 170.0, 366.0);
    p.c.line_to(W / 2.0 + 170.0, 366.0);
    p.c.stroke();
    p.c.set_fill_rgb(0.3, 0.3, 0.3);
    p.centred(
        b"TI",
        15.0,
        336.0,
        "has met every requirement of the programme",
    );
    p.c.set_fill_rgb(0.106, 0.188, 0.345);
    p.centred(b"TB", 28.0, 296.0, &s.achievement);
    p.c.set_fill_rgb(0.25, 0.25, 0.25);
    let evidence: Vec<String> = s.evidence.iter().map(|(n, _)| n.clone()).take(2).collect();
    if !evidence.is_empty() {
        p.centred(b"TR", 12.0, 266.0, &evidence.join("  \u{00b7}  "));
    }

    // Dates and issuer, bottom left.
    p.c.set_fill_rgb(0.15, 0.15, 0.15);
    p.text(b"HV", 9.0, 70.0, 176.0, "ISSUED");
    p.text(b"TR", 13.0, 70.0, 160.0, &s.issued);
    if let Some(u) = &s.until {
        p.text(b"HV", 9.0, 70.0, 134.0, "VALID UNTIL");
        p.text(b"TR", 13.0, 70.0, 118.0, u);
    }
    p.text(b"HV", 9.0, 260.0, 176.0, "ISSUED BY");
    p.text(b"TR", 13.0, 260.0, 160.0, &s.issuer);
    p.text(b"HV", 9.0, 260.0, 134.0, "CREDENTIAL");
    p.text(b"TR", 11.0, 260.0, 118.0, &s.uuid);
    p.c.set_fill_rgb(0.35, 0.35, 0.35);
    p.text(
        b"HV",
        8.0,
        70.0,
        70.0,
        "An Open Badges 3.0 verifiable credential, signed with Ed25519 (eddsa-rdfc-2022). Verify it at:",
    );
    p.text(b"HV", 8.0, 70.0, 58.0, &s.url);

    // QR code, bottom right.
    if let Ok(code) = qrcode::QrCode::new(s.url.as_bytes()) {
        let n = code.width();
        let size = 120.0;
        let cell = size / n as f32;
        let (x0, y0) = (W - 70.0 - size, 56.0);
        p.c.set_fill_rgb(1.0, 1.0, 1.0);
        p.c.rect(x0 - 6.0, y0 - 6.0, size + 12.0, size + 12.0);
        p.c.fill_nonzero();
        p.c.set_fill_rgb(0.0, 0.0, 0.0);
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == qrcode::Color::Dark {
                let (cx, cy) = ((i % n) as f32, (i / n) as f32);
                p.c.rect(
                    x0 + cx * cell,
                    y0 + size - (cy + 1.0) * cell,
                    cell + 0.05,
                    cell + 0.05,
                );
            }
        }
        p.c.fill_nonzero();
        p.c.set_fill_rgb(0.35, 0.35, 0.35);
        p.text(b"HV", 7.0, x0 + 8.0, y0 - 16.0, "Scan to verify");
    }
    pdf.stream(content_id, &p.c.finish());
    pdf.finish()
}

fn spaced(s: &str) -> String {
    s.chars()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}
