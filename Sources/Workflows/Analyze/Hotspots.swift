import FoundationEssentials
import Glibc

/// Per-file history figures over the analysis window, filled from git by another module.
public struct FileChurn: Codable, Equatable, Sendable {
  public var path: String
  public var commits: Int
  public var linesAdded: Int
  public var linesDeleted: Int
  /// Commits whose message looks like a fix ("fix", "bug", "regression", …); decided by the caller.
  public var fixCommits: Int
  public var authors: Set<String>

  public init(path: String, commits: Int, linesAdded: Int, linesDeleted: Int, fixCommits: Int = 0, authors: Set<String> = []) {
    self.path = path
    self.commits = commits
    self.linesAdded = linesAdded
    self.linesDeleted = linesDeleted
    self.fixCommits = fixCommits
    self.authors = authors
  }

  public var linesChanged: Int { linesAdded + linesDeleted }

  enum CodingKeys: String, CodingKey {
    case path, commits, linesAdded, linesDeleted, fixCommits, authors
  }

  /// Authors sorted: a set's order changes from one process to the next, and two reports of the same
  /// history must be byte-for-byte the same.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(path, forKey: .path)
    try c.encode(commits, forKey: .commits)
    try c.encode(linesAdded, forKey: .linesAdded)
    try c.encode(linesDeleted, forKey: .linesDeleted)
    try c.encode(fixCommits, forKey: .fixCommits)
    try c.encode(authors.sorted(), forKey: .authors)
  }
}

public struct Hotspot: Codable, Equatable, Sendable {
  public var path: String
  /// 0…1, relative to the hottest file of this ranking (which scores 1).
  public var score: Double
  public var churn: FileChurn
  public var lines: Int
  /// Why this file ranks: churn, size and longest function, markers, missing tests.
  public var reasons: [String]
}

/// Ranks files where change concentrates in large code: the classic churn × complexity hotspot, with
/// size standing in for complexity and fix commits counted extra (code that keeps needing fixes).
/// Pure and deterministic, so the same history and tree always give the same ranking.
public enum Hotspots {
  /// A fix commit counts this many times in the commit figure.
  public static let fixWeight = 2.0

  public static func rank(churn: [FileChurn], signals: TreeSignals, limit: Int = 20) -> [Hotspot] {
    let untested = Set(signals.untestedSources)
    var markersByPath: [String: [Marker.Kind: Int]] = [:]
    for m in signals.markers { markersByPath[m.path, default: [:]][m.kind, default: 0] += 1 }

    // Only files that still exist; log scales so one 10,000-line file or 300-commit file does not flatten the rest.
    let rows: [(FileChurn, FileSignals)] = churn.compactMap { c in
      guard c.commits > 0, let f = signals.file(c.path) else { return nil }
      return (c, f)
    }
    guard !rows.isEmpty else { return [] }
    func logScale(_ x: Double) -> Double { log1p(max(0, x)) }
    let commitFigure = rows.map { logScale(Double($0.0.commits) + fixWeight * Double($0.0.fixCommits)) }
    let changeFigure = rows.map { logScale(Double($0.0.linesChanged)) }
    let sizeFigure = rows.map { logScale(Double($0.1.codeLines)) }
    let maxCommit = commitFigure.max() ?? 1, maxChange = changeFigure.max() ?? 1, maxSize = sizeFigure.max() ?? 1

    var raw: [(Double, Int)] = []
    for i in rows.indices {
      let churnPart = 0.5 * ratio(commitFigure[i], maxCommit) + 0.5 * ratio(changeFigure[i], maxChange)
      raw.append((churnPart * ratio(sizeFigure[i], maxSize), i))
    }
    let top = raw.map(\.0).max() ?? 0
    var hotspots = raw.filter { $0.0 > 0 }.map { score, i -> Hotspot in
      let (c, f) = rows[i]
      return Hotspot(
        path: c.path, score: top > 0 ? score / top : 0, churn: c, lines: f.lines,
        reasons: reasons(c, f, markers: markersByPath[c.path] ?? [:], untested: untested.contains(c.path)))
    }
    hotspots.sort { $0.score != $1.score ? $0.score > $1.score : $0.path < $1.path }
    return Array(hotspots.prefix(limit))
  }

  private static func ratio(_ x: Double, _ max: Double) -> Double { max > 0 ? x / max : 0 }

  static func reasons(_ c: FileChurn, _ f: FileSignals, markers: [Marker.Kind: Int], untested: Bool) -> [String] {
    var out: [String] = []
    var history = "changed in \(plural(c.commits, "commit"))"
    if c.fixCommits > 0 { history += " (\(plural(c.fixCommits, "fix", "fixes")))" }
    history += " in the window"
    if c.authors.count > 1 { history += " by \(c.authors.count) authors" }
    out.append(history)
    out.append("+\(grouped(c.linesAdded))/−\(grouped(c.linesDeleted)) lines")
    var size = "\(grouped(f.lines)) lines"
    if let fn = f.longestFunction {
      let name = fn.name.hasSuffix(")") ? fn.name : fn.name + "()"
      size += "; longest function \(name) \(grouped(fn.length)) lines"
    }
    out.append(size)
    let markerTotal = markers.values.reduce(0, +)
    if markerTotal > 0 {
      if markers.count == 1, let (kind, n) = markers.first {
        out.append("\(n) \(kind.rawValue) marker\(n == 1 ? "" : "s")")
      } else {
        let parts = Marker.Kind.allCases.compactMap { k in markers[k].map { "\($0) \(k.rawValue)" } }
        out.append("\(markerTotal) markers (\(parts.joined(separator: ", ")))")
      }
    }
    if untested { out.append("no tests") }
    return out
  }

  static func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String {
    "\(grouped(n)) \(n == 1 ? one : many ?? one + "s")"
  }

  /// 1240 → "1,240", independent of the locale so reports and tests are stable.
  public static func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return n < 0 ? "-" + out : out
  }
}
