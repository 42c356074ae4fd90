import DealerCore
import SQLKit

/// A cursor over a short list read by position (a dealer's documents and promises, the webhook
/// endpoints), where a keyset over nullable sort keys would cost more than the list is long.
struct OffsetCursor: PageCursor, Equatable {
    var offset: Int
}

extension PageRequest {
    /// Where this page starts in a list paged by position: 0 for the first page.
    func startingOffset() throws(ValidationError) -> Int {
        guard let cursor else { return 0 }
        let offset = try OffsetCursor(decoding: cursor).offset
        guard offset >= 0 else { throw ValidationError(field: "cursor", "not a cursor this list handed out") }
        return offset
    }

    /// The `LIMIT … OFFSET …` that ends a query for the page at `offset`: one row more than the
    /// page, to know whether another follows.
    func window(at offset: Int) -> SQLQueryString {
        "LIMIT \(literal: limit + 1) OFFSET \(literal: offset)"
    }

    /// The page of `rows` read through `window(at: offset)`, decoded; the next cursor is counted on
    /// the rows as read, so a corrupt row skipped in decoding does not end the list early.
    func page<Item: Sendable>(of rows: [any SQLRow], at offset: Int, _ decode: ([any SQLRow]) throws -> [Item]) rethrows -> Page<Item> {
        let (rows, more) = cut(rows)
        return Page(items: try decode(Array(rows)), nextCursor: more ? OffsetCursor(offset: offset + limit).encoded : nil)
    }
}
