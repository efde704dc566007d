import FoundationEssentials
import Glibc

/// Everything one analysis measured locally, as stored in `analyses.signals` and printed by `--json`.
/// The tree part is condensed (top lists and totals, not every file) so a large repository's row stays small.
public struct AnalysisSignals: Codable, Equatable, Sendable {
  public var workspace: String
  public var isGitRepository: Bool
  public var headCommit: String?
  public var branch: String?
  /// The `--since` text as given ("90.days").
  public var window: String
  public var history: HistorySignals?
  public var hotspots: [Hotspot]
  public var tree: TreeDigest
  public var testCommand: TestCommand?
  /// Present with `--run-tests`; the output is cut to its tail.
  public var tests: TestRun?
}

public struct TestCommand: Codable, Equatable, Sendable {
  public var command: String
  public var reason: String
}

/// The tree signals condensed for storage and reports.
public struct TreeDigest: Codable, Equatable, Sendable {
  public var files: Int
  public var lines: Int
  public var codeLines: Int
  public var sourceFiles: Int
  public var testFiles: Int
  public var languages: [String: LanguageTotals]
  public var longestFiles: [SizedFile]
  public var longestFunctions: [LongFunction]
  public var markerCount: Int
  /// Markers in path/line order, capped at `markerCap` (the count above is the full count).
  public var markers: [Marker]
  public var untestedCount: Int
  public var untested: [String]
  public var durationMs: Int

  public static let markerCap = 500
  public static let listCap = 10

  public init(_ t: TreeSignals) {
    files = t.files.count
    lines = t.files.reduce(0) { $0 + $1.lines }
    codeLines = t.files.reduce(0) { $0 + $1.codeLines }
    testFiles = t.files.filter(\.isTest).count
    sourceFiles = t.files.filter { !$0.isTest && Language.isCode($0.language) }.count
    languages = t.languages
    longestFiles = t.files.sorted { ($0.lines, $1.path) > ($1.lines, $0.path) }.prefix(Self.listCap)
      .map { SizedFile(path: $0.path, lines: $0.lines, language: $0.language) }
    longestFunctions = t.files.compactMap { f in f.longestFunction.map { LongFunction(path: f.path, function: $0) } }
      .sorted { ($0.function.length, $1.path) > ($1.function.length, $0.path) }.prefix(Self.listCap).map { $0 }
    markerCount = t.markers.count
    markers = Array(t.markers.prefix(Self.markerCap))
    untestedCount = t.untestedSources.count
    untested = Array(t.untestedSources.prefix(Self.listCap * 5))
    durationMs = t.durationMs
  }
}

public struct SizedFile: Codable, Equatable, Sendable {
  public var path: String
  public var lines: Int
  public var language: String
}

public struct LongFunction: Codable, Equatable, Sendable {
  public var path: String
  public var function: FunctionSpan
}
