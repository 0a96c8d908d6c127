/// Errors FlowCore reports to its callers; the message is one line, written for the user.
public enum FlowError: Error, Equatable, CustomStringConvertible {
    /// Bad input from the user: a file, an option value, a dataset name.
    case badInput(String)

    /// The message: one line, written for the user.
    public var description: String {
        switch self {
        case .badInput(let message): message
        }
    }
}
