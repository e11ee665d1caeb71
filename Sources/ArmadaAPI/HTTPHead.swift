/// Where an HTTP/1 message's head ends, read as leniently as Go reads it: lines may end in CRLF
/// or a bare LF (a `busybox nc -e echo` server's answer). Used by the simulator's ingress
/// controller (requests) and the runner's ingress probe (responses). Pure.
public enum HTTPHead {
    /// The index just past the head's blank line, or nil while the head is incomplete.
    public static func end(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 10 {
                if bytes[i + 1] == 10 { return i + 2 }
                if bytes[i + 1] == 13, i + 2 < bytes.count, bytes[i + 2] == 10 { return i + 3 }
            }
            i += 1
        }
        return nil
    }
}
