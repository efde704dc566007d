import ArrakisCore
import Claude
import FoundationEssentials
import Glibc

/// Exact string replacement in a file the model has Read. `old_string` must occur exactly once unless
/// `replace_all`; the result shows a small diff so the model can check what changed.
public struct EditTool: Tool {
  public init() {}
  public var access: ToolAccess { .edit }

  public var definition: ToolSpec {
    ToolSpec(
      name: "Edit",
      description: "Replace old_string with new_string in a file you have Read. Parameters: file_path, old_string (must match exactly, including indentation, and be unique unless replace_all), new_string, replace_all (default false: replace every occurrence). Line ends: write old_string and new_string with \\n; they are matched against the file's own line ends (CRLF files included) and the file keeps them. If the file changed on disk since your last Read, Edit refuses: Read it again.",
      inputSchema: [
        "type": "object",
        "properties": [
          "file_path": ["type": "string"],
          "old_string": ["type": "string"],
          "new_string": ["type": "string"],
          "replace_all": ["type": "boolean", "description": "default false"],
        ],
        "required": ["file_path", "old_string", "new_string"],
      ])
  }

  public func run(_ json: JSONValue, in context: ToolContext) async throws -> ToolOutput {
    let input = ToolInput(json, tool: name)
    let raw = try input.string("file_path")
    let old = try input.string("old_string")
    let new = try input.string("new_string")
    let all = try input.bool("replace_all")
    let path = try context.resolve(raw, for: .write)
    let shown = context.display(path)
    func fail(_ m: String, _ s: String) -> ToolOutput { .error(m, summary: "Edit \(shown) (\(s))") }

    if old == new { return fail("old_string and new_string are identical; nothing to change", "no change") }
    if old.isEmpty { return fail("old_string is empty; use Write to create a file", "empty old_string") }
    switch FileIO.kind(ofResolved: path) {
    case .missing: return fail("File does not exist: \(raw)", "missing")
    case .directory, .other: return fail("\(raw) is not a regular file", "not a file")
    case .file: break
    }
    guard context.hasRead(path) else {
      return fail("\(raw) has not been Read in this session; Read it first, then Edit", "not read")
    }
    if (FileIO.size(path) ?? 0) > context.sandbox.maxFileSize {
      return fail("\(raw) is over the \(context.sandbox.maxFileSize)-byte limit", "too large")
    }
    if context.changedSinceRead(path) {
      return fail("\(raw) has changed on disk since it was last Read (by a command, an editor or another program); Read it again, then Edit", "changed since Read")
    }
    let file = LineEndEdit(try FileIO.read(path))
    var matches = file.ranges(of: LineEndEdit.normalize(old))
    // Byte for byte as a fallback: an old_string with a stray "\r" (from Grep's output of a CRLF line).
    let exact = matches.isEmpty && old.utf8.contains(13)
    if exact { matches = LineEndEdit.ranges(of: Array(old.utf8), in: file.original) }
    let count = matches.count
    if count == 0 { return fail("old_string was not found in \(raw); Read the file again and copy the text exactly", "not found") }
    if count > 1 && !all {
      return fail("old_string occurs \(count) times in \(raw); add surrounding context to make it unique, or set replace_all", "\(count) matches")
    }
    let chosen = all ? matches : [matches[0]]
    let bytes = exact ? file.replacingExactly(chosen, with: new) : file.replacing(chosen, with: new)
    if bytes.count > context.sandbox.maxFileSize {
      return fail("the edited file would be \(bytes.count) bytes, over the limit", "too large")
    }
    do { try FileIO.write(path, bytes) } catch { return fail("cannot write \(raw): \(error)", "failed") }
    context.markRead(path)  // the model knows this version: a later Edit must not count it as a change on disk
    let diff = LineDiff(old: TextLines(file.original), new: TextLines(bytes))
    let header = all && count > 1 ? "Replaced \(count) occurrences in \(shown)" : "Edited \(shown)"
    return ToolOutput(
      content: header + "\n" + diff.snippet(), summary: "Edit \(shown) (+\(diff.added) −\(diff.removed))")
  }

  /// Lines as Read would number them (a final line end does not start another line), counted on bytes.
  static func lineCount(_ s: String) -> Int { TextLines.count(s) }
}
