import FuzzHarness
import Foundation

#if FUZZING
/// libFuzzer's entry (`make fuzz` builds with -sanitize=fuzzer -parse-as-library -DFUZZING);
/// `FUZZ_TARGET` names the target (see `FuzzTarget`).
private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    target.run(Array(UnsafeBufferPointer(start: start, count: count)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry as `<target>_main`: here it hands over to libFuzzer.
@_cdecl("armada_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, fuzzOne)
}
#else
/// Without libFuzzer: `armada-fuzz <target> <file or directory>…` replays inputs (a crash found
/// by `make fuzz`, the seeds) through the target, one file at a time.
@main
enum FuzzMain {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: armada-fuzz <\(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|"))> <file or directory>…")
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            for file in FuzzInputs.files(at: path) {
                target.run(Array(FileManager.default.contents(atPath: file) ?? Data()))
                count += 1
            }
        }
        print("\(name): \(count) input(s) replayed without a crash")
    }
}
#endif
