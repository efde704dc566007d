import FoundationEssentials
import Glibc

/// Path arithmetic on strings, as NSString's path methods do it, for the code that works on plain paths
/// (the full Foundation, where NSString lives, is not linked: docs/ARCHITECTURE.md, "Foundation").
extension String {
  /// "/a/b" → "/a", "/a" → "/", "a" → "", "a/b/" → "a", "/" → "/".
  public var deletingLastPathComponent: String {
    var path = Substring(self)
    while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
    guard let slash = path.lastIndex(of: "/") else { return "" }
    if slash == path.startIndex { return "/" }
    var parent = path[..<slash]
    while parent.count > 1, parent.hasSuffix("/") { parent = parent.dropLast() }
    return String(parent)
  }

  /// "/a/b.txt" → "b.txt", "a/b/" → "b", "/" → "/", "" → "".
  public var lastPathComponent: String {
    var path = Substring(self)
    while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
    if path == "/" { return "/" }
    guard let slash = path.lastIndex(of: "/") else { return String(path) }
    return String(path[path.index(after: slash)...])
  }

  /// "a/b.tar.gz" → "gz", "a/.profile" → "", "a/b" → "".
  public var pathExtension: String {
    let name = lastPathComponent
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
    return String(name[name.index(after: dot)...])
  }

  /// "a" + "b" → "a/b", "a/" + "b" → "a/b", "" + "b" → "b", "a" + "" → "a".
  public func appendingPathComponent(_ component: String) -> String {
    if component.isEmpty { return self }
    if isEmpty { return component }
    let head = hasSuffix("/") ? String(dropLast()) : self
    let tail = component.hasPrefix("/") ? String(component.dropFirst()) : component
    return head + "/" + tail
  }

  /// Absolute, with `.` and `..` and symbolic links resolved as far as the path exists, the rest kept as
  /// written (NSString's `resolvingSymlinksInPath`; FoundationEssentials's URL resolves nothing when the
  /// last component is missing).
  public var resolvingSymlinksInPath: String {
    let absolute = URL(fileURLWithPath: self).standardizedFileURL.path
    var head = absolute
    var missing: [String] = []
    while !head.isEmpty {
      if let resolved = realpath(head, nil) {
        defer { free(resolved) }
        return missing.reversed().reduce(String(cString: resolved)) { $0.appendingPathComponent($1) }
      }
      if head == "/" { break }
      missing.append(head.lastPathComponent)
      head = head.deletingLastPathComponent
    }
    return absolute
  }
}
