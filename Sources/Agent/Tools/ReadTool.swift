import ArrakisCore
import Claude
import FoundationEssentials
import Glibc

/// Reads a text file as `cat -n` numbered lines. Refuses directories, binaries and images (the model
/// cannot use their bytes) and files above the sandbox's size limit.
public struct ReadTool: Tool {
  public init() {}
  public var access: ToolAccess { .read }

  static let imageExtensions: Set = ["png", "jpg", "jpeg", "gif", "webp", "bmp", "ico", "tiff", "tif", "heic", "pdf"]

  public var definition: ToolSpec {
    ToolSpec(
      name: "Read",
      description: "Read a text file; returns cat -n style numbered lines (line number right-aligned in 6 columns, a tab, the line without its line end). Parameters: file_path (relative paths are from the workspace root), offset (1-based first line, default 1), limit (number of lines, default 2000). Lines over 2000 characters are cut; a result stops at the last whole line that fits 30000 characters, and a footer then names the offset to continue from. Read a file before Edit or overwriting it with Write.",
      inputSchema: [
        "type": "object",
        "properties": [
          "file_path": ["type": "string", "description": "absolute, or relative to the workspace root"],
          "offset": ["type": "integer", "description": "1-based first line"],
          "limit": ["type": "integer", "description": "number of lines"],
        ],
        "required": ["file_path"],
      ])
  }

  public func run(_ json: JSONValue, in context: ToolContext) async throws -> ToolOutput {
    let input = ToolInput(json, tool: name)
    let raw = try input.string("file_path")
    let path = try context.resolve(raw, for: .read)
    let shown = context.display(path)
    switch FileIO.kind(ofResolved: path) {
    case .missing: return .error("File does not exist: \(raw) (resolved to \(path))", summary: "Read \(shown) (missing)")
    case .directory: return .error("\(raw) is a directory, not a file; use Glob to list it", summary: "Read \(shown) (directory)")
    case .other: return .error("\(raw) is not a regular file (device, FIFO or socket); refusing to read it", summary: "Read \(shown) (not a file)")
    case .file: break
    }
    let ext = path.pathExtension.lowercased()
    if ReadTool.imageExtensions.contains(ext) {
      return .error("\(raw) is an image/PDF file (.\(ext)); Read only returns text", summary: "Read \(shown) (image)")
    }
    let size = FileIO.size(path) ?? 0
    if size > context.sandbox.maxFileSize {
      return .error(
        "\(raw) is \(size) bytes, over the \(context.sandbox.maxFileSize)-byte limit; use Grep to find the part you need",
        summary: "Read \(shown) (too large)")
    }
    let bytes = try FileIO.read(path, limit: context.sandbox.maxFileSize + 1)
    if FileIO.containsNUL(bytes) {
      return .error("\(raw) looks like a binary file (contains NUL bytes); Read only returns text", summary: "Read \(shown) (binary)")
    }
    context.markRead(path)

    let text = TextLines(bytes)
    if text.count == 0 {
      return ToolOutput(content: "(\(raw) is empty)", summary: "Read \(shown) (0 lines)")
    }
    let offset = max(1, try input.optionalInt("offset") ?? 1)
    let limit = max(1, try input.optionalInt("limit") ?? context.limits.readLines)
    guard offset <= text.count else {
      return .error("offset \(offset) is past the end: \(raw) has \(text.count) lines", summary: "Read \(shown) (offset past end)")
    }
    let page = ReadTool.page(text, offset: offset, limit: limit, limits: context.limits)
    return ToolOutput(content: page.text, summary: "Read \(shown) (\(page.last - offset + 1) lines)")
  }

  /// Numbered lines from `offset`, stopping at `limit` lines or at the last whole line that fits the
  /// result budget (`limits.resultChars`, footer included), so nothing is ever cut after the tool: the
  /// footer then names the offset to continue from.
  static func page(_ text: TextLines, offset: Int, limit: Int, limits: OutputLimits) -> (text: String, last: Int) {
    let wanted = min(text.count, offset - 1 + limit)
    let budget = limits.resultChars - 200  // room for the footer
    var out = ""
    var used = 0
    var last = offset - 1
    for n in offset...wanted {
      var line = text.text(n - 1)
      if line.count > limits.lineChars { line = line.prefix(limits.lineChars) + "… [line truncated]" }
      let row = number(n) + line + "\n"
      let size = row.utf8.count
      if used + size > budget && last >= offset { break }
      out += row
      used += size
      last = n
    }
    if last < wanted {
      out += "[showing lines \(offset)-\(last) of \(text.count): the next line would pass this result's budget of \(limits.resultChars) characters; continue with offset \(last + 1)]\n"
    } else if last < text.count {
      out += "[showing lines \(offset)-\(last) of \(text.count); continue with offset \(last + 1)]\n"
    } else if offset > 1 {
      out += "[showing lines \(offset)-\(last) of \(text.count): end of file]\n"
    }
    return (out, last)
  }

  /// Claude Code's `cat -n` numbering: right-aligned in 6 columns, then a tab.
  static func number(_ n: Int) -> String {
    let s = String(n)
    return String(repeating: " ", count: max(0, 6 - s.count)) + s + "\t"
  }
}
