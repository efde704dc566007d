import ArrakisCore
import FoundationEssentials
import Glibc

/// What changed since the previous analysis of the same workspace.
public struct AnalysisComparison: Codable, Equatable, Sendable {
  public var previousAnalysisId: Int64
  public var previousAt: Date
  public var previousHead: String?
  /// Top hotspot paths now that were not among the previous top ones, and the reverse.
  public var newHotspots: [String]
  public var resolvedHotspots: [String]
  public var markersBefore: Int
  public var markersAfter: Int
  /// Markers whose (path, kind, text) did not exist before — line numbers move, so they are not part of it.
  public var newMarkers: [Marker]
  /// "passed", "failed" or nil (not run) for each side.
  public var testsBefore: String?
  public var testsAfter: String?
  public var openImprovements: Int

  public var markerDelta: Int { markersAfter - markersBefore }

  /// How many top hotspots are compared: beyond the first few, rank order is noise.
  public static let hotspotWindow = 10

  public static func between(
    previous: AnalysisSignals, previousID: Int64, previousAt: Date, current: AnalysisSignals, openImprovements: Int
  ) -> AnalysisComparison {
    let before = previous.hotspots.prefix(hotspotWindow).map(\.path)
    let after = current.hotspots.prefix(hotspotWindow).map(\.path)
    func key(_ m: Marker) -> String { "\(m.path)\u{0}\(m.kind.rawValue)\u{0}\(m.text)" }
    var known: [String: Int] = [:]
    for m in previous.tree.markers { known[key(m), default: 0] += 1 }
    var added: [Marker] = []
    for m in current.tree.markers {
      if let n = known[key(m)], n > 0 { known[key(m)] = n - 1 } else { added.append(m) }
    }
    return AnalysisComparison(
      previousAnalysisId: previousID, previousAt: previousAt, previousHead: previous.headCommit,
      newHotspots: after.filter { !before.contains($0) }, resolvedHotspots: before.filter { !after.contains($0) },
      markersBefore: previous.tree.markerCount, markersAfter: current.tree.markerCount, newMarkers: added,
      testsBefore: testStatus(previous.tests), testsAfter: testStatus(current.tests), openImprovements: openImprovements)
  }

  static func testStatus(_ run: TestRun?) -> String? { run.map { $0.passed ? "passed" : "failed" } }
}

/// The conditions `--fail-on` can name; any one that holds makes the run exit 1.
public enum FailOnCondition: String, CaseIterable, Codable, Sendable {
  case newHotspots = "new-hotspots"
  case newMarkers = "new-markers"
  case failingTests = "failing-tests"

  public static func parse(_ text: String) throws -> [FailOnCondition] {
    try text.split(separator: ",").map { part in
      let name = part.trimmingSpacesAndTabs
      guard let c = FailOnCondition(rawValue: name) else {
        throw ArrakisError(
          .usage, "unknown --fail-on condition '\(name)'",
          hint: "use a comma-separated list of: \(allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return c
    }
  }

  func holds(comparison: AnalysisComparison?, tests: TestRun?) -> Bool {
    switch self {
    case .newHotspots: return !(comparison?.newHotspots.isEmpty ?? true)
    case .newMarkers: return !(comparison?.newMarkers.isEmpty ?? true)
    case .failingTests: return tests.map { !$0.passed } ?? false
    }
  }
}
