@testable import ArmadaAPI
import Foundation
import Testing

@Suite struct JSONValueTests {
    @Test func writesCompactJSONKeepingOrderAndNumberText() {
        let value = JSONValue.object([
            .init("b", .number("1")), .init("a", .array([.string("x\n\"y\""), .bool(true), .null, .number("0.5")])),
            .init("c", .string("\u{01}")),
        ])
        #expect(value.jsonText == #"{"b":1,"a":["x\n\"y\"",true,null,0.5],"c":"\u0001"}"#)
    }

    @Test func roundTripsThroughCodable() throws {
        let text = #"{"containers":[{"name":"a","args":["ls"],"resources":{"limits":{"cpu":"100m","memory":1}}}],"x":false}"#
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(decoded["x"] == .bool(false))
        #expect(decoded["containers"]?.arrayValue?.count == 1)
        let again = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(decoded))
        #expect(again == decoded)
    }

    @Test func numberTextOfIntegralDoubles() {
        #expect(JSONValue.numberText(2) == "2")
        #expect(JSONValue.numberText(2.5) == "2.5")
    }
}

@Suite struct JSONValueWritingTests {
    @Test func writerBytesAreTheJSONText() {
        let words = ["", "a", "q\"uote", "back\\slash", "tab\t", "nl\n\r", "\u{01}\u{1F}", "<&>", "ünï", "😀", "\u{2028}\u{2029}", "/"]
        var values: [JSONValue] = [.null, .bool(true), .bool(false), .number("-12"), .number("1.5e3")] + words.map { .string($0) }
        values.append(.array(values))
        values.append(.object(words.map { JSONValue.Member($0, .string($0)) }))
        for v in values {
            var w = JSONWriter()
            v.write(to: &w)
            #expect(String(decoding: w.bytes, as: UTF8.self) == v.jsonText)
        }
    }
}
