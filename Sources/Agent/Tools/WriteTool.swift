import ArrakisCore
import Claude
import FoundationEssentials
import Glibc

/// Creates or overwrites a file (parent directories created). Overwriting needs a prior Read in this
/// session so the model never clobbers content it has not seen.
public struct WriteTool: Tool {
  public init() {}
  public var access: ToolAccess { .write }

  public var definition: ToolSpec {
    ToolSpec(
      name: "Write",
      description: "Create or overwrite a file. Parameters: file_path (parent directories are created), content (the whole file). An existing file must be Read first, and not have changed on disk since; overwriting a CRLF file keeps CRLF line ends. Prefer Edit for changes to existing files.",
      inputSchema: [
        "type": "object",
        "properties": [
          "file_path": ["type": "string", "description": "absolute, or relative to the workspace root"],
          "content": ["type": "string"],
        ],
        "required": ["file_path", "content"],
      ])
  }

  public func run(_ json: JSONValue, in context: ToolContext) async throws -> ToolOutput {
    let input = ToolInput(json, tool: name)
    let raw = try input.string("file_path")
    let content = try input.string("content")
    let path = try context.resolve(raw, for: .write)
    let shown = context.display(path)
    let kind = FileIO.kind(ofResolved: path)
    switch kind {
    case .directory: return .error("\(raw) is a directory", summary: "Write \(shown) (directory)")
    case .other: return .error("\(raw) is not a regular file; refusing to write it", summary: "Write \(shown) (not a file)")
    case .file where !context.hasRead(path):
      return .error("\(raw) exists and has not been Read in this session; Read it first, then Write", summary: "Write \(shown) (not read)")
    case .file where context.changedSinceRead(path):
      return .error(
        "\(raw) has changed on disk since it was last Read (by a command, an editor or another program); Read it again, then Write",
        summary: "Write \(shown) (changed since Read)")
    default: break
    }
    var bytes = Array(content.utf8)
    // Overwriting a CRLF file keeps CRLF: the model saw its lines without "\r" and writes "\n".
    var note = ""
    if kind == .file, let existing = try? FileIO.read(path, limit: context.sandbox.maxFileSize + 1),
      TextLines(existing).dominantEnding == [13, 10]
    {
      bytes = WriteTool.crlf(bytes)
      note = ", CRLF line ends kept"
    }
    if bytes.count > context.sandbox.maxFileSize {
      return .error("content is \(bytes.count) bytes, over the \(context.sandbox.maxFileSize)-byte limit", summary: "Write \(shown) (too large)")
    }
    do {
      try FileIO.write(path, bytes)
    } catch {
      return .error("cannot write \(raw): \(error)", summary: "Write \(shown) (failed)")
    }
    context.markRead(path)
    let lines = EditTool.lineCount(content)
    let verb = kind == .missing ? "Created" : "Overwrote"
    return ToolOutput(content: "\(verb) \(shown) (\(lines) lines\(note))", summary: "Write \(shown) (\(lines) lines)")
  }

  /// Every line end as "\r\n" (existing "\r\n"s stay as they are).
  static func crlf(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + bytes.count / 16)
    for (k, b) in bytes.enumerated() {
      if b == 10, k == 0 || bytes[k - 1] != 13 { out.append(13) }
      out.append(b)
    }
    return out
  }
}
