import Foundation

/// Filters of the dealer list. All given filters must hold; `search` matches name, legal name, code
/// or INN, without regard to case.
public struct DealerQuery: Sendable, Equatable {
    public var status: DealerStatus?
    public var region: String?
    public var segment: String?
    public var managerID: UUID?
    public var search: String?
    public var limit: Int
    public var cursor: String?
    /// Whose dealers the caller may see (`auth.manager_scope`).
    public var visibility: DealerVisibility = .all

    public init(
        status: DealerStatus? = nil, region: String? = nil, segment: String? = nil, managerID: UUID? = nil,
        search: String? = nil, limit: Int = 50, cursor: String? = nil
    ) {
        self.status = status
        self.region = region
        self.segment = segment
        self.managerID = managerID
        self.search = search
        self.limit = limit
        self.cursor = cursor
    }

    /// The text a dealer is found by, folded for case-insensitive matching (Cyrillic included, which
    /// SQLite's own LIKE does not fold). Fields are separated so a query cannot match across two.
    public static func searchText(of dealer: Dealer) -> String {
        [dealer.name, dealer.legalName, dealer.code, dealer.taxID.value]
            .map { $0.lowercased() }
            .joined(separator: "\u{1F}")
    }

    /// The key dealers are listed by: the name as a person alphabetises it — without case, with Ё
    /// filed under Е (Russian dictionary practice), ignoring leading quotes and punctuation
    /// («Альфа» under А). Byte order of the raw name would put Ё before А and every capital first.
    public static func sortKey(forName name: String) -> String {
        let letters = name.drop { !$0.isLetter && !$0.isNumber }
        return String(letters).lowercased().replacingOccurrences(of: "ё", with: "е")
    }
}
