/// Whether a replayed tool call came out as it did when it was recorded, judged on what the model could act
/// on: that the call succeeded or failed, a command's exit status, and the text a file tool returned (what
/// a file holds, what a write or an edit did). A command's output is not compared: timing lines, dates and
/// temporary names differ from run to run, and a replay stopped by them is stopped by noise.
public enum ReplayDivergence {
  /// nil when the call matches its recording; otherwise where the two differ, for the stop message.
  public static func describe(tool: String, id: String, turn: Int, expected: ExpectedToolResult, actual: ToolOutput) -> String? {
    let at = "turn \(turn), \(tool) (\(id))"
    if tool == "Bash" {
      let (was, now) = (status(expected.content, isError: expected.isError), status(actual.content, isError: actual.isError))
      return was == now ? nil : "\(at): recorded \(was), got \(now)"
    }
    if expected.isError != actual.isError {
      return "\(at): recorded \(expected.isError ? "an error" : "success"), got \(actual.isError ? "an error" : "success"): \(firstLine(actual.content))"
    }
    guard expected.content != actual.content else { return nil }
    return "\(at): " + whereTheyDiffer(expected.content, actual.content)
  }

  /// `exit 0`, `exit 2`, `a timeout`, `an interruption`: the outcome BashTool appends to the output.
  static func status(_ content: String, isError: Bool) -> String {
    let tail = content.split(separator: "\n").suffix(3)
    for line in tail.reversed() {
      if line.hasPrefix("[exit code "), let n = Int(line.dropFirst("[exit code ".count).dropLast()) { return "exit \(n)" }
      if line.hasPrefix("[Command timed out") { return "a timeout" }
      if line.hasPrefix("[Interrupted") { return "an interruption" }
    }
    if content.hasPrefix("Bash: ") { return "a failure to start" }
    return isError ? "a failure" : "exit 0"
  }

  /// `line 3 differs: recorded "…let x = 1", got "…let x = 2"`: both cut around the first differing character,
  /// so that the two quotes never look the same.
  static func whereTheyDiffer(_ a: String, _ b: String) -> String {
    let la = a.split(separator: "\n", omittingEmptySubsequences: false), lb = b.split(separator: "\n", omittingEmptySubsequences: false)
    var i = 0
    while i < la.count, i < lb.count, la[i] == lb[i] { i += 1 }
    guard i < la.count, i < lb.count else {
      return la.count < lb.count
        ? "got \(lb.count - la.count) more lines from line \(i + 1): \"\(excerpt(Array(lb[i]), from: 0))\""
        : "got \(la.count - lb.count) fewer lines; recorded line \(i + 1) was \"\(excerpt(Array(la[i]), from: 0))\""
    }
    let ca = Array(la[i]), cb = Array(lb[i])
    var j = 0
    while j < ca.count, j < cb.count, ca[j] == cb[j] { j += 1 }
    return "line \(i + 1) differs at column \(j + 1): recorded \"\(excerpt(ca, from: j))\", got \"\(excerpt(cb, from: j))\""
  }

  /// Up to 30 characters before `from` and 50 from it, with … where cut.
  static func excerpt(_ chars: [Character], from: Int) -> String {
    let start = max(0, from - 30), end = min(chars.count, from + 50)
    return (start > 0 ? "…" : "") + String(chars[start..<end]) + (end < chars.count ? "…" : "")
  }

  static func firstLine(_ s: String) -> String {
    let l = s.split(separator: "\n").first.map(String.init) ?? ""
    return l.count > 100 ? String(l.prefix(100)) + "…" : l
  }
}
