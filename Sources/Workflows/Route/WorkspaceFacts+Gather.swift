import ArrakisCore
import FoundationEssentials
import Glibc

extension WorkspaceFacts {
  /// Looks at the words of `prompt` that could name something in the workspace: path-like words are
  /// checked on disk, identifier-like words (camelCase, snake_case, `name()`) with one `git grep` each.
  /// Bounded (a few candidates, no directory walk) so that routing costs milliseconds.
  public static func gather(prompt: String, workspace: Workspace, cwd: String) -> WorkspaceFacts {
    var facts = WorkspaceFacts(isGitRepository: workspace.isGitRepository)
    guard workspace.isGitRepository else { return facts }
    let words = prompt.split(whereSeparator: \.isWhitespace).map { String($0).trimmingEdges(PromptWords.edgePunctuation) }
    for word in words where looksLikePath(word) && facts.existingPaths.count < 5 {
      let candidates = word.hasPrefix("/") ? [word] : [cwd + "/" + word, workspace.root + "/" + word]
      if candidates.contains(where: { FileManager.default.fileExists(atPath: $0) }) { facts.existingPaths.append(word) }
    }
    let symbols = words.map { $0.hasSuffix("()") ? String($0.dropLast(2)) : $0 }.filter(looksLikeIdentifier)
    for symbol in Array(Set(symbols)).sorted().prefix(5) where gitGrep(symbol, in: workspace.root) {
      facts.knownSymbols.append(symbol)
    }
    return facts
  }

  static func looksLikePath(_ w: String) -> Bool {
    guard w.count > 2, !w.hasPrefix("-"), !w.contains("://") else { return false }
    if w.contains("/") { return true }
    // name.ext with a short alphabetic extension: Package.swift, main.c, README.md
    guard let dot = w.lastIndex(of: "."), w.distance(from: w.startIndex, to: dot) >= 2 else { return false }
    let ext = w[w.index(after: dot)...]
    return (1...5).contains(ext.count) && ext.allSatisfy(\.isLetter)
  }

  /// camelCase, PascalCase with an inner capital, or snake_case: words a person types only as names.
  static func looksLikeIdentifier(_ w: String) -> Bool {
    guard w.count >= 4, let first = w.first, first.isLetter || first == "_",
      w.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), w.allSatisfy(\.isASCII)
    else { return false }
    let innerCapital = w.dropFirst().contains(where: \.isUppercase) && w.contains(where: \.isLowercase)
    let snake = w.dropFirst().dropLast().contains("_")
    return innerCapital || snake
  }

  /// `git grep` over tracked and untracked (not ignored) files: whole-word, literal, stops at the first hit.
  static func gitGrep(_ symbol: String, in root: String) -> Bool {
    let result = ProcessRunner.runSync(
      ["git", "-C", root, "grep", "-q", "--untracked", "-w", "-F", "-e", symbol], timeoutMs: 10_000, outputCap: 4096)
    return result.spawnError == nil && result.exitCode == 0
  }
}
