import Agent
import FoundationEssentials
import Glibc

/// The directory walk behind `TreeScanner`: relative paths of regular files that are not skipped or
/// ignored. Symbolic links are not followed (they can loop or leave the tree).
struct TreeWalk {
  let root: String
  let options: TreeScanner.Options
  private(set) var files: [String] = []
  private(set) var skipped = SkipCounts()

  init(root: String, options: TreeScanner.Options) {
    self.root = root
    self.options = options
  }

  /// The same gitignore matcher the Glob and Grep tools use; each pending directory carries the ignore
  /// files in force for it (a value: siblings do not see each other's).
  mutating func run() {
    var pending: [(String, GitIgnore)] = [("", GitIgnore())]
    while let (dir, inherited) = pending.popLast() {
      var ignores = inherited
      let absolute = dir.isEmpty ? root : root + "/" + dir
      if options.respectGitignore { ignores.load(directory: absolute, relative: components(dir)) }
      guard let handle = opendir(absolute) else { skipped.unreadable += 1; continue }
      defer { closedir(handle) }
      while let entry = readdir(handle) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
          $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name == "." || name == ".." { continue }
        let relative = dir.isEmpty ? name : dir + "/" + name
        var type = entry.pointee.d_type
        if type == UInt8(DT_UNKNOWN) {
          var st = stat()
          guard lstat(root + "/" + relative, &st) == 0 else { continue }
          let mode = st.st_mode & S_IFMT
          type = mode == S_IFDIR ? UInt8(DT_DIR) : mode == S_IFREG ? UInt8(DT_REG) : UInt8(DT_LNK)
        }
        if type == UInt8(DT_DIR) {
          if options.skipDirectories.contains(name) || options.skipDirectoryPrefixes.contains(where: { name.hasPrefix($0) }) {
            continue
          }
          if options.respectGitignore, ignores.isIgnored(components(relative), isDirectory: true) {
            skipped.ignored += 1
            continue
          }
          pending.append((relative, ignores))
        } else if type == UInt8(DT_REG) {
          if options.respectGitignore, ignores.isIgnored(components(relative), isDirectory: false) {
            skipped.ignored += 1
            continue
          }
          files.append(relative)
        }
      }
    }
  }

  private func components(_ relative: String) -> [String] {
    relative.isEmpty ? [] : relative.split(separator: "/").map(String.init)
  }
}
