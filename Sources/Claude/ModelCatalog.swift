/// Short model names users type, and the model used when none is given.
public enum ModelCatalog {
  public static let defaultModel = "claude-sonnet-4-6"

  /// Alias → current model id (the newest of each family priced in Pricing.swift). Ordered for error messages.
  public static let aliases: [(alias: String, model: String)] = [
    ("opus", "claude-opus-4-8"),
    ("sonnet", "claude-sonnet-4-6"),
    ("haiku", "claude-haiku-4-5"),
  ]

  /// An alias becomes its model id; anything else is passed through for the API to judge.
  public static func resolve(_ name: String) -> String {
    let lower = name.lowercased()
    return aliases.first { $0.alias == lower }?.model ?? name
  }

  /// "opus (claude-opus-4-8), sonnet (…), haiku (…)", for messages that must say what would work.
  public static var aliasList: String {
    aliases.map { "\($0.alias) (\($0.model))" }.joined(separator: ", ")
  }
}
