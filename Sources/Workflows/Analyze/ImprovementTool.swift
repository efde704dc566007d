import ArrakisCore
import Claude

/// One improvement as the model proposes it through `record_improvements`, after validation.
public struct ProposedImprovement: Codable, Equatable, Sendable {
  public var title: String
  public var rationale: String
  public var files: [String]
  public var category: String
  public var impact: Int
  public var risk: Int
  public var effort: String
  public var acceptance: String

  public init(title: String, rationale: String, files: [String], category: String, impact: Int, risk: Int,
              effort: String, acceptance: String) {
    self.title = title
    self.rationale = rationale
    self.files = files
    self.category = category
    self.impact = impact
    self.risk = risk
    self.effort = effort
    self.acceptance = acceptance
  }
}

/// The one tool of the analyze request. Forcing it (`tool_choice`) turns the model's answer into structured
/// data; `parse` then checks that data as strictly as the schema states it, because the API does not.
public enum ImprovementTool {
  public static let name = "record_improvements"
  public static let categories = ["bug", "test", "performance", "readability", "docs"]
  public static let efforts = ["small", "medium", "large"]
  static let fields = ["title", "rationale", "files", "category", "impact", "risk", "effort", "acceptance"]

  public static var definition: ToolDefinition {
    let item: JSONValue = [
      "type": "object",
      "properties": [
        "title": ["type": "string", "description": "Imperative, under 80 characters."],
        "rationale": ["type": "string", "description": "Why, citing the signals (churn, fixes, size, markers, failing tests)."],
        "files": ["type": "array", "items": ["type": "string"], "minItems": 1, "description": "Repository-relative paths."],
        "category": ["type": "string", "enum": .array(categories.map { .string($0) })],
        "impact": ["type": "integer", "minimum": 1, "maximum": 5],
        "risk": ["type": "integer", "minimum": 1, "maximum": 5],
        "effort": ["type": "string", "enum": .array(efforts.map { .string($0) })],
        "acceptance": ["type": "string", "description": "A concrete check that shows it is done (a command, a test)."],
      ],
      "required": .array(fields.map { .string($0) }),
      "additionalProperties": false,
    ]
    return ToolDefinition(
      name: name,
      description: "Record the ranked list of improvements for this repository. Call exactly once.",
      inputSchema: [
        "type": "object",
        "properties": ["improvements": ["type": "array", "items": item, "maxItems": 12]],
        "required": ["improvements"],
        "additionalProperties": false,
      ])
  }

  /// Forced where the model allows it; elsewhere `auto`, and the system prompt asks for the call alone.
  /// A model arrakis does not know may be newer than the catalog, so it is not forced either.
  public static func toolChoice(model: String) -> JSONValue {
    ModelCatalog.info(model)?.acceptsForcedToolChoice == true ? ["type": "tool", "name": .string(name)] : ["type": "auto"]
  }

  /// Validates the tool input. Throws a protocol error (exit 8) naming the first thing that is wrong.
  public static func parse(_ input: JSONValue) throws -> [ProposedImprovement] {
    guard let object = input.objectValue else { throw invalid("the input is not an object") }
    if let extra = object.keys.first(where: { $0 != "improvements" }) { throw invalid("unexpected field '\(extra)'") }
    guard let list = object["improvements"] else { throw invalid("'improvements' is missing") }
    guard let items = list.arrayValue else { throw invalid("'improvements' is not an array") }
    return try items.enumerated().map { try item($1, at: "improvements[\($0)]") }
  }

  static func item(_ value: JSONValue, at path: String) throws -> ProposedImprovement {
    guard let o = value.objectValue else { throw invalid("\(path) is not an object") }
    if let extra = o.keys.sorted().first(where: { !fields.contains($0) }) { throw invalid("\(path) has an unexpected field '\(extra)'") }
    func text(_ key: String) throws -> String {
      guard let v = o[key] else { throw invalid("\(path).\(key) is missing") }
      guard let s = v.stringValue else { throw invalid("\(path).\(key) is not a string") }
      let trimmed = s.trimmed
      if trimmed.isEmpty { throw invalid("\(path).\(key) is empty") }
      return trimmed
    }
    func scale(_ key: String) throws -> Int {
      guard let v = o[key] else { throw invalid("\(path).\(key) is missing") }
      guard let n = v.intValue, (1...5).contains(n) else { throw invalid("\(path).\(key) must be an integer 1–5, got \(v.serialized())") }
      return n
    }
    func oneOf(_ key: String, _ allowed: [String]) throws -> String {
      let s = try text(key)
      guard allowed.contains(s) else {
        throw invalid("\(path).\(key) must be one of \(allowed.joined(separator: ", ")), got '\(s)'")
      }
      return s
    }
    guard let filesValue = o["files"] else { throw invalid("\(path).files is missing") }
    guard let fileValues = filesValue.arrayValue else { throw invalid("\(path).files is not an array") }
    let files = try fileValues.enumerated().map { i, f -> String in
      guard let s = f.stringValue, !s.isEmpty else { throw invalid("\(path).files[\(i)] is not a path") }
      return s
    }
    if files.isEmpty { throw invalid("\(path).files is empty") }
    return ProposedImprovement(
      title: try text("title"), rationale: try text("rationale"), files: files,
      category: try oneOf("category", categories), impact: try scale("impact"), risk: try scale("risk"),
      effort: try oneOf("effort", efforts), acceptance: try text("acceptance"))
  }

  static func invalid(_ what: String) -> ArrakisError {
    ArrakisError(
      .protocolError, "malformed \(name) tool input: \(what)",
      hint: "the local signals were stored; run arrakis analyze again, or pass --no-model to skip the ranking")
  }

  /// Highest impact first, then lowest risk, then least effort: the order `improve --next` works through.
  public static func ranked(_ items: [ProposedImprovement]) -> [ProposedImprovement] {
    items.enumerated().sorted { a, b in
      let ka = (a.element.impact, -a.element.risk, -(efforts.firstIndex(of: a.element.effort) ?? 0), -a.offset)
      let kb = (b.element.impact, -b.element.risk, -(efforts.firstIndex(of: b.element.effort) ?? 0), -b.offset)
      return ka > kb
    }.map(\.element)
  }
}
