import DealerCore
import Foundation

/// An opaque cursor over a list ordered by (name, id): the last row's name and id, base64url-encoded.
/// Keyset paging stays stable while rows are added or removed between pages.
struct KeysetCursor: Codable, Equatable {
    var name: String
    var id: UUID

    var encoded: String {
        let data = try! JSONEncoder().encode(self)
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(name: String, id: UUID) {
        self.name = name
        self.id = id
    }

    init(decoding text: String) throws(ValidationError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let cursor = try? JSONDecoder().decode(Self.self, from: data) else {
            throw ValidationError(field: "cursor", "not a cursor this list handed out")
        }
        self = cursor
    }
}

/// Page sizes the lists accept.
public enum PageSize {
    public static let `default` = 50
    public static let maximum = 500

    public static func validate(_ limit: Int?) throws(ValidationError) -> Int {
        guard let limit else { return `default` }
        guard (1...maximum).contains(limit) else {
            throw ValidationError(field: "limit", "between 1 and \(maximum)")
        }
        return limit
    }
}
