import Testing
@testable import Workflows

/// The front door's choice, table-driven: prompt + workspace facts → route.
@Suite struct RouterTests {
  static let repo = WorkspaceFacts(isGitRepository: true)
  static func repo(paths: [String] = [], symbols: [String] = []) -> WorkspaceFacts {
    WorkspaceFacts(isGitRepository: true, existingPaths: paths, knownSymbols: symbols)
  }
  static let noGit = WorkspaceFacts(isGitRepository: false)

  static let cases: [(String, WorkspaceFacts, Route)] = [
    ("what does rebase --onto do?", repo, .ask),
    ("fix the failing test in Sources/Foo.swift", repo(paths: ["Sources/Foo.swift"]), .code),
    ("rename parseConfig to loadConfig", repo(symbols: ["parseConfig"]), .code),
    ("refactor this", noGit, .ask),
    ("refactor this", repo, .ask),
    ("fix the failing test in Sources/Foo.swift", noGit, .ask),
    ("why is the sky blue", repo, .ask),
    ("explain Sources/Foo.swift", repo(paths: ["Sources/Foo.swift"]), .ask),
    ("what does parseConfig return?", repo(symbols: ["parseConfig"]), .ask),
    ("how do I fix a merge conflict?", repo, .ask),
    ("run the tests", repo, .code),
    ("please run the test suite", repo, .code),
    ("make the tests pass", repo, .code),
    ("can you fix the bug in main.c?", repo(paths: ["main.c"]), .code),
    ("could you please add a test for parseConfig", repo(symbols: ["parseConfig"]), .code),
    ("add a README section about install", repo, .code),
    ("fix the typo in the readme", repo, .code),
    ("update Package.swift to swift 6", repo(paths: ["Package.swift"]), .code),
    ("delete unused_helper", repo(symbols: ["unused_helper"]), .code),
    ("implement retry with backoff", repo, .ask),
    ("write a haiku about git", repo, .ask),
    ("make it faster", repo, .ask),
    ("tell me about the build", repo, .ask),
    ("summarize the recent changes", repo, .ask),
    ("is parseConfig thread safe", repo(symbols: ["parseConfig"]), .ask),
    ("", repo, .ask),
    ("hello", repo, .ask),
    ("rename loadConfig to readConfig", repo, .ask),
    ("fix the build", repo, .code),
    ("go ahead and remove the dead code in Sources/Old.swift", repo(paths: ["Sources/Old.swift"]), .code),
    ("Sources/Foo.swift", repo(paths: ["Sources/Foo.swift"]), .ask),
    ("run git log for me", repo, .ask),
    ("extract the parsing out of handleRequest", repo(symbols: ["handleRequest"]), .code),
    ("compare merge and rebase", repo, .ask),
    ("fix the failing tests", noGit, .ask),
  ]

  @Test(arguments: 0..<cases.count) func routes(_ i: Int) {
    let (prompt, facts, expected) = Self.cases[i]
    let decision = Router.decide(prompt: prompt, facts: facts)
    #expect(decision.route == expected, "\(prompt) → \(decision.route): \(decision.reason)")
    #expect(!decision.reason.isEmpty)
  }

  @Test func identifiersAndPathsAreRecognised() {
    #expect(WorkspaceFacts.looksLikeIdentifier("parseConfig"))
    #expect(WorkspaceFacts.looksLikeIdentifier("unused_helper"))
    #expect(!WorkspaceFacts.looksLikeIdentifier("rebase"))
    #expect(WorkspaceFacts.looksLikePath("Sources/Foo.swift"))
    #expect(WorkspaceFacts.looksLikePath("main.c"))
    #expect(!WorkspaceFacts.looksLikePath("e.g"))
    #expect(!WorkspaceFacts.looksLikePath("https://example.com/x"))
  }
}
