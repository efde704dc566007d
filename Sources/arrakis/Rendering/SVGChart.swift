import FoundationEssentials
import Glibc

/// Minimal inline SVG charts: no library, no script, readable without a network.
enum SVGChart {
  static let blue = "#3b6fd4", orange = "#e08a2c"

  /// Vertical columns, one per label (days, empty ones included by the caller), over a y-axis with
  /// labelled ticks from 0 to a round maximum; the value of each column on hover through <title>.
  static func columns(_ points: [(String, Double)], format: (Double) -> String) -> String {
    guard !points.isEmpty else { return "<p>No data.</p>" }
    let axis = 64.0, width = 680.0, height = 180.0
    let ticks = niceTicks(max: points.map(\.1).max() ?? 0)
    let top = ticks.last ?? 1
    let step = width / Double(points.count), bar = max(step * 0.8, 1)
    var svg = "<svg width=\"\(Int(axis + width))\" height=\"\(Int(height + 30))\" role=\"img\">"
    svg += "<line class=\"axis\" x1=\"\(f(axis - 4))\" y1=\"0\" x2=\"\(f(axis - 4))\" y2=\"\(f(height))\" stroke=\"#999\"/>"
    for t in ticks {
      let y = height - t / top * height
      svg += "<line x1=\"\(f(axis - 8))\" y1=\"\(f(y))\" x2=\"\(f(axis + width))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
      svg += "<text class=\"tick\" x=\"\(f(axis - 10))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(StatsHTML.esc(format(t)))</text>"
    }
    let labelEvery = max(1, Int((Double(points.count) / 12).rounded(.up)))
    for (i, p) in points.enumerated() {
      let h = p.1 / top * height, x = axis + Double(i) * step
      svg += "<rect x=\"\(f(x))\" y=\"\(f(height - h))\" width=\"\(f(bar))\" height=\"\(f(h))\" fill=\"\(blue)\">"
        + "<title>\(StatsHTML.esc(p.0)): \(StatsHTML.esc(format(p.1)))</title></rect>"
      if i % labelEvery == 0 {
        svg += "<text x=\"\(f(x))\" y=\"\(f(height + 14))\">\(StatsHTML.esc(p.0))</text>"
      }
    }
    return svg + "</svg>"
  }

  /// 0 and three or four steps of 1, 2, 2.5 or 5 × 10^k up to the first round value at or above `max`.
  static func niceTicks(max: Double) -> [Double] {
    guard max > 0 else { return [0, 1] }
    let raw = max / 4, magnitude = pow(10, floor(log10(raw)))
    let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    let count = Int((max / step).rounded(.up))
    return (0...count).map { Double($0) * step }
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

  static func f(_ v: Double) -> String { String(cFormat: "%.1f", v) }
}
