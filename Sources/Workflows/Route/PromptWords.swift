import FoundationEssentials
import Glibc

/// The word-level reading of a request that the router relies on.
enum PromptWords {
  /// Lowercased words, punctuation around them dropped (inner `.`, `/`, `_`, `-` kept for paths and names).
  static func split(_ prompt: String) -> [String] {
    prompt.lowercased().split(whereSeparator: \.isWhitespace).map {
      String($0).trimmingEdges(edgePunctuation)
    }.filter { !$0.isEmpty }
  }

  static let edgePunctuation: Set<Character> = ["?", "!", ",", ";", ":", "\"", "'", "`", "(", ")", "[", "]", "."]

  /// "please", "can you", "could you please", "go ahead and", "let's", "i want you to" … in front of the verb.
  static func dropCourtesy(_ words: [String]) -> [String] {
    var w = words[...]
    let skippable: Set<String> = [
      "please", "can", "could", "would", "will", "you", "kindly", "let's", "lets", "go", "ahead", "and", "now",
      "i", "want", "need", "to", "just", "then", "also", "pls", "arrakis",
    ]
    while let first = w.first, skippable.contains(first) { w = w.dropFirst() }
    return Array(w)
  }

  static let questionWords: Set<String> = [
    "what", "why", "how", "when", "where", "which", "who", "whose", "is", "are", "does", "do", "did", "should",
    "explain", "describe", "tell", "summarize", "summarise", "compare", "difference", "can", "could", "would", "whats",
    "what's", "hows",
  ]

  static func isQuestion(_ words: [String], original: String) -> Bool {
    original.trimmed.hasSuffix("?")
      || words.first.map(questionWords.contains) == true
  }

  /// "run the tests", "make the tests pass", "get the build green".
  static func asksForTestRun(_ words: [String]) -> Bool {
    let request = dropCourtesy(words)
    guard let first = request.first, ["run", "rerun", "re-run", "make", "get"].contains(first) else { return false }
    let rest = Set(request.dropFirst().prefix(4))
    return !rest.isDisjoint(with: ["test", "tests", "suite", "build", "checks", "ci"])
  }
}

extension String {
  func trimmingEdges(_ set: Set<Character>) -> String {
    var s = Substring(self)
    while let f = s.first, set.contains(f) { s = s.dropFirst() }
    while let l = s.last, set.contains(l) { s = s.dropLast() }
    return String(s)
  }
}
