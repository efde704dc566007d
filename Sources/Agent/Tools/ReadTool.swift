import ArrakisCore
import Claude
import Foundation

/// Reads a text file as `cat -n` numbered lines. Refuses directories, binaries and images (the model
/// cannot use their bytes) and files above the sandbox's size limit.
public struct ReadTool: Tool {
  public init() {}
  public var access: ToolAccess { .read }

  static let imageExtensions: Set = ["png", "jpg", "jpeg", "gif", "webp", "bmp", "ico", "tiff", "tif", "heic", "pdf"]

  public var definition: ToolSpec {
    ToolSpec(
      name: "Read",
      description: "Read a text file; returns cat -n style numbered lines (up to 2000 from offset; lines over 2000 chars cut). Relative paths are from the workspace root. Read a file before Edit or overwriting it with Write.",
      inputSchema: [
        "type": "object",
        "properties": [
          "file_path": ["type": "string"],
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
    let ext = (path as NSString).pathExtension.lowercased()
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

    var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }  // a trailing newline does not start another line
    if lines.isEmpty {
      return ToolOutput(content: "(\(raw) is empty)", summary: "Read \(shown) (0 lines)")
    }
    let offset = max(1, try input.optionalInt("offset") ?? 1)
    let limit = max(1, try input.optionalInt("limit") ?? context.limits.readLines)
    guard offset <= lines.count else {
      return .error("offset \(offset) is past the end: \(raw) has \(lines.count) lines", summary: "Read \(shown) (offset past end)")
    }
    let end = min(lines.count, offset - 1 + limit)
    var out = ""
    out.reserveCapacity(min(bytes.count, 200_000))
    for n in offset...end {
      var line = lines[n - 1]
      if line.hasSuffix("\r") { line = line.dropLast() }
      let number = String(n)
      out += String(repeating: " ", count: max(0, 6 - number.count)) + number + "\t"
      if line.count > context.limits.lineChars {
        out += line.prefix(context.limits.lineChars) + "… [line truncated]"
      } else {
        out += line
      }
      out += "\n"
    }
    if end < lines.count || offset > 1 {
      out += "[showing lines \(offset)-\(end) of \(lines.count); use offset/limit to read more]\n"
    }
    return ToolOutput(content: out, summary: "Read \(shown) (\(end - offset + 1) lines)")
  }
}
