import ArmadaAPI
import Foundation
import Testing

@Suite struct RedactionTests {
    @Test func everyFormOfACredentialIsReplaced() {
        let password = "p@ss w/rd\"&<x>" + UUID().uuidString.prefix(6)
        Redaction.register(username: "alice", password: password)
        let basic = Data("alice:\(password)".utf8).base64EncodedString()
        let percent = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let json = String(JSONValue.quoted(password).dropFirst().dropLast())
        let xml = password.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        for echoed in [password, basic, percent, json, xml, Data(password.utf8).base64EncodedString()] {
            let out = Redaction.apply("server said: [\(echoed)] (end)")
            #expect(out == "server said: [\(Redaction.replacement)] (end)", "\(echoed)")
        }
        // A short value is never registered: replacing it would garble ordinary text.
        Redaction.register("ab")
        #expect(Redaction.apply("about abc") == "about abc")
    }

    @Test func urlUserInformationIsAlwaysRemoved() {
        #expect(Redaction.apply("GET http://bob:never-registered@gw:9091/metrics failed")
            == "GET http://[REDACTED]@gw:9091/metrics failed")
        #expect(Redaction.apply("https://token@host/x and http://h/p?q=a@b") == "https://[REDACTED]@host/x and http://h/p?q=a@b")
        #expect(Redaction.apply("mail me at a@b.c, see https://example.com") == "mail me at a@b.c, see https://example.com")
    }
}
