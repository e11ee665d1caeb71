/// Splits a byte stream into newline-delimited records as bytes arrive; a record may span
/// chunks, and the bytes left at the end (the gateway's error chunk has no newline) come out of
/// `finish()`.
public struct NDJSONSplitter: Sendable {
    private var pending: [UInt8] = []
    /// Upper bound on one record, so a server that never sends a newline cannot exhaust memory.
    public let maxRecordBytes: Int

    public init(maxRecordBytes: Int = 64 << 20) { self.maxRecordBytes = maxRecordBytes }

    public struct RecordTooLarge: Error, Sendable { public var limit: Int }

    /// The complete records in `chunk` (plus what was pending), without their newlines; empty lines are skipped.
    public mutating func feed(_ chunk: [UInt8]) throws(RecordTooLarge) -> [ArraySlice<UInt8>] {
        var records: [ArraySlice<UInt8>] = []
        var start = chunk.startIndex
        var i = chunk.startIndex
        while let newline = chunk[i...].firstIndex(of: 0x0A) {
            if pending.isEmpty {
                let line = chunk[start..<newline]
                if !isBlank(line) { records.append(line) }
            } else {
                pending += chunk[start..<newline]
                if !isBlank(pending[...]) { records.append(pending[...]) }
                pending = []
            }
            i = newline + 1
            start = i
            if i == chunk.endIndex { break }
        }
        if start < chunk.endIndex { pending += chunk[start...] }
        if pending.count > maxRecordBytes { throw RecordTooLarge(limit: maxRecordBytes) }
        return records
    }

    /// What is left after the last newline, if anything but whitespace.
    public mutating func finish() -> ArraySlice<UInt8>? {
        defer { pending = [] }
        return isBlank(pending[...]) ? nil : pending[...]
    }

    private func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x0D || $0 == 0x09 || $0 == 0x0A }
    }
}
