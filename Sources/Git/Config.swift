import CGit2
import FoundationEssentials
import Glibc

/// Who a commit is by. `date` nil means "now".
public struct Signature: Equatable, Sendable {
  public var name: String
  public var email: String
  public var date: Date?

  public init(name: String, email: String, date: Date? = nil) {
    self.name = name
    self.email = email
    self.date = date
  }

  /// Used when git has no user.name/user.email, so arrakis can still commit in a bare CI container.
  public static let fallback = Signature(name: "arrakis", email: "arrakis@localhost")

  /// A libgit2 signature; the caller frees it with `git_signature_free`.
  func make() throws -> UnsafeMutablePointer<git_signature> {
    var sig: UnsafeMutablePointer<git_signature>?
    if let date {
      // The C library's zone (TZ, /etc/localtime), as git's own commits take it: FoundationEssentials's
      // TimeZone.current is always GMT (its zone names come from ICU, which arrakis does not link).
      var seconds = time_t(date.timeIntervalSince1970)
      var fields = tm()
      localtime_r(&seconds, &fields)
      let offset = fields.tm_gmtoff / 60
      try check(git_signature_new(&sig, name, email, git_time_t(date.timeIntervalSince1970), Int32(offset)))
    } else {
      try check(git_signature_now(&sig, name, email))
    }
    return sig!
  }
}

extension Repository {
  /// A config value as git resolves it (worktree, local, global, system); nil when unset.
  public func configValue(_ key: String) throws -> String? {
    try gitBoundary("cannot read config \(key)") {
      var config: OpaquePointer?
      try check(git_repository_config(&config, pointer))
      defer { git_config_free(config) }
      var buf = git_buf()
      let rc = git_config_get_string_buf(&buf, config, key)
      if rc == GIT_ENOTFOUND.rawValue { return nil }
      try check(rc)
      return takeBuf(&buf)
    }
  }

  /// Writes `key = value` into the repository's own config (`.git/config`), never the user's global file.
  public func setConfigValue(_ key: String, _ value: String) throws {
    try gitBoundary("cannot write config \(key)") {
      var config: OpaquePointer?
      try check(git_repository_config(&config, pointer))
      defer { git_config_free(config) }
      var local: OpaquePointer?
      try check(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL))
      defer { git_config_free(local) }
      try check(git_config_set_string(local, key, value))
    }
  }

  /// user.name/user.email from config, or `Signature.fallback` when either is missing.
  public func defaultSignature() -> Signature {
    let name = (try? configValue("user.name")) ?? nil
    let email = (try? configValue("user.email")) ?? nil
    guard let name, let email, !name.isEmpty, !email.isEmpty else { return .fallback }
    return Signature(name: name, email: email)
  }
}
