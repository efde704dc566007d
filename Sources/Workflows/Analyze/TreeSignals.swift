/// What `arrakis analyze` learns from the working tree alone, before any git history or model is involved.
/// Everything is `Codable` so the signals can be stored in the ledger and summarised into a prompt.
public struct TreeSignals: Codable, Equatable, Sendable {
  /// The scanned root, as given.
  public var root: String
  /// Every scanned text file, sorted by path (paths are relative to `root`, `/`-separated).
  public var files: [FileSignals]
  /// Every TODO/FIXME/HACK/XXX marker, in path then line order.
  public var markers: [Marker]
  /// Non-test source files for which no test file's name contains the source's base name.
  public var untestedSources: [String]
  /// Totals per language, keyed by language name.
  public var languages: [String: LanguageTotals]
  /// Files left out and why; useful to explain a surprisingly small scan.
  public var skipped: SkipCounts
  public var durationMs: Int

  public init(
    root: String, files: [FileSignals], markers: [Marker], untestedSources: [String],
    languages: [String: LanguageTotals], skipped: SkipCounts, durationMs: Int
  ) {
    self.root = root
    self.files = files
    self.markers = markers
    self.untestedSources = untestedSources
    self.languages = languages
    self.skipped = skipped
    self.durationMs = durationMs
  }

  /// Looks a file up by its relative path.
  public func file(_ path: String) -> FileSignals? {
    // Files are sorted by path, so a binary search keeps Hotspots linear-ish on big trees.
    var lo = 0, hi = files.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if files[mid].path < path { lo = mid + 1 } else { hi = mid }
    }
    return lo < files.count && files[lo].path == path ? files[lo] : nil
  }
}

public struct FileSignals: Codable, Equatable, Sendable {
  public var path: String
  /// A short language name ("swift", "python", …) or "other".
  public var language: String
  public var bytes: Int
  public var lines: Int
  /// Lines with at least one non-whitespace character.
  public var codeLines: Int
  public var isTest: Bool
  public var longestFunction: FunctionSpan?
  /// Number of markers in this file (the markers themselves are in `TreeSignals.markers`).
  public var markerCount: Int

  public init(
    path: String, language: String, bytes: Int, lines: Int, codeLines: Int, isTest: Bool,
    longestFunction: FunctionSpan?, markerCount: Int
  ) {
    self.path = path
    self.language = language
    self.bytes = bytes
    self.lines = lines
    self.codeLines = codeLines
    self.isTest = isTest
    self.longestFunction = longestFunction
    self.markerCount = markerCount
  }
}

/// A function found by the heuristic detector: 1-based start line, length in lines (header to closing line).
public struct FunctionSpan: Codable, Equatable, Sendable {
  public var name: String
  public var startLine: Int
  public var length: Int

  public init(name: String, startLine: Int, length: Int) {
    self.name = name
    self.startLine = startLine
    self.length = length
  }
}

public struct Marker: Codable, Equatable, Sendable {
  public enum Kind: String, Codable, CaseIterable, Sendable { case todo = "TODO", fixme = "FIXME", hack = "HACK", xxx = "XXX" }
  public var path: String
  public var line: Int
  public var kind: Kind
  /// The line's text from the marker on, trimmed and capped at 200 characters.
  public var text: String

  public init(path: String, line: Int, kind: Kind, text: String) {
    self.path = path
    self.line = line
    self.kind = kind
    self.text = text
  }
}

public struct LanguageTotals: Codable, Equatable, Sendable {
  public var files = 0
  public var testFiles = 0
  public var lines = 0
  public var codeLines = 0
  public var markers = 0

  public init(files: Int = 0, testFiles: Int = 0, lines: Int = 0, codeLines: Int = 0, markers: Int = 0) {
    self.files = files
    self.testFiles = testFiles
    self.lines = lines
    self.codeLines = codeLines
    self.markers = markers
  }
}

public struct SkipCounts: Codable, Equatable, Sendable {
  /// Files matched by a .gitignore rule (directories count once, not per file inside).
  public var ignored = 0
  public var binary = 0
  public var tooLarge = 0
  /// Files that could not be opened or read.
  public var unreadable = 0

  public init(ignored: Int = 0, binary: Int = 0, tooLarge: Int = 0, unreadable: Int = 0) {
    self.ignored = ignored
    self.binary = binary
    self.tooLarge = tooLarge
    self.unreadable = unreadable
  }
}
