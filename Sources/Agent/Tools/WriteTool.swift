import ArrakisCore
import Claude
import Foundation

/// Creates or overwrites a file (parent directories created). Overwriting needs a prior Read in this
/// session so the model never clobbers content it has not seen.
public struct WriteTool: Tool {
  public init() {}
  public var access: ToolAccess { .write }

  public var definition: ToolSpec {
    ToolSpec(
      name: "Write",
      description: "Create or overwrite a file with content (parent directories are created). An existing file must be Read first. Prefer Edit for changes to existing files.",
      inputSchema: [
        "type": "object",
        "properties": ["file_path": ["type": "string"], "content": ["type": "string"]],
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
    default: break
    }
    let bytes = Array(content.utf8)
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
    return ToolOutput(content: "\(verb) \(shown) (\(lines) lines)", summary: "Write \(shown) (\(lines) lines)")
  }
}
