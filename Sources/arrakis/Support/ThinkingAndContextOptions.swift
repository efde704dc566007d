import ArgumentParser
import Claude

/// `--effort`, for the subcommands that talk to a model with adaptive thinking (ask, code).
struct EffortOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("How hard the model works: low, medium or high (default: the model's own).", valueName: "level"))
  var effort: String?

  var level: Effort? { effort.flatMap(Effort.init(rawValue:)) }

  func validate() throws {
    if let e = effort, Effort(rawValue: e) == nil { throw ValidationError("unknown --effort '\(e)'; use low, medium or high") }
  }
}

/// `--context-window` for `code`: the window the conversation is kept inside.
struct ContextWindowOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("The model's context window in tokens, when the catalog's is wrong (see arrakis models).", valueName: "tokens"))
  var contextWindow: Int?

  func validate() throws {
    if let w = contextWindow, w < 10_000 { throw ValidationError("--context-window must be at least 10000 tokens") }
  }
}
