import ArrakisCore
import FoundationEssentials
import Glibc

/// What a Write or Edit would change, shown under the approval question so that the answer is given
/// knowing the change: removed lines with `-`, added lines with `+`, under `@@ line N`. Bounded, so that a
/// large write does not flood the terminal.
public enum ApprovalPreview {
  static let maxLines = 40
  /// Above this many lines on either side the line-by-line comparison (quadratic) is skipped.
  static let maxCompared = 2_000

  public static func diff(tool: String, input: JSONValue, root: String) -> String? {
    guard let file = input["file_path"]?.stringValue else { return nil }
    let path = PathGuard.resolve(file, base: root)
    let current = (try? String(contentsOfFile: path, encoding: .utf8))
    switch tool {
    case "Write":
      guard let content = input["content"]?.stringValue else { return nil }
      guard let current else { return bounded(lines(content).map { "+" + $0 }, header: "new file") }
      return bounded(compare(lines(current), lines(content)), header: nil)
    case "Edit":
      guard let old = input["old_string"]?.stringValue, let new = input["new_string"]?.stringValue else { return nil }
      var header: String?
      if let current, let range = current.firstRange(of: old) {
        header = "@@ line \(current[..<range.lowerBound].filter { $0 == "\n" }.count + 1)"
      }
      let all = input["replace_all"]?.boolValue == true ? " (every occurrence)" : ""
      return bounded(lines(old).map { "-" + $0 } + lines(new).map { "+" + $0 }, header: header.map { $0 + all })
    default:
      return nil
    }
  }

  static func lines(_ text: String) -> [String] {
    var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if l.last == "" { l.removeLast() }
    return l
  }

  static func bounded(_ body: [String], header: String?) -> String? {
    guard !body.isEmpty else { return header.map { $0 + "\n(no change)" } ?? "(no change)" }
    var out = header.map { [$0] } ?? []
    out += body.prefix(maxLines).map { $0.count > 200 ? String($0.prefix(199)) + "…" : $0 }
    if body.count > maxLines { out.append("… \(body.count - maxLines) more lines") }
    return out.joined(separator: "\n")
  }

  /// Changed lines only, each run under `@@ line N` (N in the new text), from a longest common subsequence.
  static func compare(_ a: [String], _ b: [String]) -> [String] {
    guard a.count <= maxCompared, b.count <= maxCompared else {
      return ["@@ replaces all \(a.count) lines with \(b.count) lines"] + b.map { "+" + $0 }
    }
    // lcs[i][j]: length of the LCS of a[i...] and b[j...].
    var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    var out: [String] = [], i = 0, j = 0, inRun = false
    while i < a.count || j < b.count {
      if i < a.count, j < b.count, a[i] == b[j] {
        i += 1; j += 1; inRun = false
        continue
      }
      if !inRun { out.append("@@ line \(j + 1)"); inRun = true }
      if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
        out.append("-" + a[i]); i += 1
      } else {
        out.append("+" + b[j]); j += 1
      }
    }
    return out
  }
}
