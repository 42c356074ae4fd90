import Foundation
import Hummingbird

/// A submitted HTML form (`application/x-www-form-urlencoded`). Whatever arrives, a field that does
/// not decode is read as empty rather than failing the request.
struct ConsoleForm: Sendable {
    private(set) var fields: [String: String] = [:]

    static let maxBytes = 65_536

    init(fields: [String: String]) {
        self.fields = fields
    }

    init(parsing body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            guard !key.isEmpty, fields[key] == nil else { continue }
            fields[key] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    static func read(_ request: Request) async throws -> ConsoleForm {
        let buffer = try await request.body.collect(upTo: maxBytes)
        return ConsoleForm(parsing: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    subscript(_ name: String) -> String { fields[name] ?? "" }

    private static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}
