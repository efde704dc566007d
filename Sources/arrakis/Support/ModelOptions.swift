import ArgumentParser
import ArrakisCore
import Claude

/// Options of every subcommand that talks to the model.
struct ModelOptions: ParsableArguments {
  @Option(name: .shortAndLong, help: ArgumentHelp("Model: opus, sonnet, haiku or a full id (default: $ARRAKIS_MODEL, else sonnet).", valueName: "model"))
  var model: String?

  @Option(name: .long, help: "Maximum tokens in each reply.")
  var maxTokens: Int = 4096

  @Option(name: .long, help: "Retries on rate limits, overloads and connection errors.")
  var maxRetries: Int = 2

  var resolvedModel: String { ModelCatalog.resolve(model ?? Environment()["ARRAKIS_MODEL"] ?? ModelCatalog.defaultModel) }

  func validate() throws {
    guard maxTokens > 0 else { throw ValidationError("--max-tokens must be a positive number of tokens") }
    guard (0...10).contains(maxRetries) else { throw ValidationError("--max-retries must be between 0 and 10") }
  }

  func client() -> ClaudeClient {
    ClaudeClient(config: ClientConfig.fromEnvironment(Environment(), maxRetries: maxRetries))
  }
}
