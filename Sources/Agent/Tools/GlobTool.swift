import ArrakisCore
import Claude
import FoundationEssentials
import Glibc

/// Finds files by glob, newest first (what the model just changed or is working on tends to matter
/// most), skipping `.git` and whatever .gitignore excludes.
public struct GlobTool: Tool {
  public init() {}
  public var access: ToolAccess { .read }

  public var definition: ToolSpec {
    ToolSpec(
      name: "Glob",
      description: "Find files by glob pattern, newest first; honours .gitignore and skips .git. Parameters: pattern (e.g. **/*.swift, Sources/**/*.{h,c}; no '..'), path (directory to search, default the workspace root). At most 100 results.",
      inputSchema: [
        "type": "object",
        "properties": [
          "pattern": ["type": "string"],
          "path": ["type": "string", "description": "directory to search, default workspace root"],
        ],
        "required": ["pattern"],
      ])
  }

  public func run(_ json: JSONValue, in context: ToolContext) async throws -> ToolOutput {
    let input = ToolInput(json, tool: name)
    var pattern = try input.string("pattern")
    let rawPath = try input.optionalString("path") ?? "."
    let base = try context.resolve(rawPath, for: .read)
    guard FileIO.kind(ofResolved: base) == .directory else {
      return .error("\(rawPath) is not a directory", summary: "Glob \(pattern) (bad path)")
    }
    if pattern.hasPrefix("/") {
      // An absolute pattern is accepted when it lies under the search directory.
      guard pattern.hasPrefix(base + "/") else {
        return .error("absolute pattern \(pattern) is not under \(base); give a relative pattern and a path", summary: "Glob \(pattern) (bad pattern)")
      }
      pattern = String(pattern.dropFirst(base.count + 1))
    }
    if PathResolver.components(pattern).contains("..") {
      return .error("pattern \(pattern) contains '..'; give the directory as path instead", summary: "Glob \(pattern) (bad pattern)")
    }
    let globs = GlobSet(pattern)
    // Start the walk at the pattern's literal directory prefix: `Sources/**/*.swift` never visits Tests/.
    let prefix = globs.literalPrefix
    // The prefix goes through the same resolution and check as path (a symlink in it is not walked).
    let start = prefix.isEmpty ? base : base + "/" + prefix.joined(separator: "/")
    _ = try context.resolve(start, for: .read)
    var found: [(path: String, mtime: Double)] = []
    if FileIO.kind(ofResolved: start) == .directory {
      FileWalker(root: start, ignoreRoot: context.root).walk { entry in
        if globs.matches(components: prefix + entry.relative) {
          found.append((entry.path, FileIO.mtime(entry.path)))
        }
        return true
      }
    }
    found.sort { $0.mtime != $1.mtime ? $0.mtime > $1.mtime : $0.path < $1.path }
    let cap = context.limits.globResults
    if found.isEmpty { return ToolOutput(content: "No files found", summary: "Glob \(pattern) (0 files)") }
    // Whole paths only, within the result budget as well as the count cap.
    var rows: [String] = []
    var used = 0
    for f in found.prefix(cap) {
      let row = context.display(f.path)
      if used + row.utf8.count + 1 > context.limits.resultChars - 200, !rows.isEmpty { break }
      rows.append(row)
      used += row.utf8.count + 1
    }
    var text = rows.joined(separator: "\n")
    if found.count > rows.count {
      text += "\n(Results are truncated: showing \(rows.count) of \(found.count). Use a more specific pattern or path.)"
    }
    return ToolOutput(content: text, summary: "Glob \(pattern) (\(found.count) files)")
  }
}
