//! Server-rendered SVG charts: line, bar, stacked area, and a curve with an interval band.
//! Each chart carries a `<title>` and `<desc>` and is drawn beside a data table of the same
//! numbers (the page renders the table), so it reads without sight and without JavaScript.

use std::fmt::Write;

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line per series.
    Line,
    /// Bars of the first series.
    Bar,
    /// Series stacked on each other as areas.
    StackedArea,
}

/// One named series, a value (or a gap) per label.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Values, one per label; `None` is a gap (not enough data).
    pub values: Vec<Option<f64>>,
}

/// How a shape is painted (the SVG class; the PDF's colours follow the same palette).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A light grid line.
    Grid,
    /// The interval band, translucent.
    Band,
    /// Series k as a line.
    Line(usize),
    /// Series k as a filled area.
    Area(usize),
}

/// Where a text sits relative to its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at the point.
    Start,
    /// Text is centred on it.
    Middle,
    /// Text ends at it.
    End,
}

/// One drawing instruction, in chart coordinates (y downwards).
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A polyline or polygon; each point says whether it starts a new sub-path.
    Path {
        /// Paint.
        style: Style,
        /// (x, y, move-to).
        points: Vec<(f64, f64, bool)>,
        /// Closed and filled rather than stroked.
        closed: bool,
    },
    /// A rectangle filled with series k's colour (a bar or a legend key).
    Rect {
        /// Series.
        series: usize,
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
    },
    /// An axis or legend label.
    Text {
        /// x.
        x: f64,
        /// Baseline y.
        y: f64,
        /// Alignment.
        anchor: Anchor,
        /// The words.
        text: String,
    },
}

/// Series colours as RGB 0…1, the same as the stylesheet's `.s0`, `.s1`, `.s2`.
pub const PALETTE: [(f32, f32, f32); 3] = [
    (0.122, 0.373, 0.749),
    (0.761, 0.255, 0.047),
    (0.082, 0.502, 0.239),
];

/// A chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Accessible title.
    pub title: String,
    /// Accessible description (what it shows, in a sentence).
    pub desc: String,
    /// X-axis labels.
    pub labels: Vec<String>,
    /// Series.
    pub series: Vec<Series>,
    /// An interval band (low, high) per label, drawn under the first line.
    pub band: Option<Vec<Option<(f64, f64)>>>,
    /// How to draw.
    pub kind: Kind,
}

/// Width of a chart's drawing box.
pub const W: f64 = 640.0;
/// Height of a chart's drawing box.
pub const H: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A short label for an axis value.
pub fn tick(v: f64) -> String {
    let a = v.abs();
    if a >= 1_000_000.0 {
        format!("{:.1}M", v / 1_000_000.0)
    } else if a >= 10_000.0 {
        format!("{:.0}k", v / 1_000.0)
    } else if a >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

impl Chart {
    /// The value range to draw: always includes 0, stacks when stacked.
    fn range(&self) -> (f64, f64) {
        let mut lo = 0.0f64;
        let mut hi = 0.0f64;
        let n = self.labels.len();
        if self.kind == Kind::StackedArea {
            for i in 0..n {
                let sum: f64 = self
                    .series
                    .iter()
                    .filter_map(|s| s.values.get(i).copied().flatten())
                    .sum();
                hi = hi.max(sum);
            }
        } else {
            for v in self.series.iter().flat_map(|s| s.values.iter().flatten()) {
                lo = lo.min(*v);
                hi = hi.max(*v);
            }
        }
        for (l, h) in self.band.iter().flatten().flatten() {
            lo = lo.min(*l);
            hi = hi.max(*h);
        }
        if !(lo.is_finite() && hi.is_finite()) || hi - lo < 1e-12 {
            return (lo.min(0.0), lo.min(0.0) + 1.0);
        }
        (lo, hi + (hi - lo) * 0.05)
    }

    /// The chart as shapes in a `W`×`H` box, y downwards: what [`Chart::svg`] writes as
    /// SVG and the PDF reports draw as vector paths, so both show the same picture.
    pub fn shapes(&self) -> Vec<Shape> {
        let n = self.labels.len().max(1);
        let (lo, hi) = self.range();
        let plot_w = W - LEFT - RIGHT;
        let plot_h = H - TOP - BOTTOM;
        let step = plot_w / n as f64;
        let x = |i: usize| LEFT + step * (i as f64 + 0.5);
        let y = |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo));
        let mut out = Vec::new();
        for g in 0..=4 {
            let v = lo + (hi - lo) * f64::from(g) / 4.0;
            out.push(Shape::Path {
                style: Style::Grid,
                points: vec![(LEFT, y(v), true), (W - RIGHT, y(v), false)],
                closed: false,
            });
            out.push(Shape::Text {
                x: LEFT - 6.0,
                y: y(v) + 4.0,
                anchor: Anchor::End,
                text: tick(v),
            });
        }
        let every = n.div_ceil(8);
        for (i, l) in self.labels.iter().enumerate() {
            if i % every == 0 {
                out.push(Shape::Text {
                    x: x(i),
                    y: H - BOTTOM + 16.0,
                    anchor: Anchor::Middle,
                    text: l.clone(),
                });
            }
        }
        if let Some(band) = &self.band {
            let pts: Vec<(usize, f64, f64)> = band
                .iter()
                .enumerate()
                .filter_map(|(i, b)| b.map(|(l, h)| (i, l, h)))
                .collect();
            if !pts.is_empty() {
                let mut points: Vec<(f64, f64, bool)> = pts
                    .iter()
                    .enumerate()
                    .map(|(j, (i, _, h))| (x(*i), y(*h), j == 0))
                    .collect();
                points.extend(pts.iter().rev().map(|(i, l, _)| (x(*i), y(*l), false)));
                out.push(Shape::Path {
                    style: Style::Band,
                    points,
                    closed: true,
                });
            }
        }
        match self.kind {
            Kind::Bar => {
                if let Some(series) = self.series.first() {
                    for (i, v) in series.values.iter().enumerate() {
                        if let Some(v) = v {
                            let (top, bottom) = (y(v.max(0.0)), y(v.min(0.0)));
                            out.push(Shape::Rect {
                                series: 0,
                                x: x(i) - step * 0.35,
                                y: top,
                                w: step * 0.7,
                                h: (bottom - top).max(0.5),
                            });
                        }
                    }
                }
            }
            Kind::Line => {
                for (k, series) in self.series.iter().enumerate() {
                    let mut points = Vec::new();
                    let mut pen = false;
                    for (i, v) in series.values.iter().enumerate() {
                        match v {
                            Some(v) => {
                                points.push((x(i), y(*v), !pen));
                                pen = true;
                            }
                            None => pen = false,
                        }
                    }
                    out.push(Shape::Path {
                        style: Style::Line(k),
                        points,
                        closed: false,
                    });
                }
            }
            Kind::StackedArea => {
                let mut base = vec![0.0f64; n];
                for (k, series) in self.series.iter().enumerate() {
                    let top: Vec<f64> = (0..n)
                        .map(|i| base[i] + series.values.get(i).copied().flatten().unwrap_or(0.0))
                        .collect();
                    let mut points: Vec<(f64, f64, bool)> = top
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (x(i), y(*t), i == 0))
                        .collect();
                    points.extend((0..n).rev().map(|i| (x(i), y(base[i]), false)));
                    out.push(Shape::Path {
                        style: Style::Area(k),
                        points,
                        closed: true,
                    });
                    base = top;
                }
            }
        }
        if self.series.len() > 1 || self.band.is_some() {
            let mut lx = LEFT;
            for (k, series) in self.series.iter().enumerate() {
                out.push(Shape::Rect {
                    series: k,
                    x: lx,
                    y: H - 14.0,
                    w: 10.0,
                    h: 10.0,
                });
                out.push(Shape::Text {
                    x: lx + 14.0,
                    y: H - 5.0,
                    anchor: Anchor::Start,
                    text: series.name.clone(),
                });
                lx += 24.0 + 7.0 * series.name.chars().count() as f64;
            }
        }
        out
    }

    /// The SVG markup.
    pub fn svg(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{t}</title><desc id="{id}-d">{d}</desc>"#,
            id = self.id(),
            t = esc(&self.title),
            d = esc(&self.desc)
        );
        for shape in self.shapes() {
            match shape {
                Shape::Path {
                    style,
                    points,
                    closed,
                } => {
                    if let (Style::Grid, [(x1, y1, _), (x2, y2, _)]) = (style, points.as_slice()) {
                        let _ = write!(
                            s,
                            r#"<line class="grid" x1="{x1}" x2="{x2}" y1="{y1:.1}" y2="{y2:.1}"/>"#
                        );
                        continue;
                    }
                    let mut d = String::new();
                    for (x, y, mv) in &points {
                        let _ = write!(d, "{}{x:.1},{y:.1} ", if *mv { "M" } else { "L" });
                    }
                    let class = match style {
                        Style::Grid => "grid".to_string(),
                        Style::Band => "band".to_string(),
                        Style::Line(k) => format!("line s{k}"),
                        Style::Area(k) => format!("area s{k}"),
                    };
                    let z = if closed { "Z" } else { "" };
                    let _ = write!(s, r#"<path class="{class}" d="{d}{z}"/>"#);
                }
                Shape::Rect { series, x, y, w, h } => {
                    let _ = write!(
                        s,
                        r#"<rect class="s{series}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"/>"#
                    );
                }
                Shape::Text { x, y, anchor, text } => {
                    let a = match anchor {
                        Anchor::Start => "start",
                        Anchor::Middle => "middle",
                        Anchor::End => "end",
                    };
                    let _ = write!(
                        s,
                        r#"<text class="tick" x="{x:.1}" y="{y:.1}" text-anchor="{a}">{t}</text>"#,
                        t = esc(&text)
                    );
                }
            }
        }
        s.push_str("</svg>");
        s
    }

    fn id(&self) -> String {
        let slug: String = self
            .title
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(24)
            .collect();
        format!("chart-{}", slug.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(kind: Kind) -> Chart {
        Chart {
            title: "Posts <per> week".into(),
            desc: "d".into(),
            labels: vec!["a".into(), "b".into(), "c".into()],
            series: vec![
                Series {
                    name: "x".into(),
                    values: vec![Some(1.0), None, Some(3.0)],
                },
                Series {
                    name: "y".into(),
                    values: vec![Some(2.0), Some(2.0), Some(2.0)],
                },
            ],
            band: Some(vec![Some((0.5, 1.5)), None, Some((2.0, 4.0))]),
            kind,
        }
    }

    #[test]
    fn charts_are_accessible_and_escaped() {
        for kind in [Kind::Line, Kind::Bar, Kind::StackedArea] {
            let s = chart(kind).svg();
            assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
            assert!(s.contains("<title id=\"chart-postsperweek-t\">Posts &lt;per&gt; week</title>"));
            assert!(s.contains("role=\"img\""));
            assert!(!s.contains("NaN"), "{s}");
        }
    }

    #[test]
    fn a_gap_breaks_the_line_and_stacks_add_up() {
        let s = chart(Kind::Line).svg();
        // Series x has a gap at b: two move-to commands in its path.
        let x_path = s.split("class=\"line s0\" d=\"").nth(1).unwrap_or("");
        let x_path = x_path.split('"').next().unwrap_or("");
        assert_eq!(x_path.matches('M').count(), 2);
        // Stacked: the top of the stack at c is 3 + 2 = 5, the highest value drawn.
        let c = chart(Kind::StackedArea);
        assert_eq!(c.range().1, 5.0 + 5.0 * 0.05);
    }

    #[test]
    fn empty_or_flat_data_draws_without_dividing_by_zero() {
        let mut c = chart(Kind::Line);
        c.series = vec![Series {
            name: "z".into(),
            values: vec![Some(0.0), Some(0.0)],
        }];
        c.band = None;
        let s = c.svg();
        assert!(!s.contains("NaN") && !s.contains("inf"));
        assert_eq!(tick(1234.0), "1234");
        assert_eq!(tick(0.125), "0.12");
        assert_eq!(tick(25_000.0), "25k");
    }
}
