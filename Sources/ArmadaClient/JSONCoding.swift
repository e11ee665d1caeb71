import Foundation

/// The JSON decoder every response goes through (requests are written by `GatewayJSON`).
public enum JSONCoding {
    public static var decoder: JSONDecoder { JSONDecoder() }
}

extension JSONDecoder {
    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, from: Data(bytes))
    }
}
