/// Where a bare `arrakis "prompt"` goes: `ask` (a conversation, nothing can change) or `code` (tools in the
/// workspace). A pure function of the prompt and a few facts about the workspace, so it is table-tested.
/// When unsure it answers `ask`: a wrong `ask` costs a re-run, a wrong `code` may edit files.
public enum Route: String, Sendable, Equatable {
  case ask, code
}

public struct RouteDecision: Sendable, Equatable {
  public var route: Route
  public var reason: String

  public init(route: Route, reason: String) {
    self.route = route
    self.reason = reason
  }
  /// What sessions.route records: `code: names Sources/App.swift and asks to fix`.
  public var recorded: String { "\(route.rawValue): \(reason)" }
}

/// What the router knows about the workspace; gathered by `WorkspaceFacts.gather`.
public struct WorkspaceFacts: Sendable, Equatable {
  public var isGitRepository: Bool
  /// Words of the prompt that are paths existing in the workspace.
  public var existingPaths: [String]
  /// Words of the prompt that are identifiers found in the workspace's files.
  public var knownSymbols: [String]

  public init(isGitRepository: Bool, existingPaths: [String] = [], knownSymbols: [String] = []) {
    self.isGitRepository = isGitRepository
    self.existingPaths = existingPaths
    self.knownSymbols = knownSymbols
  }
}

public enum Router {
  public static func decide(prompt: String, facts: WorkspaceFacts) -> RouteDecision {
    let words = PromptWords.split(prompt)
    guard !words.isEmpty else { return RouteDecision(route: .ask, reason: "empty request") }
    guard facts.isGitRepository else {
      return RouteDecision(route: .ask, reason: "not inside a git repository, so nothing here for code to change safely")
    }
    let request = PromptWords.dropCourtesy(words)
    let verb = request.first.flatMap { changeVerbs.contains($0) ? $0 : nil }
    let testRun = PromptWords.asksForTestRun(words)
    let refs = facts.existingPaths + facts.knownSymbols
    let named = refs.isEmpty ? nil : "names " + refs.prefix(3).joined(separator: ", ")

    if PromptWords.isQuestion(words, original: prompt) && verb == nil && !testRun {
      return RouteDecision(route: .ask, reason: "a question" + (named.map { " (it \($0), but asks for no change)" } ?? ""))
    }
    if testRun { return RouteDecision(route: .code, reason: "asks for a test run in this repository") }
    if let verb {
      if let named { return RouteDecision(route: .code, reason: "asks to \(verb) and \(named) of this repository") }
      if let noun = words.first(where: repositoryNouns.contains) {
        return RouteDecision(route: .code, reason: "asks to \(verb) the \(noun) of this repository")
      }
      return RouteDecision(route: .ask, reason: "asks to \(verb) but names nothing in this repository; unsure, so ask")
    }
    return RouteDecision(route: .ask, reason: "no change requested" + (named.map { " (it \($0))" } ?? ""))
  }

  static let changeVerbs: Set<String> = [
    "fix", "add", "implement", "refactor", "rename", "remove", "delete", "update", "change", "write", "create",
    "replace", "move", "extract", "convert", "migrate", "bump", "upgrade", "rewrite", "clean", "cleanup", "split",
    "merge", "inline", "optimize", "optimise", "document", "format", "reformat", "patch", "repair", "edit",
    "modify", "introduce", "drop", "port", "simplify", "tidy", "generate", "correct", "make",
  ]

  /// Things every repository has: a change aimed at them is a change to this repository.
  static let repositoryNouns: Set<String> = [
    "test", "tests", "build", "bug", "bugs", "makefile", "readme", "changelog", "ci", "lint", "warnings",
    "warning", "typo", "typos", "function", "method", "class", "struct", "module", "repo", "repository",
    "codebase", "failing", "crash", "compile", "compiler", "dependency", "dependencies",
  ]
}
