import ArrakisCore
import CCurl
import FoundationEssentials
import Glibc

/// One libcurl easy handle, reused for every request so the TLS connection to the API is kept alive.
/// Synchronous: `post` blocks in curl_easy_perform and hands each body chunk to `onBody` as it arrives.
final class CurlSession {
  enum Abort { case interrupted, stalled }

  struct Result {
    var code: CURLcode
    var status: Int
    /// Lowercased names; the last value wins.
    var headers: [String: String]
    var abort: Abort?
    /// An error thrown by `onBody` (e.g. an `error` event inside the stream); the transfer stopped there.
    var callbackError: Error?
    var detail: String
  }

  private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
  private let handle: UnsafeMutableRawPointer

  init() {
    _ = Self.globalInit
    handle = curl_easy_init()
  }

  deinit { curl_easy_cleanup(handle) }

  func post(url: String, headers: [String], body: String, connectTimeout: Double, stallTimeout: Double,
            onBody: (Int, UnsafeRawBufferPointer) throws -> Void) -> Result {
    // reset keeps live connections and the DNS cache: only options are cleared.
    curl_easy_reset(handle)
    var list: UnsafeMutablePointer<curl_slist>? = nil
    for h in headers + ["Expect:"] { list = curl_slist_append(list, h) }  // "Expect:" avoids a 100-continue round trip
    defer { curl_slist_free_all(list) }

    return withoutActuallyEscaping(onBody) { onBody in
      let ctx = TransferContext(onBody: onBody, stallTimeout: stallTimeout)
      let ref = Unmanaged.passUnretained(ctx).toOpaque()
      let h = handle
      arrakis_curl_setopt_string(h, CURLOPT_URL, url)
      arrakis_curl_setopt_slist(h, CURLOPT_HTTPHEADER, list)
      arrakis_curl_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.utf8.count))
      arrakis_curl_setopt_string(h, CURLOPT_COPYPOSTFIELDS, body)
      arrakis_curl_setopt_string(h, CURLOPT_ACCEPT_ENCODING, "")  // gzip/deflate, decoded incrementally
      arrakis_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
      arrakis_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
      arrakis_curl_setopt_long(h, CURLOPT_TCP_KEEPALIVE, 1)
      arrakis_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, ctx.errorBuffer)
      arrakis_curl_setopt_write(h, CURLOPT_WRITEFUNCTION, curlWrite)
      arrakis_curl_setopt_pointer(h, CURLOPT_WRITEDATA, ref)
      arrakis_curl_setopt_write(h, CURLOPT_HEADERFUNCTION, curlHeader)
      arrakis_curl_setopt_pointer(h, CURLOPT_HEADERDATA, ref)
      arrakis_curl_setopt_long(h, CURLOPT_NOPROGRESS, 0)
      arrakis_curl_setopt_xferinfo(h, CURLOPT_XFERINFOFUNCTION, curlProgress)
      arrakis_curl_setopt_pointer(h, CURLOPT_XFERINFODATA, ref)
      let code = curl_easy_perform(h)
      var detail = String(cString: ctx.errorBuffer.assumingMemoryBound(to: CChar.self))
      if detail.isEmpty { detail = String(cString: curl_easy_strerror(code)) }
      return Result(code: code, status: ctx.status, headers: ctx.headers, abort: ctx.abort,
                    callbackError: ctx.callbackError, detail: detail)
    }
  }
}

/// State shared with the C callbacks through their `void *` argument.
private final class TransferContext {
  let onBody: (Int, UnsafeRawBufferPointer) throws -> Void
  let stallTimeout: Double
  var status = 0
  var headers: [String: String] = [:]
  var abort: CurlSession.Abort?
  var callbackError: Error?
  var lastActivity = ProcessInfo.processInfo.systemUptime
  var lastBytes: curl_off_t = 0
  let errorBuffer = UnsafeMutableRawPointer.allocate(byteCount: Int(CURL_ERROR_SIZE) + 1, alignment: 1)

  init(onBody: @escaping (Int, UnsafeRawBufferPointer) throws -> Void, stallTimeout: Double) {
    self.onBody = onBody
    self.stallTimeout = stallTimeout
    errorBuffer.storeBytes(of: 0, as: UInt8.self)
  }

  deinit { errorBuffer.deallocate() }

  static func from(_ p: UnsafeMutableRawPointer?) -> TransferContext {
    Unmanaged<TransferContext>.fromOpaque(p!).takeUnretainedValue()
  }
}

private let curlWrite: curl_write_callback = { data, size, count, user in
  let ctx = TransferContext.from(user)
  let n = size * count
  ctx.lastActivity = ProcessInfo.processInfo.systemUptime
  do {
    try ctx.onBody(ctx.status, UnsafeRawBufferPointer(start: data, count: n))
  } catch {
    ctx.callbackError = error
    return 0  // makes curl stop with CURLE_WRITE_ERROR
  }
  return n
}

private let curlHeader: curl_write_callback = { data, size, count, user in
  let ctx = TransferContext.from(user)
  let n = size * count
  ctx.lastActivity = ProcessInfo.processInfo.systemUptime
  let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
    .trimmed
  if line.hasPrefix("HTTP/") {
    // A new status line (after 100-continue or a redirect) starts a new header set.
    ctx.headers = [:]
    let parts = line.split(separator: " ")
    ctx.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
  } else if let colon = line.firstIndex(of: ":") {
    let name = line[..<colon].lowercased()
    ctx.headers[name] = line[line.index(after: colon)...].trimmingSpacesAndTabs
  }
  return n
}

/// Called about once a second even when idle: the place to notice Ctrl-C and a stream that went silent.
private let curlProgress: curl_xferinfo_callback = { user, _, dlnow, _, ulnow in
  let ctx = TransferContext.from(user)
  if Interrupt.requested { ctx.abort = .interrupted; return 1 }
  let now = ProcessInfo.processInfo.systemUptime
  if dlnow + ulnow != ctx.lastBytes {
    ctx.lastBytes = dlnow + ulnow
    ctx.lastActivity = now
  } else if now - ctx.lastActivity > ctx.stallTimeout {
    ctx.abort = .stalled
    return 1
  }
  return 0
}
