import CGit2
import FoundationEssentials
import Glibc

// Small conversions between libgit2's C types and Swift, kept in one place so the feature files read as git.

extension git_oid {
  /// The 40-character hex form.
  var hex: String {
    var oid = self
    var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
    git_oid_tostr(&buffer, buffer.count, &oid)
    return String(cString: buffer)
  }
}

/// Parses a full hex object id; short ids and names go through `Repository.resolve` instead.
func parseOID(_ hex: String) throws -> git_oid {
  var oid = git_oid()
  try check(git_oid_fromstr(&oid, hex))
  return oid
}

/// Calls `body` with a `git_strarray` view of `strings`; the C strings live only for the call.
func withStrArray<T>(_ strings: [String], _ body: (inout git_strarray) throws -> T) rethrows -> T {
  let cStrings: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
  defer { cStrings.forEach { free($0) } }
  var copy = cStrings
  return try copy.withUnsafeMutableBufferPointer { buffer in
    var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
    return try body(&array)
  }
}

/// Copies a `git_strarray` libgit2 filled in, then disposes it.
func takeStrArray(_ array: inout git_strarray) -> [String] {
  defer { git_strarray_dispose(&array) }
  return (0..<array.count).compactMap { i in array.strings[i].map { String(cString: $0) } }
}

/// Copies a `git_buf` libgit2 filled in, then disposes it.
func takeBuf(_ buf: inout git_buf) -> String {
  defer { git_buf_dispose(&buf) }
  guard let ptr = buf.ptr else { return "" }
  return String(decoding: UnsafeRawBufferPointer(start: ptr, count: buf.size), as: UTF8.self)
}

/// libgit2 paths for directories end in "/"; callers compare paths, so strip it.
func trimmedDirectory(_ path: String) -> String {
  path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
}
