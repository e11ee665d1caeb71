import ArmadaClient
import Testing

@Suite struct NDJSONSplitterTests {
    func strings(_ records: [ArraySlice<UInt8>]) -> [String] { records.map { String(decoding: $0, as: UTF8.self) } }

    @Test func recordsAcrossChunksAndTheTrailingChunk() throws {
        var s = NDJSONSplitter()
        #expect(strings(try s.feed(Array("{\"a\":1}\n{\"b\"".utf8))) == ["{\"a\":1}"])
        #expect(strings(try s.feed(Array(":2}".utf8))) == [])
        #expect(strings(try s.feed(Array("\n\n  \n{\"c\":3}\n{\"error\":{}}".utf8))) == ["{\"b\":2}", "{\"c\":3}"])
        #expect(s.finish().map { String(decoding: $0, as: UTF8.self) } == "{\"error\":{}}")
        #expect(s.finish() == nil)
    }

    @Test func byteAtATime() throws {
        var s = NDJSONSplitter()
        var out: [String] = []
        for byte in Array("x\ny\nz".utf8) { out += strings(try s.feed([byte])) }
        #expect(out == ["x", "y"])
        #expect(s.finish().map { String(decoding: $0, as: UTF8.self) } == "z")
    }

    @Test func boundsARecordThatNeverEnds() {
        var s = NDJSONSplitter(maxRecordBytes: 8)
        #expect(throws: NDJSONSplitter.RecordTooLarge.self) { _ = try s.feed(Array("0123456789".utf8)) }
    }
}
