import ArgumentParser
import ArrakisCore
import Claude

/// Options of every subcommand that talks to the model.
struct ModelOptions: ParsableArguments {
  @Option(name: .shortAndLong, help: ArgumentHelp("Model: opus, sonnet, haiku, fable or a full id (default: $ARRAKIS_MODEL, else sonnet; see arrakis models).", valueName: "model"), completion: Completions.model)
  var model: String?

  // Optional so that a configuration file's max_tokens applies when the flag is absent.
  @Option(name: .customLong("max-tokens"), help: "Maximum tokens in each reply (default: max_tokens in the config files, else 4096).")
  var maxTokensFlag: Int?

  @Option(name: .long, help: "Retries on rate limits, overloads and connection errors.")
  var maxRetries: Int = 2

  /// Flag, environment and default only; subcommands that read the configuration files use `resolved(in:)`.
  var resolvedModel: String { ModelCatalog.resolve(model ?? Environment()["ARRAKIS_MODEL"] ?? ModelCatalog.defaultModel) }
  var maxTokens: Int { maxTokensFlag ?? 4096 }

  /// What the flags say, for `EffectiveConfig.resolve`.
  var configFlags: [ConfigKey: ConfigValue] {
    var flags: [ConfigKey: ConfigValue] = [:]
    if let model { flags[.model] = .string(model) }
    if let maxTokensFlag { flags[.maxTokens] = .integer(maxTokensFlag) }
    return flags
  }

  /// The model id and reply size after flags, environment, repository and user files.
  func resolved(in config: EffectiveConfig) -> (model: String, maxTokens: Int) {
    (ModelCatalog.resolve(config[.model]?.stringValue ?? ModelCatalog.defaultModel), config[.maxTokens]?.intValue ?? 4096)
  }

  func validate() throws {
    if let t = maxTokensFlag, t <= 0 { throw ValidationError("--max-tokens must be a positive number of tokens") }
    guard (0...10).contains(maxRetries) else { throw ValidationError("--max-retries must be between 0 and 10") }
  }

  func client() -> ClaudeClient {
    ClaudeClient(config: ClientConfig.fromEnvironment(Environment(), maxRetries: maxRetries))
  }
}
