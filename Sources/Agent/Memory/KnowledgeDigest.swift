import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

/// A short digest of what the ledger knows about a repository — earlier exchanges that share words with
/// the request, the latest analysis, recent modifications and why they were undone — for `ask` and `code`
/// to put in front of the model. Never longer than its budget (estimated at 4 characters a token), so a
/// long history cannot crowd out the request.
public enum KnowledgeDigest {
  public static let defaultBudgetTokens = 1500
  /// How `messages.system_source` marks the recorded copy of a digest.
  public static let systemSource = "history-digest"
  static let charsPerToken = 4

  public static func build(
    ledger: Ledger, workspace: String, prompt: String, budgetTokens: Int = defaultBudgetTokens,
    excludingSession: String? = nil
  ) throws -> String? {
    let words = significantWords(prompt)
    let exchanges = try ledger.pastExchanges(workspace: workspace, words: words, excluding: excludingSession)
    let analysis = try ledger.latestAnalysis(workspace: workspace)
    let modifications = try ledger.recentModifications(workspace: workspace)
    var sections: [(String, [String])] = []
    if !exchanges.isEmpty { sections.append(("Earlier exchanges on the same words", exchanges.map(line))) }
    if let line = analysis?.summary?["line"]?.stringValue ?? analysis?.summary.map({ $0.serialized() }) {
      sections.append(("Latest analysis (\(UTCDay.string(analysis!.createdAt)))", [oneLine(line, 400)]))
    }
    if !modifications.isEmpty { sections.append(("Recent modifications", modifications.map(line))) }
    return fit(sections, maxChars: max(budgetTokens, 0) * charsPerToken)
  }

  /// Assembles sections line by line until the budget is spent; a line that does not fit whole is cut.
  static func fit(_ sections: [(String, [String])], maxChars: Int) -> String? {
    let header = "What the arrakis ledger remembers about this repository (earlier runs; it may be out of date):\n"
    guard !sections.isEmpty, header.count < maxChars else { return nil }
    var out = header
    var added = false
    for (title, lines) in sections {
      let heading = "\n## \(title)\n"
      guard out.count + heading.count + 20 <= maxChars else { break }
      out += heading
      for l in lines {
        let room = maxChars - out.count - 1
        if room < 20 { break }
        out += (l.count <= room ? l : String(l.prefix(room - 1)) + "…") + "\n"
        added = true
      }
    }
    return added ? out : nil
  }

  static func line(_ e: PastExchange) -> String {
    let about = e.prompt.map { " \"\(oneLine($0, 80))\"" } ?? ""
    return "- [\(e.systemType) \(UTCDay.string(e.createdAt))\(about)] \(e.role): \(oneLine(e.text, 300))"
  }

  static func line(_ m: PastModification) -> String {
    let outcome: String
    if m.rollbackExecuted {
      outcome = "rolled back by the user"
    } else if m.tampered || m.status == .tampered {
      outcome = "not merged: it weakened the checks"
    } else if m.status == .rolledBack {
      outcome = "rolled back: the tests stayed red"
    } else {
      outcome = m.status.rawValue
    }
    return "- \(UTCDay.string(m.createdAt)) \(m.filePath ?? "(no file)"): \(outcome)" + (m.description.map { " — \(oneLine($0, 160))" } ?? "")
  }

  /// The words worth searching for: 3+ letters, not common English, lowercased, first 12 distinct.
  public static func significantWords(_ text: String) -> [String] {
    var seen = Set<String>(), words: [String] = []
    for raw in text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
      let w = String(raw)
      guard w.count >= 3, !stopWords.contains(w), seen.insert(w).inserted else { continue }
      words.append(w)
      if words.count == 12 { break }
    }
    return words
  }

  static func oneLine(_ s: String, _ width: Int) -> String {
    let flat = s.split(whereSeparator: \.isNewline).joined(separator: " ")
    return flat.count <= width ? flat : String(flat.prefix(width - 1)) + "…"
  }


  static let stopWords: Set<String> = [
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one", "our", "out",
    "has", "have", "how", "what", "when", "where", "which", "who", "why", "this", "that", "these", "those", "with",
    "from", "into", "does", "did", "doing", "done", "its", "it's", "there", "their", "then", "than", "them", "they",
    "will", "would", "should", "could", "about", "please", "make", "just", "also", "some", "more", "most", "such",
    "only", "own", "same", "too", "very", "your", "yours", "been", "being", "were", "let", "use", "using", "get",
    "work", "file", "code", "tell", "explain", "show",
  ]
}
