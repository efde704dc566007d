import Foundation

/// Minimal inline SVG charts: no library, no script, readable without a network.
enum SVGChart {
  static let blue = "#3b6fd4", orange = "#e08a2c"

  /// Vertical columns, one per label (days): value on hover through <title>.
  static func columns(_ points: [(String, Double)], format: (Double) -> String) -> String {
    guard !points.isEmpty else { return "<p>No data.</p>" }
    let width = 720.0, height = 180.0, top = max(points.map(\.1).max() ?? 0, 1e-9)
    let step = width / Double(points.count), bar = max(step * 0.8, 1)
    var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height + 30))\" role=\"img\">"
    for (i, p) in points.enumerated() {
      let h = p.1 / top * height, x = Double(i) * step
      svg += "<rect x=\"\(f(x))\" y=\"\(f(height - h))\" width=\"\(f(bar))\" height=\"\(f(h))\" fill=\"\(blue)\">"
        + "<title>\(StatsHTML.esc(p.0)): \(StatsHTML.esc(format(p.1)))</title></rect>"
      if points.count <= 16 || i % (points.count / 8) == 0 {
        svg += "<text x=\"\(f(x))\" y=\"\(f(height + 14))\">\(StatsHTML.esc(p.0))</text>"
      }
    }
    svg += "<text x=\"0\" y=\"\(f(height + 28))\">max \(StatsHTML.esc(format(top)))</text>"
    return svg + "</svg>"
  }

  /// Horizontal bars with the value written at the end.
  static func bars(_ items: [(String, Double)], format: (Double) -> String, max fixedMax: Double? = nil) -> String {
    guard !items.isEmpty else { return "<p>No data.</p>" }
    let label = 110.0, width = 480.0, row = 22.0
    let top = Swift.max(fixedMax ?? items.map(\.1).max() ?? 0, 1e-9)
    var svg = "<svg width=\"\(Int(label + width + 80))\" height=\"\(Int(row * Double(items.count) + 4))\" role=\"img\">"
    for (i, item) in items.enumerated() {
      let y = Double(i) * row, w = item.1 / top * width
      svg += "<text x=\"0\" y=\"\(f(y + 15))\">\(StatsHTML.esc(item.0))</text>"
      svg += "<rect x=\"\(f(label))\" y=\"\(f(y + 3))\" width=\"\(f(w))\" height=\"16\" fill=\"\(blue)\"/>"
      svg += "<text x=\"\(f(label + w + 6))\" y=\"\(f(y + 15))\">\(StatsHTML.esc(format(item.1)))</text>"
    }
    return svg + "</svg>"
  }

  /// Two bars per label (p50 in blue, p95 in orange).
  static func pairedBars(_ items: [(String, Double, Double)], format: (Double) -> String) -> String {
    guard !items.isEmpty else { return "<p>No data.</p>" }
    let label = 110.0, width = 480.0, row = 40.0
    let top = Swift.max(items.map { Swift.max($0.1, $0.2) }.max() ?? 0, 1e-9)
    var svg = "<svg width=\"\(Int(label + width + 120))\" height=\"\(Int(row * Double(items.count) + 20))\" role=\"img\">"
    for (i, item) in items.enumerated() {
      let y = Double(i) * row
      svg += "<text x=\"0\" y=\"\(f(y + 20))\">\(StatsHTML.esc(item.0))</text>"
      for (j, (v, color, name)) in [(item.1, blue, "p50"), (item.2, orange, "p95")].enumerated() {
        let w = v / top * width, yy = y + 3 + Double(j) * 17
        svg += "<rect x=\"\(f(label))\" y=\"\(f(yy))\" width=\"\(f(w))\" height=\"15\" fill=\"\(color)\"/>"
        svg += "<text x=\"\(f(label + w + 6))\" y=\"\(f(yy + 12))\">\(name) \(StatsHTML.esc(format(v)))</text>"
      }
    }
    return svg + "</svg>"
  }

  static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
