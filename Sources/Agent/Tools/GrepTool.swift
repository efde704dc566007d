import ArrakisCore
import Claude
import Foundation

/// Searches file contents with ripgrep when installed, else the built-in engine; both give the same
/// output (paths relative to the workspace root, `path:line:text` in content mode).
public struct GrepTool: Tool {
  public init() {}
  public var access: ToolAccess { .read }

  public var definition: ToolSpec {
    ToolSpec(
      name: "Grep",
      description: "Search file contents with a regex (ripgrep syntax); honours .gitignore. output_mode: files_with_matches (default), content (path:line:text), count.",
      inputSchema: [
        "type": "object",
        "properties": [
          "pattern": ["type": "string"],
          "path": ["type": "string", "description": "file or directory, default workspace root"],
          "glob": ["type": "string", "description": "e.g. *.swift, *.{ts,tsx}"],
          "type": ["type": "string", "description": "rg file type, e.g. swift, py"],
          "output_mode": ["type": "string", "enum": ["files_with_matches", "content", "count"]],
          "-i": ["type": "boolean"],
          "-n": ["type": "boolean", "description": "line numbers (content), default true"],
          "-A": ["type": "integer"],
          "-B": ["type": "integer"],
          "-C": ["type": "integer"],
          "multiline": ["type": "boolean", "description": "patterns span lines; . matches newline"],
          "head_limit": ["type": "integer", "description": "first N output lines"],
        ],
        "required": ["pattern"],
      ])
  }

  public func run(_ json: JSONValue, in context: ToolContext) async throws -> ToolOutput {
    let input = ToolInput(json, tool: name)
    let pattern = try input.string("pattern")
    let rawPath = try input.optionalString("path") ?? "."
    let path = try context.resolve(rawPath, for: .read)
    let summaryHead = "Grep \(pattern.count > 40 ? String(pattern.prefix(37)) + "…" : pattern)"
    let kind = FileIO.kind(ofResolved: path)
    guard kind == .file || kind == .directory else {
      return .error("\(rawPath) does not exist or is not a file or directory", summary: "\(summaryHead) (bad path)")
    }
    var display = PathGuard.relative(path, to: context.root)
    if display == "." { display = "" }
    var r = GrepRequest(pattern: pattern, searchPath: path, displayPath: display, isFile: kind == .file)
    if let m = try input.optionalString("output_mode") {
      guard let mode = GrepRequest.Mode(rawValue: m) else {
        throw ToolInputError("Grep: output_mode must be files_with_matches, content or count")
      }
      r.mode = mode
    }
    r.glob = try input.optionalString("glob")
    r.type = try input.optionalString("type")
    r.caseInsensitive = try input.bool("-i")
    if json["-n"] != nil { r.lineNumbers = try input.bool("-n") }
    let c = try input.optionalInt("-C") ?? 0
    r.before = max(0, try input.optionalInt("-B") ?? c)
    r.after = max(0, try input.optionalInt("-A") ?? c)
    r.multiline = try input.bool("multiline")
    r.headLimit = try input.optionalInt("head_limit")

    let lines: [String]
    switch context.grepEngine {
    case .ripgrep(let rg):
      switch await RipgrepSearch.search(rg: rg, r, cwdRoot: context.root, timeoutMs: context.sandbox.defaultTimeoutMs) {
      case .success(let l): lines = l
      case .failure(let e): return .error("Grep failed: \(e.message)", summary: "\(summaryHead) (error)")
      }
    case .builtin, .auto:
      do {
        let engine = try BuiltinGrep(r)
        let budget = RegexBudget(perFile: context.limits.grepFileSeconds, perCall: Double(context.sandbox.defaultTimeoutMs) / 1000)
        lines = try engine.search(ignoreRoot: context.root, budget: budget)
      } catch let e as GrepError {
        return .error("Grep failed: \(e.message)", summary: "\(summaryHead) (error)")
      }
    }
    return GrepTool.render(lines, request: r, limits: context.limits, summaryHead: summaryHead)
  }

  static func render(_ all: [String], request r: GrepRequest, limits: OutputLimits, summaryHead: String) -> ToolOutput {
    if all.isEmpty { return ToolOutput(content: "No matches found", summary: "\(summaryHead) (0 matches)") }
    var lines = all
    var notes: [String] = []
    if let h = r.headLimit, h > 0, lines.count > h {
      lines = Array(lines.prefix(h))
      notes.append("[showing first \(h) of \(all.count) lines (head_limit)]")
    }
    var text = ""
    var kept = 0
    for l in lines {
      let line = l.count > limits.lineChars ? String(l.prefix(limits.lineChars)) + "… [line truncated]" : l
      if text.utf8.count + line.utf8.count > limits.grepChars {
        notes.append("[output truncated at \(limits.grepChars) chars: \(lines.count - kept) more lines; narrow the search or use head_limit]")
        break
      }
      text += line + "\n"
      kept += 1
    }
    text += notes.joined(separator: "\n")
    let what: String
    switch r.mode {
    case .filesWithMatches: what = "\(all.count) files"
    case .count: what = "\(all.count) files"
    case .content: what = "\(all.filter { $0 != "--" }.count) lines"
    }
    return ToolOutput(content: text.hasSuffix("\n") ? String(text.dropLast()) : text, summary: "\(summaryHead) (\(what))")
  }
}
