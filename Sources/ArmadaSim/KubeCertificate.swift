import Crypto
import Foundation
import SwiftASN1
import X509

/// The small Kubernetes API's TLS identity (issue #18): one self-signed P-256 certificate, made
/// when the pod network starts, that is both the server's certificate and the CA pods trust
/// (`ca.crt` of their service account). Valid for the API's address and the in-cluster names.
struct KubeCertificate: Sendable {
    let certificatePEM: String
    let privateKeyPEM: String

    static func make(address: UInt32, now: Date = Date()) throws -> KubeCertificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("armada-sim")
            CommonName("kube-apiserver")
        }
        let octets = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: address >> UInt32($0)) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames([
                .ipAddress(ASN1OctetString(contentBytes: ArraySlice(octets))),
                .dnsName("kubernetes"), .dnsName("kubernetes.default"), .dnsName("kubernetes.default.svc"),
                .dnsName("kubernetes.default.svc.cluster.local"),
            ])
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(key))
        return KubeCertificate(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation)
    }
}
