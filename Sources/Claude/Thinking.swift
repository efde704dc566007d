import ArrakisCore

/// How hard the model works on a reply (`output_config.effort`). The API also has xhigh and max; arrakis
/// offers the three levels every model with an effort setting accepts.
public enum Effort: String, CaseIterable, Sendable {
  case low, medium, high
}

/// The `thinking` and `output_config` fields of a request, as the API expects them for the model (see
/// docs/MODELS.md): models with adaptive thinking get `{"type": "adaptive"}` and, when asked, an effort;
/// older models get neither (their extended thinking needs a token budget arrakis does not set).
public struct ThinkingSettings: Equatable, Sendable {
  public var thinking: JSONValue?
  public var outputConfig: JSONValue?

  /// `adaptive`: send adaptive thinking even without an effort (the agent loop does; `ask` only with one).
  /// An effort for a model known to have no effort setting is a usage error, before anything is sent; an
  /// unknown model gets what was asked for and the API judges.
  public static func forModel(_ model: String, effort: Effort?, adaptive: Bool) throws -> ThinkingSettings {
    let info = ModelCatalog.info(model)
    if let effort, let info, !info.acceptsEffort {
      throw ArrakisError(.usage, "\(info.id) has no effort setting, so --effort \(effort.rawValue) cannot apply",
                         hint: "drop --effort, or pick a model with adaptive thinking (arrakis models)")
    }
    guard effort != nil || (adaptive && info?.acceptsEffort == true) else { return ThinkingSettings() }
    return ThinkingSettings(thinking: ["type": "adaptive"], outputConfig: effort.map { ["effort": .string($0.rawValue)] })
  }
}
