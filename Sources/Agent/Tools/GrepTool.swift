import ArrakisCore
import Claude
import FoundationEssentials
import Glibc

/// Searches file contents with ripgrep when installed, else the built-in engine; both give the same
/// output (paths relative to the workspace root, `path:line:text` in content mode).
public struct GrepTool: Tool {
  public init() {}
  public var access: ToolAccess { .read }

  public var definition: ToolSpec {
    ToolSpec(
      name: "Grep",
      description: "Search file contents with a regex (ripgrep syntax); honours .gitignore, skips .git and binary files. Parameters: pattern; path (file or directory, default workspace root); glob; type; output_mode: files_with_matches (default), content (path:line:text), count; -i; -n (content: line numbers, default true); -A, -B, -C or context (context lines, content mode); -o (content: print only the matched parts); multiline; head_limit (at most N entries); offset (skip N entries first, for paging). An entry is one output line. A result stops at a whole entry within 30000 characters and says which offset continues it.",
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
          "-C": ["type": "integer", "description": "context lines before and after each match"],
          "context": ["type": "integer", "description": "same as -C"],
          "-o": ["type": "boolean", "description": "content mode: only the matched parts, one per line"],
          "multiline": ["type": "boolean", "description": "patterns span lines; . matches newline"],
          "head_limit": ["type": "integer", "description": "at most N entries (output lines)"],
          "offset": ["type": "integer", "description": "skip N entries before head_limit applies (paging)"],
        ],
        "required": ["pattern"],
      ])
  }

  public func run(_ json: JSONValue, in context: ToolContext) async throws -> ToolOutput {
    let r: GrepRequest
    switch try GrepTool.request(json, in: context) {
    case .request(let parsed): r = parsed
    case .failed(let output): return output
    }
    let summaryHead = GrepTool.summaryHead(r.pattern)
    let lines: [String]
    switch context.grepEngine {
    case .ripgrep(let rg):
      switch await RipgrepSearch.search(rg: rg, r, cwdRoot: context.root, timeoutMs: context.sandbox.defaultTimeoutMs) {
      case .success(let l): lines = l
      case .failure(let e): return .error("Grep failed: \(e.message)", summary: "\(summaryHead) (error)")
      }
    case .builtin, .auto:
      let budget = RegexBudget(perFile: context.limits.grepFileSeconds, perCall: Double(context.sandbox.defaultTimeoutMs) / 1000)
      let root = context.root
      // On a thread of its own: the search blocks until the files it hands to the dispatch pool are done,
      // and a task must not hold a thread of Swift's cooperative pool that long.
      let found = await ProcessRunner.onDedicatedThread(name: "arrakis-grep") { _ -> Result<[String], GrepError> in
        Result { try BuiltinGrep(r).search(ignoreRoot: root, budget: budget) }.mapError { $0 as? GrepError ?? GrepError("\($0)") }
      }
      switch found {
      case .success(let l): lines = l
      case .failure(let e): return .error("Grep failed: \(e.message)", summary: "\(summaryHead) (error)")
      }
    }
    return GrepTool.render(lines, request: r, limits: context.limits, summaryHead: summaryHead)
  }

  enum Parsed { case request(GrepRequest), failed(ToolOutput) }

  /// The call's options, or the error result for a path that is neither a file nor a directory.
  static func request(_ json: JSONValue, in context: ToolContext) throws -> Parsed {
    let input = ToolInput(json, tool: "Grep")
    let pattern = try input.string("pattern")
    let rawPath = try input.optionalString("path") ?? "."
    let path = try context.resolve(rawPath, for: .read)
    let kind = FileIO.kind(ofResolved: path)
    guard kind == .file || kind == .directory else {
      return .failed(.error("\(rawPath) does not exist or is not a file or directory", summary: "\(summaryHead(pattern)) (bad path)"))
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
    let c = try input.optionalInt("-C") ?? input.optionalInt("context") ?? 0
    r.before = max(0, try input.optionalInt("-B") ?? c)
    r.after = max(0, try input.optionalInt("-A") ?? c)
    r.multiline = try input.bool("multiline")
    r.headLimit = try input.optionalInt("head_limit")
    r.offset = max(0, try input.optionalInt("offset") ?? 0)
    r.onlyMatching = try input.bool("-o")
    return .request(r)
  }

  static func summaryHead(_ pattern: String) -> String {
    "Grep \(pattern.count > 40 ? String(pattern.prefix(37)) + "…" : pattern)"
  }

  /// The argv the tool gives rg for `json` (run from the workspace root), or nil when the call fails
  /// before rg would run. For bench/grep-bench.sh, which times plain rg with exactly these arguments.
  public static func ripgrepArguments(_ json: JSONValue, in context: ToolContext, rg: String) throws -> [String]? {
    guard case .request(let r) = try request(json, in: context) else { return nil }
    return RipgrepSearch.argv(rg: rg, r)
  }

  /// The result the model receives: entries from `offset`, at most head_limit of them, stopping at the
  /// last whole entry within the budget (`limits.grepChars`); a footer says how many were left out and
  /// which offset continues.
  static func render(_ all: [String], request r: GrepRequest, limits: OutputLimits, summaryHead: String) -> ToolOutput {
    if all.isEmpty { return ToolOutput(content: "No matches found", summary: "\(summaryHead) (0 matches)") }
    let unit: String
    switch r.mode {
    case .filesWithMatches, .count: unit = "files"
    case .content: unit = "lines"
    }
    let what = r.mode == .content ? "\(all.reduce(0) { $1 == "--" ? $0 : $0 + 1 }) lines" : "\(all.count) files"
    guard r.offset < all.count else {
      return ToolOutput(
        content: "No entries at offset \(r.offset): the search found \(all.count) \(unit) in all (offsets 0-\(all.count - 1))",
        summary: "\(summaryHead) (\(what), offset past end)")
    }
    let end = r.headLimit.map { $0 > 0 ? min(all.count, r.offset + $0) : all.count } ?? all.count
    let budget = limits.grepChars - 300  // room for the footer
    var rows: [String] = []
    var used = 0
    var shownEnd = r.offset
    for k in r.offset..<end {
      let l = all[k]
      // Characters are counted only for a line with more bytes than the limit (no more characters than bytes).
      let line = l.utf8.count > limits.lineChars && l.count > limits.lineChars ? String(l.prefix(limits.lineChars)) + "… [line truncated]" : l
      let size = line.utf8.count + 1
      if used + size > budget && k > r.offset { break }
      rows.append(line)
      used += size
      shownEnd = k + 1
    }
    let range = "\(r.offset + 1)-\(shownEnd) of \(all.count) \(unit)"
    if shownEnd < end {
      rows.append("[showing \(range): \(all.count - shownEnd) more not shown, this result's budget of \(limits.grepChars) characters was reached; continue with offset \(shownEnd), or narrow the search]")
    } else if end < all.count {
      rows.append("[showing \(range) (head_limit); \(all.count - end) more: continue with offset \(end)]")
    } else if r.offset > 0 {
      rows.append("[showing \(range): the end of the results]")
    }
    // Joined, never trimmed as a String: a row may end in "\r" (CRLF files), and "\r" + "\n" is one Character.
    return ToolOutput(content: rows.joined(separator: "\n"), summary: "\(summaryHead) (\(what))")
  }
}
