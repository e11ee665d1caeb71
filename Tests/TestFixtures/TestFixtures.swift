/// Test-case YAML shared by the test targets and the benchmarks.
public enum TestFixtures {
    /// The `jobs:` block of a one-container test case (`alpine`, container `c`): with a command,
    /// it runs `sh -c command` with the given requests and limits; without one, the image default.
    public static func jobsBlock(command: String? = nil, cpu: String = "100m", memory: String = "25Mi") -> String {
        var block = """
        jobs:
          - namespace: default
            podSpec:
              containers:
                - name: c
                  image: alpine
        """
        if let command {
            block += """

                      command: ["sh", "-c", "\(command)"]
                      resources: {requests: {cpu: \(cpu), memory: \(memory)}, limits: {cpu: \(cpu), memory: \(memory)}}
            """
        }
        return block
    }
}
