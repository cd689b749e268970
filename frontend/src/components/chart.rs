//! Small SVG charts: columns or a line over labelled points, horizontal bars, a heat grid.
//! Each is drawn as one SVG string (its `<title>` elements give hover tooltips) inside an
//! element with `role="img"` and a label that says what it shows.

use std::fmt::Write;

use leptos::prelude::*;

/// One value of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub label: String,
    pub value: f64,
    /// Tooltip text, e.g. `2025-03: 1,234.00`.
    pub title: String,
}

/// Escapes text for SVG markup.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Round tick values covering `lo..=hi` (about five of them).
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = if hi - lo < 1e-9 { (lo, lo + 1.0) } else { (lo, hi) };
    let raw = (hi - lo) / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let mut out = Vec::new();
    let mut t = start;
    while t <= end + step * 1e-6 && out.len() < 20 {
        out.push(if t.abs() < step * 1e-6 { 0.0 } else { t });
        t += step;
    }
    out
}

/// A short axis label: `1.2k`, `3.4M`, `250`.
pub fn short(v: f64) -> String {
    let a = v.abs();
    let (n, suffix) = if a >= 1e9 {
        (v / 1e9, "B")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let s = if n.fract().abs() < 1e-9 {
        format!("{n:.0}")
    } else if n.abs() < 10.0 {
        format!("{n:.1}")
    } else {
        format!("{n:.0}")
    };
    format!("{s}{suffix}")
}

const W: f64 = 720.0;
const H: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 34.0;

fn columns_svg(points: &[Point], line: bool) -> String {
    let n = points.len().max(1) as f64;
    let lo = points.iter().map(|p| p.value).fold(0.0, f64::min);
    let hi = points.iter().map(|p| p.value).fold(0.0, f64::max);
    let ticks = ticks(lo, hi);
    let (y0, y1) = (*ticks.first().unwrap_or(&0.0), *ticks.last().unwrap_or(&1.0));
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h * (1.0 - (v - y0) / (y1 - y0));
    let slot = plot_w / n;
    let mut s = format!(
        r#"<svg viewBox="0 0 {W} {H}" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">"#
    );
    for t in &ticks {
        let ty = y(*t);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{ty:.1}" y2="{ty:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 6.0,
            ty + 4.0,
            esc(&short(*t))
        );
    }
    let every = (points.len() as f64 / 12.0).ceil().max(1.0) as usize;
    let zero = y(0.0);
    let mut path = String::new();
    let mut dots = String::new();
    for (i, p) in points.iter().enumerate() {
        let cx = LEFT + slot * (i as f64 + 0.5);
        let title = esc(&p.title);
        if line {
            let cy = y(p.value);
            let _ = write!(path, "{}{cx:.1},{cy:.1}", if i == 0 { "" } else { " " });
            let _ =
                write!(dots, r#"<circle class="dot" cx="{cx:.1}" cy="{cy:.1}" r="4"><title>{title}</title></circle>"#);
        } else {
            let bw = (slot * 0.7).min(48.0);
            let top = y(p.value.max(0.0));
            let height = (y(p.value.min(0.0)) - top).max(if p.value != 0.0 { 1.0 } else { 0.0 });
            let _ = write!(
                s,
                r#"<rect class="bar{}" x="{:.1}" y="{top:.1}" width="{bw:.1}" height="{height:.1}" rx="2"><title>{title}</title></rect>"#,
                if p.value < 0.0 { " bar-negative" } else { "" },
                cx - bw / 2.0
            );
        }
        if i % every == 0 {
            let _ = write!(
                s,
                r#"<text class="axis" x="{cx:.1}" y="{}" text-anchor="middle">{}</text>"#,
                H - BOTTOM + 18.0,
                esc(&p.label)
            );
        }
    }
    if line && !path.is_empty() {
        // The line first, so the dots (with their tooltips) sit on top of it.
        let _ = write!(s, r#"<polyline class="line" points="{path}"/>{dots}"#);
    }
    let _ = write!(s, r#"<line class="baseline" x1="{LEFT}" x2="{}" y1="{zero:.1}" y2="{zero:.1}"/></svg>"#, W - RIGHT);
    s
}

/// Columns (or a line) over labelled points, e.g. revenue per month.
#[component]
pub fn ColumnChart(
    points: Vec<Point>,
    /// What the chart shows, for screen readers.
    #[prop(into)]
    label: String,
    #[prop(default = false)] line: bool,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let svg = columns_svg(&points, line);
    view! { <div class="chart" role="img" aria-label=label data-testid=testid inner_html=svg></div> }
}

/// One bar of a [`BarList`].
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as shown at the bar's end.
    pub shown: String,
    /// A CSS class for the bar's colour (e.g. `rfm-champion`).
    pub class: String,
}

fn bars_svg(bars: &[Bar]) -> String {
    let row = 30.0;
    let label_w = 190.0;
    let value_w = 90.0;
    let h = row * bars.len().max(1) as f64 + 8.0;
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let span = W - label_w - value_w;
    let mut s = format!(
        r#"<svg viewBox="0 0 {W} {h}" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">"#
    );
    for (i, b) in bars.iter().enumerate() {
        let top = 4.0 + row * i as f64;
        let w =
            if max > 0.0 { (b.value.max(0.0) / max * span).max(if b.value > 0.0 { 2.0 } else { 0.0 }) } else { 0.0 };
        let label = esc(&b.label);
        let _ = write!(
            s,
            r#"<g class="{}"><text class="bar-label" x="{}" y="{:.1}" text-anchor="end">{label}</text><rect class="hbar" x="{label_w}" y="{:.1}" width="{w:.1}" height="{:.1}" rx="3"><title>{label}: {}</title></rect><text class="bar-value" x="{:.1}" y="{:.1}">{}</text></g>"#,
            esc(&b.class),
            label_w - 10.0,
            top + row / 2.0 + 4.0,
            top + 4.0,
            row - 8.0,
            esc(&b.shown),
            label_w + w + 6.0,
            top + row / 2.0 + 4.0,
            esc(&b.shown),
        );
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars with their labels and values, e.g. segment sizes.
#[component]
pub fn BarList(
    bars: Vec<Bar>,
    #[prop(into)] label: String,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let svg = bars_svg(&bars);
    view! { <div class="chart chart-bars" role="img" aria-label=label data-testid=testid inner_html=svg></div> }
}

/// One cell of a [`HeatGrid`].
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub count: i64,
    /// Small text under the count (e.g. a segment symbol).
    pub note: String,
    pub title: String,
    pub class: String,
}

fn grid_svg(cells: &[Cell], rows: &[String], cols: &[String], corner: &str) -> String {
    let cw = 110.0;
    let ch = 56.0;
    let left = 70.0;
    let top = 28.0;
    let w = left + cw * cols.len() as f64 + 4.0;
    let h = top + ch * rows.len() as f64 + 4.0;
    let max = cells.iter().map(|c| c.count).max().unwrap_or(0).max(1) as f64;
    let mut s = format!(
        r#"<svg viewBox="0 0 {w} {h}" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg"><text class="axis" x="4" y="18">{}</text>"#,
        esc(corner)
    );
    for (i, c) in cols.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text class="axis" x="{:.1}" y="18" text-anchor="middle">{}</text>"#,
            left + cw * (i as f64 + 0.5),
            esc(c)
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 8.0,
            top + ch * (i as f64 + 0.5) + 4.0,
            esc(r)
        );
    }
    for c in cells {
        let x = left + cw * c.col as f64;
        let y = top + ch * c.row as f64;
        // At least a little colour for a non-empty cell, full colour for the largest.
        let strength = if c.count > 0 { 0.15 + 0.85 * (c.count as f64 / max) } else { 0.0 };
        let _ = write!(
            s,
            r#"<g class="{}"><rect class="heat-bg" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="4"/><rect class="heat" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="4" fill-opacity="{strength:.2}"><title>{}</title></rect><text class="heat-count" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text><text class="heat-note" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text></g>"#,
            esc(&c.class),
            x + 2.0,
            y + 2.0,
            cw - 4.0,
            ch - 4.0,
            x + 2.0,
            y + 2.0,
            cw - 4.0,
            ch - 4.0,
            esc(&c.title),
            x + cw / 2.0,
            y + ch / 2.0,
            crate::format::int(c.count),
            x + cw / 2.0,
            y + ch / 2.0 + 16.0,
            esc(&c.note),
        );
    }
    s.push_str("</svg>");
    s
}

/// A grid of counts coloured by size, e.g. the RFM matrix.
#[component]
pub fn HeatGrid(
    cells: Vec<Cell>,
    rows: Vec<String>,
    cols: Vec<String>,
    #[prop(into)] corner: String,
    #[prop(into)] label: String,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let svg = grid_svg(&cells, &rows, &cols, &corner);
    view! { <div class="chart chart-grid" role="img" aria-label=label data-testid=testid inner_html=svg></div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_cover_the_range() {
        assert_eq!(ticks(0.0, 100.0), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        let t = ticks(-30.0, 95.0);
        assert!(t[0] <= -30.0 && *t.last().unwrap() >= 95.0);
        assert_eq!(ticks(0.0, 0.0).first(), Some(&0.0));
        assert_eq!(short(1500.0), "1.5k");
        assert_eq!(short(250.0), "250");
        assert_eq!(esc("<a&\"b\">"), "&lt;a&amp;&quot;b&quot;&gt;");
    }
}
