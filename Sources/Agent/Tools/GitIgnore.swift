import FoundationEssentials
import Glibc

/// gitignore semantics for Glob and the built-in Grep: nested `.gitignore` files (deeper ones win),
/// `!` negation, trailing `/` for directories only, patterns with a slash anchored to their file's
/// directory, `**`. Also reads `.git/info/exclude` at the repository root.
public struct GitIgnore: Sendable {
  struct Rule: Sendable {
    let glob: GlobPattern
    let negated: Bool
    let directoryOnly: Bool
  }

  /// One ignore file: its rules and the directory (relative to the walk root, "" for the root) it governs.
  struct File: Sendable {
    let base: [String]
    let rules: [Rule]
  }

  var files: [File] = []
  /// Components between the ignore root and the walk root: walk-relative paths are prefixed with it
  /// so ancestors' .gitignore files (loaded relative to the ignore root) apply.
  var prefix: [String] = []

  public init() {}

  init(files: [File], prefix: [String]) {
    self.files = files
    self.prefix = prefix
  }

  static func parse(_ text: String) -> [Rule] {
    var rules: [Rule] = []
    for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      var line = String(raw)
      if line.hasSuffix("\r") { line.removeLast() }
      // Trailing spaces are ignored unless escaped.
      while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line.removeLast() }
      if line.isEmpty || line.hasPrefix("#") { continue }
      var negated = false
      if line.hasPrefix("!") { negated = true; line.removeFirst() }
      else if line.hasPrefix("\\!") || line.hasPrefix("\\#") { line.removeFirst() }
      var dirOnly = false
      if line.hasSuffix("/") { dirOnly = true; line.removeLast() }
      if line.isEmpty { continue }
      // A slash at the start or in the middle anchors the pattern to the .gitignore's directory.
      let anchored = line.contains("/")
      let glob = GlobPattern(anchored ? (line.hasPrefix("/") ? line : "/" + line) : line, gitignoreStyle: !anchored)
      rules.append(Rule(glob: glob, negated: negated, directoryOnly: dirOnly))
    }
    return rules
  }

  /// Adds `<dir>/.gitignore` (dir relative to the walk root as components) if it exists.
  public mutating func load(directory absolute: String, relative: [String]) {
    var rules: [Rule] = []
    if let data = FileManager.default.contents(atPath: absolute + "/.gitignore") {
      rules += GitIgnore.parse(String(decoding: data, as: UTF8.self))
    }
    if relative.isEmpty || FileManager.default.fileExists(atPath: absolute + "/.git") {
      if let data = FileManager.default.contents(atPath: absolute + "/.git/info/exclude") {
        rules = GitIgnore.parse(String(decoding: data, as: UTF8.self)) + rules
      }
    }
    if !rules.isEmpty { files.append(File(base: prefix + relative, rules: rules)) }
  }

  /// Is the path (components relative to the walk root) ignored? Deeper files and later rules win.
  public func isIgnored(_ walkPath: [String], isDirectory: Bool) -> Bool {
    let path = prefix.isEmpty ? walkPath : prefix + walkPath
    for file in files.reversed() {
      // Slices, not copies: this runs for every entry of a walk against every rule in scope.
      guard path.count > file.base.count, path[..<file.base.count].elementsEqual(file.base) else { continue }
      let rel = path[file.base.count...]
      for rule in file.rules.reversed() {
        if rule.directoryOnly && !isDirectory { continue }
        if rule.glob.matches(rel) { return !rule.negated }
      }
    }
    return false
  }

  /// Keeps only the ignore files that govern `depth`-deep entries under `prefix` (used when leaving a directory).
  mutating func pop(to count: Int) {
    if files.count > count { files.removeLast(files.count - count) }
  }
  var count: Int { files.count }
}
