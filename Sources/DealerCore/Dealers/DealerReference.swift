import Foundation

/// How a request names a dealer: by id, or by the code the ERP knows it by.
public enum DealerReference: Sendable, Hashable, CustomStringConvertible {
    case id(UUID)
    case code(String)

    /// A dealer named on the command line or in a file: a UUID is an id, anything else a code.
    public init(_ text: String) {
        self = UUID(uuidString: text).map { .id($0) } ?? .code(text)
    }

    public var description: String {
        switch self {
        case .id(let id): id.lowercased
        case .code(let code): code
        }
    }
}
