import DealerCore
import Foundation

/// A cursor a list hands out: the last row's sort keys as base64url JSON, opaque to clients.
/// Keyset paging stays stable while rows are added or removed between pages.
protocol PageCursor: Codable {}

extension PageCursor {
    var encoded: String {
        // A cursor is a few strings and numbers; should it ever not encode, the list simply ends there.
        (try? JSONEncoder().encode(self)).map(Base64URL.encode) ?? ""
    }

    init(decoding text: String) throws(ValidationError) {
        guard let data = Base64URL.decode(text), let cursor = try? JSONDecoder().decode(Self.self, from: data) else {
            throw ValidationError(field: "cursor", "not a cursor this list handed out")
        }
        self = cursor
    }
}

/// A cursor over a list ordered by (name or sort key, id).
struct KeysetCursor: PageCursor, Equatable {
    var name: String
    var id: UUID
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

/// A cursor over a list ordered by a sequence number (history newest first, versions oldest first).
struct SequenceCursor: PageCursor, Equatable {
    var seq: Int64
}

/// A cursor over a dealer's ledger: (document date, document id).
struct LedgerCursor: PageCursor, Equatable {
    var date: String
    var externalID: String
}

/// How one page is asked for: where the previous one ended, and how many.
public struct PageRequest: Sendable, Equatable {
    public var cursor: String?
    public var limit: Int

    public init(cursor: String? = nil, limit: Int = PageSize.default) {
        self.cursor = cursor
        self.limit = limit
    }

    /// The first `limit` of `rows` fetched with one extra, and whether there is more.
    func cut<Row>(_ rows: [Row]) -> (page: ArraySlice<Row>, more: Bool) {
        (rows.prefix(limit), rows.count > limit)
    }
}
