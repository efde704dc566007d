import ArrakisCore
import Foundation
import Testing

/// The hand-written JSON reader and writer against Foundation's, on tricky input.
@Suite struct JSONCodecTests {
  @Test(arguments: [
    #"{"a":1,"b":[true,false,null],"c":"x\"y\\z\n\t\u0001","d":-2.5e-3,"e":{}}"#,
    #"  [ 1 , 2.5 , "é😀" , "\ud83d\ude00" , {"k" : [ ] } ]  "#,
    #"{"type":"message_stop"   }"#,
    #""plain""#,
    #"12345678901"#,
  ])
  func roundTripsLikeFoundation(text: String) throws {
    let ours = try JSONValue.parse(text)
    let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    #expect(ours == foundation)
    #expect(try JSONValue.parse(ours.serialized()) == ours)
    // What we write, Foundation reads back as the same value.
    #expect(try JSONDecoder().decode(JSONValue.self, from: Data(ours.serialized().utf8)) == ours)
  }

  @Test(arguments: [#"{"a":}"#, #"[1,2"#, #""unterminated"#, #"{"a" 1}"#, "tru", #"{"a":1}x"#, ""])
  func rejectsMalformedInput(text: String) {
    #expect(throws: (any Error).self) { try JSONValue.parse(text) }
  }

  @Test func writesSortedCompactAndEscaped() {
    let v: JSONValue = ["b": 1, "a": ["x": "line\nbreak \"q\" \u{1}"], "c": 0.5]
    #expect(v.serialized() == #"{"a":{"x":"line\nbreak \"q\" \u0001"},"b":1,"c":0.5}"#)
  }
}
