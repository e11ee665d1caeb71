import ArgumentParser
import Foundation

/// Entry point: runs the command and maps outcomes to the project's exit codes — 0 all passed,
/// 1 a test (or a file) failed, 2 usage, configuration or infrastructure error, 130 interrupted.
@main
enum Main {
    static func main() async {
        do {
            var command = try Testsuite.parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let message = Testsuite.fullMessage(for: error)
            if Testsuite.exitCode(for: error).isSuccess {
                print(message)
                exit(0)
            }
            FileHandle.standardError.write(Data(("error: " + message.replacingOccurrences(of: "Error: ", with: "") + "\n").utf8))
            exit(CLIExit.usage.rawValue)
        }
    }
}

/// The exit codes of every command.
enum CLIExit {
    static let failed = ExitCode(1)
    static let usage = ExitCode(2)
    static let interrupted = ExitCode(130)
}

struct Testsuite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testsuite",
        abstract: "End-to-end tests for the Armada batch scheduler, with an embedded Armada simulator.",
        version: TestsuiteVersion.current,
        subcommands: [TestCommand.self, Validate.self, List.self, Serve.self, Version.self]
    )
}
